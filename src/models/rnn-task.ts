// The worker task behind the training mode of <rnn-gradients>: trains the chosen cells side by side (rnn-train.ts)
// and hands the page, once per drawn frame, the rows recorded since the last frame (training loss and gradient
// profile ‖∂L/∂h_t‖ of each step) and the latest held-out accuracy. Rows travel once: the page keeps the history.
// A step of a T = 100 sequence is tens of milliseconds, so a slice is one step or a few; the held-out batch is
// evaluated every few seconds.
import { memory } from '@tensorflow/tfjs-core';
import type { TaskInstance, TaskModule } from '../runtime/tasks.ts';
import { cellsOf, type RnnSettings } from '../settings/rnn-gradients.ts';
import type { CellId } from '../math/rnn-cells.ts';
import { RnnTrainer, type TrainConfig } from './rnn-train.ts';

export interface RnnRunInput {
  /** stop after this many steps (for step(n) from the scripting API); undefined: run on */
  until?: number;
}

export interface RnnFrame {
  cells: CellId[];
  T: number;
  step: number;
  /** the training steps recorded since the previous frame, and per cell their losses and profiles (rows × T) */
  rowSteps: number[];
  losses: Float32Array[];
  profiles: Float32Array[];
  /** held-out accuracy and loss per cell at step evalStep (NaN before the first evaluation) */
  accuracy: number[];
  heldOutLoss: number[];
  evalStep: number;
  stepsPerSecond: number;
  backend: string;
  frameMs: number;
  workerTensors: number;
  status: 'ok' | 'diverged';
  reason?: string;
}

const SLICE_MS = 12;
/** the held-out batch (256 sequences through every cell) costs about a training step: a few times a minute is enough */
const EVAL_EVERY_MS = 3000;
const RATE_WINDOW_MS = 2000;

export function trainConfigFromSettings(s: RnnSettings): TrainConfig {
  return {
    cells: cellsOf(s), task: s.task, T: s.length, batch: s.batchSize, lr: s.lr, evalBatch: 256, noise: s.inputScale,
    hidden: s.hiddenSize, init: s.init, radius: s.radius, forgetBias: s.forgetBias, seed: s.seed,
  };
}

export function createRnnTask(backend: string, config: TrainConfig, now: () => number = () => performance.now()):
  TaskInstance<RnnRunInput, number, RnnFrame> {
  const trainer = new RnnTrainer(config);
  const history: [number, number][] = [[now(), 0]];
  let evalAt = -Infinity;
  let evalStep = -1;
  let accuracy = config.cells.map(() => Number.NaN);
  let heldOutLoss = config.cells.map(() => Number.NaN);
  let broken: string | null = null;

  return {
    step(input) {
      const until = input?.until ?? Infinity;
      const start = now();
      while (!broken && trainer.stepCount < until && now() - start < SLICE_MS) trainer.step();
      const t = now();
      history.push([t, trainer.stepCount]);
      while (history.length > 2 && t - history[0][0] > RATE_WINDOW_MS) history.shift();
      return trainer.stepCount;
    },
    async snapshot() {
      const began = now();
      const rows = await trainer.drain();
      if (evalStep !== trainer.stepCount && (now() - evalAt > EVAL_EVERY_MS || trainer.stepCount === 0 || rows.steps.length === 0)) {
        ({ accuracy, loss: heldOutLoss } = await trainer.evaluate());
        evalAt = now();
        evalStep = trainer.stepCount;
      }
      const bad = config.cells.findIndex((_, c) => !rows.losses[c].every(Number.isFinite));
      if (bad >= 0 && !broken) broken = `the ${config.cells[bad]} loss is no longer a finite number at step ${trainer.stepCount}`;
      const [t0, s0] = history[0];
      const [t1, s1] = history[history.length - 1];
      return {
        cells: config.cells, T: config.T, step: trainer.stepCount, rowSteps: rows.steps, losses: rows.losses,
        profiles: rows.profiles, accuracy, heldOutLoss, evalStep, stepsPerSecond: t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : 0,
        backend, frameMs: now() - began, workerTensors: memory().numTensors, status: broken ? 'diverged' : 'ok',
        ...(broken ? { reason: broken } : {}),
      };
    },
    dispose: () => trainer.dispose(),
  };
}

export const rnnTask: TaskModule<RnnSettings> = {
  create: ({ backend }, settings) => createRnnTask(backend, trainConfigFromSettings(settings)),
};
