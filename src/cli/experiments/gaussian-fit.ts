// `gaussian-fit`: the f-GAN paper's Table 3 experiment headless (Nowozin, Cseke, Tomioka 2016,
// https://arxiv.org/abs/1606.00709): fit N(μ, σ²) to the 1-D mixture 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²) by direct
// minimisation of D_f (quadrature, src/math/gaussian-fit.ts) and by adversarial training (src/models), and print both.
import { divergenceSettings } from '../../settings/divergence.ts';
import type { ChoiceSpec, NumberSpec } from '../../settings/schema.ts';
import { experiment, UsageError } from '../options.ts';
import { loadTf } from '../tfjs.ts';

const schema = {
  ...divergenceSettings('kl'),
  steps: {
    kind: 'number', default: 1500, min: 0, max: 100_000, integer: true, label: { en: 'generator steps', zh: '生成器步数' },
  } satisfies NumberSpec,
  seed: {
    kind: 'number', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, label: { en: 'seed of init, data and noise', zh: '随机种子' },
  } satisfies NumberSpec,
  backend: {
    kind: 'choice', default: 'wasm', choices: ['wasm', 'cpu'], label: { en: 'tfjs backend in Node', zh: 'Node 中的 tfjs 后端' },
  } satisfies ChoiceSpec<'wasm' | 'cpu'>,
} as const;

export const gaussianFit = experiment({
  name: 'gaussian-fit',
  summary: 'fit a Gaussian to the f-GAN paper\'s 1-D mixture: exact minimisation of D_f against adversarial training',
  schema,
  async run({ divergence, alpha, pi, steps, seed, backend }) {
    await loadTf(backend);
    // the trainer imports tfjs, which must load after loadTf has set Node up for it
    const { runGaussianFit } = await import('../../models/gaussian-fit-trainer.ts');
    let run: Awaited<ReturnType<typeof runGaussianFit>>;
    try {
      run = await runGaussianFit({ divergence, alpha, pi, seed }, steps);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
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
