// The f-GAN catalogue (Nowozin, Cseke, Tomioka 2016, Tables 1–2), in the paper's convention: D_f(P‖Q) = ∫ q f(p/q).
// Each row carries f and f' on u > 0, the Fenchel conjugate f* with (f*)' (= the maximising u), the output
// activation g_f with g_f', dom f*, range g_f, f'(1) and f(1), names and KaTeX.
// Invariants:
// - conj.output is the TRUE conjugate sup_{u>0} {t·u − f(u)}: +∞ outside dom f*, and clamped where the paper's
//   closed form leaves it (Pearson χ²: −1 for t < −2; α > 1: −1/α for t < −1/(α−1)). conj.der is NaN outside dom f*.
// - f.output(0) is the limit f(0+) (possibly +∞); f at u < 0 is NaN.
// - Formulas use log1p/expm1/softplus so that g_f(v) stays strictly inside open ends of dom f* for |v| ≲ 35.
import { logLambertW0Exp } from './lambertw.ts';
import type { Divergence, DivergenceId, DivergenceParams, Interval, ScalarFn } from './types.ts';

export const DEFAULT_PARAMS: Readonly<DivergenceParams> = Object.freeze({ alpha: 0.5, pi: 0.5 });

/** α ∈ [min, max] with |α − 1| ≥ gap: at α = 1 the α-divergence degenerates (its limit is KL). */
export const ALPHA_RANGE = Object.freeze({ min: 0.05, max: 5, gap: 0.05 });
/** π ∈ [min, max]: the weighted Jensen-Shannon divergence vanishes at π = 0 and π = 1. */
export const PI_RANGE = Object.freeze({ min: 0.05, max: 0.95 });

/** Which shape parameter a divergence reads, if any. */
export const PARAM_OF: Readonly<Partial<Record<DivergenceId, keyof DivergenceParams>>> = Object.freeze({
  alpha: 'alpha', 'js-weighted': 'pi',
});

/** Why a parameter value is unusable, or null when it is in range. */
export function paramError(name: keyof DivergenceParams, value: number): string | null {
  if (!Number.isFinite(value)) return `${name} must be a finite number; got ${value}`;
  if (name === 'alpha') {
    if (value < ALPHA_RANGE.min || value > ALPHA_RANGE.max) {
      return `alpha must be in [${ALPHA_RANGE.min}, ${ALPHA_RANGE.max}]; got ${value}`;
    }
    if (Math.abs(value - 1) < ALPHA_RANGE.gap) return `alpha must satisfy |alpha − 1| ≥ ${ALPHA_RANGE.gap}; got ${value}`;
    return null;
  }
  if (value < PI_RANGE.min || value > PI_RANGE.max) return `pi must be in [${PI_RANGE.min}, ${PI_RANGE.max}]; got ${value}`;
  return null;
}

/** Defaults merged with `params`; throws RangeError if the parameter that `id` uses is out of range. */
export function validateParams(id: DivergenceId, params: Partial<DivergenceParams> = {}): DivergenceParams {
  const merged: DivergenceParams = { ...DEFAULT_PARAMS, ...stripUndefined(params) };
  const name = PARAM_OF[id];
  if (name) {
    const err = paramError(name, merged[name]);
    if (err) throw new RangeError(`${id}: ${err}`);
  }
  return merged;
}

function stripUndefined(p: Partial<DivergenceParams>): Partial<DivergenceParams> {
  const out: Partial<DivergenceParams> = {};
  if (p.alpha !== undefined) out.alpha = p.alpha;
  if (p.pi !== undefined) out.pi = p.pi;
  return out;
}

// ---- numerically stable building blocks -------------------------------------------------------------------------

/** log(1 + e^x) without overflow or loss for large |x|. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** 1 / (1 + e^{−x}) without overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function interval(lo: number, hi: number, loOpen = true, hiOpen = true): Interval {
  return { lo, hi, loOpen: loOpen || lo === -Infinity, hiOpen: hiOpen || hi === Infinity };
}

export function inInterval(iv: Interval, x: number): boolean {
  return (iv.loOpen ? x > iv.lo : x >= iv.lo) && (iv.hiOpen ? x < iv.hi : x <= iv.hi);
}

const REAL = interval(-Infinity, Infinity);
const below = (hi: number) => interval(-Infinity, hi);
const LN2 = Math.LN2;

// ---- the rows ---------------------------------------------------------------------------------------------------

type Fn = (x: number) => number;

interface Row {
  name: { en: string; zh: string };
  f: Fn; df: Fn;
  /** f(0+), the value q·f(p/q)/q takes where p = 0 */
  f0: number;
  conj: Fn; dconj: Fn; dom: Interval;
  act: Fn; dact: Fn; range: Interval;
  threshold: number; f1: number;
  tex: Divergence['tex'];
}

