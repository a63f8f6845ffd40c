// `rnn-train`: the training mode of <rnn-gradients>, headless (tfjs on wasm, or cpu): trains the chosen cells side by
// side on the memory task or the adding problem and prints, per cell, the final training loss and the accuracy on
// the 256 held-out sequences, with the accuracy every --report-every steps so a plateau shows. Flags are the widget's
// attributes plus the number of steps.
import { cellsOf, rnnGradientsSchema } from '../../settings/rnn-gradients.ts';
import type { NumberSpec, SetSpec } from '../../settings/schema.ts';
import { experiment, UsageError } from '../options.ts';
import { loadTf } from '../tfjs.ts';

const { hiddenSize, mode: _mode, autoplay: _a, inputKind: _k, clip: _c, cells, ...shared } = rnnGradientsSchema;

const schema = {
  cells: { ...cells, cli: undefined } satisfies SetSpec,
  ...shared,
  // the flag the paper-style command line uses (the attribute is hidden-size, see the schema)
  hidden: hiddenSize,
  steps: { kind: 'number', default: 500, min: 0, max: 1_000_000, integer: true, label: { en: 'training steps', zh: '训练步数' } } satisfies NumberSpec,
  reportEvery: {
    kind: 'number', default: 100, min: 1, max: 1_000_000, integer: true, label: { en: 'evaluate every this many steps', zh: '每隔多少步评估一次' },
  } satisfies NumberSpec,
} as const;

export const rnnTrain = experiment({
  name: 'rnn-train',
  summary: 'train recurrent cells side by side on the memory task or the adding problem (tfjs on wasm or cpu); loss and held-out accuracy per cell',
  schema,
  async run(v) {
    const tf = await loadTf(v.backend === 'cpu' ? 'cpu' : 'wasm');
    // the trainer imports tfjs, which must load after loadTf has set Node up for it
    const { RnnTrainer } = await import('../../models/rnn-train.ts');
    const ids = cellsOf(v);
    let trainer: InstanceType<typeof RnnTrainer>;
    try {
      trainer = new RnnTrainer({
        cells: ids, task: v.task, T: v.length, batch: v.batchSize, lr: v.lr, evalBatch: 256, noise: v.inputScale,
        hidden: v.hidden, init: v.init, radius: v.radius, forgetBias: v.forgetBias, seed: v.seed,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    try {
      const history: { step: number; seconds: number; accuracy: Record<string, number> }[] = [];
      let loss = ids.map(() => Number.NaN);
      const t0 = performance.now();
      for (let s = 1; s <= v.steps; s++) {
        trainer.step();
        if (s % v.reportEvery === 0 || s === v.steps) {
          const rows = await trainer.drain();
          loss = rows.losses.map((l) => l[l.length - 1]);
          const { accuracy } = await trainer.evaluate();
          history.push({ step: s, seconds: Math.round((performance.now() - t0) / 100) / 10, accuracy: Object.fromEntries(ids.map((id, i) => [id, accuracy[i]])) });
          if (!loss.every(Number.isFinite)) break;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const last = history.at(-1);
      return {
        task: v.task, length: v.length, hidden: v.hidden, forgetBias: v.forgetBias, steps: trainer.stepCount, backend: tf.getBackend(),
        stepsPerSecond: seconds > 0 ? Math.round((trainer.stepCount / seconds) * 100) / 100 : 0,
        cells: Object.fromEntries(ids.map((id, i) => [id, { loss: loss[i], accuracy: last?.accuracy[id] ?? Number.NaN }])),
        history,
      };
    } finally {
      trainer.dispose();
    }
  },
});
