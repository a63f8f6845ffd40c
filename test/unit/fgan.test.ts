// FganTrainer: tensor hygiene over thousands of steps, determinism, snapshot contents, divergence detection, config
// validation. Small networks and batches keep this file fast; the defaults are exercised in fgan-divergences.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { FganTrainer, resolveFganConfig, type FganConfigInput } from '../../src/models/fgan.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SMALL: FganConfigInput = {
  generator: { depth: 1, width: 8, activation: 'relu' },
  critic: { depth: 1, width: 8, activation: 'leaky-relu' },
  batchSize: 32,
};
const TINY_SNAPSHOT = { samples: 64, fieldSize: 8, boundBatch: 128, noiseLines: 3, noisePoints: 5, kdeSize: 16 };

describe('tensor hygiene', () => {
  it('2000 steps leave tf.memory().numTensors unchanged after warm-up; dispose() returns to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const t = new FganTrainer({ ...SMALL, seed: 3 });
    t.step(5); // optimiser slots are created on the first update
    await t.snapshot(TINY_SNAPSHOT);
    const warm = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      t.step(500);
      const s = await t.snapshot(TINY_SNAPSHOT);
      expect(s.status).toBe('ok');
      expect(tf.memory().numTensors).toBe(warm);
    }
    expect(t.stepCount).toBe(2005);
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('the same holds in single-loss mode with several critic steps, gradient clipping and other optimisers', async () => {
    const baseline = tf.memory().numTensors;
    const t = new FganTrainer({
      ...SMALL, mode: 'single-loss', lambda: 2, criticSteps: 2, gradClip: 1, divergence: 'jeffrey',
      generatorOptimizer: { kind: 'rmsprop', lr: 1e-3 }, criticOptimizer: { kind: 'sgd', lr: 1e-2 },
    });
    t.step(3);
    await t.snapshot(TINY_SNAPSHOT);
    const warm = tf.memory().numTensors;
    t.step(200);
    const s = await t.snapshot(TINY_SNAPSHOT);
    expect(tf.memory().numTensors).toBe(warm);
    expect(s.status).toBe('ok');
    expect(Number.isFinite(s.generatorLoss) && Number.isFinite(s.criticLoss)).toBe(true);
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('determinism', () => {
  it('the same seed gives the same run, however often it is snapshotted; another seed does not', async () => {
    const run = async (seed: number, snapshotsBetween: boolean): Promise<Float32Array> => {
      const t = new FganTrainer({ ...SMALL, seed });
      if (snapshotsBetween) { t.step(10); await t.snapshot(TINY_SNAPSHOT); t.step(15); } else t.step(25);
      const s = await t.snapshot(TINY_SNAPSHOT);
      t.dispose();
      return s.samples;
    };
    const a = await run(7, false);
    expect(await run(7, true)).toEqual(a);
    expect(await run(8, false)).not.toEqual(a);
  });

  it('js and gan train identically with the alternative objective (their g_f and f*∘g_f differ by constants)', async () => {
    const run = async (divergence: 'js' | 'gan') => {
      const t = new FganTrainer({ ...SMALL, divergence, seed: 2 });
      t.step(20);
      const s = await t.snapshot(TINY_SNAPSHOT);
      t.dispose();
      return s;
    };
    const [js, gan] = [await run('js'), await run('gan')];
    expect(gan.samples).toEqual(js.samples);
    // F_GAN = F_JS − log 4 for the same critic: E_P[g] shifts by −log 2 and E_Q[f*(g)] by +log 2
    expect(gan.bound).toBeCloseTo(js.bound - Math.log(4), 4);
  });
});

describe('settings applied to a running run', () => {
  const live = { gLr: 0.0005, dLr: 0.002, criticSteps: 2, lambda: 1, generatorObjective: 'saturating', gradClip: 5 } as const;
  const samplesAfter = async (t: FganTrainer, steps: number) => {
    t.step(steps);
    const s = await t.snapshot(TINY_SNAPSHOT);
    t.dispose();
    return Array.from(s.samples);
  };

  it('adjust() before any step gives exactly the run configured with those settings from the start', async () => {
    const configured = new FganTrainer({
      ...SMALL, seed: 4, criticSteps: 2, generatorObjective: 'saturating', gradClip: 5,
      generatorOptimizer: { kind: 'adam', lr: 0.0005 }, criticOptimizer: { kind: 'adam', lr: 0.002 },
    });
    const adjusted = new FganTrainer({ ...SMALL, seed: 4 });
    adjusted.adjust(live);
    const plain = new FganTrainer({ ...SMALL, seed: 4 });
    const a = await samplesAfter(configured, 30);
    expect(await samplesAfter(adjusted, 30)).toEqual(a);
    expect(await samplesAfter(plain, 30)).not.toEqual(a);
  });

  it('adjust() mid-run changes the next steps only, and checks its values', async () => {
    const t = new FganTrainer({ ...SMALL, seed: 5 });
    t.step(20);
    t.adjust({ ...live, gLr: 1e-5, dLr: 1e-5 });
    expect(t.config.generatorOptimizer.lr).toBe(1e-5);
    expect(t.config.criticSteps).toBe(2);
    expect(t.stepCount).toBe(20);
    expect(() => t.adjust({ ...live, criticSteps: 0 })).toThrow(/critic-steps="0" is not valid/);
    t.dispose();
  });
});

describe('snapshot', () => {
  it('reports losses, bound, samples with their gradients, the critic field, the noise grid, coverage and D_f', async () => {
    const t = new FganTrainer({ ...SMALL, seed: 5 });
    const before = await t.snapshot(TINY_SNAPSHOT);
    expect(before.step).toBe(0);
    expect(before.status).toBe('ok');
    expect(Number.isNaN(before.criticLoss)).toBe(true); // no step yet, and that is not a divergence
    // the critic starts at "can't tell": g_f(V) = f'(1) everywhere and F = 0
    expect(before.bound).toBeCloseTo(0, 6);
    expect(before.field.values.every((g) => Math.abs(g - before.field.threshold) < 1e-6)).toBe(true);
    t.step(30);
    const s = await t.snapshot(TINY_SNAPSHOT);
    expect(s.step).toBe(30);
    expect(s.samples).toHaveLength(128);
    expect(s.gradients).toHaveLength(128);
    expect(s.field.values).toHaveLength(64);
    expect(s.field.threshold).toBe(0);
    expect(s.noiseGrid).toMatchObject({ lines: 6, points: 5 });
    expect(s.noiseGrid.data).toHaveLength(6 * 5 * 2);
    expect(s.coverage?.total).toBe(8);
    for (const x of [s.criticLoss, s.generatorLoss, s.bound, s.trueDivergence]) expect(Number.isFinite(x)).toBe(true);
    expect(s.trueDivergence).toBeGreaterThanOrEqual(0);
    expect(s.gradients.some((g) => g !== 0)).toBe(true);

    // gradients point uphill for the generator's objective E_Q[g_f(V(x))] (js: no shift, no clip, so V = critic(x))
    const objective = (pts: Float32Array): number => tf.tidy(() => {
      const v = tf.squeeze(t.critic.apply(tf.tensor2d(pts, [pts.length / 2, 2])), [1]);
      return tf.sum(t.ops.activation(v)).dataSync()[0];
    });
    const moved = s.samples.map((x, i) => x + 1e-3 * s.gradients[i]);
    expect(objective(moved)).toBeGreaterThan(objective(s.samples));
    t.dispose();
  });

  it('one line of noise for 1-D noise; no coverage for targets without modes', async () => {
    const t = new FganTrainer({ ...SMALL, noiseDim: 1, noise: 'uniform', target: 'moons' });
    t.step(2);
    const s = await t.snapshot(TINY_SNAPSHOT);
    expect(s.noiseGrid).toMatchObject({ lines: 1, points: 5 });
    expect(s.noiseGrid.data).toHaveLength(10);
    expect(s.coverage).toBeNull();
    t.dispose();
  });
});

describe('divergence detection', () => {
  it("reports 'diverged' with a reason once a weight is NaN, and stops stepping", async () => {
    const t = new FganTrainer({ ...SMALL });
    t.step(3);
    const w = t.critic.weights[0];
    w.assign(tf.fill(w.shape as [number, number], NaN) as tf.Tensor2D);
    t.step(1);
    const s = await t.snapshot(TINY_SNAPSHOT);
    expect(s.status).toBe('diverged');
    expect(s.reason).toMatch(/NaN at step 4/);
    expect(Number.isNaN(s.trueDivergence)).toBe(true);
    t.step(10);
    expect(t.stepCount).toBe(4);
    expect((await t.snapshot(TINY_SNAPSHOT)).status).toBe('diverged');
    t.dispose();
  });
});

describe('config', () => {
  it('merges over the defaults and names the bad field', () => {
    const c = resolveFganConfig({ critic: { width: 16 } });
    expect(c.critic).toEqual({ depth: 2, width: 16, activation: 'leaky-relu' });
    expect(c.divergence).toBe('js');
    expect(c.batchSize).toBe(256);
    expect(() => resolveFganConfig({ batchSize: 1.5 })).toThrow(/batch-size="1.5" is not valid: must be an integer from 2 to 4096/);
    expect(() => resolveFganConfig({ alpha: 1 })).toThrow(/alpha/);
    expect(() => resolveFganConfig({ pi: 1 })).toThrow(/pi/);
    expect(() => resolveFganConfig({ target: 'drawn' })).toThrow(/drawn/);
    expect(() => resolveFganConfig({ generator: { activation: 'selu' as 'relu' } })).toThrow(/generator.activation/);
    expect(() => resolveFganConfig({ criticOptimizer: { lr: -1 } })).toThrow(/d-lr="-1" is not valid/);
    expect(resolveFganConfig({ target: 'drawn', points: [[0, 1]] }).points).toEqual([[0, 1]]);
  });
});

// The losses are folded from the V each step kept, many steps at once (FganTrainer.foldLosses). Folded late they must
// be what each step's own fold gives: the readouts the latest step's, the run-health peak the largest |loss| of every
// step since the last snapshot. Checked by mutation: reading the first kept step's loss instead of the last, or
// leaving the generator's losses out of the peak, fails here.
describe('losses folded many steps at once', () => {
  it.each([['alternating', 2], ['single-loss', 2], ['alternating', 1]] as const)('%s, %i critic steps: the latest losses and the peak equal per-step folds', async (mode, criticSteps) => {
    const config = { ...SMALL, seed: 5, mode, criticSteps, divergence: 'kl' } as const;
    const late = new FganTrainer(config), each = new FganTrainer(config);
    const peakOf = (t: FganTrainer) => (t as unknown as { lossPeak: tf.Scalar }).lossPeak.dataSync()[0];
    late.step(45);
    const a = await late.snapshot(TINY_SNAPSHOT);
    let peak = 0, b = a;
    for (let i = 0; i < 45; i++) {
      each.step(1);
      b = await each.snapshot(TINY_SNAPSHOT);
      peak = Math.max(peak, Math.abs(b.criticLoss), Math.abs(b.generatorLoss), peakOf(each));
    }
    expect(a.criticLoss).toBeCloseTo(b.criticLoss, 6);
    expect(a.generatorLoss).toBeCloseTo(b.generatorLoss, 6);
    expect(a.criticLoss).not.toBe(a.generatorLoss);
    expect(peakOf(late)).toBeCloseTo(peak, 6);
    late.dispose();
    each.dispose();
  });
});
