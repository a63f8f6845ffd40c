// The lab's single-loss step (FganTrainer.combinedGradients: one forward pass of the critic over [real; G(z)], one
// hand-written backward pass) against its definition: autodiff of the single loss
//   L = L_D(ω; sg(G_θ(z))) + λ·(L_G(θ, ω) − L_G(sg(θ), ω))
// through the tape-based oracle of single-loss.ts, with L_D = −F (+ TV's output penalty) and L_G = −E_Q[objective]
// written here from the trainer's public pieces (its networks' differentiable `apply`, its divergence row's tensor
// ops, v₀ and the soft clip). Each player must get exactly its gradient: ∇ω L_D and λ·∇θ L_G, for several rows
// and both generator objectives; a whole SGD step with gradient clipping must move both players by −lr·clip(·).
// Then what λ does: under Adam a constant λ cancels (two runs differing only in λ take the same steps), under SGD it
// scales the generator's step; changed in the middle of an Adam run, it rescales the next steps for a while.
// Checked by mutation: flipping the sign of the generated rows' input gradient, dropping λ from it, weighting the
// critic's parameter gradient by the generator's head instead, or forgetting TV's penalty fails tests here.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.ts';
import type { DivergenceId } from '../../src/math/types.ts';
import { boundPreActivation } from '../../src/models/fdiv-ops.ts';
import { ADAM } from '../../src/models/flat-optimizer.ts';
import { FganTrainer, type FganConfigInput, type GeneratorObjective } from '../../src/models/fgan.ts';
import { singleLossGradients } from '../../src/models/single-loss.ts';

setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 64;
const LAMBDA = 0.7;

/** A single-loss trainer whose critic already tells P from Q (its output layer, which starts at zero, gets seeded
 * random weights), so that neither player's gradient is degenerate. */
function trainer(input: FganConfigInput, outputScale = 0.3): FganTrainer {
  const t = new FganTrainer({ seed: 3, batchSize: N, mode: 'single-loss', lambda: LAMBDA, ...input });
  const rng = new Rng('fgan-single-loss:critic-output');
  const w = t.critic.weights[t.critic.weights.length - 1];
  w.assign(tf.tensor2d(new Float32Array(w.size).map(() => outputScale * rng.normal()), w.shape as [number, number]));
  return t;
}

function batch(t: FganTrainer, key: string): { real: tf.Tensor2D; z: tf.Tensor2D } {
  const rng = new Rng(`fgan-single-loss:${key}`);
  const n = t.config.batchSize;
  return {
    real: tf.tensor2d(t.target.sample(rng, n), [n, 2]),
    z: tf.tensor2d(new Float32Array(n * t.config.noiseDim).map(() => rng.normal()), [n, t.config.noiseDim]),
  };
}

/** L_D and L_G as the lab defines them, for the tape (differentiable ops only). */
function losses(t: FganTrainer, real: tf.Tensor2D) {
  const ops = t.ops;
  const v = (x: tf.Tensor2D): tf.Tensor => boundPreActivation(tf.add(t.critic.apply(x), ops.neutral), ops.preActivationBound);
  const objective = (x: tf.Tensor2D): tf.Tensor =>
    t.config.generatorObjective === 'alternative' ? ops.activation(v(x)) : ops.conjOfActivation(v(x));
  const criticLoss = (fake: tf.Tensor2D): tf.Scalar => {
    const F = tf.sub(tf.mean(ops.activation(v(real))), tf.mean(ops.conjOfActivation(v(fake))));
    const penalty = tf.mul(ops.outputPenalty, tf.mean(tf.square(v(tf.concat([real, fake])))));
    return tf.add(tf.neg(F), penalty) as tf.Scalar;
  };
  const generatorLoss = (fake: tf.Tensor2D): tf.Scalar => tf.neg(tf.mean(objective(fake))) as tf.Scalar;
  return { criticLoss, generatorLoss };
}

