// A tiny Transformer encoder as plain data: the configuration, the weights layout shared by the float64 reference
// (transformer-forward.ts), the wideners (widen.ts) and the tfjs model (src/models/transformer.ts), and a seeded
// initialisation. Architecture: token + position embeddings, `layers` blocks of multi-head self-attention (scores
// scaled by 1/√dHead, no mask: every position sees the whole sequence) and a GELU feed-forward, residuals with
// LayerNorm either after each block (post-LN, as in BERT, Devlin et al., https://arxiv.org/abs/1810.04805, with a
// LayerNorm on the embeddings) or before it (pre-LN, Xiong et al., https://arxiv.org/abs/2002.04745, with a final
// LayerNorm), and an output head tied to the token embedding or untied.
// Invariants: matrices are row-major [in, out] (y = x·W + b); embeddings are [rows, dModel]; the attention width is
// heads·dHead and need NOT equal dModel (HyperCloning and Net2Net change heads without changing the head width);
// every LayerNorm carries its own ε, because widening by repetition changes ε only where the input is scaled
// (https://kexue.fm/archives/8444). `mapWeights` is the one place that walks the structure: every other module that
// visits all parameters goes through it, so adding a parameter cannot be forgotten by one of them.

import { Rng } from './rng.ts';

export type Norm = 'post' | 'pre';

export interface TransformerConfig {
  /** number of token symbols (input and output share it) */
  vocab: number;
  /** longest sequence the position embedding covers */
  maxLen: number;
  dModel: number;
  heads: number;
  /** width of one head; heads·dHead is the attention width */
  dHead: number;
  layers: number;
  /** hidden width of the feed-forward */
  dFF: number;
  norm: Norm;
  /** output head = token embedding transposed (no outW) */
  tied: boolean;
}

export type Arr = Float32Array | Float64Array;

export interface LayerNormParams<A extends Arr = Arr> {
  gamma: A;
  beta: A;
  eps: number;
}

export interface LayerWeights<A extends Arr = Arr> {
  /** [dModel, heads·dHead] */
  wq: A; bq: A; wk: A; bk: A; wv: A; bv: A;
  /** [heads·dHead, dModel] */
  wo: A; bo: A;
  /** post-LN: after attention; pre-LN: before it */
  ln1: LayerNormParams<A>;
  /** [dModel, dFF], [dFF], [dFF, dModel], [dModel] */
  w1: A; b1: A; w2: A; b2: A;
  ln2: LayerNormParams<A>;
}

export interface TransformerWeights<A extends Arr = Arr> {
  config: TransformerConfig;
  /** [vocab, dModel] */
  tokenEmbedding: A;
  /** [maxLen, dModel] */
  positionEmbedding: A;
  /** post-LN only (BERT's embedding LayerNorm); null for pre-LN */
  embeddingNorm: LayerNormParams<A> | null;
  layers: LayerWeights<A>[];
  /** pre-LN only; null for post-LN */
  finalNorm: LayerNormParams<A> | null;
  /** [dModel, vocab] when untied; null when tied */
  outW: A | null;
  /** [vocab], kept in both cases */
  outB: A;
}

/** Which axis a parameter's rows or columns live on; the wideners map each space separately. `qk` and `v` are the
 * attention width on the query/key side and on the value side (they differ: queries and keys carry the k^{1/4}). */
export type Space = 'vocab' | 'pos' | 'model' | 'qk' | 'v' | 'ff';

export type ParamRole = 'embedding' | 'weight' | 'bias' | 'gamma' | 'beta';

export interface ParamInfo {
  /** stable dotted name, e.g. 'layers.1.w2' */
  name: string;
  role: ParamRole;
  /** block index, or -1 outside the blocks */
  layer: number;
  /** space of the rows (null for vectors) */
  inSpace: Space | null;
  /** space of the columns (of the entries, for vectors) */
  outSpace: Space;
  rows: number;
  cols: number;
}

/** vocab 10 (the digits), length 8, dModel 16 with 2 heads of 8, 2 layers, dFF 32 (the usual 2×–4× of dModel, kept
 * at 2× for speed), post-LN and tied as in BERT. About 4.8k parameters: reverse is learnt in about 200 Adam steps,
 * so a browser trains it in tens of seconds, and a 4× widening (dModel 64) still compares in milliseconds. */
export const DEFAULT_TRANSFORMER: Readonly<TransformerConfig> = Object.freeze({
  vocab: 10, maxLen: 8, dModel: 16, heads: 2, dHead: 8, layers: 2, dFF: 32, norm: 'post', tied: true,
});

