// Wideners: pure functions from a Transformer's weights to a wider Transformer's weights (widen), the way back from
// wide hidden states to narrow ones (narrowOf), and how far the copies of a unit have drifted apart (copySpread).
// One code path for Float32Array and Float64Array weights: every entry is computed in double and rounded once into
// the input's array type. The rules all come from the width map (widen-map.ts):
//   matrix A→B: W̃[j, l] = W[src_A(j), src_B(l)] · scale_B(l) / (scale_A(j)·count_A(src_A(j)));
//   bias, γ, β on B: b̃[l] = scale_B(l)·b[src_B(l)];   LayerNorm ε̃ = epsFactor·ε.
// For su with factor k this gives the article's table (https://kexue.fm/archives/8444): linear maps W/k and b/√k,
// first feed-forward layer W/√k with the bias repeated, second W/(k√k) and b/√k, queries and keys k^{1/4}·W/k and
// k^{1/4}·b/√k, embeddings /√k, ε/k.
// Symmetry breaking: every widened matrix reads a repeated input, so only the SUM over each group of input copies
// reaches an output. 'split' adds noise that sums to zero within each group, independently for every output column
// (noise that also cancelled across output copies would give the copies identical gradients and break nothing);
// outputs stay exact while the copies receive different gradients. 'noise' adds the same draws without the zero sum.
// Invariants: widen never mutates its input; with symmetry 'none' all copies of a unit are bitwise equal, so
// copySpread is exactly 0, and stays 0 under any training that treats copies alike.

import { Rng } from './rng.ts';
import { type Arr, type ParamInfo, type TransformerWeights, listParams, mapWeights, untie } from './transformer.ts';
import {
  METHOD_INFO, type SpaceMap, type WidenOptions, type WidthMap, resolveWidenOptions, widthMap,
} from './widen-map.ts';

export interface Widened<A extends Arr = Arr> {
  weights: TransformerWeights<A>;
  map: WidthMap;
  options: Required<WidenOptions>;
}

/** Narrow units that have at least two copies, each with the list of its wide units. */
export function copyGroups(space: SpaceMap): { unit: number; copies: number[] }[] {
  const lists = Array.from({ length: space.narrow }, () => [] as number[]);
  space.src.forEach((s, j) => { if (s >= 0) lists[s].push(j); });
  return lists.flatMap((copies, unit) => (copies.length > 1 ? [{ unit, copies }] : []));
}

function widenValues(info: ParamInfo, v: Arr, map: WidthMap): Float64Array {
  const B = map.spaces[info.outSpace];
  if (info.inSpace === null) {
    const extra = info.name.endsWith('.b2') ? map.b2Factor : 1;
    return Float64Array.from(B.src, (s, l) => (s < 0 ? 0 : v[s] * B.scale[l] * extra));
  }
  const A = map.spaces[info.inSpace];
  const out = new Float64Array(A.wide * B.wide);
  for (let j = 0; j < A.wide; j++) {
    const i = A.src[j];
    if (i < 0) continue;
    const rowFactor = 1 / (A.scale[j] * A.count[i]);
    for (let l = 0; l < B.wide; l++) {
      const s = B.src[l];
      if (s >= 0) out[j * B.wide + l] = v[i * B.narrow + s] * B.scale[l] * rowFactor;
    }
  }
  return out;
}

/** Adds split (zero-sum per group of input copies and per output column) or plain noise of std σ·RMS(W̃). */
function addNoise(out: Float64Array, cols: number, groups: { copies: number[] }[], split: boolean, scale: number, rng: Rng): void {
  if (groups.length === 0 || scale === 0) return;
  let ss = 0;
  for (const x of out) ss += x * x;
  const sigma = scale * Math.sqrt(ss / out.length);
  for (const { copies } of groups) {
    const n = copies.length;
    // centring n draws leaves variance (n−1)/n: rescale so split and plain noise have the same size
    const fix = split ? Math.sqrt(n / (n - 1)) : 1;
    const z = new Float64Array(n);
    for (let l = 0; l < cols; l++) {
      let mean = 0;
      for (let c = 0; c < n; c++) mean += (z[c] = rng.normal());
      mean = split ? mean / n : 0;
      for (let c = 0; c < n; c++) out[copies[c] * cols + l] += sigma * fix * (z[c] - mean);
    }
  }
}