/** f's result, every tensor it made freed (tf.tidy itself returns only tensors). */
function tidily<T>(f: () => T): T {
  let out: T | undefined;
  tf.tidy(() => { out = f(); });
  return out as T;
}

/** Each player's parameters as one flat vector. */
const flat = (vs: tf.Variable[]): Float64Array => Float64Array.from(vs.flatMap((v) => Array.from(v.dataSync())));
const minus = (a: Float64Array, b: Float64Array): Float64Array => a.map((x, i) => x - b[i]);
const norm = (a: Float64Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
/** ‖a − b‖ / ‖b‖ */
const relDiff = (a: Float64Array, b: Float64Array): number => norm(minus(a, b)) / norm(b);

/** A player's gradient as one float64 vector (its variables in order). */
const gather = (g: tf.NamedTensorMap, names: string[]): Float64Array => Float64Array.from(names.flatMap((k) => Array.from(g[k].dataSync())));

/** ‖a − b‖/‖b‖ over a player's whole gradient (float32 sums of a few hundred terms carry ~1e-7 of it), and the
 * smallest of its variables' max |b| (no variable's gradient is vacuous). */
function compare(a: tf.NamedTensorMap, b: tf.NamedTensorMap, names: string[]): { rel: number; scale: number } {
  const x = gather(a, names), y = gather(b, names);
  const scale = Math.min(...names.map((k) => tf.max(tf.abs(b[k])).dataSync()[0]));
  return { rel: relDiff(x, y), scale };
}

/** The trainer's single-loss gradients on this batch and autodiff of L through the tape-based oracle, compared
 * player by player (call inside tf.tidy). */
function againstAutodiff(t: FganTrainer, real: tf.Tensor2D, z: tf.Tensor2D) {
  const mine = t.combinedGradients(real, z);
  const { criticLoss, generatorLoss } = losses(t, real);
  const dVars = t.critic.variables, gVars = t.generator.variables;
  const oracle = singleLossGradients(() => t.generator.apply(z), criticLoss, generatorLoss, LAMBDA, [...dVars, ...gVars]);
  const d = compare(mine.critic, oracle.grads, dVars.map((v) => v.name));
  const g = compare(mine.generator, oracle.grads, gVars.map((v) => v.name));
  const info = `critic: ${d.rel.toExponential(2)} relative (smallest scale ${d.scale.toExponential(2)}), generator: ${g.rel.toExponential(2)} (${g.scale.toExponential(2)})`;
  return { mine, oracle, generatorLoss, d, g, info };
}

const ROWS: DivergenceId[] = ['js', 'kl', 'tv', 'pearson', 'alpha'];
const OBJECTIVES: GeneratorObjective[] = ['alternative', 'saturating'];

describe('one forward and one backward pass give each player exactly its gradient in the single loss', () => {
  const cases = ROWS.flatMap((d) => OBJECTIVES.map((o): [DivergenceId, GeneratorObjective] => [d, o]));
  it.each(cases)('%s, %s: critic ∇ω L_D and generator λ∇θ L_G agree with autodiff of L to 1e-6', (divergence, generatorObjective) => {
    const t = trainer({ divergence, generatorObjective });
    const { real, z } = batch(t, divergence);
    tf.tidy(() => {
      const { mine, oracle, generatorLoss, d, g, info } = againstAutodiff(t, real, z);
      expect(d.scale, info).toBeGreaterThan(1e-5);
      expect(g.scale, info).toBeGreaterThan(1e-5);
      expect(d.rel, info).toBeLessThan(1e-6);
      expect(g.rel, info).toBeLessThan(1e-6);
      // the loss values: L = L_D in value; L_G as the tape computes it
      const fake = t.generator.apply(z);
      expect(mine.criticHead.loss().dataSync()[0]).toBeCloseTo(oracle.value.dataSync()[0], 5);
      expect(mine.generatorHead.loss().dataSync()[0]).toBeCloseTo(generatorLoss(fake).dataSync()[0], 5);
    });
    tf.dispose([real, z]);
    t.dispose();
  });
});

// On wasm a stacked batch of 512 rows gets 8 zero rows at the critic's input (aliasingPad in mlp.ts), whose
// gradient the heads must zero (fgan-heads.test.ts checks that row by row): the lab's default batch of 256 takes that
// path. Checked by mutation: reading the generated rows' input gradient from the end of the padded batch, or folding
// the losses as if the batch had no padding, fails these.
describe('on wasm, with the critic\'s stacked batch padded', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(['js', 'tv'] as DivergenceId[])('%s: the single-loss gradients agree with autodiff of L to 1e-5', (divergence) => {
    const t = trainer({ divergence, batchSize: 256 });
    const { real, z } = batch(t, `wasm-${divergence}`);
    tf.tidy(() => {
      const { d, g } = againstAutodiff(t, real, z);
      expect(d.scale).toBeGreaterThan(1e-5);
      expect(g.scale).toBeGreaterThan(1e-5);
      expect(d.rel).toBeLessThan(1e-5);
      expect(g.rel).toBeLessThan(1e-5);
    });
    tf.dispose([real, z]);
    t.dispose();
  });

  it('the critic loss folded from a padded batch is L_D on that batch', async () => {
    const t = trainer({ divergence: 'tv', batchSize: 256, mode: 'alternating' });
    t.step(5); // biases off zero, so the zero pad rows give V ≠ 0 and would move a loss that counted them
    const { real, z } = batch(t, 'wasm-fold');
    const expected = tidily(() => losses(t, real).criticLoss(t.generator.apply(z)).dataSync()[0]);
    const hooks = t as unknown as { sampleReal: unknown; sampleNoise: unknown };
    const drawn = { sampleReal: hooks.sampleReal, sampleNoise: hooks.sampleNoise };
    feed(t, real, z);
    t.step(1);
    Object.assign(hooks, drawn); // the snapshot draws its own samples
    const s = await t.snapshot({ samples: 64, fieldSize: 8, boundBatch: 128, noiseLines: 3, noisePoints: 5, trueDivergence: false });
    expect(s.criticLoss).toBeCloseTo(expected, 5);
    tf.dispose([real, z]);
    t.dispose();
  });

  it.each(['js', 'tv'] as DivergenceId[])('%s: an alternating SGD step moves the critic by −lr·∇ω L_D', (divergence) => {
    const lr = 0.05;
    const t = trainer({ divergence, batchSize: 256, mode: 'alternating', criticOptimizer: { kind: 'sgd', lr } });
    const { real, z } = batch(t, `wasm-alt-${divergence}`);
    const expected = tidily(() => {
      const { criticLoss } = losses(t, real);
      const fake = t.generator.apply(z);
      const { grads } = tf.variableGrads(() => criticLoss(fake), t.critic.variables);
      return Float64Array.from(t.critic.variables.flatMap((v) => Array.from(tf.sub(v, tf.mul(grads[v.name], lr)).dataSync())));
    });
    const before = flat(t.critic.variables);
    feed(t, real, z);
    t.step(1);
    const moved = minus(flat(t.critic.variables), before);
    expect(norm(moved)).toBeGreaterThan(1e-4);
    expect(relDiff(moved, minus(expected, before))).toBeLessThan(1e-4);
    tf.dispose([real, z]);
    t.dispose();
  });
});

