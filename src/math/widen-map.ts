// Where every unit of a widened Transformer comes from: for each space of transformer.ts (model, ff, qk, v; vocab and
// pos are never widened) a map from wide unit j to the narrow unit src[j] it copies, the factor `scale[j]` by which
// its VALUE (not its weights) differs from the narrow unit's, and how many wide units copy each narrow unit. Every
// widening rule then follows from one identity (widen.ts): a matrix from space A to space B becomes
//   W̃[j, l] = W[src_A(j), src_B(l)] · scale_B(l) / (scale_A(j) · count_A(src_A(j))),
// because the count_A copies of input i together carry count_A·scale_A·x_i. The methods:
//  - su (Su Jianlin, https://kexue.fm/archives/8444): interleaved repetition x̃ = [x₁,…,x₁, x₂,…]/√k, same heads, each
//    head k times wider; queries and keys scaled by k^{-1/4} each, so q̃·k̃/√(k·dHead) = q·k/√dHead; the feed-forward
//    hidden layer is repeated unscaled (GELU is not homogeneous); LayerNorm ε → ε/k on the scaled residual stream.
//  - su-as-printed, no-attn-factor, no-eps-fix, tile: su with one thing wrong on purpose (the article's printed b/k
//    for the second feed-forward bias; no k^{1/4}; ε kept; tiling [x, x] with the same heads, which mixes heads, so
//    tile is wrong only with two or more heads).
//  - hypercloning (Samragh et al., https://arxiv.org/abs/2409.12903): tiled copies without scaling, n times the heads
//    at the same head width; LayerNorm statistics of [x, x] equal those of x, so ε stays.
//  - net2net (Chen, Goodfellow, Shlens, https://arxiv.org/abs/1511.05641), Net2WiderNet at any width: unit j copies
//    itself for j < n and a random unit otherwise, on the residual stream, the feed-forward and, head by head, the
//    attention (the head expansion of bert2BERT's FPI, https://arxiv.org/abs/2110.07143). Exact for elementwise
//    activations, not through LayerNorm: its mean and variance weigh each residual unit by its number of copies, so it
//    is exact only when every unit has the same count (a permutation of whole copies, e.g. tiling).
//  - zero-pad: new units are zeros (and new heads are not added); LayerNorm statistics change.
// Invariants: maps are deterministic in (config, options); src[j] = -1 marks a zero unit (scale 0); copies of one
// narrow unit share their scale, so a unit's copies are interchangeable.

import { Rng } from './rng.ts';
import type { Space, TransformerConfig } from './transformer.ts';

export const WIDEN_METHODS = [
  'su', 'su-as-printed', 'no-attn-factor', 'no-eps-fix', 'tile', 'hypercloning', 'net2net', 'zero-pad',
] as const;
export type WidenMethod = (typeof WIDEN_METHODS)[number];

export const SYMMETRY_MODES = ['none', 'split', 'noise'] as const;
/** none: copies identical; split: zero-sum noise within each group of copies (outputs stay exact); noise: the same
 * noise without the zero sum (outputs move). */
export type SymmetryMode = (typeof SYMMETRY_MODES)[number];

export interface MethodInfo {
  /** reproduces the narrow model's logits up to rounding */
  exact: boolean;
  /** factor may be any real ≥ 1 (else an integer ≥ 1) */
  anyWidth: boolean;
  /** the output head must be untied (a tied head would give the wrong logits) */
  unties: boolean;
  /** one line for a legend */
  note: string;
}

