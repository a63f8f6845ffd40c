// The training model of <rnn-gradients> (src/models/rnn-train.ts) and its worker task, in Node on the cpu backend:
// the fused tfjs cells compute the same states as the float64 cells of src/math (so the reader trains what the
// gradient view analyses), the gradient profile read from the zero probes is the true ∂L/∂h_t (a linear RNN with an
// orthogonal ρQ scales it by exactly ρ per step), the task data are what the header says, training lowers the loss,
// the tensor count stays flat and returns to its baseline, and a run whose states overflow says it diverged.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_IDS, forward, initCell, type CellId } from '../../src/math/rnn-cells.ts';
import { makeBatch, MEMORY_SYMBOLS } from '../../src/math/rnn-train-data.ts';
import { Rng } from '../../src/math/rng.ts';
import { createRnnTask } from '../../src/models/rnn-task.ts';
import { bptt } from '../../src/models/rnn-bptt.ts';
import { fusedParams, lossAndCorrect, RnnTrainer, unroll, type TrainConfig } from '../../src/models/rnn-train.ts';
import { taskShape, TRAIN_TASKS } from '../../src/math/rnn-train-data.ts';

let baseline = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  baseline = tf.memory().numTensors;
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

/** step() trains for one time slice: call it until the run reaches `until` */
async function runTo(task: ReturnType<typeof createRnnTask>, until: number): Promise<void> {
  while (((await task.step({ until })) as number) < until);
}

const BASE: TrainConfig = {
  cells: ['rnn-tanh', 'lstm'], task: 'memory', T: 12, batch: 8, lr: 0.01, evalBatch: 16, noise: 1,
  hidden: 6, init: 'orthogonal', radius: 1, forgetBias: 2, seed: 3,
};

describe('fused tfjs cells', () => {
  it.each(CELL_IDS.map((c) => [c]))('%s: h_T equals the float64 cell of src/math on the same parameters', async (id: CellId) => {
    const H = 5, D = 3, T = 9, B = 2;
    const params = initCell(id, { hidden: H, inputDim: D, seed: 7, forgetBias: 1.5, radius: 0.9 });
    const rng = new Rng('inputs');
    const x = Float32Array.from({ length: T * B * D }, () => rng.normal());
    const fused = fusedParams(params, 2, new Rng('readout'));
    const hT = tf.tidy(() => {
      const v = Object.fromEntries(fused.map((f) => [f.name, tf.tensor(f.values, f.shape)]));
      const act = params.kind === 'rnn' ? params.activation : 'tanh';
      return unroll(params.kind, act, H, v, tf.tensor3d(x, [T, B, D]));
    });
    const got = await hT.data();
    hT.dispose();
    for (let b = 0; b < B; b++) {
      const inputs = new Float64Array(T * D);
      for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) inputs[t * D + d] = x[(t * B + b) * D + d];
      const trace = forward(params, inputs);
      const S = trace.stateDim;
      for (let j = 0; j < H; j++) expect(got[b * H + j]).toBeCloseTo(trace.states[T * S + j], 4);
    }
  });
});

describe('hand-written backpropagation through time', () => {
  const cases = TRAIN_TASKS.flatMap((task) => CELL_IDS.map((id) => [id, task] as const));
  it.each(cases)('%s on the %s task: loss, every weight gradient and ∂L/∂h_t equal tfjs autodiff', async (id, task) => {
    const H = 4, T = 6, B = 3;
    const { inputDim: D, outputDim: K } = taskShape(task);
    const params = initCell(id, { hidden: H, inputDim: D, seed: 11, forgetBias: 1, radius: 0.95 });
    const fused = fusedParams(params, K, new Rng('readout'));
    const batch = makeBatch(task, T, B, new Rng('batch'));
    const act = params.kind === 'rnn' ? params.activation : 'tanh';
    const flat = tf.tidy(() => {
      const vars = fused.map((f) => tf.tensor(f.values, f.shape));
      const named = (a: tf.Tensor[]) => Object.fromEntries(fused.map((f, i) => [f.name, a[i]]));
      const xs = tf.tensor3d(batch.x, [T, B, D]), y = tf.tensor1d(batch.y);
      const probes = Array.from({ length: T }, () => tf.zeros([B, H]) as tf.Tensor2D);
      const f = (...a: tf.Tensor[]) => {
        const v = named(a);
        const h = unroll(params.kind, act, H, v, xs, a.slice(fused.length) as tf.Tensor2D[]);
        return lossAndCorrect(task, tf.add(tf.matMul(h, v.Wy as tf.Tensor2D), v.by) as tf.Tensor2D, y).loss;
      };
      const auto = tf.valueAndGrads(f)([...vars, ...probes]);
      const autoProfile = tf.sqrt(tf.sum(tf.square(tf.stack(auto.grads.slice(fused.length))), [1, 2]));
      const mine = bptt(params.kind, act, H, named(vars), xs, y, task);
      const pack = (loss: tf.Tensor, grads: tf.Tensor[], profile: tf.Tensor) =>
        tf.concat([tf.reshape(loss, [1]), ...grads.map((g) => tf.reshape(g, [-1])), profile]);
      return tf.stack([
        pack(auto.value, auto.grads.slice(0, fused.length), autoProfile),
        pack(mine.loss, fused.map((f) => mine.grads[f.name]), mine.profile),
      ]);
    });
    const data = await flat.data();
    flat.dispose();
    const n = data.length / 2;
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(data[i]));
    for (let i = 0; i < n; i++) expect(Math.abs(data[n + i] - data[i]), `entry ${i}`).toBeLessThan(1e-5 * Math.max(1, scale));
  });
});

