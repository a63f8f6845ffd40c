// Tensor versions of the f-GAN catalogue (Nowozin, Cseke, Tomioka 2016, https://arxiv.org/abs/1606.00709, Tables
// 1–2, in the paper's convention): the output activation g_f(v), the
// conjugate f*(t), and f*(g_f(v)) written directly in v. The last is what the critic loss uses: composing the two
// closed forms loses precision or overflows (GAN: −log(1 − e^{log σ(v)}) is softplus(v) exactly), so every row is
// rewritten with softplus / log-space terms that are finite and have finite gradients for every finite v.
// Clamped branches (Pearson χ² below t = −2, α > 1 below t = −1/(α−1)) take the true conjugate's constant value there
// through max(t, t₀), whose gradient is 0 on the flat side; branch switches use step masks, never tf.where (see
// `choose`). Jeffrey's conjugate needs Lambert W: Newton iterations forward and the exact derivative
// (f*)'(t) = 1/W(e^{1−t}) backward, via tf.customGrad, so the tape never holds the iterations.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package does); training needs them
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getDivergence } from '../math/fdiv.ts';
import { bisect } from '../math/optimize.ts';
import type { DivergenceId, DivergenceParams } from '../math/types.ts';

type T = tf.Tensor;

export interface ValueAndSlope {
  value: T;
  /** derivative with respect to v, elementwise; null where it is identically 1 (saves a kernel) */
  slope: T | null;
}

export interface FdivOps {
  id: DivergenceId;
  /** g_f(v): ℝ → dom f* */
  activation(v: T): T;
  /** f*(t), t ∈ dom f* (the clamped closed form where the table clamps) */
  conj(t: T): T;
  /** f*(g_f(v)), computed stably from v */
  conjOfActivation(v: T): T;
  /** g_f′(v) in closed form (null: the derivative is 1). The trainer's heads use these instead of autodiff: the
   * tape would add a saved copy and a generic gradient kernel per op, and on a batch this small each kernel costs
   * about as much as its arithmetic. A step needs only the slopes: the trainer computes the losses later, many steps
   * at once, with `activation` and `conjOfActivation` (fgan.ts, foldLosses). Tested against autodiff and the float64
   * reference. */
  activationSlope(v: T): T | null;
  /** d/dv f*(g_f(v)) = (f*)′(g_f(v))·g_f′(v) in closed form (null: the derivative is 1). */
  conjOfActivationSlope(v: T): T | null;
  /** f'(1): the critic calls x real where g_f(V(x)) > f'(1) */
  threshold: number;
  /** v₀ = g_f⁻¹(f'(1)), the pre-activation of the optimal critic where p = q. The critic adds it to its network's
   * output, so an untrained (near-zero) network starts at "can't tell" instead of far off it: 0 for most rows, but
   * 1 for KL, ≈ 0.88 for weighted JS (π = ½) and ≈ −1.85 for α = ½, where starting at v = 0 costs the critic
   * hundreds of steps just to learn the offset while the generator drifts on a meaningless signal. */
  neutral: number;
  /** bound c of the soft clip v ↦ c·tanh(v/c) the critic applies to its pre-activation, or null for none
   * (see `PRE_ACTIVATION_BOUND` for why and where) */
  preActivationBound: number | null;
  /** ε of the critic's output penalty ε·E[V²] (see `OUTPUT_PENALTY`), 0 for none */
  outputPenalty: number;
}

