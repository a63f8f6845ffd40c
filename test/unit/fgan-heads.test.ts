// The trainer's two heads (FganTrainer.criticHead / generatorHead: the elementwise end of each player's loss,
// differentiated by hand with the catalogue's closed-form slopes) against tfjs autodiff of the same losses written
// from the plain tensor ops: V = clip(raw + v₀), L_D = (1/n)·(Σ_real −g_f(V) + Σ_fake f*(g_f(V)) + (ε/2)·Σ V²),
// L_G = −(1/m)·Σ objective(V), for every row of the catalogue (α and π on both sides of their special values) and
// both generator objectives, on raw outputs that reach past the soft clip. Checked by mutation: dropping the clip's
// slope, the TV penalty's gradient, or a row's slope sign fails here.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIVERGENCE_IDS, type DivergenceId, type DivergenceParams } from '../../src/math/types.ts';
import { boundPreActivation } from '../../src/models/fdiv-ops.ts';
import { FganTrainer, GENERATOR_OBJECTIVES } from '../../src/models/fgan.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CASES: [string, DivergenceId, DivergenceParams][] = [
  ...DIVERGENCE_IDS.map((id): [string, DivergenceId, DivergenceParams] => [id, id, { alpha: 0.5, pi: 0.5 }]),
  ['alpha 0.2', 'alpha', { alpha: 0.2, pi: 0.5 }],
  ['alpha 3', 'alpha', { alpha: 3, pi: 0.5 }],
  ['js-weighted 0.2', 'js-weighted', { alpha: 0.5, pi: 0.2 }],
];

const N = 40, M = 24;
/** raw critic outputs: real rows over [−14, 14] (past the soft clip at ±10), generated rows over [−9, 9] */
const raw = (): tf.Tensor2D => tf.tensor2d([
  ...Array.from({ length: N }, (_, i) => -14 + (28 * i) / (N - 1)),
  ...Array.from({ length: M }, (_, i) => -9 + (18 * i) / (M - 1)),
], [N + M, 1]);

function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0, err = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
  return err / Math.max(scale, 1e-30);
}

describe.each(CASES)('%s', (_, divergence, params) => {
  it.each(GENERATOR_OBJECTIVES)('critic and generator (%s) heads equal autodiff of their losses', (generatorObjective) => {
    const t = new FganTrainer({ divergence, alpha: params.alpha, pi: params.pi, generatorObjective, batchSize: N });
    tf.tidy(() => {
      const ops = t.ops;
      const v = (r: tf.Tensor): tf.Tensor => boundPreActivation(tf.add(r, ops.neutral), ops.preActivationBound);
      const criticLoss = (r: tf.Tensor): tf.Scalar => {
        const [vr, vf] = tf.split(v(r), [N, M]);
        const terms = tf.sub(tf.sum(ops.conjOfActivation(vf)), tf.sum(ops.activation(vr)));
        return tf.div(tf.add(terms, tf.mul(ops.outputPenalty / 2, tf.sum(tf.square(v(r))))), N) as tf.Scalar;
      };
      const objective = (x: tf.Tensor): tf.Tensor => (generatorObjective === 'alternative' ? ops.activation(x) : ops.conjOfActivation(x));
      const scale = 0.7;
      const generatorLoss = (r: tf.Tensor): tf.Scalar => tf.neg(tf.mean(objective(v(r)))) as tf.Scalar;

      const x = raw();
      const d = t.criticHead(x, N);
      const want = tf.valueAndGrad(criticLoss)(x);
      expect(maxRelErr(d.grad.dataSync(), want.grad.dataSync())).toBeLessThan(1e-5);
      expect(Math.abs(d.loss().dataSync()[0] - want.value.dataSync()[0])).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.value.dataSync()[0])));

      const xf = tf.slice(x, [N, 0], [M, 1]);
      const g = t.generatorHead(xf as tf.Tensor2D, scale);
      const wantG = tf.valueAndGrad(generatorLoss)(xf);
      expect(maxRelErr(g.grad.dataSync(), tf.mul(wantG.grad, scale).dataSync())).toBeLessThan(1e-5);
      expect(Math.abs(g.loss().dataSync()[0] - wantG.value.dataSync()[0])).toBeLessThan(1e-5 * Math.max(1, Math.abs(wantG.value.dataSync()[0])));
    });
    t.dispose();
  });
});

// Padding rows (aliasingPad: zero rows the wasm path appends to a stacked batch of 512) must leave the head as it
// is without them: the same loss, the same gradient on the real and generated rows, and exactly zero on the pad rows
// (else they would reach every parameter gradient). Checked by mutation: giving the pad rows TV's penalty gradient
// fails here.
describe.each(['js', 'tv', 'kl'] as DivergenceId[])('%s critic head with pad rows', (divergence) => {
  it('is the head without them, with a zero gradient on the pad rows', () => {
    const t = new FganTrainer({ divergence, batchSize: N });
    tf.tidy(() => {
      const x = raw();
      const pad = 8;
      const padded = tf.concat([x, tf.fill([pad, 1], 3.5)]) as tf.Tensor2D;
      const plain = t.criticHead(x, N), withPad = t.criticHead(padded, N, pad);
      const g = withPad.grad.dataSync();
      expect(Array.from(g.slice(N + M))).toEqual(new Array(pad).fill(0));
      expect(Array.from(g.slice(0, N + M))).toEqual(Array.from(plain.grad.dataSync()));
      expect(withPad.loss().dataSync()[0]).toBe(plain.loss().dataSync()[0]);
    });
    t.dispose();
  });
});
