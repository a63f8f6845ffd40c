// "One loss, one backward pass" (https://kexue.fm/archives/6387) on the article's hinge example, D low on real data:
//   L = E_P[max(0, 1 + D(x))] + E_z[max(0, 1 − D(sg(G(z))))] + λ·E_z[D(G(z)) − D(sg(G(z)))].
// The bracket is 0 in value, has zero ω-gradient and θ-gradient λ·∇θ L_G, and one SGD step on L equals the
// simultaneous update θ ← θ − η·λ·∇θ L_G, ω ← ω − η·∇ω L_D computed separately at the same point.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { Mlp } from '../../src/models/mlp.ts';
import { generatorBracket, singleLoss, singleLossGradients, stopGradient } from '../../src/models/single-loss.ts';

let D: Mlp, G: Mlp, real: tf.Tensor2D, z: tf.Tensor2D;
const LAMBDA = 0.7;

const d = (x: tf.Tensor2D): tf.Tensor1D => tf.squeeze(D.apply(x), [1]) as tf.Tensor1D;
const lossD = (fake: tf.Tensor2D): tf.Scalar =>
  tf.add(tf.mean(tf.relu(tf.add(1, d(real)))), tf.mean(tf.relu(tf.sub(1, d(fake))))) as tf.Scalar;
const lossG = (fake: tf.Tensor2D): tf.Scalar => tf.mean(d(fake)) as tf.Scalar;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const rng = createRng(42);
  D = new Mlp({ inputDim: 2, outputDim: 1, depth: 2, width: 16, activation: 'leaky-relu' }, rng);
  G = new Mlp({ inputDim: 2, outputDim: 2, depth: 1, width: 16, activation: 'tanh' }, rng);
  const data = new Float32Array(2 * 64).map(() => rng.normal() + 1);
  real = tf.tensor2d(data, [64, 2]);
  z = tf.tensor2d(new Float32Array(2 * 64).map(() => rng.normal()), [64, 2]);
});

afterAll(() => {
  D.dispose();
  G.dispose();
  tf.dispose([real, z]);
});

/** max |a − b| over matching named gradients */
function maxDiff(a: tf.NamedTensorMap, b: tf.NamedTensorMap): number {
  let m = 0;
  for (const k of Object.keys(b)) m = Math.max(m, tf.max(tf.abs(tf.sub(a[k], b[k]))).dataSync()[0]);
  return m;
}

function maxAbs(a: tf.NamedTensorMap): number {
  return Math.max(...Object.values(a).map((t) => tf.max(tf.abs(t)).dataSync()[0]));
}

describe('stopGradient', () => {
  it('is the identity in value with a zero gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, -2, 3]);
      expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3]);
      expect(Array.from(tf.grad((y: tf.Tensor) => tf.sum(tf.square(stopGradient(y))))(x).dataSync())).toEqual([0, 0, 0]);
      // mixed: d/dy [y·sg(y)] = sg(y) = y
      expect(Array.from(tf.grad((y: tf.Tensor) => tf.sum(tf.mul(y, stopGradient(y))))(x).dataSync())).toEqual([1, -2, 3]);
    });
  });
});

describe('the bracket λ(L_G(θ, ω) − L_G(sg(θ), ω))', () => {
  it('is 0 in value, has zero gradient in ω, and λ·∇θ L_G in θ', () => {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => generatorBracket(lossG, G.apply(z), LAMBDA), [...D.variables, ...G.variables]);
      expect(value.dataSync()[0]).toBe(0);
      const dNames = D.variables.map((v) => v.name), gNames = G.variables.map((v) => v.name);
      expect(maxAbs(Object.fromEntries(dNames.map((k) => [k, grads[k]])))).toBeLessThan(1e-7);
      const direct = tf.variableGrads(() => tf.mul(LAMBDA, lossG(G.apply(z))) as tf.Scalar, G.variables).grads;
      const mine = Object.fromEntries(gNames.map((k) => [k, grads[k]]));
      expect(maxAbs(direct)).toBeGreaterThan(1e-3); // the comparison below is not vacuous
      expect(maxDiff(mine, direct)).toBeLessThan(1e-6);
    });
  });
});

describe('the single loss', () => {
  it('has the value of L_D and gives each player its own gradient from one backward pass', () => {
    tf.tidy(() => {
      const vars = [...D.variables, ...G.variables];
      const { value, grads } = singleLossGradients(() => G.apply(z), lossD, lossG, LAMBDA, vars);
      const fake = G.apply(z);
      expect(value.dataSync()[0]).toBeCloseTo(lossD(fake).dataSync()[0], 6);
      const gD = tf.variableGrads(() => lossD(fake), D.variables).grads; // fake is a constant here
      const gG = tf.variableGrads(() => tf.mul(LAMBDA, lossG(G.apply(z))) as tf.Scalar, G.variables).grads;
      expect(maxDiff(grads, gD)).toBeLessThan(1e-6);
      expect(maxDiff(grads, gG)).toBeLessThan(1e-6);
    });
  });

  it('one SGD step on L equals the simultaneous update of both players', () => {
    const lr = 0.05;
    const vars = [...D.variables, ...G.variables];
    const before = vars.map((v) => tf.clone(v));
    // separately, both at the same (old) point
    const expected = tf.tidy(() => {
      const fake = G.apply(z);
      const gD = tf.variableGrads(() => lossD(fake), D.variables).grads;
      const gG = tf.variableGrads(() => lossG(G.apply(z)), G.variables).grads;
      return [
        ...D.variables.map((v) => tf.sub(v, tf.mul(lr, gD[v.name]))),
        ...G.variables.map((v) => tf.sub(v, tf.mul(lr * LAMBDA, gG[v.name]))),
      ];
    });
    const opt = tf.train.sgd(lr);
    tf.tidy(() => { opt.minimize(() => singleLoss({ fake: G.apply(z), criticLoss: lossD, generatorLoss: lossG, lambda: LAMBDA }), false, vars); });
    let m = 0;
    for (let i = 0; i < vars.length; i++) m = Math.max(m, tf.tidy(() => tf.max(tf.abs(tf.sub(vars[i], expected[i]))).dataSync()[0]));
    expect(m).toBeLessThan(1e-6);
    // and the step moved both players
    const moved = vars.map((v, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, before[i]))).dataSync()[0]));
    expect(Math.max(...moved.slice(0, D.variables.length))).toBeGreaterThan(1e-4);
    expect(Math.max(...moved.slice(D.variables.length))).toBeGreaterThan(1e-4);
    vars.forEach((v, i) => v.assign(before[i]));
    tf.dispose([...before, ...expected]);
    opt.dispose();
  });
});