/** Has the trainer's next step draw exactly this batch. */
function feed(t: FganTrainer, real: tf.Tensor2D, z: tf.Tensor2D): void {
  const hooks = t as unknown as { sampleReal: () => tf.Tensor2D; sampleNoise: () => tf.Tensor2D };
  hooks.sampleReal = () => tf.clone(real);
  hooks.sampleNoise = () => tf.clone(z);
}

describe('a single-loss step', () => {
  it('with SGD and gradient clipping moves each player by −lr·clip(its gradient), TV penalty included', () => {
    const lr = 0.05, clip = 0.02;
    const t = trainer({ divergence: 'tv', gradClip: clip, generatorOptimizer: { kind: 'sgd', lr }, criticOptimizer: { kind: 'sgd', lr } });
    const { real, z } = batch(t, 'sgd-clip');
    const expected = tidily(() => {
      const { criticLoss, generatorLoss } = losses(t, real);
      const { grads } = singleLossGradients(() => t.generator.apply(z), criticLoss, generatorLoss, LAMBDA, [...t.critic.variables, ...t.generator.variables]);
      const step = (vs: tf.Variable[]) => {
        const norm = Math.sqrt(vs.reduce((s, v) => s + tf.sum(tf.square(grads[v.name])).dataSync()[0], 0));
        expect(norm).toBeGreaterThan(2 * clip); // clipping is active
        return Float64Array.from(vs.flatMap((v) => Array.from(tf.sub(v, tf.mul(grads[v.name], (lr * clip) / norm)).dataSync())));
      };
      return { critic: step(t.critic.variables), generator: step(t.generator.variables) };
    });
    feed(t, real, z);
    t.step(1);
    expect(relDiff(flat(t.critic.variables), expected.critic)).toBeLessThan(1e-6);
    expect(relDiff(flat(t.generator.variables), expected.generator)).toBeLessThan(1e-6);
    tf.dispose([real, z]);
    t.dispose();
  });
});