export const METHOD_INFO: Readonly<Record<WidenMethod, MethodInfo>> = {
  su: { exact: true, anyWidth: false, unties: false, note: 'interleaved repeat /√k, q and k ×k^{1/4}, LayerNorm ε/k' },
  'su-as-printed': { exact: false, anyWidth: false, unties: false, note: 'second feed-forward bias b/k (as printed) instead of b/√k' },
  'no-attn-factor': { exact: false, anyWidth: false, unties: false, note: 'no k^{1/4} on queries and keys: attention scores shrink by √k' },
  'no-eps-fix': { exact: false, anyWidth: false, unties: false, note: 'LayerNorm keeps ε on a residual stream scaled by 1/√k' },
  tile: { exact: false, anyWidth: false, unties: false, note: 'tiled [x, x] with the same heads: each wide head mixes old heads' },
  hypercloning: { exact: true, anyWidth: false, unties: true, note: 'tiled [x, x], n× heads of the same width, weights /n, head untied' },
  net2net: { exact: false, anyWidth: true, unties: true, note: 'random copies, incoming copied, outgoing /count; LayerNorm exact only for even counts' },
  'zero-pad': { exact: false, anyWidth: true, unties: false, note: 'new units zero: LayerNorm mean and variance change' },
};

export interface WidenOptions {
  method: WidenMethod;
  /** k (su family), n (hypercloning): integer ≥ 1; net2net, zero-pad: real ≥ 1, widths rounded */
  factor: number;
  /** default 'none' */
  symmetry?: SymmetryMode;
  /** seeds net2net's random mapping and the symmetry noise (default 0) */
  seed?: number | string;
  /** std of the symmetry noise relative to each widened matrix's RMS (default 0.1) */
  noiseScale?: number;
}

export interface SpaceMap {
  narrow: number;
  wide: number;
  /** narrow unit copied by wide unit j, or -1 (a zero unit) */
  src: Int32Array;
  /** value of wide unit j = scale[j] · value of narrow unit src[j] */
  scale: Float64Array;
  /** number of wide units copying narrow unit i */
  count: Int32Array;
}

export interface WidthMap {
  method: WidenMethod;
  factor: number;
  narrowConfig: TransformerConfig;
  wideConfig: TransformerConfig;
  spaces: Record<Space, SpaceMap>;
  /** LayerNorm ε multiplier: scale² of the residual stream where repetition scales it uniformly (1/k for su) */
  epsFactor: number;
  /** extra factor on each block's second feed-forward bias (1 except su-as-printed: 1/√k, giving b/k) */
  b2Factor: number;
}

function build(narrow: number, src: Int32Array, scaleOf: (j: number) => number): SpaceMap {
  const count = new Int32Array(narrow);
  const scale = new Float64Array(src.length);
  src.forEach((s, j) => {
    if (s >= 0) {
      count[s]++;
      scale[j] = scaleOf(j);
    }
  });
  return { narrow, wide: src.length, src, scale, count };
}

/** [x₁,…,x₁, x₂,…,x₂, …]: wide unit j copies j div k. */
export function interleaved(n: number, k: number, scale: number): SpaceMap {
  return build(n, Int32Array.from({ length: n * k }, (_, j) => Math.floor(j / k)), () => scale);
}

/** [x, x, …]: wide unit j copies j mod n. */
export function tiled(n: number, k: number, scale: number): SpaceMap {
  return build(n, Int32Array.from({ length: n * k }, (_, j) => j % n), () => scale);
}

/** The first n units are themselves, the rest zero. */
export function padded(n: number, wide: number): SpaceMap {
  return build(n, Int32Array.from({ length: wide }, (_, j) => (j < n ? j : -1)), () => 1);
}

/** Net2Net's g: itself for j < n, uniform over the old units otherwise; `block` groups units (a head of dHead units
 * is copied whole). */
export function randomCopies(n: number, wide: number, rng: Rng, block = 1): SpaceMap {
  const blocks = n / block;
  const pick = Array.from({ length: wide / block }, (_, b) => (b < blocks ? b : rng.int(blocks)));
  return build(n, Int32Array.from({ length: wide }, (_, j) => pick[Math.floor(j / block)] * block + (j % block)), () => 1);
}

function identity(n: number): SpaceMap {
  return interleaved(n, 1, 1);
}

