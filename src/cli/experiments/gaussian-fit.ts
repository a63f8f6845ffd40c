// `gaussian-fit`: the f-GAN paper's Table 3 experiment headless (Nowozin, Cseke, Tomioka 2016,
// https://arxiv.org/abs/1606.00709): fit N(μ, σ²) to a 1-D mixture, by default the paper's 0.33·N(−1, 0.255²) +
// 0.67·N(2, 1.415²), by direct minimisation of D_f (quadrature, src/math/gaussian-fit.ts) and by adversarial
// training (src/models), and print both. Its flags are <fgan-fit>'s attributes (src/settings/fgan-fit.ts).
import { fganFitSchema } from '../../settings/fgan-fit.ts';
import { experiment, UsageError } from '../options.ts';
import { loadTf } from '../tfjs.ts';

export const gaussianFit = experiment({
  name: 'gaussian-fit',
  summary: 'fit a Gaussian to a 1-D mixture (the f-GAN paper\'s by default): exact minimisation of D_f against adversarial training',
  schema: fganFitSchema,
  async run(values) {
    const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
    await loadTf(backend);
    // the trainer imports tfjs, which must load after loadTf has set Node up for it
    const { runGaussianFit } = await import('../../models/gaussian-fit-trainer.ts');
    const { fitConfigFromSettings } = await import('../../models/gaussian-fit-task.ts');
    let run: Awaited<ReturnType<typeof runGaussianFit>>;
    try {
      run = await runGaussianFit(fitConfigFromSettings(values), values.steps);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const { divergence, steps, seed } = values;
    return {
      divergence, steps, seed, backend,
      exact: { mu: run.exact.mu, sigma: run.exact.sigma, divergence: run.exact.divergence },
      trained: { mu: run.trained.mu, sigma: run.trained.sigma, bound: run.trained.bound },
      localMinima: run.localMinima.map((m) => ({ mu: m.mu, sigma: m.sigma, divergence: m.divergence })),
      status: run.trained.status,
      trainSeconds: Math.round(run.millis) / 1000,
    };
  },
});
