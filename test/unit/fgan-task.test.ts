// The worker task behind <fgan-lab>, run in Node on the cpu backend: thousands of steps through its time-sliced
// step() keep the tensor count flat, dispose() (what destroying a widget triggers) returns it to the baseline,
// the speed cap holds, `until` stops exactly, and frames carry the readouts the widget shows.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFganTask } from '../../src/models/fgan-task.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SMALL = {
  generator: { depth: 1, width: 8, activation: 'relu' as const },
  critic: { depth: 1, width: 8, activation: 'leaky-relu' as const },
  batchSize: 32,
};

describe('fgan task', () => {
  // The trainer keeps each step's two loss scalars until it folds them into the run's peak |loss| (at a snapshot,
  // or every 64 of them), so between snapshots the count may rise by at most that; at every snapshot it is back.
  it('runs thousands of steps with a bounded tensor count, flat from snapshot to snapshot, and frees everything on dispose', async () => {
    const baseline = tf.memory().numTensors;
    const task = createFganTask('cpu', SMALL);
    await task.step({ speed: Infinity, until: 5 });
    await task.snapshot();
    const warm = tf.memory().numTensors;
    let steps = 0;
    while (steps < 3000) {
      steps = (await task.step({ speed: Infinity })) as number;
      expect(tf.memory().numTensors - warm).toBeGreaterThanOrEqual(0);
      expect(tf.memory().numTensors - warm).toBeLessThanOrEqual(64);
      if (steps % 500 < 20) {
        await task.snapshot();
        expect(tf.memory().numTensors).toBe(warm);
      }
    }
    const frame = await task.snapshot();
    expect(tf.memory().numTensors).toBe(warm);
    expect(frame.step).toBe(steps);
    expect(frame.backend).toBe('cpu');
    expect(frame.stepsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(frame.trueDivergence)).toBe(true);
    task.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('stops exactly at `until` and honours the speed cap on its own clock', async () => {
    let clock = 0;
    const task = createFganTask('cpu', SMALL, () => clock);
    let steps = 0;
    while (steps < 37) steps = (await task.step({ speed: Infinity, until: 37 })) as number;
    expect(steps).toBe(37);
    expect(await task.step({ speed: Infinity, until: 37 })).toBe(37);
    // 50 steps/s over 0.6 s of the task's clock, in 20-ms ticks: exactly 30 steps, however fast the machine is.
    for (let i = 0; i < 30; i++) {
      clock += 20;
      steps = (await task.step({ speed: 50 })) as number;
    }
    expect(steps).toBe(37 + 30);
    // A long pause is not made up afterwards: the bucket holds at most a twentieth of a second of steps.
    clock += 10_000;
    expect(await task.step({ speed: 50 })).toBe(37 + 30 + 2);
    task.dispose();
  });
});
