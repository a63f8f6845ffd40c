// Mlp.backward (backpropagation written out by hand, used by the GAN's training steps) must give exactly the
// gradients autodiff gives, for every activation and depth, for the parameters and for the input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { ACTIVATIONS, Mlp } from '../../src/models/mlp.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(y[i]))));
}

describe('Mlp.backward', () => {
  for (const activation of ACTIVATIONS) {
    for (const depth of [0, 1, 3]) {
      it(`${activation}, ${depth} hidden layers: parameter and input gradients match autodiff`, () => {
        const mlp = new Mlp({ inputDim: 2, outputDim: 1, depth, width: 7, activation }, createRng(depth + 11));
        const rng = createRng(3);
        const x = tf.tensor2d(Array.from({ length: 40 }, () => 2 * rng.normal()), [20, 2]);
        // an arbitrary smooth loss of the output, so dL/d(out) is not constant
        const loss = (out: tf.Tensor) => tf.sum(tf.mul(tf.sin(out), tf.add(out, 0.3))) as tf.Scalar;
        tf.tidy(() => {
          const auto = tf.variableGrads(() => loss(mlp.apply(x)), mlp.variables).grads;
          const autoInput = tf.grad((xx: tf.Tensor) => loss(mlp.apply(xx as tf.Tensor2D)))(x);
          const { out, trace } = mlp.forward(x);
          close(out, mlp.apply(x));
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
