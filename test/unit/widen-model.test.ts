// Widening a Transformer in tfjs (float32): the model computes the float64 reference's function; su and HyperCloning
// keep |Δ logits| ≤ 1e-5 for k = 2, 3, 4 (post/pre-LN, tied/untied, symmetry none and split) while each broken
// variant misses by ≥ 1e-2; Adam training works, reaches the tied embedding through the head, and leaves copies
// bitwise identical without noise (copySpread exactly 0) and apart with split noise (> 1e-3); tensors are freed.
// Models are small (dModel 8) so the file stays fast on a shared CPU; the default model is covered in float64 by
// widen-math.test.ts and once here for the tfjs/reference agreement.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTask, rowsOf } from '../../src/math/digit-task.ts';
import { forward } from '../../src/math/transformer-forward.ts';
import {
  DEFAULT_TRANSFORMER, type TransformerConfig, type TransformerWeights, castWeights, initTransformer,
} from '../../src/math/transformer.ts';
import type { WidenMethod } from '../../src/math/widen-map.ts';
import { copySpread, widen } from '../../src/math/widen.ts';
import { type TokenBatch, TransformerModel, compareModels } from '../../src/models/transformer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SMALL: TransformerConfig = { vocab: 6, maxLen: 5, dModel: 8, heads: 2, dHead: 4, layers: 2, dFF: 12, norm: 'post', tied: true };

interface Case { label: string; weights: TransformerWeights<Float32Array>; batch: TokenBatch }

/** 8 models: post/pre × tied/untied × (seed 1, ε 1e-5 | seed 2, ε 0.1), float32 weights. */
const MODELS: Case[] = (['post', 'pre'] as const).flatMap((norm) => [true, false].flatMap((tied) =>
  ([[1, 1e-5], [2, 0.1]] as const).map(([seed, eps]) => ({
    label: `${norm}-LN ${tied ? 'tied' : 'untied'} seed ${seed} ε ${eps}`,
    weights: castWeights(initTransformer({ ...SMALL, norm, tied }, { seed, eps }), Float32Array),
    batch: makeTask('sort', seed, { length: SMALL.maxLen, digits: SMALL.vocab }).batch(4),
  }))));