describe('what λ does', () => {
  /** The per-step parameter changes of `steps` steps, per player, the first step on the given batch. */
  function updates(input: FganConfigInput, steps: number, first: { real: tf.Tensor2D; z: tf.Tensor2D }) {
    const t = trainer({ divergence: 'js', ...input });
    const out = { critic: [] as Float64Array[], generator: [] as Float64Array[], theta: flat(t.generator.variables) };
    let c = flat(t.critic.variables), g = flat(t.generator.variables);
    for (let k = 0; k < steps; k++) {
      if (k === 0) {
        const hooks = t as unknown as { sampleReal: (...a: unknown[]) => tf.Tensor2D; sampleNoise: (...a: unknown[]) => tf.Tensor2D };
        const [sampleReal, sampleNoise] = [hooks.sampleReal, hooks.sampleNoise];
        feed(t, first.real, first.z);
        t.step(1);
        Object.assign(hooks, { sampleReal, sampleNoise });
      } else t.step(1);
      const c1 = flat(t.critic.variables), g1 = flat(t.generator.variables);
      out.critic.push(minus(c1, c));
      out.generator.push(minus(g1, g));
      [c, g] = [c1, g1];
    }
    t.dispose();
    return out;
  }

  it('under Adam (the lab default) a constant λ cancels up to ε: runs with λ = 1 and λ = 3 take the same steps', () => {
    const lr = 1e-3, eps = ADAM.epsilon;
    const probe = trainer({ divergence: 'js', lambda: 1 });
    const first = batch(probe, 'adam');
    // the generator's gradient on the first batch (λ = 1), for the bound below
    const g = tidily(() => gather(probe.combinedGradients(first.real, first.z).generator, probe.generator.variables.map((v) => v.name)));
    probe.dispose();
    const a = updates({ lambda: 1 }, 4, first), b = updates({ lambda: 3 }, 4, first);
    // First step: Adam moves each parameter by lr·λg/(λ|g| + ε), so the two runs differ by at most lr·ε/|g| in it
    // (plus the float32 rounding of the parameters themselves): the same step wherever |g| ≫ ε = 1e-7.
    let worst = 0;
    a.generator[0].forEach((x, i) => {
      const slack = lr * eps / Math.max(Math.abs(g[i]), eps) + 2.5e-7 * Math.abs(a.theta[i]) + 1e-12;
      worst = Math.max(worst, Math.abs(b.generator[0][i] - x) / slack);
    });
    expect(worst).toBeLessThan(1);
    expect(relDiff(b.critic[0], a.critic[0])).toBeLessThan(1e-12); // λ does not reach the critic
    for (let k = 0; k < 4; k++) {
      const info = `step ${k + 1}`;
      expect(norm(a.generator[k]), info).toBeGreaterThan(1e-3);
      // whole steps agree to 5e-3 (the few parameters whose gradient is within a few orders of ε differ more)…
      expect(relDiff(b.generator[k], a.generator[k]), info).toBeLessThan(5e-3);
      expect(relDiff(b.critic[k], a.critic[k]), info).toBeLessThan(5e-3);
      // …and the typical parameter's step to 1e-5
      const rel = a.generator[k].map((x, i) => Math.abs(b.generator[k][i] - x) / Math.max(Math.abs(x), 1e-12)).sort();
      expect(rel[rel.length >> 1], info).toBeLessThan(1e-5);
    }
    tf.dispose([first.real, first.z]);
  });

  // RMSprop divides by √(running mean of g² + ε), ε = 1e-7 inside the root: λ cancels where g² ≫ ε, i.e. |g| ≫ 3e-4,
  // which many of a small generator's parameters are not. Measured on this batch: λ = 3 and λ = 1 steps differ by 5–8 %,
  // where SGD's scaling would make them differ by 67 %.
  it('under RMSprop λ mostly cancels: runs with λ = 1 and λ = 3 take steps within 10 % of each other, not 3× apart', () => {
    const rms = { generatorOptimizer: { kind: 'rmsprop', lr: 1e-3 }, criticOptimizer: { kind: 'rmsprop', lr: 1e-3 } } as const;
    const probe = trainer({ divergence: 'js' });
    const first = batch(probe, 'rmsprop');
    probe.dispose();
    const a = updates({ ...rms, lambda: 1 }, 4, first), b = updates({ ...rms, lambda: 3 }, 4, first);
    expect(relDiff(b.critic[0], a.critic[0])).toBeLessThan(1e-12); // λ does not reach the critic
    for (let k = 0; k < 4; k++) {
      const info = `step ${k + 1}`;
      expect(norm(a.generator[k]), info).toBeGreaterThan(1e-3);
      expect(relDiff(b.generator[k], a.generator[k]), info).toBeLessThan(0.1);
      expect(relDiff(b.generator[k], a.generator[k].map((x) => 3 * x)), info).toBeGreaterThan(0.5);
    }
    tf.dispose([first.real, first.z]);
  });

  it('under SGD λ scales the generator\'s step: λ = 3 moves G three times as far, the critic the same', () => {
    const sgd = { generatorOptimizer: { kind: 'sgd', lr: 0.1 }, criticOptimizer: { kind: 'sgd', lr: 0.1 } } as const;
    const probe = trainer({ divergence: 'js' });
    const first = batch(probe, 'sgd');
    probe.dispose();
    const a = updates({ ...sgd, lambda: 1 }, 1, first), b = updates({ ...sgd, lambda: 3 }, 1, first);
    expect(norm(a.generator[0])).toBeGreaterThan(1e-3);
    expect(relDiff(b.generator[0], a.generator[0].map((x) => 3 * x))).toBeLessThan(1e-5);
    expect(relDiff(b.critic[0], a.critic[0])).toBeLessThan(1e-12);
    tf.dispose([first.real, first.z]);
  });

  it('changed in the middle of an Adam run, λ rescales the next generator steps (Adam\'s averages still carry the old scale)', () => {
    const run = (after: number) => {
      const t = trainer({ divergence: 'js', lambda: 1 });
      t.step(20);
      t.adjust({ gLr: 1e-3, dLr: 1e-3, criticSteps: 1, lambda: after, generatorObjective: 'alternative', gradClip: 0 });
      const g = flat(t.generator.variables);
      t.step(1);
      const step = norm(minus(flat(t.generator.variables), g));
      t.dispose();
      return step;
    };
    const same = run(1), up = run(4), down = run(0.25);
    expect(up / same).toBeGreaterThan(1.5);
    expect(down / same).toBeLessThan(1 / 1.5);
  });
});
