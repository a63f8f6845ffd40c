// The widening explainer's plain-TypeScript parts: the weight file round-trips bitwise (and rejects a file that does
// not fit its configuration), the shipped model is the default shape and really reverses digits, and the report
// names the stage where each broken rule's error enters, for every method at once.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTask, rowsOf } from '../../src/math/digit-task.ts';
import { forward } from '../../src/math/transformer-forward.ts';
import { DEFAULT_TRANSFORMER, type TransformerWeights, castWeights, initTransformer, listParams } from '../../src/math/transformer.ts';
import {
  decodeTransformer, encodeTransformer, fromBase64, toBase64, type TrainingRecord, type TransformerFile,
} from '../../src/math/transformer-file.ts';
import { METHOD_INFO } from '../../src/math/widen-map.ts';
import { breaksAt, evaluationInputs, overview, widenAndCompare, withEps } from '../../src/math/widen-report.ts';
import { SMALL_MODEL_PATH } from '../../src/models/widen-training.ts';

const RECORD: TrainingRecord = { task: 'reverse', seed: 1, steps: 3, batch: 4, learningRate: 1e-3, loss: [[0, 2.3]], finalLoss: 2, accuracy: 0.1 };
const SHIPPED = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../public', SMALL_MODEL_PATH), 'utf8')) as TransformerFile;

describe('weight file', () => {
  it('base64 agrees with Node’s for every length mod 3', () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(fromBase64(toBase64(bytes)))).toEqual(Array.from(bytes));
    }
  });

  it('round-trips every float32 value bitwise and every ε, post-LN tied and pre-LN untied', () => {
    for (const [norm, tied] of [['post', true], ['pre', false]] as const) {
      const w = castWeights(initTransformer({ ...DEFAULT_TRANSFORMER, norm, tied }, { seed: 3, eps: 1e-3 }), Float32Array);
      w.layers[1].ln2.eps = 0.25;
      const back = decodeTransformer(JSON.parse(JSON.stringify(encodeTransformer(w, RECORD))) as TransformerFile);
      expect(back.config).toEqual(w.config);
      const a = listParams(w);
      const b = listParams(back);
      expect(b.map((p) => p.info.name)).toEqual(a.map((p) => p.info.name));
      a.forEach((p, i) => expect(Array.from(b[i].value), p.info.name).toEqual(Array.from(p.value)));
      expect(back.layers[1].ln2.eps).toBe(0.25);
      expect(back.layers[0].ln1.eps).toBe(1e-3);
    }
  });

  it('rejects a file whose data does not fit its configuration, or an unknown format', () => {
    const file = encodeTransformer(initTransformer(DEFAULT_TRANSFORMER, { seed: 1 }), RECORD);
    expect(() => decodeTransformer({ ...file, config: { ...file.config, dFF: 33 } })).toThrow(/values, its configuration needs/);
    expect(() => decodeTransformer({ ...file, format: 'other' as never })).toThrow(/format/);
  });

  it('the shipped model has the default shape and reverses held-out digits (float64 forward)', () => {
    const w = decodeTransformer(SHIPPED);
    expect(w.config).toEqual(DEFAULT_TRANSFORMER);
    expect(SHIPPED.training.task).toBe('reverse');
    expect(SHIPPED.training.loss[0][0]).toBe(0);
    const seqs = rowsOf(makeTask('reverse', 'test-shipped').batch(64).inputs, 8);
    let right = 0;
    for (const seq of seqs) {
      const { logits } = forward(w, seq);
      const answer = Array.from(seq).reverse();
      for (let t = 0; t < 8; t++) {
        const row = Array.from(logits.subarray(t * 10, t * 10 + 10));
        if (row.indexOf(Math.max(...row)) === answer[t]) right++;
      }
    }
    expect(right / (64 * 8)).toBeGreaterThan(0.97);
  });
});

describe('widen report', () => {
  const small = decodeTransformer(SHIPPED);
  const inputs = evaluationInputs([3, 1, 4, 1, 5, 9, 2, 6], 3);
  const opts = { factor: 2, symmetry: 'none', seed: 1 } as const;

  it('the reader’s input comes first; the fixed sequences are the same on every call', () => {
    expect(inputs[0]).toEqual([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(inputs).toHaveLength(4);
    expect(evaluationInputs([1], 3).slice(1)).toEqual(inputs.slice(1));
  });

  it('names where each broken rule’s error enters, and nothing for the exact ones', () => {
    const at = (method: Parameters<typeof widenAndCompare>[1]['method'], w: TransformerWeights = small) =>
      widenAndCompare(w, { ...opts, method }, inputs).report.breaksAt;
    expect(at('su')).toBeNull();
    expect(at('hypercloning')).toBeNull();
    expect(at('su-as-printed')).toEqual({ kind: 'feed-forward', block: 1 });
    expect(at('no-attn-factor')).toEqual({ kind: 'attention', block: 1 });
    expect(at('tile')).toEqual({ kind: 'attention', block: 1 });
    expect(at('no-eps-fix')).toEqual({ kind: 'embeddings' });
    expect(at('zero-pad')).toEqual({ kind: 'embeddings' });
    // pre-LN has no embedding LayerNorm: ε first matters inside block 1
    const pre = initTransformer({ ...DEFAULT_TRANSFORMER, norm: 'pre' }, { seed: 2, eps: 0.1 });
    expect(at('no-eps-fix', pre)).toEqual({ kind: 'attention', block: 1 });
  });

  it('breaksAt reads the stages in order and honours its threshold', () => {
    const c = { maxAbsDiff: 1, perLayerMaxAbsDiff: [0, 0, 1], afterAttentionMaxAbsDiff: [0, 1e-8], maxAbsLogit: 5 };
    expect(breaksAt(c)).toEqual({ kind: 'attention', block: 2 });
    expect(breaksAt(c, 1e-7)).toEqual({ kind: 'feed-forward', block: 2 });
    expect(breaksAt({ ...c, perLayerMaxAbsDiff: [0, 0, 0], afterAttentionMaxAbsDiff: [0, 0] })).toEqual({ kind: 'logits' });
  });

  it('the overview: exact-by-design methods at rounding, every other one ≥ 1e-2 (no-eps-fix at ε = 0.01)', () => {
    const rows = overview(withEps(small, 0.01), 3, 1, [inputs[0]]);
    expect(rows.map((r) => r.method)).toEqual(Object.keys(METHOD_INFO));
    for (const r of rows) {
      if (METHOD_INFO[r.method].exact) expect(r.comparison.maxAbsDiff, r.method).toBeLessThan(1e-12);
      else expect(r.comparison.maxAbsDiff, r.method).toBeGreaterThan(1e-2);
    }
  });

  it('withEps replaces every LayerNorm’s ε and nothing else; split stays exact, noise does not', () => {
    const w = withEps(small, 0.5);
    expect([w.embeddingNorm!.eps, ...w.layers.flatMap((l) => [l.ln1.eps, l.ln2.eps])]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(w.layers[0].w1).toBe(small.layers[0].w1);
    expect(widenAndCompare(small, { ...opts, method: 'su', symmetry: 'split' }, inputs).report.comparison.maxAbsDiff).toBeLessThan(1e-12);
    expect(widenAndCompare(small, { ...opts, method: 'su', symmetry: 'noise' }, inputs).report.comparison.maxAbsDiff).toBeGreaterThan(1e-2);
  });
});