/** LayerNorm ε of BERT-style code (PyTorch's default). */
export const DEFAULT_EPS = 1e-5;

export function validateConfig(c: TransformerConfig): void {
  for (const key of ['vocab', 'maxLen', 'dModel', 'heads', 'dHead', 'layers', 'dFF'] as const) {
    const v = c[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${key} must be a positive integer, got ${v}`);
  }
  if (c.norm !== 'post' && c.norm !== 'pre') throw new RangeError(`norm must be 'post' or 'pre', got ${String(c.norm)}`);
}

type Visit<A extends Arr, B extends Arr> = (info: ParamInfo, value: A) => B;

/**
 * Rebuilds the weights parameter by parameter: `f` gets each parameter's description (shapes from `from.config`)
 * and returns the new array; `eps` maps each LayerNorm's ε; `config` is the result's configuration (the caller
 * keeps the shapes consistent with it). `from.outW` is visited only when present.
 */
export function mapWeights<A extends Arr, B extends Arr>(
  from: TransformerWeights<A>, config: TransformerConfig, f: Visit<A, B>, eps: (e: number) => number = (e) => e,
): TransformerWeights<B> {
  const c = from.config;
  const attn = c.heads * c.dHead;
  const mat = (name: string, layer: number, role: ParamRole, inSpace: Space, outSpace: Space, rows: number, cols: number, v: A) =>
    f({ name, role, layer, inSpace, outSpace, rows, cols }, v);
  const vec = (name: string, layer: number, role: ParamRole, space: Space, n: number, v: A) =>
    f({ name, role, layer, inSpace: null, outSpace: space, rows: 1, cols: n }, v);
  const ln = (name: string, layer: number, p: LayerNormParams<A>): LayerNormParams<B> => ({
    gamma: vec(`${name}.gamma`, layer, 'gamma', 'model', c.dModel, p.gamma),
    beta: vec(`${name}.beta`, layer, 'beta', 'model', c.dModel, p.beta),
    eps: eps(p.eps),
  });
  return {
    config: { ...config },
    tokenEmbedding: mat('tokenEmbedding', -1, 'embedding', 'vocab', 'model', c.vocab, c.dModel, from.tokenEmbedding),
    positionEmbedding: mat('positionEmbedding', -1, 'embedding', 'pos', 'model', c.maxLen, c.dModel, from.positionEmbedding),
    embeddingNorm: from.embeddingNorm ? ln('embeddingNorm', -1, from.embeddingNorm) : null,
    layers: from.layers.map((l, i) => {
      const p = `layers.${i}.`;
      return {
        wq: mat(`${p}wq`, i, 'weight', 'model', 'qk', c.dModel, attn, l.wq),
        bq: vec(`${p}bq`, i, 'bias', 'qk', attn, l.bq),
        wk: mat(`${p}wk`, i, 'weight', 'model', 'qk', c.dModel, attn, l.wk),
        bk: vec(`${p}bk`, i, 'bias', 'qk', attn, l.bk),
        wv: mat(`${p}wv`, i, 'weight', 'model', 'v', c.dModel, attn, l.wv),
        bv: vec(`${p}bv`, i, 'bias', 'v', attn, l.bv),
        wo: mat(`${p}wo`, i, 'weight', 'v', 'model', attn, c.dModel, l.wo),
        bo: vec(`${p}bo`, i, 'bias', 'model', c.dModel, l.bo),
        ln1: ln(`${p}ln1`, i, l.ln1),
        w1: mat(`${p}w1`, i, 'weight', 'model', 'ff', c.dModel, c.dFF, l.w1),
        b1: vec(`${p}b1`, i, 'bias', 'ff', c.dFF, l.b1),
        w2: mat(`${p}w2`, i, 'weight', 'ff', 'model', c.dFF, c.dModel, l.w2),
        b2: vec(`${p}b2`, i, 'bias', 'model', c.dModel, l.b2),
        ln2: ln(`${p}ln2`, i, l.ln2),
      };
    }),
    finalNorm: from.finalNorm ? ln('finalNorm', -1, from.finalNorm) : null,
    outW: from.outW ? mat('outW', -1, 'weight', 'model', 'vocab', c.dModel, c.vocab, from.outW) : null,
    outB: vec('outB', -1, 'bias', 'vocab', c.vocab, from.outB),
  };
}

/** Every parameter with its description, in a fixed order (the order of `mapWeights`). */
export function listParams<A extends Arr>(w: TransformerWeights<A>): { info: ParamInfo; value: A }[] {
  const out: { info: ParamInfo; value: A }[] = [];
  mapWeights(w, w.config, (info, value) => {
    out.push({ info, value });
    return value;
  });
  return out;
}

export function countParams(w: TransformerWeights): number {
  return listParams(w).reduce((n, p) => n + p.value.length, 0);
}

/** The same weights in another precision (a copy; ε is kept). */
export function castWeights<B extends Arr>(w: TransformerWeights, make: new (src: ArrayLike<number>) => B): TransformerWeights<B> {
  return mapWeights(w, w.config, (_info, v) => new make(v));
}

/** The untied equivalent: outW = tokenEmbeddingᵀ, same function. No-op copy for untied weights. */
export function untie<A extends Arr>(w: TransformerWeights<A>): TransformerWeights<A> {
  const copy = mapWeights(w, { ...w.config, tied: false }, (_info, v) => v.slice() as A);
  if (w.config.tied) {
    const { vocab, dModel } = w.config;
    const e = w.tokenEmbedding;
    const outW = new (e.constructor as new (n: number) => A)(vocab * dModel);
    for (let t = 0; t < vocab; t++) for (let i = 0; i < dModel; i++) outW[i * vocab + t] = e[t * dModel + i];
    copy.outW = outW;
  }
  return copy;
}

export interface InitOptions {
  seed: number | string;
  /** ε of every LayerNorm (default 1e-5) */
  eps?: number;
  /** std of the random part of biases, γ − 1 and β (default 0.1). Non-zero so that an untrained model already
   * exercises every bias and LayerNorm rule of a widener (a bias rule cannot fail on a zero bias). */
  affineStd?: number;
  /** std of the embeddings (default 0.25: tied logits start with std ≈ 0.25·√dModel = 1 at dModel 16, so the first
   * loss is near log(vocab) and the default model learns 'reverse' in about 150 steps instead of 250 at 0.5) */
  embeddingStd?: number;
}

/**
 * Seeded float64 initialisation: weight matrices N(0, 1/fan_in) (unit-variance pre-activations), embeddings
 * N(0, embeddingStd²). Each parameter draws from its own stream (keyed by name), so changing one shape never
 * shifts the others. Use `castWeights(w, Float32Array)` for the tfjs model.
 */
export function initTransformer(config: TransformerConfig, opts: InitOptions): TransformerWeights<Float64Array> {
  validateConfig(config);
  const eps = opts.eps ?? DEFAULT_EPS;
  const affine = opts.affineStd ?? 0.1;
  const embStd = opts.embeddingStd ?? 0.25;
  if (!(eps >= 0) || !(affine >= 0) || !(embStd > 0)) throw new RangeError('eps, affineStd ≥ 0 and embeddingStd > 0 required');
  const root = new Rng(opts.seed);
  const c = config;
  const attn = c.heads * c.dHead;
  // A skeleton with the right shapes (zeros) that mapWeights then fills, so the structure is written once.
  const zeros = (n: number) => new Float64Array(n);
  const lnZero = (): LayerNormParams<Float64Array> => ({ gamma: zeros(c.dModel), beta: zeros(c.dModel), eps });
  const skeleton: TransformerWeights<Float64Array> = {
    config: { ...c },
    tokenEmbedding: zeros(c.vocab * c.dModel),
    positionEmbedding: zeros(c.maxLen * c.dModel),
    embeddingNorm: c.norm === 'post' ? lnZero() : null,
    layers: Array.from({ length: c.layers }, () => ({
      wq: zeros(c.dModel * attn), bq: zeros(attn), wk: zeros(c.dModel * attn), bk: zeros(attn),
      wv: zeros(c.dModel * attn), bv: zeros(attn), wo: zeros(attn * c.dModel), bo: zeros(c.dModel),
      ln1: lnZero(), w1: zeros(c.dModel * c.dFF), b1: zeros(c.dFF), w2: zeros(c.dFF * c.dModel), b2: zeros(c.dModel),
      ln2: lnZero(),
    })),
    finalNorm: c.norm === 'pre' ? lnZero() : null,
    outW: c.tied ? null : zeros(c.dModel * c.vocab),
    outB: zeros(c.vocab),
  };
  return mapWeights(skeleton, c, (info, v) => {
    const rng = root.stream(info.name);
    switch (info.role) {
      case 'embedding': return rng.fillNormal(v, 0, embStd);
      case 'weight': return rng.fillNormal(v, 0, 1 / Math.sqrt(info.rows));
      case 'gamma': return rng.fillNormal(v, 1, affine);
      case 'bias':
      case 'beta': return affine > 0 ? rng.fillNormal(v, 0, affine) : v;
    }
  });
}
