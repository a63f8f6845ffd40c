// `widen`: widens a seeded tiny Transformer with one method and prints how far the wide model's outputs are from the
// small one's (float64, so exact methods show ~1e-15), per layer, where the error first enters, and the copy spread
// after N Adam steps of the widened model on the reverse task (tfjs on wasm): exactly 0 without symmetry breaking,
// growing with `split` (https://kexue.fm/archives/8444). Flags: <transformer-widen>'s attributes (method, factor,
// symmetry, eps, seed) plus the model's shape, which the widget fixes to its shipped model.
import { DEFAULT_TRANSFORMER, initTransformer, type TransformerConfig } from '../../math/transformer.ts';
import { copySpread } from '../../math/widen.ts';
import { evaluationInputs, widenAndCompare, withEps } from '../../math/widen-report.ts';
import { makeTask } from '../../math/digit-task.ts';
import type { ChoiceSpec, NumberSpec } from '../../settings/schema.ts';
import { transformerWidenSchema } from '../../settings/transformer-widen.ts';
import { experiment, UsageError } from '../options.ts';
import { loadTf } from '../tfjs.ts';

const schema = {
  ...transformerWidenSchema,
  layers: { kind: 'number', default: 2, min: 1, max: 6, integer: true, label: { en: 'blocks', zh: '层数' } } satisfies NumberSpec,
  dModel: { kind: 'number', default: 16, min: 2, max: 128, integer: true, label: { en: 'model width d', zh: '模型宽度 d' } } satisfies NumberSpec,
  heads: { kind: 'number', default: 2, min: 1, max: 16, integer: true, label: { en: 'attention heads (must divide d)', zh: '注意力头数（须整除 d）' } } satisfies NumberSpec,
  norm: {
    kind: 'choice', default: 'post', choices: ['post', 'pre'], label: { en: 'LayerNorm placement', zh: 'LayerNorm 位置' },
  } satisfies ChoiceSpec<'post' | 'pre'>,
  tied: { kind: 'choice', default: 'tied', choices: ['tied', 'untied'], label: { en: 'output head', zh: '输出头' } } satisfies ChoiceSpec<'tied' | 'untied'>,
  trainSteps: {
    kind: 'number', default: 0, min: 0, max: 100_000, integer: true,
    label: { en: 'Adam steps of the widened model before measuring the copy spread', zh: '测量副本差异前加宽模型训练的步数' },
  } satisfies NumberSpec,
} as const;

export const widenExperiment = experiment({
  name: 'widen',
  summary: 'widen a seeded tiny Transformer; print max |Δ logits|, per layer, and the copy spread after N training steps',
  schema,
  async run(v) {
    if (v.dModel % v.heads !== 0) throw new UsageError(`--heads ${v.heads} must divide --d-model ${v.dModel}`);
    const config: TransformerConfig = {
      ...DEFAULT_TRANSFORMER, layers: v.layers, dModel: v.dModel, heads: v.heads, dHead: v.dModel / v.heads,
      dFF: 2 * v.dModel, norm: v.norm, tied: v.tied === 'tied',
    };
    const small = withEps(initTransformer(config, { seed: v.seed }), v.eps);
    let result: ReturnType<typeof widenAndCompare>;
    try {
      result = widenAndCompare(small, { method: v.method, factor: v.factor, symmetry: v.symmetry, seed: v.seed }, evaluationInputs([3, 1, 4, 1, 5, 9, 2, 6], 15));
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const { report, wide } = result;
    let spread = copySpread(wide.weights, wide.map).max;
    let loss = Number.NaN;
    if (v.trainSteps > 0) {
      await loadTf('wasm');
      const { TransformerModel } = await import('../../models/transformer.ts');
      const { WIDEN_TRAINING } = await import('../../models/widen-training.ts');
      const model = new TransformerModel(wide.weights, { learningRate: WIDEN_TRAINING.learningRate });
      const task = makeTask(WIDEN_TRAINING.task, v.seed);
      try {
        for (let i = 0; i < v.trainSteps; i++) model.trainStep(task.batch(WIDEN_TRAINING.batch)).dispose();
        spread = copySpread(await model.readWeights(), wide.map).max;
        loss = (await model.evaluate(makeTask(WIDEN_TRAINING.task, 'held-out').batch(256))).loss;
      } finally {
        model.dispose();
      }
    }
    const c = report.comparison;
    return {
      method: v.method, factor: v.factor, symmetry: v.symmetry, eps: v.eps, layers: v.layers, dModel: v.dModel,
      heads: v.heads, wideDModel: wide.map.wideConfig.dModel, wideHeads: wide.map.wideConfig.heads,
      maxAbsDiff: c.maxAbsDiff, perLayerMaxAbsDiff: c.perLayerMaxAbsDiff, afterAttentionMaxAbsDiff: c.afterAttentionMaxAbsDiff,
      maxAbsLogit: c.maxAbsLogit, breaksAt: report.breaksAt, trainSteps: v.trainSteps, copySpread: spread,
      ...(v.trainSteps > 0 ? { loss } : {}),
    };
  },
});