/** Rows whose loss terms grow exponentially in v (f*(g_f(v)): KL e^{v−1}, Hellinger e^v − 1, Jeffrey ≈ e^{v−1},
 * α < 1 as e^{αv/(1−α)}, Neyman 2 − 2e^{−v/2} as v → −∞; g_f(v) itself: reverse KL −e^{−v}) let one bad critic step
 * multiply the next gradient by e^{Δv}; the loss overflows float32 and the weights turn NaN. A soft clip of the
 * pre-activation at ±c bounds those terms by about e^{c} and keeps a nonzero gradient (a hard clip would leave a
 * saturated critic no way back). c = 10 leaves the optimal critic T* = f'(p/q) untouched for density ratios up to
 * e^9 ≈ 8·10³ (KL), beyond what a batch of 256 resolves. Measured (ring, seed 1, 1000 steps): on the defaults no
 * row diverges even without the clip, but with Adam at lr 5e-3 Neyman and reverse KL turn NaN without it (by steps
 * 400 and 900), and with SGD at lr 0.05 KL, Hellinger and Jeffrey do within 100 steps; with it all stay finite.
 * Pearson (quadratic) gets a loose bound as a guard; rows built on softplus (GAN, JS, weighted JS) or tanh (TV) are
 * bounded or linear in v already: no clip. */
export const PRE_ACTIVATION_BOUND: Record<DivergenceId, number | null> = {
  tv: null, kl: 10, 'reverse-kl': 10, pearson: 30, neyman: 10, hellinger: 10, jeffrey: 10,
  js: null, 'js-weighted': null, gan: null, alpha: 10,
};

/** Weight ε of a penalty ε·E[V²] (V the critic's pre-activation, on real and generated batches) added to the critic's
 * loss. Only TV needs it: its activation ½tanh(v) is flat on BOTH sides, so a critic that is wrong and saturated
 * (generated samples at V ≫ 0, judged very real) gets no gradient to correct itself, and neither does the generator,
 * which sits there happily; with Adam the run freezes in that state within a few hundred steps. The other bounded
 * rows (GAN, JS) saturate only where the critic is right. With ε = 0.01 the pointwise optimum moves from V = ±∞ to
 * V ≈ ±1.95, where ½tanh V = ±0.48: the bound loses < 4 % of its range, and a saturated critic is pulled back with
 * force 2εV. */
export const OUTPUT_PENALTY: Record<DivergenceId, number> = {
  tv: 0.01, kl: 0, 'reverse-kl': 0, pearson: 0, neyman: 0, hellinger: 0, jeffrey: 0, js: 0, 'js-weighted': 0, gan: 0, alpha: 0,
};

const sp = (x: T): T => tf.softplus(x);
const neg = (x: T): T => tf.neg(x);
const scalar = (x: number): T => tf.scalar(x);

/** the slope of the identity */
const unit = (): null => null;

/** the slope e^{−v} of 1 − e^{−v} (Neyman, Hellinger; reverse KL's −e^{−v}) */
const expNeg = (v: T): T => tf.exp(neg(v));

/** the slope σ(−v) of c − softplus(−v) (JS, weighted JS, GAN, α < 1) */
const sigmoidNeg = (v: T): T => tf.sigmoid(neg(v));

/** mask·a + (1 − mask)·b with mask = step(x) ∈ {0, 1}. Not tf.where: its condition would put a comparison op
 * (LessEqual, Greater…) on the tape, which has no registered gradient; tf.step has a zero one. Each branch gets
 * clamped, safe inputs, so the branch not chosen contributes 0·(finite) to the gradient, never 0·∞. */
function choose(x: T, ifPositive: T, otherwise: T): T {
  const mask = tf.step(x);
  return tf.add(tf.mul(mask, ifPositive), tf.mul(tf.sub(1, mask), otherwise));
}

/** log(softplus(−v)), finite for v up to float32's range: softplus(−v) underflows to 0 near v ≈ 88, where
 * log softplus(−v) = −v + log1p(e^{−v}·…) ≈ −v; switch to that asymptote early (the two agree to 1e-7 at v = 15).
 * Both branches get safe inputs (see `choose`). */
function logSoftplusNeg(v: T): T {
  const small = tf.log(sp(neg(tf.minimum(v, 15))));
  const asym = neg(tf.maximum(v, 15));
  return choose(tf.sub(v, 15), asym, small);
}

