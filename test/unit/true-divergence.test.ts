// The independent estimate of D_f(P‖Q) that <fgan-lab> plots against the critic's bound: near zero when the
// samples come from P itself, and the closed-form value when Q sits on one mode of the ring.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { FganTrainer } from '../../src/models/fgan.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('true divergence estimate (js row: f gives 2·JS)', () => {
  const trainer = () => new FganTrainer({ divergence: 'js', target: 'ring', batchSize: 16 });

  it('is near zero for samples of P itself', () => {
    const t = trainer();
    const est = t.trueDivergence(t.target.sample(createRng(5), 2048));
    expect(est).toBeGreaterThanOrEqual(0);
    expect(est).toBeLessThan(0.05);
    t.dispose();
  });

  it('matches 2·JS in closed form when Q holds one of the eight modes', () => {
    const t = trainer();
    const [cx, cy] = t.target.modes!.centres[0];
    const sigma = t.target.modes!.sigma;
    const rng = createRng(9);
    const samples = new Float32Array(4096);
    for (let i = 0; i < samples.length; i += 2) {
      samples[i] = cx + sigma * rng.normal();
      samples[i + 1] = cy + sigma * rng.normal();
    }
    // P = 1/8 on that mode and 7/8 elsewhere, Q = 1 on it, M = (P + Q)/2:
    // 2·JS = KL(P‖M) + KL(Q‖M) = ⅛ log(2/9) + ⅞ log 2 + log(16/9) ≈ 0.994
    const exact = Math.log(2 / 9) / 8 + (7 / 8) * Math.log(2) + Math.log(16 / 9);
    expect(t.trueDivergence(samples)).toBeCloseTo(exact, 1);
    t.dispose();
  });
});

describe('what the article and the lab say about the estimate and the bound', () => {
  it('the estimate has a floor above zero when Q = P with the lab\'s 512 samples: about 0.007 for JS, 0.013 for KL', () => {
    for (const [divergence, lo, hi] of [['js', 0.004, 0.01], ['kl', 0.008, 0.02]] as const) {
      const t = new FganTrainer({ divergence, target: 'ring', batchSize: 16 });
      let sum = 0;
      for (let k = 0; k < 8; k++) sum += t.trueDivergence(t.target.sample(createRng(100 + k), 512));
      expect(sum / 8, divergence).toBeGreaterThan(lo);
      expect(sum / 8, divergence).toBeLessThan(hi);
      t.dispose();
    }
  });

  it('at step 0 the bound is F = f(1): 0 for every row, −log 4 for GAN, within 1e-3 of 0 for the soft-clipped rows', async () => {
    for (const divergence of ['tv', 'kl', 'reverse-kl', 'pearson', 'neyman', 'hellinger', 'jeffrey', 'js', 'js-weighted', 'gan', 'alpha'] as const) {
      const t = new FganTrainer({ divergence, batchSize: 16 });
      const { bound } = await t.snapshot({ samples: 16, fieldSize: 2, boundBatch: 256, noiseLines: 1, noisePoints: 2, trueDivergence: false });
      expect(Math.abs(bound - (divergence === 'gan' ? -Math.log(4) : 0)), divergence).toBeLessThan(1e-3);
      t.dispose();
    }
  });
});

