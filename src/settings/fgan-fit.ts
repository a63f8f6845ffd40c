// Settings of <fgan-fit> and of the `gaussian-fit` experiment: the f-GAN paper's 1-D experiment (Nowozin, Cseke,
// Tomioka 2016, §4 and Table 3, https://arxiv.org/abs/1606.00709), fitting N(μ, σ²) to a two-component Gaussian
// mixture. The mixture's defaults are the paper's, 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²); the reader may move its
// weight, means and widths. src/models/gaussian-fit-task.ts maps these to the trainer's config (gaussian-fit-config.ts),
// whose tuned defaults (critic, learning rates, averaging) are not settings: they were measured for the run length.
import { PAPER_MIXTURE, type MixtureComponent } from '../math/gaussian-fit.ts';
import { GENERATOR_OBJECTIVES } from '../models/fgan-options.ts';
import { backendSetting, commonSettings } from './common.ts';
import { divergenceSettings } from './divergence.ts';
import type { ChoiceSpec, NumberSpec, Values } from './schema.ts';

/** The top of the speed slider: "as fast as the backend goes" (about 1,400 steps/s on wasm here: 1,500 steps in
 * about a second). */
export const FIT_SPEED_MAX = 5000;

const [left, right] = PAPER_MIXTURE.components;
const SUB = { 1: '₁', 2: '₂' } as const;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

// P = w₁·N(m₁, s₁²) + (1 − w₁)·N(m₂, s₂²): components by number, not "left" and "right", which the reader may swap
const mean = (k: 1 | 2, d: number): NumberSpec => ({
  kind: 'number', default: d, min: -4, max: 4, cli: { min: -100, max: 100 },
  label: { en: `m${SUB[k]} (mean of component ${k})`, zh: `m${SUB[k]}（分量 ${k} 的均值）` },
});
const sd = (k: 1 | 2, d: number): NumberSpec => ({
  kind: 'number', default: d, min: 0.1, max: 3, cli: { min: 0.01, max: 100 },
  label: { en: `s${SUB[k]} (width of component ${k})`, zh: `s${SUB[k]}（分量 ${k} 的标准差）` },
});

export const fganFitSchema = {
  ...divergenceSettings('kl'),
  weight: {
    kind: 'number', default: round3(left.weight), min: 0.05, max: 0.95, cli: { min: 0.001, max: 0.999 },
    label: { en: 'w₁ (weight of component 1)', zh: 'w₁（分量 1 的权重）' },
    doc: 'w₁, the weight of component 1 (component 2 has 1 − w₁)',
  } satisfies NumberSpec,
  mean1: mean(1, left.mean),
  sd1: sd(1, left.sd),
  mean2: mean(2, right.mean),
  sd2: sd(2, right.sd),
  generatorObjective: {
    kind: 'choice', default: 'saturating', choices: GENERATOR_OBJECTIVES,
    label: { en: 'Generator objective', zh: '生成器目标' },
    doc: 'saturating: minimise F, as the paper does for this experiment (at the optimal critic that is D_f itself); alternative: maximise E_Q[g_f(V)], which minimises another divergence',
    choiceLabels: {
      saturating: { en: 'minimise F (saturating)', zh: '最小化 F（饱和）' },
      alternative: { en: 'maximise T (non-saturating)', zh: '最大化 T（不饱和）' },
    },
  } satisfies ChoiceSpec<(typeof GENERATOR_OBJECTIVES)[number]>,
  startMu: {
    kind: 'number', default: 0, min: -4, max: 4, cli: { min: -100, max: 100 },
    label: { en: 'Start μ₀', zh: '起点 μ₀' }, doc: 'the generator starts as N(μ₀, σ₀²): on the map, a click sets the start',
  } satisfies NumberSpec,
  startSigma: {
    kind: 'number', default: 1, min: 0.1, max: 3, cli: { min: 0.01, max: 100 },
    label: { en: 'Start σ₀', zh: '起点 σ₀' },
  } satisfies NumberSpec,
  steps: {
    kind: 'number', default: 1500, min: 100, max: 10000, integer: true, cli: { min: 0, max: 100_000 },
    label: { en: 'Generator steps', zh: '生成器步数' },
    doc: 'the run stops after this many generator steps; its result is (μ, σ) averaged over the last ~200',
  } satisfies NumberSpec,
  speed: {
    kind: 'number', default: 500, min: 25, max: FIT_SPEED_MAX, integer: true, cli: false,
    label: { en: 'Speed limit (steps/s)', zh: '速度上限（步/秒）' },
    doc: `at most this many generator steps per second, so that the path can be watched (${FIT_SPEED_MAX}: as fast as it goes)`,
  } satisfies NumberSpec,
  seed: {
    kind: 'number', default: 1, min: 0, max: 2147483647, integer: true, cli: { max: 2 ** 32 - 1 },
    label: { en: 'Seed', zh: '随机种子' }, doc: 'seed of the critic\'s weights, the data and the noise',
  } satisfies NumberSpec,
  backend: backendSetting(),
  autoplay: {
    kind: 'boolean', default: true, cli: false,
    label: { en: 'Train when in sight', zh: '进入视野时自动训练' },
  },
  ...commonSettings(),
} as const;

export type FganFitSettings = Values<typeof fganFitSchema>;

/** The mixture a settings object describes (weights need not sum to 1 here: makeMixture normalises). */
export function mixtureComponents(s: Pick<FganFitSettings, 'weight' | 'mean1' | 'sd1' | 'mean2' | 'sd2'>): MixtureComponent[] {
  return [
    { weight: s.weight, mean: s.mean1, sd: s.sd1 },
    { weight: 1 - s.weight, mean: s.mean2, sd: s.sd2 },
  ];
}

/** The speed setting as a cap on steps per second: its top means none. */
export const fitSpeed = (s: Pick<FganFitSettings, 'speed'>): number => (s.speed >= FIT_SPEED_MAX ? Infinity : s.speed);
