// The float64 reference forward pass of the Transformer in transformer.ts, for one sequence, in plain TypeScript.
// It is the yardstick for the wideners (https://kexue.fm/archives/8444): with every product and sum in double
// precision, an exact widening reproduces the logits to ~1e-15, so anything above 1e-12 is a wrong rule, not
// rounding. It reads Float32Array or Float64Array weights alike (float32 weights are evaluated exactly, in double).
// GELU is the tanh form (Hendrycks & Gimpel, https://arxiv.org/abs/1606.08415) so that the tfjs model computes the
// same function with ops that have gradients. Invariants: no mask (encoder); attention rows sum to 1; the trace's
// hidden states are the residual stream the wideners act on, so narrowOf (widen.ts) can map them back.

import type { Arr, LayerNormParams, TransformerWeights } from './transformer.ts';

export interface ForwardTrace {
  /** sequence length T */
  length: number;
  /** [T, vocab] */
  logits: Float64Array;
  /** residual stream, [T, dModel] each: index 0 after the embeddings (and their LayerNorm, post-LN), index l after
   * block l (layers + 1 entries) */
  hidden: Float64Array[];
  /** residual stream after each block's attention half (post-LN: after ln1), [T, dModel], one per block */
  afterAttention: Float64Array[];
  /** attention probabilities [layer][head], each [T, T] (row = query position) */
  attention: Float64Array[][];
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
}

/** y[t, :] = x[t, :]·W + b for x [rows, n], W [n, m]. */
export function affine(x: Float64Array, rows: number, n: number, w: Arr, b: Arr | null, m: number): Float64Array {
  const y = new Float64Array(rows * m);
  for (let t = 0; t < rows; t++) {
    const yo = t * m;
    if (b) for (let j = 0; j < m; j++) y[yo + j] = b[j];
    for (let i = 0; i < n; i++) {
      const xi = x[t * n + i];
      if (xi === 0) continue;
      const wo = i * m;
      for (let j = 0; j < m; j++) y[yo + j] += xi * w[wo + j];
    }
  }
  return y;
}

/** LayerNorm over the last axis with the biased variance (as BERT and PyTorch compute it). */
export function layerNorm(x: Float64Array, rows: number, n: number, p: LayerNormParams): Float64Array {
  const y = new Float64Array(rows * n);
  for (let t = 0; t < rows; t++) {
    const o = t * n;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[o + i];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[o + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + p.eps);
    for (let i = 0; i < n; i++) y[o + i] = (x[o + i] - mean) * inv * p.gamma[i] + p.beta[i];
  }
  return y;
}

function addInto(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}

/** Multi-head self-attention on x [T, dModel]; returns the block output [T, dModel] and each head's probabilities. */
function attention(
  x: Float64Array, T: number, w: TransformerWeights['layers'][number], heads: number, dHead: number, dModel: number,
): { out: Float64Array; probs: Float64Array[] } {
  const width = heads * dHead;
  const q = affine(x, T, dModel, w.wq, w.bq, width);
  const k = affine(x, T, dModel, w.wk, w.bk, width);
  const v = affine(x, T, dModel, w.wv, w.bv, width);
  const ctx = new Float64Array(T * width);
  const scale = 1 / Math.sqrt(dHead);
  const probs: Float64Array[] = [];
  for (let h = 0; h < heads; h++) {
    const off = h * dHead;
    const p = new Float64Array(T * T);
    for (let t = 0; t < T; t++) {
      let max = -Infinity;
      for (let s = 0; s < T; s++) {
        let dot = 0;
        for (let d = 0; d < dHead; d++) dot += q[t * width + off + d] * k[s * width + off + d];
        p[t * T + s] = dot * scale;
        if (p[t * T + s] > max) max = p[t * T + s];
      }
      let z = 0;
      for (let s = 0; s < T; s++) z += (p[t * T + s] = Math.exp(p[t * T + s] - max));
      for (let s = 0; s < T; s++) p[t * T + s] /= z;
      for (let s = 0; s < T; s++) {
        const ps = p[t * T + s];
        for (let d = 0; d < dHead; d++) ctx[t * width + off + d] += ps * v[s * width + off + d];
      }
    }
    probs.push(p);
  }
  return { out: affine(ctx, T, width, w.wo, w.bo, dModel), probs };
}

function feedForward(x: Float64Array, T: number, w: TransformerWeights['layers'][number], dModel: number, dFF: number): Float64Array {
  const h = affine(x, T, dModel, w.w1, w.b1, dFF);
  for (let i = 0; i < h.length; i++) h[i] = gelu(h[i]);
  return affine(h, T, dFF, w.w2, w.b2, dModel);
}

/** The logits and the intermediate states for one sequence of token ids (length 1…maxLen). */
export function forward(w: TransformerWeights, tokens: ArrayLike<number>): ForwardTrace {
  const c = w.config;
  const T = tokens.length;
  if (T < 1 || T > c.maxLen) throw new RangeError(`sequence length must be 1…${c.maxLen}, got ${T}`);
  const d = c.dModel;
  let x: Float64Array = new Float64Array(T * d);
  for (let t = 0; t < T; t++) {
    const tok = tokens[t];
    if (!Number.isInteger(tok) || tok < 0 || tok >= c.vocab) throw new RangeError(`token ${tok} outside 0…${c.vocab - 1}`);
    for (let i = 0; i < d; i++) x[t * d + i] = w.tokenEmbedding[tok * d + i] + w.positionEmbedding[t * d + i];
  }
  if (c.norm === 'post') x = layerNorm(x, T, d, w.embeddingNorm!);
  const hidden = [x];
  const afterAttention: Float64Array[] = [];
  const attn: Float64Array[][] = [];
  for (const layer of w.layers) {
    if (c.norm === 'post') {
      const a = attention(x, T, layer, c.heads, c.dHead, d);
      x = layerNorm(addInto(a.out, x), T, d, layer.ln1);
      afterAttention.push(x);
      x = layerNorm(addInto(feedForward(x, T, layer, d, c.dFF), x), T, d, layer.ln2);
      attn.push(a.probs);
    } else {
      const a = attention(layerNorm(x, T, d, layer.ln1), T, layer, c.heads, c.dHead, d);
      x = addInto(a.out, x);
      afterAttention.push(x);
      x = addInto(feedForward(layerNorm(x, T, d, layer.ln2), T, layer, d, c.dFF), x);
      attn.push(a.probs);
    }
    hidden.push(x);
  }
  const top = c.norm === 'pre' ? layerNorm(x, T, d, w.finalNorm!) : x;
  let logits: Float64Array;
  if (w.outW) logits = affine(top, T, d, w.outW, w.outB, c.vocab);
  else {
    logits = new Float64Array(T * c.vocab);
    for (let t = 0; t < T; t++) {
      for (let v = 0; v < c.vocab; v++) {
        let s = w.outB[v];
        for (let i = 0; i < d; i++) s += top[t * d + i] * w.tokenEmbedding[v * d + i];
        logits[t * c.vocab + v] = s;
      }
    }
  }
  return { length: T, logits, hidden, afterAttention, attention: attn };
}
