// The two training tasks of the RNN-gradients explainer, as plain float32 batches (pure, so the worker task, the CLI and the
// tests share one definition).
//   memory  (after Hochreiter & Schmidhuber 1997, https://www.bioinf.jku.at/publications/older/2604.pdf, and the
//           copy task of Arjovsky et al. 2016, https://arxiv.org/abs/1511.06464): x_1 is one of K = 4 symbols
//           (one-hot in channels 0..3, with a 1 in channel 4 saying "this is the marker"), x_2..x_T are uniform noise
//           in channels 0..3 (channel 4 = 0), centred, with the widget's input scale as its standard deviation (the
//           gradient view's noise has the same scale, Gaussian). The noise decides what can be learnt: an LSTM with
//           b_f = 4 (T = 100, H = 32, batch 32, Adam 0.01) passed 85 % within 50 steps on uniform noise in [−½, ½)
//           but was below 55 % after 300 steps on Gaussian noise of standard deviation 0.5 and still at chance after
//           1,000 on uniform noise in [0, 1), whose mean adds a constant drive at every step. The target is the
//           symbol, read from h_T: nothing after t = 1 carries it, so the only way to learn it is a gradient that
//           survives T − 1 steps.
//           Chance is 1/4.
//   adding  (Hochreiter & Schmidhuber 1997; Le, Jaitly, Hinton 2015, https://arxiv.org/abs/1504.00941): channel 0
//           holds uniform values in [0, 1], channel 1 marks two steps, one in the first half and one in the second;
//           the target is the sum of the two marked values. A prediction within ADDING_TOLERANCE counts as correct
//           (chanceAccuracy: what answering the mean scores).
import type { Rng } from './rng.ts';

export const TRAIN_TASKS = ['memory', 'adding'] as const;
export type TrainTask = (typeof TRAIN_TASKS)[number];

export const MEMORY_SYMBOLS = 4;
/** |prediction − target| below this counts as a correct answer on the adding problem */
export const ADDING_TOLERANCE = 0.1;

export interface TaskShape {
  inputDim: number;
  /** logits for the memory task, one regression output for the adding problem */
  outputDim: number;
}

export function taskShape(task: TrainTask): TaskShape {
  return task === 'memory' ? { inputDim: MEMORY_SYMBOLS + 1, outputDim: MEMORY_SYMBOLS } : { inputDim: 2, outputDim: 1 };
}

export interface Batch {
  /** time-major inputs, T×B×D (row t·B + b holds x_{t+1} of example b) */
  x: Float32Array;
  /** memory: the symbol index of each example; adding: the target sum */
  y: Float32Array;
  T: number;
  B: number;
  D: number;
}

/** `noise`: the standard deviation of the memory task's uniform noise (the widget's input scale). */
export function makeBatch(task: TrainTask, T: number, B: number, rng: Rng, noise = 1): Batch {
  const { inputDim: D } = taskShape(task);
  const x = new Float32Array(T * B * D);
  const y = new Float32Array(B);
  const at = (t: number, b: number, d: number) => (t * B + b) * D + d;
  const half = Math.sqrt(3) * noise;
  for (let b = 0; b < B; b++) {
    if (task === 'memory') {
      const k = rng.int(MEMORY_SYMBOLS);
      y[b] = k;
      x[at(0, b, k)] = 1;
      x[at(0, b, MEMORY_SYMBOLS)] = 1;
      for (let t = 1; t < T; t++) for (let d = 0; d < MEMORY_SYMBOLS; d++) x[at(t, b, d)] = half * (2 * rng.uniform() - 1);
    } else {
      for (let t = 0; t < T; t++) x[at(t, b, 0)] = rng.uniform();
      const half = Math.max(1, Math.floor(T / 2));
      const first = rng.int(half);
      const second = T > 1 ? Math.min(T - 1, half + rng.int(Math.max(1, T - half))) : 0;
      x[at(first, b, 1)] = 1;
      if (second !== first) x[at(second, b, 1)] = 1;
      y[b] = x[at(first, b, 0)] + (second !== first ? x[at(second, b, 0)] : 0);
    }
  }
  return { x, y, T, B, D };
}

/** Accuracy of guessing without memory: 1/4 for the memory task; for the adding problem, answering 1 (the mean)
 * is within the tolerance when the sum of two uniforms lands in [0.9, 1.1], probability 2·0.1 − 0.1² = 0.19. */
export function chanceAccuracy(task: TrainTask): number {
  return task === 'memory' ? 1 / MEMORY_SYMBOLS : 2 * ADDING_TOLERANCE - ADDING_TOLERANCE ** 2;
}
