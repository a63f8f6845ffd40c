// The weight file of a trained tiny Transformer (public/models/*.json): the configuration, every parameter as
// little-endian float32 in base64 (in the order of listParams, so the layout is defined in one place), each LayerNorm's
// ε, and how the model was made (task, seed, steps, the loss curve of its training), so that a page can show the small
// model's loss before widening and a script can remake the file. Float32 because that is what the tfjs model trains
// in; the float64 reference reads the same values exactly. Pure TypeScript (no Buffer, no atob), for Node and the
// browser alike. Invariant: decode(encode(w)) has bitwise the same float32 values and the same ε.

import type { DigitTaskKind } from './digit-task.ts';
import { type TransformerConfig, type TransformerWeights, listParams, mapWeights, validateConfig } from './transformer.ts';

export interface TrainingRecord {
  task: DigitTaskKind;
  seed: number;
  steps: number;
  batch: number;
  learningRate: number;
  /** [step, loss] pairs of the training batches, thinned */
  loss: [number, number][];
  /** held-out loss and share of positions right at the end */
  finalLoss: number;
  accuracy: number;
}

export interface TransformerFile {
  format: 'tiny-transformer/1';
  config: TransformerConfig;
  /** ε of each LayerNorm in listParams order (embeddingNorm/finalNorm, then ln1, ln2 per block) */
  eps: number[];
  /** base64 of the float32 parameters, concatenated in listParams order */
  data: string;
  training: TrainingRecord;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new RangeError(`not base64: ${JSON.stringify(ch)}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

function epsList(w: TransformerWeights): number[] {
  const eps: number[] = [];
  mapWeights(w, w.config, (_i, v) => v, (e) => (eps.push(e), e));
  return eps;
}

export function encodeTransformer(w: TransformerWeights, training: TrainingRecord): TransformerFile {
  const params = listParams(w);
  const flat = new Float32Array(params.reduce((n, p) => n + p.value.length, 0));
  let o = 0;
  for (const { value } of params) {
    flat.set(value, o);
    o += value.length;
  }
  // float32 bytes in little-endian order whatever the machine's
  const view = new DataView(new ArrayBuffer(flat.length * 4));
  flat.forEach((x, i) => view.setFloat32(4 * i, x, true));
  return { format: 'tiny-transformer/1', config: { ...w.config }, eps: epsList(w), data: toBase64(new Uint8Array(view.buffer)), training };
}

/** The weights of a file; throws a RangeError naming what is wrong when the file does not fit its configuration. */
export function decodeTransformer(file: TransformerFile): TransformerWeights<Float32Array> {
  if (file.format !== 'tiny-transformer/1') throw new RangeError(`unknown weight file format ${String(file.format)}`);
  validateConfig(file.config);
  const bytes = fromBase64(file.data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = file.config;
  // a skeleton of the right shapes: mapWeights then reads the values in listParams order
  const attn = c.heads * c.dHead;
  const z = (n: number) => new Float32Array(n);
  const ln = () => ({ gamma: z(c.dModel), beta: z(c.dModel), eps: 0 });
  const skeleton: TransformerWeights<Float32Array> = {
    config: { ...c }, tokenEmbedding: z(c.vocab * c.dModel), positionEmbedding: z(c.maxLen * c.dModel),
    embeddingNorm: c.norm === 'post' ? ln() : null,
    layers: Array.from({ length: c.layers }, () => ({
      wq: z(c.dModel * attn), bq: z(attn), wk: z(c.dModel * attn), bk: z(attn), wv: z(c.dModel * attn), bv: z(attn),
      wo: z(attn * c.dModel), bo: z(c.dModel), ln1: ln(), w1: z(c.dModel * c.dFF), b1: z(c.dFF),
      w2: z(c.dFF * c.dModel), b2: z(c.dModel), ln2: ln(),
    })),
    finalNorm: c.norm === 'pre' ? ln() : null, outW: c.tied ? null : z(c.dModel * c.vocab), outB: z(c.vocab),
  };
  const total = listParams(skeleton).reduce((n, p) => n + p.value.length, 0);
  if (bytes.length !== total * 4) throw new RangeError(`weight file holds ${bytes.length / 4} values, its configuration needs ${total}`);
  let o = 0;
  let e = 0;
  return mapWeights(skeleton, c, (_info, v) => {
    const out = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++, o += 4) out[i] = view.getFloat32(o, true);
    return out;
  }, () => {
    const eps = file.eps[e++];
    if (!(eps >= 0)) throw new RangeError('weight file: every LayerNorm needs an ε ≥ 0');
    return eps;
  });
}
