// FlatOptimizer must take exactly the steps tf.train.adam / rmsprop / sgd take (it exists only to launch fewer
// kernels), and must not leak tensors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM, FlatOptimizer, RMSPROP } from '../../src/models/flat-optimizer.ts';
import type { OptimizerKind } from '../../src/models/fgan-config.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function problem(prefix: string) {
  const w = tf.variable(tf.tensor2d([[0.5, -1.2, 0.3], [2.0, 0.1, -0.7]]), true, `${prefix}w`);
  const b = tf.variable(tf.tensor1d([0.2, -0.4, 1.1]), true, `${prefix}b`);
  const x = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -2], [1.5, 1]]);
  const loss = () => tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, w), b)), 0.25))) as tf.Scalar;
  return { vars: [w, b], loss, dispose: () => tf.dispose([w, b, x]) };
}

function reference(kind: OptimizerKind, lr: number): tf.Optimizer {
  if (kind === 'adam') return tf.train.adam(lr, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  if (kind === 'rmsprop') return tf.train.rmsprop(lr, RMSPROP.decay, 0, RMSPROP.epsilon);
  return tf.train.sgd(lr);
}

describe('FlatOptimizer', () => {
  for (const kind of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`${kind}: 10 steps match tf.train.${kind} to float rounding`, () => {
      const ours = problem(`${kind}-flat-`);
      const theirs = problem(`${kind}-ref-`);
      const flat = new FlatOptimizer({ kind, lr: 0.05 }, ours.vars);
      const ref = reference(kind, 0.05);
      for (let i = 0; i < 10; i++) {
        tf.tidy(() => flat.apply(tf.variableGrads(ours.loss, ours.vars).grads));
        tf.tidy(() => {
          const { grads } = tf.variableGrads(theirs.loss, theirs.vars);
          // same gradients under the reference's own variable names
          ref.applyGradients(Object.fromEntries(theirs.vars.map((v) => [v.name, grads[v.name]])));
        });
      }
      for (let i = 0; i < 2; i++) {
        const a = ours.vars[i].dataSync();
        const b = theirs.vars[i].dataSync();
        // Adam divides by √ŝ, which amplifies float32 rounding in tiny gradients: agree to 1e-5 relative
        a.forEach((x, j) => expect(Math.abs(x - b[j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[j]))));
      }
      // and the run really moved: the loss went down
      const fresh = problem(`${kind}-fresh-`);
      expect(tf.tidy(() => ours.loss()).dataSync()[0]).toBeLessThan(tf.tidy(() => fresh.loss()).dataSync()[0]);
      fresh.dispose();
      flat.dispose();
      ref.dispose();
      ours.dispose();
      theirs.dispose();
    });
  }

  it('keeps the tensor count flat and frees its moments on dispose', () => {
    const p = problem('mem-');
    // The first gradient computation leaves engine-level constants behind; count from after it.
    tf.tidy(() => { tf.variableGrads(p.loss, p.vars); });
    const before = tf.memory().numTensors;
    const flat = new FlatOptimizer({ kind: 'adam', lr: 0.01 }, p.vars);
    tf.tidy(() => flat.apply(tf.variableGrads(p.loss, p.vars).grads));
    const warm = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 50; i++) {
      tf.tidy(() => flat.apply(tf.variableGrads(p.loss, p.vars).grads));
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(counts.map(() => warm));
    flat.dispose();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});
