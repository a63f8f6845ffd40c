// Mlp.backward and Mlp.backwardTwoLosses (backpropagation written out by hand, used by the GAN's training steps) must
// give exactly the gradients autodiff gives, for every activation and depth, for the parameters and for the input,
// on the cpu backend and on wasm, whose matMul caches its packed second operand by data and so punishes a reshaped
// view of a weight (a reshape of the output layer's weight in the input gradient fails the wasm cases here).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { ACTIVATIONS, Mlp } from '../../src/models/mlp.ts';

const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');

function close(a: tf.Tensor, b: tf.Tensor): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(y[i]))));
}

// an arbitrary smooth loss of the output, so dL/d(out) is not constant
const loss = (out: tf.Tensor) => tf.sum(tf.mul(tf.sin(out), tf.add(out, 0.3))) as tf.Scalar;
const other = (out: tf.Tensor) => tf.sum(tf.mul(tf.cos(out), out)) as tf.Scalar;

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    describe('Mlp.backward', () => {
      for (const activation of ACTIVATIONS) {
        for (const [depth, outputDim] of [[0, 1], [1, 2], [3, 1]] as const) {
          it(`${activation}, ${depth} hidden layers, ${outputDim} outputs: parameter and input gradients match autodiff`, () => {
            const mlp = new Mlp({ inputDim: 2, outputDim, depth, width: 7, activation }, createRng(depth + 11));
            const rng = createRng(3);
            const x = tf.tensor2d(Array.from({ length: 40 }, () => 2 * rng.normal()), [20, 2]);
            tf.tidy(() => {
              const auto = tf.variableGrads(() => loss(mlp.apply(x)), mlp.variables).grads;
              const autoInput = tf.grad((xx: tf.Tensor) => loss(mlp.apply(xx as tf.Tensor2D)))(x);
              const { out, trace } = mlp.forward(x);
              const dOut = tf.grad((o: tf.Tensor) => loss(o))(out) as tf.Tensor2D;
              const byHand = mlp.backward(trace, dOut, { params: true, input: true });
              for (const v of mlp.variables) close(byHand.grads[v.name], auto[v.name]);
              close(byHand.dInput!, autoInput);
              expect(mlp.backward(trace, dOut, { params: false, input: true }).grads).toEqual({});
              expect(mlp.backward(trace, dOut, { params: true, input: false }).dInput).toBeNull();
            });
            mlp.dispose();
            x.dispose();
          });
        }
      }
    });

    describe('Mlp.backwardTwoLosses', () => {
      for (const activation of ACTIVATIONS) {
        for (const depth of [0, 2]) {
          it(`${activation}, ${depth} hidden layers: ∇params of L₁ and ∇input of L₂ on the last rows, from one pass`, () => {
            const mlp = new Mlp({ inputDim: 2, outputDim: 1, depth, width: 7, activation }, createRng(depth + 5));
            const rng = createRng(4);
            const x = tf.tensor2d(Array.from({ length: 48 }, () => 2 * rng.normal()), [24, 2]);
            const m = 10;
            tf.tidy(() => {
              // L₁ on every row, L₂ on the last m rows only
              const tail = (o: tf.Tensor) => tf.slice(o, [24 - m, 0], [m, 1]);
              const auto = tf.variableGrads(() => loss(mlp.apply(x)), mlp.variables).grads;
              const autoInput = tf.grad((xx: tf.Tensor) => other(tail(mlp.apply(xx as tf.Tensor2D))))(x);
              const { out, trace } = mlp.forward(x);
              const d1 = tf.grad((o: tf.Tensor) => loss(o))(out) as tf.Tensor2D;
              const d2 = tf.grad((o: tf.Tensor) => other(o))(tail(out)) as tf.Tensor2D;
              const byHand = mlp.backwardTwoLosses(trace, d1, d2);
              for (const v of mlp.variables) close(byHand.grads[v.name], auto[v.name]);
              close(byHand.dInput, tf.slice(autoInput, [24 - m, 0], [m, 2]));
            });
            mlp.dispose();
            x.dispose();
          });
        }
      }
    });
  });
}