function tvRow(): Row {
  return {
    name: { en: 'Total variation', zh: '总变差' },
    f: (u) => 0.5 * Math.abs(u - 1), df: (u) => 0.5 * Math.sign(u - 1), f0: 0.5,
    // On |t| ≤ ½ the supremum is attained at u = 1 (at t = ±½ by every u on one side of 1; 1 is reported).
    conj: (t) => t, dconj: () => 1, dom: interval(-0.5, 0.5, false, false),
    // Closed, although ½tanh never reaches ±½ in exact arithmetic: in float64 it does for |v| ≳ 19.
    act: (v) => 0.5 * Math.tanh(v), dact: (v) => 0.5 / Math.cosh(v) ** 2, range: interval(-0.5, 0.5, false, false),
    threshold: 0, f1: 0,
    tex: {
      f: String.raw`\tfrac{1}{2}\lvert u-1\rvert`, conj: 't', activation: String.raw`\tfrac{1}{2}\tanh v`,
      dom: String.raw`\lvert t\rvert\le\tfrac{1}{2}`, threshold: '0',
    },
  };
}

function klRow(): Row {
  return {
    name: { en: 'Kullback-Leibler', zh: 'KL 散度' },
    f: (u) => u * Math.log(u), df: (u) => Math.log(u) + 1, f0: 0,
    conj: (t) => Math.exp(t - 1), dconj: (t) => Math.exp(t - 1), dom: REAL,
    act: (v) => v, dact: () => 1, range: REAL,
    threshold: 1, f1: 0,
    tex: { f: String.raw`u\log u`, conj: 'e^{t-1}', activation: 'v', dom: String.raw`\mathbb{R}`, threshold: '1' },
  };
}

function reverseKlRow(): Row {
  return {
    name: { en: 'Reverse KL', zh: '反向 KL 散度' },
    f: (u) => -Math.log(u), df: (u) => -1 / u, f0: Infinity,
    conj: (t) => -1 - Math.log(-t), dconj: (t) => -1 / t, dom: below(0),
    act: (v) => -Math.exp(-v), dact: (v) => Math.exp(-v), range: below(0),
    threshold: -1, f1: 0,
    tex: { f: String.raw`-\log u`, conj: String.raw`-1-\log(-t)`, activation: '-e^{-v}', dom: 't<0', threshold: '-1' },
  };
}

function pearsonRow(): Row {
  return {
    name: { en: 'Pearson χ²', zh: 'Pearson χ² 散度' },
    f: (u) => (u - 1) * (u - 1), df: (u) => 2 * (u - 1), f0: 1,
    // For t < −2 the maximiser u = 1 + t/2 would be negative; the sup over u > 0 is its limit at u → 0, namely −f(0).
    conj: (t) => (t >= -2 ? 0.25 * t * t + t : -1), dconj: (t) => (t >= -2 ? 1 + 0.5 * t : 0), dom: REAL,
    act: (v) => v, dact: () => 1, range: REAL,
    threshold: 0, f1: 0,
    tex: {
      f: '(u-1)^2', conj: String.raw`\begin{cases}\tfrac{1}{4}t^2+t & t\ge -2\\ -1 & t<-2\end{cases}`,
      activation: 'v', dom: String.raw`\mathbb{R}`, threshold: '0',
    },
  };
}

function neymanRow(): Row {
  return {
    name: { en: 'Neyman χ²', zh: 'Neyman χ² 散度' },
    f: (u) => ((1 - u) * (1 - u)) / u, df: (u) => 1 - 1 / (u * u), f0: Infinity,
    // The paper writes dom f* as t < 1, but sup_u {u − (u − 2 + 1/u)} = 2 is finite at t = 1: the effective domain is
    // closed there (the slope (f*)' = 1/√(1−t) blows up instead).
    conj: (t) => 2 - 2 * Math.sqrt(1 - t), dconj: (t) => 1 / Math.sqrt(1 - t), dom: interval(-Infinity, 1, true, false),
    act: (v) => -Math.expm1(-v), dact: (v) => Math.exp(-v), range: below(1),
    threshold: 0, f1: 0,
    tex: {
      f: String.raw`\frac{(1-u)^2}{u}`, conj: String.raw`2-2\sqrt{1-t}`, activation: '1-e^{-v}', dom: String.raw`t\le 1`,
      threshold: '0',
    },
  };
}

