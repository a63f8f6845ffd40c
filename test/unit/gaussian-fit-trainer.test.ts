// The 1-D f-GAN of the paper's Table 3 experiment: on the defaults and seed 1 the trained (μ, σ) lands within 0.1 of
// the exact optimum for the paper's five divergences, and with the 2-D lab's alternative generator objective KL lands
// elsewhere; the hand-written generator gradient against autodiff; tensor hygiene, determinism, snapshot contents,
// divergence detection and config validation on a small network.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// the test writes the generator's loss out and differentiates it by autodiff; the trainer itself needs no gradients
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAPER_MIXTURE, mixtureDensity, mixtureMean, mixtureStd, normalLogPdf } from '../../src/math/gaussian-fit.ts';
import { Rng } from '../../src/math/rng.ts';
import type { DivergenceId } from '../../src/math/types.ts';
import { boundPreActivation } from '../../src/models/fdiv-ops.ts';
import {
  DEFAULT_STEPS, GaussianFitTrainer, resolveGaussianFitConfig, type GaussianFitConfigInput,
} from '../../src/models/gaussian-fit-trainer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// the exact optima from fitGaussian (direct minimisation by quadrature; gaussian-fit.test.ts checks them to 1e-4)
const EXACT: [DivergenceId, number, number][] = [
  ['kl', 1.01, 1.83108], ['reverse-kl', 1.57793, 1.63181], ['js', 1.30681, 1.75446], ['jeffrey', 1.32152, 1.70345],
  ['pearson', 0.57362, 1.92771],
];

describe('the trained fit matches direct minimisation (defaults, seed 1)', () => {
  it.each(EXACT)(`%s: averaged (μ, σ) within 0.1 of the exact optimum after ${DEFAULT_STEPS} steps`, async (id, mu, sigma) => {
    const t = new GaussianFitTrainer({ divergence: id });
    t.step(DEFAULT_STEPS);
    const s = await t.snapshot({ gridSize: 2 });
    t.dispose();
    expect(s.status, s.reason).toBe('ok');
    expect(Math.abs(s.muAvg - mu), `μ = ${s.muAvg}`).toBeLessThan(0.1);
    expect(Math.abs(s.sigmaAvg - sigma), `σ = ${s.sigmaAvg}`).toBeLessThan(0.1);
    expect(Number.isFinite(s.bound)).toBe(true);
  });
});

describe("why the generator's default objective is the saturating one", () => {
  it("KL with the 2-D lab's alternative objective lands on reverse KL's optimum, not KL's", async () => {
    // maximising E_Q[g_f(V)] at the optimal critic f'(p/q) descends E_P[G(p/q)] with G'(u) = f'(u)/u²; for KL,
    // G(u) = −(2 + log u)/u, and E_P[G(p/q)] = KL(Q‖P) − 2
    const t = new GaussianFitTrainer({ divergence: 'kl', generatorObjective: 'alternative' });
    t.step(DEFAULT_STEPS);
    const s = await t.snapshot({ gridSize: 2 });
    t.dispose();
    const [, muR, sigmaR] = EXACT[1];
    expect(Math.abs(s.muAvg - muR), `μ = ${s.muAvg}`).toBeLessThan(0.1);
    expect(Math.abs(s.sigmaAvg - sigmaR), `σ = ${s.sigmaAvg}`).toBeLessThan(0.1);
    expect(s.muAvg - EXACT[0][1]).toBeGreaterThan(0.4);
  });
});

const SMALL: GaussianFitConfigInput = { critic: { depth: 1, width: 8 }, batchSize: 16, pathEvery: 3 };

