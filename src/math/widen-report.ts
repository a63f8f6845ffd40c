// What the widening explainer reports about one widening, computed in float64 (https://kexue.fm/archives/8444): the
// comparison of widen-compare.ts on the reader's input plus a fixed set of sequences, the first place along the
// depth where a method's error enters, and the same for every method at once (the overview a reader takes in at a
// glance). The widget runs this on the main thread: it is plain arithmetic on a 5k-parameter model, a few tens of
// milliseconds for all eight methods. Invariant: a stage is "broken" when its |Δ| exceeds BREAK_THRESHOLD, far above
// float64 rounding (~1e-15) and far below any real error (no-eps-fix's 1e-4 at ε = 1e-5 is the smallest).

import { makeTask, rowsOf } from './digit-task.ts';
import { type TransformerWeights, castWeights, mapWeights } from './transformer.ts';
import { type Comparison, compare } from './widen-compare.ts';
import { WIDEN_METHODS, type SymmetryMode, type WidenMethod } from './widen-map.ts';
import { type Widened, widen } from './widen.ts';

export const BREAK_THRESHOLD = 1e-9;

/** Where along the forward pass a difference is first seen. */
export type Stage =
  | { kind: 'embeddings' }
  | { kind: 'attention' | 'feed-forward'; block: number }
  | { kind: 'logits' };

export interface WidenReport {
  method: WidenMethod;
  factor: number;
  symmetry: SymmetryMode;
  comparison: Comparison;
  /** first stage whose |Δ| exceeds BREAK_THRESHOLD; null when every stage stays within it */
  breaksAt: Stage | null;
}

/** The same weights with every LayerNorm's ε replaced (the reader's ε control; the widener then scales it). */
export function withEps<W extends TransformerWeights>(w: W, eps: number): W {
  return mapWeights(w, w.config, (_info, v) => v, () => eps) as W;
}

/** The reader's sequence first, then `extra` fixed sequences of the task's length (the same for every call). */
export function evaluationInputs(first: readonly number[], extra = 7, length = 8): number[][] {
  const fixed = rowsOf(makeTask('reverse', 'evaluation', { length }).batch(Math.max(1, extra)).inputs, length);
  return [[...first], ...fixed.slice(0, extra).map((r) => Array.from(r))];
}

export function breaksAt(c: Comparison, threshold = BREAK_THRESHOLD): Stage | null {
  if (c.perLayerMaxAbsDiff[0] > threshold) return { kind: 'embeddings' };
  for (let l = 0; l < c.afterAttentionMaxAbsDiff.length; l++) {
    if (c.afterAttentionMaxAbsDiff[l] > threshold) return { kind: 'attention', block: l + 1 };
    if (c.perLayerMaxAbsDiff[l + 1] > threshold) return { kind: 'feed-forward', block: l + 1 };
  }
  return c.maxAbsDiff > threshold ? { kind: 'logits' } : null;
}

export interface ReportOptions {
  method: WidenMethod;
  factor: number;
  symmetry: SymmetryMode;
  seed: number;
}

/** Widens `small` (any precision; widened in float64 so that exact methods show ~1e-15) and compares on `inputs`. */
export function widenAndCompare(small: TransformerWeights, o: ReportOptions, inputs: readonly number[][]): { report: WidenReport; wide: Widened<Float64Array> } {
  const narrow = small.tokenEmbedding instanceof Float64Array ? small as TransformerWeights<Float64Array> : castWeights(small, Float64Array);
  const wide = widen(narrow, { method: o.method, factor: o.factor, symmetry: o.symmetry, seed: o.seed });
  const comparison = compare(narrow, wide, inputs);
  return { report: { ...o, comparison, breaksAt: breaksAt(comparison) }, wide };
}

/** Every method at one factor without symmetry noise (noise is a separate question), on the same inputs. */
export function overview(small: TransformerWeights, factor: number, seed: number, inputs: readonly number[][]): WidenReport[] {
  const narrow = castWeights(small, Float64Array);
  return WIDEN_METHODS.map((method) => widenAndCompare(narrow, { method, factor, symmetry: 'none', seed }, inputs).report);
}