/**
 * The wider model's weights (same array type as the input) with the map that describes them. Methods that need an
 * untied head (hypercloning, net2net) untie a tied model first: its output projection becomes the widened
 * transposed embedding.
 */
export function widen<A extends Arr>(weights: TransformerWeights<A>, options: WidenOptions): Widened<A> {
  const opts = resolveWidenOptions(options);
  const map = widthMap(weights.config, opts);
  const source = METHOD_INFO[opts.method].unties && weights.config.tied ? untie(weights) : weights;
  const make = weights.tokenEmbedding.constructor as new (src: ArrayLike<number>) => A;
  const noiseRng = new Rng(opts.seed).stream('symmetry');
  const wide = mapWeights(source, map.wideConfig, (info, v) => {
    const out = widenValues(info, v, map);
    if (opts.symmetry !== 'none' && info.role === 'weight') {
      const groups = copyGroups(map.spaces[info.inSpace!]);
      addNoise(out, map.spaces[info.outSpace].wide, groups, opts.symmetry === 'split', opts.noiseScale, noiseRng.stream(info.name));
    }
    return new make(out);
  }, (eps) => eps * map.epsFactor);
  return { weights: wide, map, options: opts };
}

/**
 * Maps wide values back to narrow ones on one space (the residual stream by default): for each narrow unit the
 * mean of its copies, each divided by its scale. For su that is Σ_copies x̃ / √k; for hypercloning and net2net the
 * mean of the copies (equal to any one copy while they agree); zero units are ignored. `wide` is [rows, wide width].
 * Exact methods give back the narrow values to rounding, so the difference locates where a broken method's error
 * enters.
 */
export function narrowOf(map: WidthMap, wide: ArrayLike<number>, rows: number, space: keyof WidthMap['spaces'] = 'model'): Float64Array {
  const m = map.spaces[space];
  if (wide.length !== rows * m.wide) throw new RangeError(`narrowOf: expected ${rows}×${m.wide} values, got ${wide.length}`);
  const out = new Float64Array(rows * m.narrow);
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < m.wide; j++) {
      const i = m.src[j];
      if (i >= 0) out[t * m.narrow + i] += wide[t * m.wide + j] / (m.scale[j] * m.count[i]);
    }
  }
  return out;
}

export interface CopySpread {
  /** the largest spread over all parameters */
  max: number;
  /** spread per parameter name (only parameters whose output units have copies) */
  perParam: Record<string, number>;
}

/**
 * How different the copies of each unit have become. A unit's effective incoming weights are its column of each
 * matrix summed over each group of input copies (what the unit computes from the narrow input; split noise does not
 * change it), plus its bias and LayerNorm γ, β. The spread is, over all narrow units with two or more copies and all
 * their effective incoming weights, the largest max − min across the copies. Exactly 0 when copies are identical;
 * 0 up to rounding right after a 'split' widening; growing as training drives split copies apart.
 * `weights` must have the wide shapes of `map` (e.g. read back from a trained wide model).
 */
export function copySpread(weights: TransformerWeights, map: WidthMap): CopySpread {
  const wc = map.wideConfig;
  const c = weights.config;
  if (c.dModel !== wc.dModel || c.dFF !== wc.dFF || c.heads * c.dHead !== wc.heads * wc.dHead) {
    throw new RangeError('copySpread: the weights do not have the shapes of this width map');
  }
  const perParam: Record<string, number> = {};
  let max = 0;
  for (const { info, value } of listParams(weights)) {
    const B = map.spaces[info.outSpace];
    const groups = copyGroups(B);
    if (groups.length === 0) continue;
    // effective incoming weights: [narrow input units, wide output units]
    let eff: Float64Array | Arr = value;
    let rows = 1;
    if (info.inSpace !== null) {
      const A = map.spaces[info.inSpace];
      rows = A.narrow;
      const sum = new Float64Array(rows * B.wide);
      for (let j = 0; j < A.wide; j++) {
        const i = A.src[j];
        if (i >= 0) for (let l = 0; l < B.wide; l++) sum[i * B.wide + l] += value[j * B.wide + l];
      }
      eff = sum;
    }
    let spread = 0;
    for (const { copies } of groups) {
      for (let i = 0; i < rows; i++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const l of copies) {
          const x = eff[i * B.wide + l];
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
        if (hi - lo > spread) spread = hi - lo;
      }
    }
    perParam[info.name] = spread;
    if (spread > max) max = spread;
  }
  return { max, perParam };
}
