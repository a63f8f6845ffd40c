// `fgan-2d`: trains the toy 2-D f-GAN headless (tfjs on wasm, or cpu) and prints its final metrics: losses, the bound
// F, the true divergence on a grid, steps per second, status, and mode coverage for the ring and grid targets. Its
// flags are <fgan-lab>'s attributes (src/settings/fgan-lab.ts), plus the number of steps and of final samples.
import { fganLabSchema } from '../../settings/fgan-lab.ts';
import type { NumberSpec } from '../../settings/schema.ts';
import { experiment, UsageError } from '../options.ts';
import { loadTf } from '../tfjs.ts';

const schema = {
  ...fganLabSchema,
  steps: {
    kind: 'number', default: 3000, min: 0, max: 1_000_000, integer: true, label: { en: 'generator steps', zh: '生成器步数' },
  } satisfies NumberSpec,
  samples: {
    kind: 'number', default: 2000, min: 64, max: 20000, integer: true,
    label: { en: 'generated samples for the final metrics', zh: '最终指标所用的生成样本数' },
  } satisfies NumberSpec,
} as const;

export const fgan2d = experiment({
  name: 'fgan-2d',
  summary: 'train the toy 2-D f-GAN headless (tfjs on wasm or cpu) and print its final metrics and mode coverage',
  schema,
  async run(values) {
    const tf = await loadTf(values.backend === 'cpu' ? 'cpu' : 'wasm');
    // the trainer imports tfjs, which must load after loadTf has set Node up for it
    const fgan = await import('../../models/fgan.ts');
    let trainer: InstanceType<typeof fgan.FganTrainer>;
    try {
      trainer = new fgan.FganTrainer(fgan.fganConfigFromSettings(values));
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    try {
      const steps = values.steps;
      const chunk = 250;
      let trainMs = 0;
      // train in chunks and look at the status between them (a cheap snapshot), so a diverged run stops early
      for (let done = 0; done < steps;) {
        const n = Math.min(chunk, steps - done);
        const t0 = performance.now();
        trainer.step(n);
        trainMs += performance.now() - t0;
        done += n;
        const s = await trainer.snapshot({ samples: 64, fieldSize: 2, boundBatch: 64, noiseLines: 2, noisePoints: 2, trueDivergence: false });
        if (s.status === 'diverged') break;
      }
      const snap = await trainer.snapshot({ samples: values.samples, fieldSize: 8, boundBatch: 8192 });
      const cov = snap.coverage;
      return {
        step: snap.step,
        divergence: snap.divergence,
        target: trainer.config.target,
        seed: trainer.config.seed,
        criticLoss: snap.criticLoss,
        generatorLoss: snap.generatorLoss,
        bound: snap.bound,
        trueDivergence: snap.trueDivergence,
        stepsPerSecond: trainMs > 0 ? Math.round((snap.step / trainMs) * 1000 * 10) / 10 : 0,
        backend: tf.getBackend(),
        status: snap.status,
        ...(snap.reason ? { reason: snap.reason } : {}),
        ...(cov ? { modesCovered: cov.covered, modesTotal: cov.total, shareWithin3Sigma: cov.shareWithin3Sigma } : {}),
      };
    } finally {
      trainer.dispose();
    }
  },
});