describe('gradient profile', () => {
  it('is ∂L/∂h_t: a linear RNN with U = ρQ scales it by ρ per step back', async () => {
    for (const radius of [0.9, 1.1]) {
      const trainer = new RnnTrainer({ ...BASE, cells: ['rnn-linear'], radius, T: 10, lr: 1e-9 });
      trainer.step();
      const { profiles } = await trainer.drain();
      trainer.dispose();
      const p = profiles[0];
      for (let t = 1; t <= 10; t++) expect(p[t - 1] / p[9]).toBeCloseTo(radius ** (10 - t), 4);
    }
  });
});

describe('task data', () => {
  it('memory: the symbol is one-hot at t = 1 with the marker flag, then noise without it', () => {
    const b = makeBatch('memory', 6, 4, new Rng(1));
    for (let e = 0; e < 4; e++) {
      const first = Array.from(b.x.subarray(e * b.D, (e + 1) * b.D));
      expect(first[MEMORY_SYMBOLS]).toBe(1);
      expect(first.slice(0, MEMORY_SYMBOLS).indexOf(1)).toBe(b.y[e]);
      for (let t = 1; t < 6; t++) expect(b.x[(t * 4 + e) * b.D + MEMORY_SYMBOLS]).toBe(0);
    }
  });

  it('adding: the target is the sum of the two marked values, one in each half', () => {
    const b = makeBatch('adding', 20, 5, new Rng(2));
    for (let e = 0; e < 5; e++) {
      const marked: number[] = [];
      for (let t = 0; t < 20; t++) if (b.x[(t * 5 + e) * 2 + 1] === 1) marked.push(t);
      expect(marked.length).toBe(2);
      expect(marked[0]).toBeLessThan(10);
      expect(marked[1]).toBeGreaterThanOrEqual(10);
      expect(b.y[e]).toBeCloseTo(b.x[(marked[0] * 5 + e) * 2] + b.x[(marked[1] * 5 + e) * 2], 6);
    }
  });
});

describe('training', () => {
  it('learns a short memory task (T = 3): loss falls, held-out accuracy rises well above chance', async () => {
    const trainer = new RnnTrainer({ ...BASE, cells: ['lstm'], T: 3, batch: 16, lr: 0.03, evalBatch: 64 });
    const before = await trainer.evaluate();
    for (let i = 0; i < 60; i++) trainer.step();
    const after = await trainer.evaluate();
    await trainer.drain();
    trainer.dispose();
    expect(after.loss[0]).toBeLessThan(before.loss[0] * 0.5);
    expect(after.accuracy[0]).toBeGreaterThan(0.9);
  });

  it('keeps the tensor count flat over steps, reads and evaluations, and frees everything on dispose', async () => {
    const start = tf.memory().numTensors;
    const task = createRnnTask('cpu', BASE);
    await runTo(task, 2);
    await task.snapshot();
    const warm = tf.memory().numTensors;
    for (let round = 0; round < 4; round++) {
      await runTo(task, 4 + 2 * round);
      const f = await task.snapshot();
      expect(f.losses[0].length).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(warm);
    }
    task.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('hands each recorded step to the page once, with a finite loss and a profile of length T per step', async () => {
    const task = createRnnTask('cpu', BASE);
    await runTo(task, 3);
    const f = await task.snapshot();
    expect(f.rowSteps).toEqual([1, 2, 3]);
    expect(f.profiles[1].length).toBe(3 * BASE.T);
    expect(f.losses.every((l) => l.every(Number.isFinite))).toBe(true);
    expect(f.accuracy.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect((await task.snapshot()).rowSteps).toEqual([]);
    task.dispose();
  });

  it('a run whose states overflow reports diverged and why', async () => {
    const task = createRnnTask('cpu', { ...BASE, cells: ['rnn-relu'], init: 'identity', radius: 2, T: 160, forgetBias: 0 });
    await runTo(task, 1);
    const f = await task.snapshot();
    task.dispose();
    expect(f.status).toBe('diverged');
    expect(f.reason).toMatch(/rnn-relu.*finite/);
  });
});