/** log(1 − e^{−a}) for a ≥ 0 (Mächler's log1mexp): log(−expm1(−a)) for a ≤ log 2, log1p(−e^{−a}) above. */
function log1mexp(a: T): T {
  const ln2 = Math.LN2;
  const near = tf.log(neg(tf.expm1(neg(tf.clipByValue(a, 1e-30, ln2)))));
  const far = tf.log1p(neg(tf.exp(neg(tf.maximum(a, ln2)))));
  return choose(tf.sub(a, ln2), far, near);
}

/** W(e^x) (Wright ω): the w > 0 with w + log w = x. Newton on that equation from a start that is exact to first
 * order at both ends (e^x/(1+e^x) for x → −∞, x − log x for large x); five iterations reach float32 precision. */
function wrightOmega(x: T): T {
  return tf.tidy(() => {
    // (tf.where is fine here: customGrad runs this forward pass off the tape)
    let w = tf.where(tf.less(x, 1), tf.sigmoid(x), tf.sub(x, tf.log(tf.maximum(x, 1))));
    for (let i = 0; i < 5; i++) {
      // w ← w(1 + x − log w)/(1 + w), Newton for w + log w − x = 0
      w = tf.div(tf.mul(w, tf.sub(tf.add(x, 1), tf.log(w))), tf.add(w, 1));
    }
    return w;
  });
}

/** Jeffrey: f*(t) = W(e^{1−t}) + 1/W(e^{1−t}) + t − 2, derivative 1/W(e^{1−t}). */
const jeffreyConj = tf.customGrad((...args: (T | tf.GradSaveFunc)[]) => {
  const [t, save] = args as [T, tf.GradSaveFunc];
  const w = wrightOmega(tf.sub(1, t));
  save([w]);
  const value = tf.add(tf.add(w, tf.reciprocal(w)), tf.sub(t, 2));
  return { value, gradFunc: (dy: T, saved: T[]) => tf.div(dy, saved[0]) };
}) as (t: T) => T;