function hellingerRow(): Row {
  return {
    name: { en: 'Squared Hellinger', zh: '平方 Hellinger 距离' },
    f: (u) => (Math.sqrt(u) - 1) ** 2, df: (u) => 1 - 1 / Math.sqrt(u), f0: 1,
    conj: (t) => t / (1 - t), dconj: (t) => 1 / ((1 - t) * (1 - t)), dom: below(1),
    act: (v) => -Math.expm1(-v), dact: (v) => Math.exp(-v), range: below(1),
    threshold: 0, f1: 0,
    tex: {
      f: String.raw`\left(\sqrt{u}-1\right)^2`, conj: String.raw`\frac{t}{1-t}`, activation: '1-e^{-v}', dom: 't<1',
      threshold: '0',
    },
  };
}

function jeffreyRow(): Row {
  // With w = W(e^{1−t}) the maximiser is u = 1/w, and log w = 1 − t − w turns the paper's w + 1/w + t − 2 into
  // 1/w − log w − 1, which has no cancellation between w and t when t ≪ 0 (then w ≈ 1 − t).
  return {
    name: { en: 'Jeffrey', zh: 'Jeffrey 散度' },
    f: (u) => (u - 1) * Math.log(u), df: (u) => Math.log(u) + 1 - 1 / u, f0: Infinity,
    conj: (t) => {
      const y = logLambertW0Exp(1 - t);
      return Math.exp(-y) - y - 1;
    },
    dconj: (t) => Math.exp(-logLambertW0Exp(1 - t)), dom: REAL,
    act: (v) => v, dact: () => 1, range: REAL,
    threshold: 0, f1: 0,
    tex: {
      f: String.raw`(u-1)\log u`,
      conj: String.raw`W\!\left(e^{1-t}\right)+\frac{1}{W\!\left(e^{1-t}\right)}+t-2`,
      activation: 'v', dom: String.raw`\mathbb{R}`, threshold: '0',
    },
  };
}

function jsRow(): Row {
  // 2 − e^t = −2·expm1(t − log 2) keeps f* accurate right up to the open end t = log 2.
  return {
    name: { en: 'Jensen-Shannon', zh: 'JS 散度' },
    f: (u) => (u + 1) * LN2 - u * Math.log1p(1 / u) - Math.log1p(u), df: (u) => LN2 - Math.log1p(1 / u), f0: LN2,
    conj: (t) => -LN2 - Math.log(-Math.expm1(t - LN2)),
    dconj: (t) => Math.exp(t - LN2) / -Math.expm1(t - LN2), dom: below(LN2),
    act: (v) => LN2 - softplus(-v), dact: (v) => sigmoid(-v), range: below(LN2),
    threshold: 0, f1: 0,
    tex: {
      f: String.raw`-(u+1)\log\frac{1+u}{2}+u\log u`, conj: String.raw`-\log\left(2-e^{t}\right)`,
      activation: String.raw`\log 2-\log\left(1+e^{-v}\right)`, dom: String.raw`t<\log 2`, threshold: '0',
    },
  };
}

function jsWeightedRow(pi: number): Row {
  const top = -pi * Math.log(pi);
  // a = t/π + log π < 0 inside the domain, and 1 − π e^{t/π} = −expm1(a).
  const a = (t: number) => t / pi + Math.log(pi);
  return {
    name: { en: 'Jensen-Shannon (weighted)', zh: '加权 JS 散度' },
    f: (u) => pi * u * Math.log(u) - (1 - pi + pi * u) * Math.log1p(pi * (u - 1)),
    df: (u) => pi * (Math.log(u) - Math.log1p(pi * (u - 1))),
    f0: -(1 - pi) * Math.log1p(-pi),
    conj: (t) => (1 - pi) * (Math.log1p(-pi) - Math.log(-Math.expm1(a(t)))),
    dconj: (t) => ((1 - pi) * Math.exp(t / pi)) / -Math.expm1(a(t)), dom: below(top),
    act: (v) => top - softplus(-v), dact: (v) => sigmoid(-v), range: below(top),
    threshold: 0, f1: 0,
    tex: {
      f: String.raw`\pi u\log u-(1-\pi+\pi u)\log(1-\pi+\pi u)`,
      conj: String.raw`(1-\pi)\log\frac{1-\pi}{1-\pi e^{t/\pi}}`,
      activation: String.raw`-\pi\log\pi-\log\left(1+e^{-v}\right)`, dom: String.raw`t<-\pi\log\pi`, threshold: '0',
    },
  };
}

function ganRow(): Row {
  return {
    name: { en: 'GAN', zh: 'GAN 散度' },
    f: (u) => -u * Math.log1p(1 / u) - Math.log1p(u), df: (u) => -Math.log1p(1 / u), f0: 0,
    conj: (t) => -Math.log(-Math.expm1(t)), dconj: (t) => Math.exp(t) / -Math.expm1(t), dom: below(0),
    act: (v) => -softplus(-v), dact: (v) => sigmoid(-v), range: below(0),
    threshold: -LN2, f1: -2 * LN2,
    tex: {
      f: String.raw`u\log u-(u+1)\log(u+1)`, conj: String.raw`-\log\left(1-e^{t}\right)`,
      activation: String.raw`-\log\left(1+e^{-v}\right)`, dom: 't<0', threshold: String.raw`-\log 2`,
    },
  };
}

