// The elementwise ends of the f-GAN players' losses (Nowozin, Cseke, Tomioka 2016, https://arxiv.org/abs/1606.00709),
// differentiated by hand with the catalogue's closed-form slopes (fdiv-ops.ts, tested against autodiff): the tape
// would add a saved copy and a generic gradient kernel per op, on batches where a kernel costs what its arithmetic
// does. A step computes only these slopes and keeps V; the losses shown are computed from kept V later, several
// batches at once (criticLosses, generatorLosses). Shared by the 2-D lab (fgan.ts) and the 1-D fit
// (gaussian-fit-trainer.ts). V is the critic's raw output shifted by v₀ = g_f⁻¹(f'(1)) (a zero output means
// "p = q") and then soft-clipped at `bound` (null: no clip). Every function here is called inside the caller's
// tf.tidy.
import * as tf from '@tensorflow/tfjs-core';
import { boundPreActivation, boundPreActivationAndSlope, type FdivOps } from './fdiv-ops.ts';
import type { GeneratorObjective } from './fgan-options.ts';

/** A divergence row's ops and the soft clip on V. */
export interface Head {
  ops: FdivOps;
  bound: number | null;
}

function shifted<T extends tf.Tensor>(head: Head, raw: T): T {
  return head.ops.neutral === 0 ? raw : (tf.add(raw, head.ops.neutral) as T);
}

/** V from the critic's raw output. */
export function vFromRaw<T extends tf.Tensor>(head: Head, raw: T): T {
  return boundPreActivation(shifted(head, raw), head.bound) as T;
}

/** V from the critic's raw output, and dV/d(raw) (null: 1): the shift by v₀ has slope 1, the soft clip its own. */
export function vAndSlope(head: Head, raw: tf.Tensor2D): { v: tf.Tensor2D; slope: tf.Tensor2D | null } {
  const { value, slope } = boundPreActivationAndSlope(shifted(head, raw), head.bound);
  return { v: value as tf.Tensor2D, slope: slope as tf.Tensor2D | null };
}

/** dL_D/d(raw) from the critic's raw output on [real; fake; pad], the first n rows real and the last `pad` rows
 * padding (whose gradient is zero, taken from `zeros`), and V. L_D = −F on the two batches,
 * (1/n)·(Σ_real −g_f(V) + Σ_fake f*(g_f(V))), plus the output penalty (ε/2n)·Σ V² over both where the row has one. */
export function criticSlope(head: Head, raw: tf.Tensor2D, n: number, pad = 0,
  zeros: (rows: number) => tf.Tensor2D = (rows) => tf.zeros([rows, 1])): { v: tf.Tensor2D; grad: tf.Tensor2D } {
  const { ops } = head;
  const { v: vAll, slope: clip } = vAndSlope(head, raw);
  const m = raw.shape[0] - n - pad;
  const [vReal, vFake] = tf.split(vAll, pad ? [n, m, pad] : [n, m]);
  const g = ops.activationSlope(vReal), h = ops.conjOfActivationSlope(vFake);
  const parts = [g ? tf.neg(g) : tf.fill([n, 1], -1), h ?? tf.onesLike(vFake)];
  const eps = ops.outputPenalty;
  let dv: tf.Tensor;
  if (eps > 0) {
    dv = tf.add(tf.concat(parts), tf.mul(eps, pad ? tf.slice(vAll, 0, n + m) : vAll));
    if (pad) dv = tf.concat([dv, zeros(pad)]);
  } else dv = tf.concat(pad ? [...parts, zeros(pad)] : parts);
  if (clip) dv = tf.mul(dv, clip);
  return { v: vAll, grad: tf.mul(dv, 1 / n) as tf.Tensor2D };
}

/** V and the derivative of the generator's per-sample objective with respect to the critic's raw output: g_f(V)
 * for 'alternative' (maximise E_Q[g_f(V)]), f*(g_f(V)) for 'saturating' (minimise F). */
export function objectiveSlope(head: Head, objective: GeneratorObjective, raw: tf.Tensor2D): { v: tf.Tensor2D; slope: tf.Tensor2D } {
  const { v, slope: clip } = vAndSlope(head, raw);
  const o = objective === 'alternative' ? head.ops.activationSlope(v) : head.ops.conjOfActivationSlope(v);
  const slope = o && clip ? tf.mul(o, clip) : o ?? clip ?? tf.onesLike(raw);
  return { v, slope: slope as tf.Tensor2D };
}

/** L_D of each of several batches from the V their critic heads kept (all with the same n and pad, [rows, 1] each):
 * one value per batch, computed together. */
export function criticLosses(ops: FdivOps, vs: tf.Tensor2D[], n: number, pad = 0): tf.Tensor1D {
  const v = tf.reshape(tf.stack(vs), [vs.length, -1]) as tf.Tensor2D;
  const m = v.shape[1] - n - pad;
  const [vReal, vFake] = tf.split(v, pad ? [n, m, pad] : [n, m], 1);
  let total = tf.sub(tf.sum(ops.conjOfActivation(vFake), 1), tf.sum(ops.activation(vReal), 1));
  const eps = ops.outputPenalty;
  if (eps > 0) total = tf.add(total, tf.mul(eps / 2, tf.add(tf.sum(tf.square(vReal), 1), tf.sum(tf.square(vFake), 1))));
  return tf.div(total, n) as tf.Tensor1D;
}

/** L_G of each of several batches from the V their generator heads kept: −(1/n)·Σ objective(V), one value each. */
export function generatorLosses(ops: FdivOps, objective: GeneratorObjective, vs: tf.Tensor2D[]): tf.Tensor1D {
  const v = tf.reshape(tf.stack(vs), [vs.length, -1]);
  const o = objective === 'alternative' ? ops.activation(v) : ops.conjOfActivation(v);
  return tf.neg(tf.mean(o, 1)) as tf.Tensor1D;
}