/** Checks the options and fills their defaults. */
export function resolveWidenOptions(o: WidenOptions): Required<WidenOptions> {
  if (!WIDEN_METHODS.includes(o.method)) throw new RangeError(`unknown widening method ${String(o.method)}`);
  const symmetry = o.symmetry ?? 'none';
  if (!SYMMETRY_MODES.includes(symmetry)) throw new RangeError(`symmetry must be one of ${SYMMETRY_MODES.join(', ')}`);
  const f = o.factor;
  if (!(Number.isFinite(f) && f >= 1)) throw new RangeError(`factor must be ≥ 1, got ${f}`);
  if (!METHOD_INFO[o.method].anyWidth && !Number.isInteger(f)) throw new RangeError(`${o.method} needs an integer factor, got ${f}`);
  const noiseScale = o.noiseScale ?? 0.1;
  if (!(noiseScale >= 0 && Number.isFinite(noiseScale))) throw new RangeError(`noiseScale must be ≥ 0, got ${noiseScale}`);
  return { method: o.method, factor: f, symmetry, seed: o.seed ?? 0, noiseScale };
}

/** The width map of a widening; `widen` uses it, and so do narrowOf and copySpread. */
export function widthMap(config: TransformerConfig, options: WidenOptions): WidthMap {
  const { method, factor: k, seed } = resolveWidenOptions(options);
  const c = config;
  const attn = c.heads * c.dHead;
  let spaces: Omit<Record<Space, SpaceMap>, 'vocab' | 'pos'>;
  let wide: TransformerConfig;
  let epsFactor = 1;
  let b2Factor = 1;
  switch (method) {
    case 'su': case 'su-as-printed': case 'no-attn-factor': case 'no-eps-fix': case 'tile': {
      const lay = method === 'tile' ? tiled : interleaved;
      const s = 1 / Math.sqrt(k);
      spaces = {
        model: lay(c.dModel, k, s),
        ff: lay(c.dFF, k, 1),
        qk: lay(attn, k, method === 'no-attn-factor' ? s : k ** -0.25),
        v: lay(attn, k, s),
      };
      wide = { ...c, dModel: c.dModel * k, dFF: c.dFF * k, dHead: c.dHead * k };
      if (method !== 'no-eps-fix') epsFactor = 1 / k;
      if (method === 'su-as-printed') b2Factor = 1 / Math.sqrt(k);
      break;
    }
    case 'hypercloning':
      spaces = { model: tiled(c.dModel, k, 1), ff: tiled(c.dFF, k, 1), qk: tiled(attn, k, 1), v: tiled(attn, k, 1) };
      wide = { ...c, dModel: c.dModel * k, dFF: c.dFF * k, heads: c.heads * k, tied: false };
      break;
    case 'net2net': {
      const rng = new Rng(seed).stream('net2net');
      const heads = Math.round(c.heads * k);
      const qkv = randomCopies(attn, heads * c.dHead, rng.stream('heads'), c.dHead);
      spaces = {
        model: randomCopies(c.dModel, Math.round(c.dModel * k), rng.stream('model')),
        ff: randomCopies(c.dFF, Math.round(c.dFF * k), rng.stream('ff')),
        qk: qkv,
        v: qkv,
      };
      wide = { ...c, dModel: spaces.model.wide, dFF: spaces.ff.wide, heads, tied: false };
      break;
    }
    case 'zero-pad':
      spaces = {
        model: padded(c.dModel, Math.round(c.dModel * k)), ff: padded(c.dFF, Math.round(c.dFF * k)),
        qk: identity(attn), v: identity(attn),
      };
      wide = { ...c, dModel: spaces.model.wide, dFF: spaces.ff.wide };
      break;
  }
  return {
    method, factor: k, narrowConfig: { ...c }, wideConfig: wide,
    spaces: { ...spaces, vocab: identity(c.vocab), pos: identity(c.maxLen) },
    epsFactor, b2Factor,
  };
}