describe('tensor hygiene', () => {
  it('steps and snapshots leave tf.memory().numTensors unchanged after warm-up; dispose() returns to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const t = new GaussianFitTrainer({ ...SMALL, divergence: 'jeffrey' });
    t.step(3);
    await t.snapshot({ gridSize: 9 });
    const warm = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      t.step(100); // more path points than the merge threshold between snapshots
      await t.snapshot({ gridSize: 9 });
      expect(tf.memory().numTensors).toBe(warm);
    }
    t.step(7); // leave path points pending: dispose() must free them too
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('snapshot', () => {
  it("starts at the critic's 'can't tell' (F = 0, g_f(V) = f'(1)) and the initial (μ, σ)", async () => {
    // JS: v₀ = 0 and no soft clip, so g_f(V) is f'(1) = 0 up to float32 rounding (KL's shift by v₀ = 1 goes through
    // its clip 10·tanh(v/10), which leaves 0.9967)
    const t = new GaussianFitTrainer({ ...SMALL, divergence: 'js', init: { mu: -0.5, sigma: 2 } });
    const s = await t.snapshot({ gridSize: 5 });
    t.dispose();
    expect(s.step).toBe(0);
    expect(s.status).toBe('ok');
    expect(s.bound).toBeCloseTo(0, 6);
    for (const g of s.curve.critic) expect(g).toBeCloseTo(0, 6);
    expect(s.curve.threshold).toBe(0);
    expect(Number.isNaN(s.criticLoss)).toBe(true);
    expect([s.mu, s.muAvg]).toEqual([-0.5, -0.5]);
    expect(s.sigma).toBeCloseTo(2, 6);
    expect(Array.from(s.path)).toEqual([-0.5, s.sigma]);
  });

  it('reports the path every pathEvery steps, the critic curve and the optimal critic on the grid', async () => {
    const t = new GaussianFitTrainer({ ...SMALL, divergence: 'kl' });
    t.step(10);
    await t.snapshot();
    t.step(5);
    const s = await t.snapshot({ gridSize: 7, range: [-3, 5] });
    t.dispose();
    expect(s.step).toBe(15);
    // the start, steps 3, 6, …, 15
    expect(s.path).toHaveLength(2 * 6);
    expect(Array.from(s.path.slice(-2))).toEqual([s.mu, s.sigma]);
    expect(Array.from(s.curve.x)).toEqual(Array.from({ length: 7 }, (_, i) => (i === 6 ? 5 : -3 + (8 * i) / 6)));
    expect(s.curve.critic).toHaveLength(7);
    // KL's optimal critic is f'(p/q) = 1 + log(p/q)
    for (const [i, x] of s.curve.x.entries()) {
      expect(s.curve.optimal[i]).toBeCloseTo(1 + Math.log(mixtureDensity(PAPER_MIXTURE, x)) - normalLogPdf(x, s.mu, s.sigma), 9);
    }
    for (const v of [s.bound, s.criticLoss, s.generatorLoss, s.muAvg, s.sigmaAvg]) expect(Number.isFinite(v)).toBe(true);
  });

  it("reports 'diverged' with a reason once μ is NaN, and stops stepping", async () => {
    const t = new GaussianFitTrainer(SMALL);
    t.step(2);
    t.mu.assign(tf.scalar(NaN));
    t.step(1);
    const s = await t.snapshot({ gridSize: 3 });
    expect(s.status).toBe('diverged');
    expect(s.reason).toMatch(/NaN at step 3/);
    t.step(5);
    expect(t.stepCount).toBe(3);
    t.dispose();
  });
});

describe("the generator's hand-written gradient", () => {
  it.each(['js', 'kl'] as const)('%s: equals autodiff through x = μ + σz, the critic and the loss', (divergence) => {
    const t = new GaussianFitTrainer({ ...SMALL, divergence, generatorOptimizer: { kind: 'sgd', lr: 0.05 } });
    t.step(30); // a critic that is no longer flat
    const [mean, std] = [mixtureMean(PAPER_MIXTURE), mixtureStd(PAPER_MIXTURE)];
    const z = tf.tensor2d(new Rng(9).fillNormal(new Float32Array(64)), [64, 1]);
    const [hand, auto] = tf.tidy(() => {
      const g = t.generatorGradient(z);
      // the same loss written out independently: V = clip(critic((x − mean)/std) + v₀), saturating objective f*(g_f(V))
      const loss = (mu: tf.Scalar, logSigma: tf.Scalar): tf.Scalar => {
        const x = tf.add(tf.mul(z, tf.exp(logSigma)), mu) as tf.Tensor2D;
        const raw = tf.squeeze(t.critic.apply(tf.div(tf.sub(x, mean), std) as tf.Tensor2D), [1]);
        const v = boundPreActivation(tf.add(raw, t.ops.neutral), t.ops.preActivationBound);
        return tf.neg(tf.mean(t.ops.conjOfActivation(v))) as tf.Scalar;
      };
      const grads = tf.grads((a, b) => loss(a as tf.Scalar, b as tf.Scalar))([t.mu, t.logSigma]);
      return [tf.stack([g.mu, g.logSigma]).dataSync(), tf.stack(grads).dataSync()];
    });
    z.dispose();
    t.dispose();
    expect(Math.hypot(...auto)).toBeGreaterThan(1e-4);
    for (let i = 0; i < 2; i++) expect(hand[i]).toBeCloseTo(auto[i], 5);
  });
});

describe('determinism', () => {
  it('the same seed gives the same run however often it is snapshotted; another seed does not', async () => {
    const run = async (seed: number, between: boolean) => {
      const t = new GaussianFitTrainer({ ...SMALL, divergence: 'js', seed });
      if (between) { t.step(8); await t.snapshot({ gridSize: 3 }); t.step(12); } else t.step(20);
      const s = await t.snapshot({ gridSize: 3 });
      t.dispose();
      return [s.mu, s.sigma, s.bound];
    };
    const a = await run(5, false);
    expect(await run(5, true)).toEqual(a);
    expect(await run(6, false)).not.toEqual(a);
  });
});

// The schedule is set on the optimiser before each generator update. Checked by mutation: an optimiser that keeps the
// rate it was built with (the schedule lost) fails here.
describe("the generator's learning-rate decay", () => {
  it('shrinks its steps as lr/(1 + step/decay): the same first step, several times smaller ones by step 30', async () => {
    const moves = async (decay: number) => {
      const t = new GaussianFitTrainer({ ...SMALL, divergence: 'js', seed: 2, generatorOptimizer: { kind: 'sgd', lr: 0.05 }, generatorLrDecay: decay });
      const out: number[] = [];
      let prev = await t.snapshot({ gridSize: 3 });
      for (let i = 0; i < 30; i++) {
        t.step(1);
        const next = await t.snapshot({ gridSize: 3 });
        out.push(Math.hypot(next.mu - prev.mu, next.sigma - prev.sigma));
        prev = next;
      }
      t.dispose();
      return out;
    };
    const flat = await moves(0), decayed = await moves(5);
    expect(decayed[0]).toBeCloseTo(flat[0], 9);
    const late = (m: number[]) => m.slice(20).reduce((a, b) => a + b, 0);
    // lr/(1 + step/5) is 0.2–0.17 of lr over steps 20–29
    expect(late(decayed)).toBeLessThan(0.4 * late(flat));
    expect(late(decayed)).toBeGreaterThan(0);
  });
});

describe('config', () => {
  it('merges over the defaults, normalises a mixture given as components, and names the bad field', () => {
    const c = resolveGaussianFitConfig({ critic: { width: 24 }, mixture: [{ weight: 2, mean: 0, sd: 1 }, { weight: 2, mean: 3, sd: 0.5 }] });
    expect(c.critic).toEqual({ depth: 1, width: 24, activation: 'tanh' });
    expect(c.mixture.components.map((k) => k.weight)).toEqual([0.5, 0.5]);
    expect(c.generatorObjective).toBe('saturating');
    expect(() => resolveGaussianFitConfig({ init: { sigma: 0 } })).toThrow(/init.sigma/);
    expect(() => resolveGaussianFitConfig({ batchSize: 1 })).toThrow(/batchSize/);
    expect(() => resolveGaussianFitConfig({ divergence: 'nope' as DivergenceId })).toThrow(/divergence/);
    expect(() => resolveGaussianFitConfig({ alpha: 1 })).toThrow(/alpha/);
    expect(() => resolveGaussianFitConfig({ generatorOptimizer: { lr: 0 } })).toThrow(/generatorOptimizer.lr/);
    expect(() => resolveGaussianFitConfig({ mixture: [{ weight: 1, mean: 0, sd: -1 }] })).toThrow(/sd/);
  });
});
