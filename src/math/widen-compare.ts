// How far a widened Transformer's outputs are from the narrow one's, and where along the depth the difference
// enters. The wide model's residual stream is mapped back to narrow width with narrowOf (widen.ts) after the
// embeddings, after each block's attention half and after each block, and compared with the narrow model's; the
// logits (never widened) are compared directly. `compare` runs the float64 reference (transformer-forward.ts), so an
// exact method shows ~1e-15 and a broken one shows its own error, not float32 noise; `compareTraces` accepts states
// from anywhere (the tfjs model's float32 states, for instance). Widen float64 weights for the 1e-15 yardstick:
// widening float32 weights rounds each scaled entry (w/√2 is not a float32), which alone moves su's logits by ~1e-6
// (HyperCloning's /2 and /4 are exact in binary). Invariant: entries are maxima of |Δ| over all sequences,
// positions and units.

import { forward } from './transformer-forward.ts';
import type { TransformerWeights } from './transformer.ts';
import type { WidthMap } from './widen-map.ts';
import { narrowOf } from './widen.ts';

export interface Comparison {
  /** largest |Δ| of the logits */
  maxAbsDiff: number;
  /** largest |Δ| of the residual stream after the embeddings (index 0) and after each block (index l) */
  perLayerMaxAbsDiff: number[];
  /** largest |Δ| of the residual stream after each block's attention half */
  afterAttentionMaxAbsDiff: number[];
  /** largest |logit| of the narrow model: the scale against which maxAbsDiff reads */
  maxAbsLogit: number;
}

/** States of one sequence's forward pass, in any precision. */
export interface TraceLike {
  length: number;
  logits: ArrayLike<number>;
  hidden: ArrayLike<number>[];
  afterAttention: ArrayLike<number>[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`compared arrays differ in length: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    // NaN must not hide as "no difference"
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function emptyComparison(layers: number): Comparison {
  return {
    maxAbsDiff: 0, perLayerMaxAbsDiff: new Array<number>(layers + 1).fill(0),
    afterAttentionMaxAbsDiff: new Array<number>(layers).fill(0), maxAbsLogit: 0,
  };
}

/** Folds one sequence's narrow and wide states into `into` (element-wise maxima); returns `into`. */
export function compareTraces(narrow: TraceLike, wide: TraceLike, map: WidthMap, into?: Comparison): Comparison {
  const L = narrow.hidden.length - 1;
  const acc = into ?? emptyComparison(L);
  const T = narrow.length;
  acc.maxAbsDiff = Math.max(acc.maxAbsDiff, maxAbsDiff(narrow.logits, wide.logits));
  acc.maxAbsLogit = Math.max(acc.maxAbsLogit, maxAbs(narrow.logits));
  for (let l = 0; l <= L; l++) {
    const d = maxAbsDiff(narrow.hidden[l], narrowOf(map, wide.hidden[l], T));
    acc.perLayerMaxAbsDiff[l] = Math.max(acc.perLayerMaxAbsDiff[l], d);
  }
  for (let l = 0; l < L; l++) {
    const d = maxAbsDiff(narrow.afterAttention[l], narrowOf(map, wide.afterAttention[l], T));
    acc.afterAttentionMaxAbsDiff[l] = Math.max(acc.afterAttentionMaxAbsDiff[l], d);
  }
  return acc;
}

/** Narrow vs wide on each input sequence, in float64. `wide` is widen()'s result (or any weights with their map). */
export function compare(
  narrow: TransformerWeights, wide: { weights: TransformerWeights; map: WidthMap }, inputs: readonly ArrayLike<number>[],
): Comparison {
  if (inputs.length === 0) throw new RangeError('compare needs at least one input sequence');
  const acc = emptyComparison(narrow.config.layers);
  for (const seq of inputs) compareTraces(forward(narrow, seq), forward(wide.weights, seq), wide.map, acc);
  return acc;
}
