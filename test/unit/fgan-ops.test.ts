// Tensor catalogue (src/models/fdiv-ops.ts) against the float64 reference (src/math/fdiv.ts) on grids: g_f, f*,
// f*(g_f(v)) and its gradient, the clamped branches, and finiteness far out where the closed forms overflow.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDivergence } from '../../src/math/fdiv.ts';
import { DIVERGENCE_IDS, type DivergenceParams } from '../../src/math/types.ts';
import { getFdivOps } from '../../src/models/fdiv-ops.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CASES: [string, (typeof DIVERGENCE_IDS)[number], DivergenceParams][] = [
  ...DIVERGENCE_IDS.map((id) => [id, id, { alpha: 0.5, pi: 0.5 }] as [string, (typeof DIVERGENCE_IDS)[number], DivergenceParams]),
  ['alpha 0.2', 'alpha', { alpha: 0.2, pi: 0.5 }],
  ['alpha 2', 'alpha', { alpha: 2, pi: 0.5 }],
  ['alpha 3.5', 'alpha', { alpha: 3.5, pi: 0.5 }],
  ['js-weighted 0.2', 'js-weighted', { alpha: 0.5, pi: 0.2 }],
  ['js-weighted 0.9', 'js-weighted', { alpha: 0.5, pi: 0.9 }],
];

const grid = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const V = grid(-6, 6, 97);

function close(got: ArrayLike<number>, want: number[], rel: number, abs: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= abs + rel * Math.abs(want[i]))) {
      throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (err ${err.toExponential(2)})`);
    }
  }
}

describe.each(CASES)('%s', (_, id, params) => {
  const ref = getDivergence(id, params);
  const ops = getFdivOps(id, params);

  it('g_f(v) and f*(g_f(v)) match the reference, and f*′ via autodiff matches (f*)′(g_f(v))·g_f′(v)', () => {
    const v = tf.tensor1d(V);
    const act = ops.activation(v).dataSync();
    close(act, V.map((x) => ref.activation.output(x)), 2e-6, 2e-6, 'g_f');
    const co = ops.conjOfActivation(v).dataSync();
    close(co, V.map((x) => ref.conj.output(ref.activation.output(x))), 1e-5, 1e-5, 'f*(g_f)');
    const grad = tf.grad((x: tf.Tensor) => tf.sum(ops.conjOfActivation(x)))(v).dataSync();
    close(grad, V.map((x) => ref.conj.der(ref.activation.output(x)) * ref.activation.der(x)), 1e-4, 1e-5, 'd/dv f*(g_f)');
    tf.dispose(v);
  });

  it('f*(t) matches the reference inside dom f* (closed form, clamped where the table clamps)', () => {
    const ts = grid(-3, 3, 61).map((x) => ref.activation.output(x)); // interior points of dom f*
    const t = tf.tensor1d(ts);
    close(ops.conj(t).dataSync(), ts.map((x) => ref.conj.output(x)), 1e-4, 1e-5, 'f*');
    tf.dispose(t);
  });

  it('threshold is f′(1), and f*(g_f(v)) and its gradient stay finite for |v| ≤ 80', () => {
    expect(ops.threshold).toBeCloseTo(ref.threshold, 12);
    const v = tf.tensor1d(grid(-80, 80, 321));
    const [value, grad] = tf.tidy(() => {
      const b = (x: tf.Tensor): tf.Tensor => ops.conjOfActivation(x);
      return [b(v).dataSync(), tf.grad((x: tf.Tensor) => tf.sum(b(x)))(v).dataSync()];
    });
    expect(value.every(Number.isFinite)).toBe(true);
    expect(grad.every(Number.isFinite)).toBe(true);
    expect(ops.activation(v).dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose(v);
  });

  it('the closed-form slopes the trainer uses equal the float64 derivatives and autodiff', () => {
    tf.tidy(() => {
      const v = tf.tensor1d(V);
      const a = ops.activationSlope(v), c = ops.conjOfActivationSlope(v);
      const slope = (s: tf.Tensor | null): ArrayLike<number> => (s ? s.dataSync() : V.map(() => 1));
      close(slope(a), V.map((x) => ref.activation.der(x)), 2e-6, 2e-6, 'g_f′ vs float64');
      close(slope(c), V.map((x) => ref.conj.der(ref.activation.output(x)) * ref.activation.der(x)), 1e-4, 1e-5, 'd/dv f*(g_f) vs float64');
      const auto = (f: (x: tf.Tensor) => tf.Tensor) => Array.from(tf.grad((x: tf.Tensor) => tf.sum(f(x)))(v).dataSync());
      close(slope(a), auto((x) => ops.activation(x)), 1e-5, 1e-6, 'g_f′ vs autodiff');
      close(slope(c), auto((x) => ops.conjOfActivation(x)), 1e-4, 1e-6, 'd/dv f*(g_f) vs autodiff');
      // far out, where exp under- or overflows: finite (the soft clip keeps most rows inside ±10 anyway)
      const far = tf.tensor1d(grid(-80, 80, 321));
      for (const s of [ops.activationSlope(far), ops.conjOfActivationSlope(far)]) {
        if (s) expect(s.dataSync().every(Number.isFinite)).toBe(true);
      }
    });
  });
});

describe('clamped conjugates', () => {
  it('Pearson χ²: f*(t) = −1 with zero slope below t = −2; α = 2: −1/α below t = −1/(α−1)', () => {
    for (const [id, params, t0, flat] of [['pearson', { alpha: 0.5, pi: 0.5 }, -2, -1], ['alpha', { alpha: 2, pi: 0.5 }, -1, -0.5]] as const) {
      const ops = getFdivOps(id, params);
      const t = tf.tensor1d([t0 - 5, t0 - 1, t0 - 1e-3]);
      expect(Array.from(ops.conj(t).dataSync())).toEqual([flat, flat, flat].map((x, i) => (i < 2 ? x : expect.closeTo(flat, 2))));
      const g = tf.grad((x: tf.Tensor) => tf.sum(ops.conj(x)))(t).dataSync();
      expect(Array.from(g.slice(0, 2))).toEqual([0, 0]);
      tf.dispose(t);
    }
  });

  it('Jeffrey: W(e^x) by Newton reaches float32 precision from both ends', () => {
    const ops = getFdivOps('jeffrey', { alpha: 0.5, pi: 0.5 });
    const ref = getDivergence('jeffrey');
    const ts = [-60, -20, -1, 0, 0.999, 1, 1.001, 5, 20, 40];
    const got = ops.conj(tf.tensor1d(ts)).dataSync();
    close(got, ts.map((t) => ref.conj.output(t)), 3e-6, 1e-6, 'jeffrey f*');
  });
});