export function getFdivOps(id: DivergenceId, params: DivergenceParams): FdivOps {
  const ref = getDivergence(id, params);
  // g_f is increasing on every row: bisection finds v₀ to double precision
  const neutral = bisect((v) => ref.activation.output(v) - ref.threshold, -50, 50);
  const base = {
    id, preActivationBound: PRE_ACTIVATION_BOUND[id], outputPenalty: OUTPUT_PENALTY[id],
    neutral: Math.abs(neutral) < 1e-12 ? 0 : neutral,
  };
  const ln2 = Math.LN2;
  switch (id) {
    case 'tv': {
      // ½tanh v, slope ½(1 − tanh² v); f*(t) = t on [−½, ½], so f*(g_f) is the same
      const slope = (v: T): T => tf.mul(0.5, tf.sub(1, tf.square(tf.tanh(v))));
      return { ...base, threshold: 0, activation: (v) => tf.mul(0.5, tf.tanh(v)), conj: (t) => tf.clone(t),
        conjOfActivation: (v) => tf.mul(0.5, tf.tanh(v)), activationSlope: slope, conjOfActivationSlope: slope };
    }
    case 'kl':
      return { ...base, threshold: 1, activation: (v) => tf.clone(v), conj: (t) => tf.exp(tf.sub(t, 1)),
        conjOfActivation: (v) => tf.exp(tf.sub(v, 1)), activationSlope: unit, conjOfActivationSlope: (v) => tf.exp(tf.sub(v, 1)) };
    case 'reverse-kl':
      // f*(−e^{−v}) = −1 − log(e^{−v}) = v − 1
      return { ...base, threshold: -1, activation: (v) => neg(tf.exp(neg(v))), conj: (t) => tf.sub(-1, tf.log(neg(t))),
        conjOfActivation: (v) => tf.sub(v, 1),
        activationSlope: expNeg, conjOfActivationSlope: unit };
    case 'pearson': {
      const pearson = (t: T): T => { const c = tf.maximum(t, -2); return tf.add(tf.mul(0.25, tf.square(c)), c); };
      // slope ½c + 1, which is 0 at the clamp c = −2: the flat branch needs no mask
      const slope = (t: T): T => tf.add(tf.mul(0.5, tf.maximum(t, -2)), 1);
      return { ...base, threshold: 0, activation: (v) => tf.clone(v), conj: pearson, conjOfActivation: pearson,
        activationSlope: unit, conjOfActivationSlope: slope };
    }
    case 'neyman':
      // f*(1 − e^{−v}) = 2 − 2·√(e^{−v}) = 2 − 2e^{−v/2}
      return { ...base, threshold: 0, activation: (v) => tf.sub(1, tf.exp(neg(v))),
        conj: (t) => tf.sub(2, tf.mul(2, tf.sqrt(tf.sub(1, t)))),
        conjOfActivation: (v) => tf.sub(2, tf.mul(2, tf.exp(tf.mul(-0.5, v)))), activationSlope: expNeg,
        conjOfActivationSlope: (v) => tf.exp(tf.mul(-0.5, v)) };
    case 'hellinger':
      // f*(1 − e^{−v}) = (1 − e^{−v})/e^{−v} = e^v − 1
      return { ...base, threshold: 0, activation: (v) => tf.sub(1, tf.exp(neg(v))), conj: (t) => tf.div(t, tf.sub(1, t)),
        conjOfActivation: (v) => tf.expm1(v), activationSlope: expNeg, conjOfActivationSlope: (v) => tf.exp(v) };
    case 'jeffrey':
      return { ...base, threshold: 0, activation: (v) => tf.clone(v), conj: jeffreyConj, conjOfActivation: jeffreyConj,
        activationSlope: unit, conjOfActivationSlope: (t) => tf.reciprocal(wrightOmega(tf.sub(1, t))) };
    case 'js':
      // g = log 2 − softplus(−v) = log(2σ(v)); f*(g) = −log(2 − 2σ(v)) = softplus(v) − log 2
      return { ...base, threshold: 0, activation: (v) => tf.sub(ln2, sp(neg(v))),
        conj: (t) => neg(tf.log(tf.sub(2, tf.exp(t)))), conjOfActivation: (v) => tf.sub(sp(v), ln2),
        activationSlope: sigmoidNeg, conjOfActivationSlope: (v) => tf.sigmoid(v) };
    case 'js-weighted': {
      const p = params.pi;
      const c0 = -p * Math.log(p);
      // π e^{g/π} = exp(−softplus(−v)/π), so f*(g) = (1−π)[log(1−π) − log1mexp(softplus(−v)/π)]
      // d/dv f*(g) = (1−π)·σ(−v)/(π·expm1(a)), a = softplus(−v)/π: 0/0 in float32 once e^{−v} underflows, where it
      // tends to 1 − π; at v = 30 it is within e^{−30} of that, so the slope is taken at min(v, 30)
      const conjOfActivation = (v: T): T => tf.mul(1 - p, tf.sub(Math.log(1 - p), log1mexp(tf.div(sp(neg(v)), p))));
      return { ...base, threshold: 0, activation: (v) => tf.sub(c0, sp(neg(v))),
        conj: (t) => tf.mul(1 - p, tf.log(tf.div(1 - p, tf.sub(1, tf.mul(p, tf.exp(tf.div(t, p))))))),
        conjOfActivation, activationSlope: sigmoidNeg,
        conjOfActivationSlope: (v) => {
          const vs = neg(tf.minimum(v, 30));
          return tf.div(tf.mul((1 - p) / p, tf.sigmoid(vs)), tf.expm1(tf.div(sp(vs), p)));
        } };
    }
    case 'gan':
      // g = −softplus(−v) = log σ(v); f*(g) = −log(1 − σ(v)) = softplus(v)
      return { ...base, threshold: -ln2, activation: (v) => neg(sp(neg(v))),
        conj: (t) => neg(tf.log(tf.sub(1, tf.exp(t)))), conjOfActivation: (v) => sp(v),
        activationSlope: sigmoidNeg, conjOfActivationSlope: (v) => tf.sigmoid(v) };
    case 'alpha':
      return alphaOps(params.alpha, base);
  }
}

