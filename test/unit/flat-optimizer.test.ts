// FlatOptimizer must take exactly the steps tf.train.adam / rmsprop / sgd take (it exists only to launch fewer
// kernels), and must not leak tensors. One optimiser over two networks (segments with their own rates and step
// counts, as the single-loss GAN step uses) must move each exactly as its own optimiser would, to the bit, also when
// one segment takes extra updates alone. On cpu and wasm the update is one JavaScript kernel (flat-update-kernel.ts),
// which must give the op chain's numbers to the bit. Checked by mutation: giving every segment the first one's step
// count or learning rate, or leaving out one float32 rounding of the kernel's Adam or RMSprop, fails here.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM, FlatOptimizer, RMSPROP } from '../../src/models/flat-optimizer.ts';
import type { OptimizerKind } from '../../src/models/fgan-config.ts';

setWasmPaths(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');

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

  for (const kind of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`${kind}: one optimiser over two segments moves each exactly as two optimisers do, lone updates included`, () => {
      const [a1, b1, a2, b2] = ['a1-', 'b1-', 'a2-', 'b2-'].map((p) => problem(`${kind}-seg-${p}`));
      const joint = new FlatOptimizer([{ config: { kind, lr: 0.05 }, vars: a1.vars }, { config: { kind, lr: 0.02 }, vars: b1.vars }]);
      const sepA = new FlatOptimizer({ kind, lr: 0.05 }, a2.vars), sepB = new FlatOptimizer({ kind, lr: 0.02 }, b2.vars);
      const grads = (p: ReturnType<typeof problem>) => tf.variableGrads(p.loss, p.vars).grads;
      for (let i = 0; i < 8; i++) {
        // every third update the first segment moves alone (a critic's extra step), so the step counts part
        if (i % 3 === 1) {
          tf.tidy(() => joint.apply(grads(a1), 0));
          tf.tidy(() => sepA.apply(grads(a2)));
        } else {
          tf.tidy(() => joint.apply({ ...grads(a1), ...grads(b1) }));
          tf.tidy(() => { sepA.apply(grads(a2)); sepB.apply(grads(b2)); });
        }
        if (i === 5) {
          joint.setLearningRate(0.01, 1);
          sepB.setLearningRate(0.01);
        }
      }
      const values = (p: ReturnType<typeof problem>) => p.vars.flatMap((v) => Array.from(v.dataSync()));
      expect(values(a1)).toEqual(values(a2));
      expect(values(b1)).toEqual(values(b2));
      const fresh = problem(`${kind}-seg-fresh-`);
      expect(values(b1)).not.toEqual(values(fresh));
      for (const x of [joint, sepA, sepB]) x.dispose();
      for (const p of [a1, b1, a2, b2, fresh]) p.dispose();
    });
  }

  describe.each(['cpu', 'wasm'])('as one kernel on %s', (backend) => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });

    for (const kind of ['adam', 'rmsprop', 'sgd'] as const) {
      it(`${kind}: one kernel per update, and the op chain's numbers to the bit`, async () => {
        // (seeds from 1: tfjs takes seed 0 for no seed) two networks' worth of variables in two segments, with gradients shrinking over four decades (Adam's
        // division by √ŝ magnifies any rounding the kernel does differently there)
        const shapes = [[2, 32], [32], [32, 1], [1]];
        const make = (tag: string) => shapes.map((shape, i) =>
          tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 11 + i), true, `${backend}-${kind}-${tag}-${i}`));
        const [viaKernel, viaOps] = [make('kernel'), make('ops')];
        const segments = (vars: tf.Variable[]) => [
          { config: { kind, lr: 0.03 }, vars: vars.slice(0, 2) }, { config: { kind, lr: 0.011 }, vars: vars.slice(2) }];
        const kernel = new FlatOptimizer(segments(viaKernel)), ops = new FlatOptimizer(segments(viaOps), { kernel: false });
        const grads = (vars: tf.Variable[], step: number) => Object.fromEntries(vars.map((v, i) =>
          [v.name, tf.randomNormal(v.shape, 0, 10 ** (-step / 6), 'float32', 1 + 1000 * step + i)]));
        for (let step = 0; step < 24; step++) {
          const lone = step % 5 === 2 ? step % 2 : undefined;
          if (step === 12) for (const o of [kernel, ops]) o.setLearningRate(0.004, 1);
          tf.tidy(() => kernel.apply(grads(viaKernel, step), lone));
          tf.tidy(() => ops.apply(grads(viaOps, step), lone));
        }
        const values = (vars: tf.Variable[]) => vars.flatMap((v) => Array.from(v.dataSync()));
        expect(values(viaKernel)).toEqual(values(viaOps));
        const fresh = make('fresh');
        expect(values(viaKernel)).not.toEqual(values(fresh));
        const g = tf.tidy(() => grads(viaKernel, 0));
        const launched = (await tf.profile(() => tf.tidy(() => kernel.apply(g)))).kernels.map((k) => k.name);
        expect(launched).toEqual(['FlatOptimizerUpdate']);
        kernel.dispose();
        ops.dispose();
        tf.dispose([...viaKernel, ...viaOps, ...fresh, ...Object.values(g)]);
      });
    }
  });
});