async function logits(w: TransformerWeights, batch: TokenBatch): Promise<Float32Array> {
  const m = new TransformerModel(w);
  const t = m.logits(batch);
  const d = (await t.data()) as Float32Array;
  t.dispose();
  m.dispose();
  return d;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('the tfjs model computes the reference function', () => {
  it('float32 logits agree with the float64 forward pass to 1e-5 (default model and the small ones)', async () => {
    const cases = [
      ...MODELS,
      ...(['post', 'pre'] as const).map((norm) => ({
        label: `default ${norm}`,
        weights: castWeights(initTransformer({ ...DEFAULT_TRANSFORMER, norm }, { seed: 3 }), Float32Array),
        batch: makeTask('reverse', 3).batch(3),
      })),
    ];
    for (const { label, weights, batch } of cases) {
      const got = await logits(weights, batch);
      const ref = rowsOf(batch.inputs, batch.length).flatMap((seq) => Array.from(forward(weights, seq).logits));
      expect(maxAbsDiff(got, ref), label).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('widening in float32', () => {
  for (const method of ['su', 'hypercloning'] as const) {
    it(`${method}: |Δ logits| ≤ 1e-5 for k = 2, 3, 4 on 8 models, symmetry none and split`, async () => {
      for (const m of MODELS) {
        const narrow = await logits(m.weights, m.batch);
        for (const k of [2, 3, 4]) {
          for (const symmetry of ['none', 'split'] as const) {
            const wide = widen(m.weights, { method, factor: k, symmetry, seed: k });
            expect(wide.weights.tokenEmbedding).toBeInstanceOf(Float32Array);
            if (method === 'hypercloning') expect(wide.weights.config.tied).toBe(false);
            expect(maxAbsDiff(narrow, await logits(wide.weights, m.batch)), `${m.label} k=${k} ${symmetry}`).toBeLessThanOrEqual(1e-5);
          }
        }
      }
    });
  }

  it('each broken variant misses by ≥ 1e-2 (no-eps-fix where ε = 0.1), and so does plain noise', async () => {
    const broken: WidenMethod[] = ['su-as-printed', 'no-attn-factor', 'no-eps-fix', 'tile', 'zero-pad'];
    for (const m of MODELS) {
      const narrow = await logits(m.weights, m.batch);
      for (const method of broken) {
        if (method === 'no-eps-fix' && m.weights.layers[0].ln1.eps < 0.1) continue;
        for (const k of [2, 3]) {
          const wide = widen(m.weights, { method, factor: k });
          expect(maxAbsDiff(narrow, await logits(wide.weights, m.batch)), `${method} ${m.label} k=${k}`).toBeGreaterThanOrEqual(1e-2);
        }
      }
      const noisy = widen(m.weights, { method: 'su', factor: 2, symmetry: 'noise', seed: 1 });
      expect(maxAbsDiff(narrow, await logits(noisy.weights, m.batch)), m.label).toBeGreaterThanOrEqual(1e-2);
    }
  });

  it('compareModels maps the float32 wide states back: exact methods stay at float32 rounding at every layer', async () => {
    const m = MODELS[1];
    const narrow = new TransformerModel(m.weights);
    for (const [method, expectExact] of [['su', true], ['no-attn-factor', false]] as const) {
      const wide = widen(m.weights, { method, factor: 3 });
      const model = new TransformerModel(wide.weights);
      const r = await compareModels(narrow, model, wide.map, m.batch);
      model.dispose();
      if (expectExact) expect(Math.max(r.maxAbsDiff, ...r.perLayerMaxAbsDiff, ...r.afterAttentionMaxAbsDiff)).toBeLessThan(1e-5);
      else {
        expect(r.perLayerMaxAbsDiff[0]).toBeLessThan(1e-5);
        expect(r.afterAttentionMaxAbsDiff[0]).toBeGreaterThan(1e-3);
      }
    }
    narrow.dispose();
  });
});

describe('training', () => {
  it('Adam lowers the loss on reverse, and the tied head trains the embedding of a token never seen as input', async () => {
    const w = castWeights(initTransformer({ ...SMALL, norm: 'pre' }, { seed: 4 }), Float32Array);
    const model = new TransformerModel(w, { learningRate: 1e-2 });
    const task = makeTask('reverse', 4, { length: SMALL.maxLen, digits: SMALL.vocab - 1 }); // token 5 never appears
    const held = task.batch(64);
    const before = await model.evaluate(held);
    for (let i = 0; i < 60; i++) model.trainStep(task.batch(16)).dispose();
    const after = await model.evaluate(held);
    expect(after.loss).toBeLessThan(0.7 * before.loss);
    const trained = await model.readWeights();
    const d = SMALL.dModel;
    // row 5 of the embedding is reached only through the tied output head (whose softmax pushes token 5 down)
    expect(maxAbsDiff(trained.tokenEmbedding.subarray(5 * d, 6 * d), w.tokenEmbedding.subarray(5 * d, 6 * d))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('after Adam steps on the wide model, copySpread is exactly 0 without noise and > 1e-3 with split', async () => {
    for (const method of ['su', 'hypercloning'] as const) {
      for (const norm of ['post', 'pre'] as const) {
        const narrow = castWeights(initTransformer({ ...SMALL, norm }, { seed: 6 }), Float32Array);
        const spreads: Record<string, [number, number]> = {};
        for (const symmetry of ['none', 'split'] as const) {
          const wide = widen(narrow, { method, factor: 2, symmetry, seed: 2 });
          const model = new TransformerModel(wide.weights);
          const start = copySpread(await model.readWeights(), wide.map).max;
          const task = makeTask('reverse', 7, { length: SMALL.maxLen, digits: SMALL.vocab });
          for (let i = 0; i < 12; i++) model.trainStep(task.batch(8)).dispose();
          spreads[symmetry] = [start, copySpread(await model.readWeights(), wide.map).max];
          model.dispose();
        }
        const where = `${method} ${norm}-LN`;
        expect(spreads.none, where).toEqual([0, 0]);
        expect(spreads.split[0], where).toBeLessThan(1e-6); // zero-sum noise: copies compute the same at the start
        expect(spreads.split[1], where).toBeGreaterThan(1e-3);
      }
    }
  });

  it('training is deterministic: the same weights and batches give the same weights', async () => {
    const run = async () => {
      const model = new TransformerModel(MODELS[3].weights);
      const task = makeTask('sort', 1, { length: SMALL.maxLen, digits: SMALL.vocab });
      for (let i = 0; i < 3; i++) model.trainStep(task.batch(8)).dispose();
      const w = await model.readWeights();
      model.dispose();
      return w;
    };
    expect((await run()).layers[1].w2).toEqual((await run()).layers[1].w2);
  });
});

describe('tensor hygiene', () => {
  it('steps, reads and evaluations keep numTensors constant; dispose() returns to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const narrow = new TransformerModel(MODELS[0].weights);
    const wide = widen(MODELS[0].weights, { method: 'su', factor: 2 });
    const model = new TransformerModel(wide.weights);
    const task = makeTask('reverse', 2, { length: SMALL.maxLen, digits: SMALL.vocab });
    const b = task.batch(8);
    model.trainStep(b).dispose(); // the optimiser's slots appear on the first step
    const warm = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const loss = model.trainStep(task.batch(8));
      expect(Number.isFinite((await loss.data())[0])).toBe(true);
      loss.dispose();
      await model.evaluate(b);
      await model.readWeights();
      await compareModels(narrow, model, wide.map, b);
      const lg = model.logits(b);
      lg.dispose();
      expect(tf.memory().numTensors).toBe(warm);
    }
    model.dispose();
    narrow.dispose();
    model.dispose(); // twice is harmless
    expect(tf.memory().numTensors).toBe(baseline);
    expect(() => model.trainStep(b)).toThrow(/dispose/);
  });
});
