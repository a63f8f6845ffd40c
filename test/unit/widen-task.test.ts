// The worker task of "keep training both" (tfjs cpu, in Node): the widened model's held-out loss starts where the
// small model's ended; the widened model trains on from there while the wide model from scratch starts near log(10)
// or above; the copy spread stays exactly 0 without noise and grows with split; retraining trains the small model
// first and hands its weights over; a non-finite loss stops the run; tensors return to the baseline.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTask } from '../../src/math/digit-task.ts';
import { initTransformer, listParams } from '../../src/math/transformer.ts';
import type { TransformerFile } from '../../src/math/transformer-file.ts';
import { TransformerModel } from '../../src/models/transformer.ts';
import { createWidenTask, type WidenTaskConfig } from '../../src/models/widen-task.ts';
import { SMALL_MODEL_PATH } from '../../src/models/widen-training.ts';

const FILE = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../public', SMALL_MODEL_PATH), 'utf8')) as TransformerFile;
const BASE: WidenTaskConfig = { method: 'su', factor: 2, symmetry: 'none', eps: 1e-5, seed: 1, file: FILE };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function run(config: WidenTaskConfig, steps: number) {
  const before = tf.memory().numTensors;
  const task = await createWidenTask('cpu', config);
  const first = await task.snapshot();
  let n = 0;
  while (n < steps) n = await task.step({ until: steps });
  const last = await task.snapshot();
  task.dispose();
  return { first, last, leaked: tf.memory().numTensors - before };
}

describe('widen task', () => {
  it('su/none: the widened model starts at the small model’s held-out loss; copy spread stays exactly 0', async () => {
    const { first, last, leaked } = await run(BASE, 6);
    expect(first.phase).toBe('wide');
    expect(first.smallFinalLoss).toBeLessThan(0.2);
    expect(Math.abs(first.widenedStartLoss - first.smallFinalLoss)).toBeLessThan(1e-5);
    // the small model's curve from the file ends at x = 0, where the wide curves begin
    expect(first.small.at(-1)![0]).toBe(0);
    expect(last.widened[0][0]).toBe(0);
    expect(last.widened[0][1]).toBeLessThan(0.3);
    expect(last.scratch[0][1]).toBeGreaterThan(2);
    expect(last.wideStep).toBe(6);
    expect(last.spread.map(([, s]) => s).every((s) => s === 0)).toBe(true);
    expect(last.copySpread).toBe(0);
    expect(leaked).toBe(0);
  });

  it('su/split: the outputs start exact (same loss), and training drives the copies apart', async () => {
    const { first, last, leaked } = await run({ ...BASE, symmetry: 'split' }, 6);
    expect(Math.abs(first.widenedStartLoss - first.smallFinalLoss)).toBeLessThan(1e-5);
    expect(first.copySpread).toBeLessThan(1e-5);
    expect(last.copySpread).toBeGreaterThan(1e-3);
    expect(leaked).toBe(0);
  });

  it('plain noise moves the starting loss away from the small model’s', async () => {
    const { first } = await run({ ...BASE, symmetry: 'noise' }, 0);
    expect(Math.abs(first.widenedStartLoss - first.smallFinalLoss)).toBeGreaterThan(1e-3);
  });

  it('retrain: trains the small model first, then widens it and hands its weights over', async () => {
    const task = await createWidenTask('cpu', { ...BASE, file: null, smallSteps: 3 });
    let f = await task.snapshot();
    expect(f.phase).toBe('small');
    expect(f.retrained).toBeNull();
    let n = 0;
    while (n < 5) n = await task.step({ until: 5 });
    f = await task.snapshot();
    expect(f.phase).toBe('wide');
    expect(f.wideStep).toBe(2);
    expect(f.small.map(([x]) => x)).toEqual([-2, -1, 0]);
    expect(f.retrained?.config.dModel).toBe(16);
    expect(Math.abs(f.widenedStartLoss - f.smallFinalLoss)).toBeLessThan(1e-5);
    task.dispose();
  });

  it('a loss that is no longer finite stops the run', async () => {
    const task = await createWidenTask('cpu', { ...BASE, eps: Number.NaN });
    await task.step({ until: 1 });
    const f = await task.snapshot();
    expect(f.status).toBe('diverged');
    const at = await task.step({ until: 5 });
    expect(at).toBe(1);
    task.dispose();
  });

  it('warm-up: a fresh Adam’s first step moves each weight by about lr, by lr/warmup with the ramp', async () => {
    const config = { vocab: 6, maxLen: 5, dModel: 8, heads: 2, dHead: 4, layers: 1, dFF: 12, norm: 'post', tied: true } as const;
    const w = initTransformer(config, { seed: 4 });
    const moved = async (warmupSteps: number) => {
      const m = new TransformerModel(w, { learningRate: 1e-2, warmupSteps });
      m.trainStep(makeTask('reverse', 1, { length: 5, digits: 6 }).batch(8)).dispose();
      const after = listParams(await m.readWeights());
      m.dispose();
      const before = listParams(w);
      return Math.max(...after.flatMap((p, i) => Array.from(p.value, (x, j) => Math.abs(x - before[i].value[j]))));
    };
    expect(await moved(0)).toBeGreaterThan(0.9e-2);
    const ramped = await moved(50);
    expect(ramped).toBeLessThan(1.05e-2 / 50);
    expect(ramped).toBeGreaterThan(0.9e-2 / 50);
  });
});
