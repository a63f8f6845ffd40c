// `widen-train`: trains the small model of <transformer-widen> (the default tiny Transformer on 'reverse', Adam, the
// settings of src/models/widen-training.ts) and writes its weight file, by default the one the page ships
// (public/models/widen-reverse.json). Same seed, same backend → the same file. Prints the final held-out loss and
// accuracy.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeTask } from '../../math/digit-task.ts';
import { DEFAULT_TRANSFORMER, initTransformer } from '../../math/transformer.ts';
import { encodeTransformer } from '../../math/transformer-file.ts';
import type { NumberSpec, TextSpec } from '../../settings/schema.ts';
import { experiment } from '../options.ts';
import { loadTf } from '../tfjs.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

const schema = {
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, label: { en: 'seed of init and batches', zh: '初始化与批次的随机种子' } } satisfies NumberSpec,
  steps: { kind: 'number', default: 200, min: 1, max: 100_000, integer: true, label: { en: 'Adam steps', zh: 'Adam 步数' } } satisfies NumberSpec,
  out: {
    kind: 'text', default: 'public/models/widen-reverse.json', pattern: '.+', hint: 'a file path',
    label: { en: 'where to write the weight file (relative to the repository)', zh: '权重文件的写入位置' },
  } satisfies TextSpec,
} as const;

export const widenTrain = experiment({
  name: 'widen-train',
  summary: 'train the small Transformer of <transformer-widen> on reverse and write its weight file',
  schema,
  async run(v) {
    const tf = await loadTf('wasm');
    const { TransformerModel } = await import('../../models/transformer.ts');
    const { WIDEN_TRAINING: T } = await import('../../models/widen-training.ts');
    const model = new TransformerModel(initTransformer(DEFAULT_TRANSFORMER, { seed: v.seed }), { learningRate: T.learningRate });
    const task = makeTask(T.task, v.seed);
    const loss: [number, number][] = [];
    try {
      for (let step = 0; step < v.steps; step++) {
        const l = model.trainStep(task.batch(T.batch));
        if (step % T.lossEvery === 0 || step === v.steps - 1) loss.push([step, Number((await l.data())[0].toPrecision(5))]);
        l.dispose();
      }
      const held = await model.evaluate(makeTask(T.task, 'held-out').batch(512));
      const weights = await model.readWeights();
      const file = encodeTransformer(weights, {
        task: T.task, seed: v.seed, steps: v.steps, batch: T.batch, learningRate: T.learningRate, loss,
        finalLoss: held.loss, accuracy: held.accuracy,
      });
      const path = resolve(ROOT, v.out);
      writeFileSync(path, JSON.stringify(file) + '\n');
      return { path: v.out, bytes: JSON.stringify(file).length, steps: v.steps, seed: v.seed, backend: tf.getBackend(), loss: held.loss, accuracy: held.accuracy };
    } finally {
      model.dispose();
    }
  },
});