type Base = Pick<FdivOps, 'id' | 'preActivationBound' | 'outputPenalty' | 'neutral'>;

function alphaOps(a: number, base: Base): FdivOps {
  const e = a / (a - 1);
  // closed form (1/α)(t(α−1)+1)^{α/(α−1)} − 1/α
  const closed = (t: T): T => tf.sub(tf.mul(1 / a, tf.pow(tf.add(tf.mul(t, a - 1), 1), scalar(e))), 1 / a);
  if (a < 1) {
    const c0 = 1 / (1 - a);
    // g = 1/(1−α) − softplus(−v) gives t(α−1)+1 = (1−α)·softplus(−v) > 0: evaluate the power in log space
    const conjOfActivation = (v: T): T =>
      tf.sub(tf.mul(1 / a, tf.exp(tf.mul(e, tf.add(Math.log(1 - a), logSoftplusNeg(v))))), 1 / a);
    // slope: (1/α)·E·e·d/dv log softplus(−v) with E the exp above, and d/dv log softplus(−v) = −σ(−v)/softplus(−v),
    // which tends to −1 once softplus(−v) underflows; at v = 15 it is within 3e-7 of that (as logSoftplusNeg)
    const conjOfActivationSlope = (v: T): T => {
      const big = tf.exp(tf.mul(e, tf.add(Math.log(1 - a), logSoftplusNeg(v))));
      const m = neg(tf.minimum(v, 15));
      const ratio = choose(tf.sub(v, 15), tf.onesLike(v), tf.div(tf.sigmoid(m), sp(m)));
      return tf.mul(-e / a, tf.mul(big, ratio));
    };
    return { ...base, threshold: 0, activation: (v) => tf.sub(c0, sp(neg(v))), conj: closed, conjOfActivation,
      activationSlope: sigmoidNeg, conjOfActivationSlope };
  }
  // α > 1: g = v on ℝ; below t₀ = −1/(α−1) = f'(0) the sup over u ≥ 0 sits at u = 0, f*(t) = −f(0) = −1/α, which is
  // what the closed form gives at t₀: clamp the argument there (continuous value, zero slope)
  const t0 = -1 / (a - 1);
  const clamped = (t: T): T => closed(tf.maximum(t, t0));
  // slope (t(α−1)+1)^{1/(α−1)}, which is 0 at the clamp: the flat branch needs no mask
  const conjOfActivationSlope = (t: T): T => tf.pow(tf.add(tf.mul(tf.maximum(t, t0), a - 1), 1), scalar(1 / (a - 1)));
  return { ...base, threshold: 0, activation: (v) => tf.clone(v), conj: clamped, conjOfActivation: clamped,
    activationSlope: unit, conjOfActivationSlope };
}

/** The critic's soft clip of its pre-activation: c·tanh(v/c), identity when the row needs none. */
export function boundPreActivation(v: T, bound: number | null): T {
  return bound === null ? v : tf.mul(bound, tf.tanh(tf.div(v, bound)));
}

/** The soft clip and its slope 1 − tanh²(v/c) (null where the row has no clip: the slope is 1). */
export function boundPreActivationAndSlope(v: T, bound: number | null): ValueAndSlope {
  if (bound === null) return { value: v, slope: null };
  const th = tf.tanh(tf.div(v, bound));
  return { value: tf.mul(bound, th), slope: tf.sub(1, tf.square(th)) };
}