function alphaRow(alpha: number): Row {
  const am1 = alpha - 1;
  const small = alpha < 1;
  // u^α − 1 and u^{α−1} − 1 through expm1: near u = 1 both are differences of nearly equal numbers.
  const f = (u: number) => (Math.expm1(alpha * Math.log(u)) - alpha * (u - 1)) / (alpha * am1);
  const df = (u: number) => Math.expm1(am1 * Math.log(u)) / am1;
  // w = 1 + t(α−1) = u^{α−1} at the maximiser. For α > 1 and w ≤ 0, f' never reaches t (inf f' = −1/(α−1)),
  // t·u − f(u) decreases in u and the sup is its limit at u → 0: −f(0) = −1/α.
  const conj = (t: number) => {
    const w = 1 + t * am1;
    return w > 0 ? Math.expm1((alpha / am1) * Math.log(w)) / alpha : -1 / alpha;
  };
  const dconj = (t: number) => {
    const w = 1 + t * am1;
    return w > 0 ? Math.pow(w, 1 / am1) : 0;
  };
  const top = 1 / (1 - alpha);
  const fTex = String.raw`\frac{u^{\alpha}-1-\alpha(u-1)}{\alpha(\alpha-1)}`;
  const conjTex = String.raw`\frac{1}{\alpha}\left(t(\alpha-1)+1\right)^{\frac{\alpha}{\alpha-1}}-\frac{1}{\alpha}`;
  return {
    name: { en: 'α-divergence', zh: 'α 散度' },
    f, df, f0: 1 / alpha, conj, dconj,
    dom: small ? below(top) : REAL,
    act: small ? (v) => top - softplus(-v) : (v) => v,
    dact: small ? (v) => sigmoid(-v) : () => 1,
    range: small ? below(top) : REAL,
    threshold: 0, f1: 0,
    tex: small
      ? {
        f: fTex, conj: conjTex, activation: String.raw`\frac{1}{1-\alpha}-\log\left(1+e^{-v}\right)`,
        dom: String.raw`t<\frac{1}{1-\alpha}`, threshold: '0',
      }
      : {
        f: fTex,
        conj: String.raw`\begin{cases}` + conjTex + String.raw` & t\ge -\frac{1}{\alpha-1}\\ -\frac{1}{\alpha} & t<-\frac{1}{\alpha-1}\end{cases}`,
        activation: 'v', dom: String.raw`\mathbb{R}`, threshold: '0',
      },
  };
}

function row(id: DivergenceId, p: DivergenceParams): Row {
  switch (id) {
    case 'tv': return tvRow();
    case 'kl': return klRow();
    case 'reverse-kl': return reverseKlRow();
    case 'pearson': return pearsonRow();
    case 'neyman': return neymanRow();
    case 'hellinger': return hellingerRow();
    case 'jeffrey': return jeffreyRow();
    case 'js': return jsRow();
    case 'js-weighted': return jsWeightedRow(p.pi);
    case 'gan': return ganRow();
    case 'alpha': return alphaRow(p.alpha);
  }
}

/** One row of the catalogue. Throws RangeError if the parameter this row uses is out of range. */
export function getDivergence(id: DivergenceId, params?: Partial<DivergenceParams>): Divergence {
  const p = validateParams(id, params);
  const r = row(id, p);
  const f: ScalarFn = {
    output: (u) => (u > 0 ? r.f(u) : u === 0 ? r.f0 : NaN),
    der: (u) => (u > 0 ? r.df(u) : NaN),
  };
  const conj: ScalarFn = {
    output: (t) => (inInterval(r.dom, t) ? r.conj(t) : Number.isNaN(t) ? NaN : Infinity),
    der: (t) => (inInterval(r.dom, t) ? r.dconj(t) : NaN),
  };
  return {
    id, name: r.name, params: p, f, conj,
    activation: { output: r.act, der: r.dact },
    domConj: r.dom, activationRange: r.range, threshold: r.threshold, f1: r.f1, tex: r.tex,
  };
}

/** lim_{u→0+} f(u) (= −inf f*): what q·f(p/q) is divided by q where p = 0. May be +∞. */
export function fAtZero(d: Divergence): number {
  return d.f.output(0);
}

/** lim_{u→∞} f(u)/u (= sup dom f*): what q·f(p/q) is divided by p where q = 0. May be +∞. */
export function fSlopeAtInfinity(d: Divergence): number {
  return d.domConj.hi;
}
