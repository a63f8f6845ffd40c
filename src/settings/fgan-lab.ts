// Settings of <fgan-lab> and of the `fgan-2d` experiment: every control of the lab is an attribute, a key of the
// standalone page's hash and (unless widget-only) a CLI flag of the same name. src/models/fgan-config.ts maps them to
// the trainer's config (inside the worker, so this module stays free of tfjs) and checks configs against these ranges.
import { TARGET_IDS, type TargetId } from '../math/targets.ts';
import {
  ACTIVATIONS, GENERATOR_OBJECTIVES, NOISE_KINDS, OPTIMIZER_KINDS, TRAINING_MODES,
  type Activation, type OptimizerKind,
} from '../models/fgan-options.ts';
import { backendSetting, commonSettings } from './common.ts';
import { divergenceSettings } from './divergence.ts';
import type { ChoiceSpec, NumberSpec, Values } from './schema.ts';

/** The top of the speed slider: "as fast as the backend goes". */
export const SPEED_MAX = 2000;

const ACTIVATION_LABELS = {
  relu: { en: 'ReLU', zh: 'ReLU' }, 'leaky-relu': { en: 'leaky ReLU', zh: 'leaky ReLU' },
  tanh: { en: 'tanh', zh: 'tanh' }, elu: { en: 'ELU', zh: 'ELU' },
};
const OPTIMIZER_LABELS = { adam: { en: 'Adam', zh: 'Adam' }, sgd: { en: 'SGD', zh: 'SGD' }, rmsprop: { en: 'RMSprop', zh: 'RMSprop' } };

const depth = (who: 'generator' | 'critic', zh: string): NumberSpec => ({
  kind: 'number', default: 2, min: 1, max: 4, integer: true, cli: { min: 0, max: 8 },
  label: { en: `${who} hidden layers`, zh: `${zh}隐藏层数` },
});
const width = (who: 'generator' | 'critic', zh: string): NumberSpec => ({
  kind: 'number', default: 32, min: 4, max: 128, integer: true, cli: { min: 1, max: 512 },
  label: { en: `${who} units per layer`, zh: `${zh}每层神经元` },
});
const activation = (who: 'generator' | 'critic', zh: string, d: Activation): ChoiceSpec<Activation> => ({
  kind: 'choice', default: d, choices: ACTIVATIONS, choiceLabels: ACTIVATION_LABELS,
  label: { en: `${who} activation`, zh: `${zh}激活函数` },
});
const optimizer = (who: 'generator' | 'critic', zh: string): ChoiceSpec<OptimizerKind> => ({
  kind: 'choice', default: 'adam', choices: OPTIMIZER_KINDS, choiceLabels: OPTIMIZER_LABELS,
  label: { en: `${who} optimiser`, zh: `${zh}优化器` },
});
/** Settings measured per divergence (fgan-2d, ring, seeds 1–3, 3,000 steps): with the shared defaults every row
 * covers 8 of 8 modes on all three seeds except Neyman χ² (6, 5, 5, generator losses up to 532); a faster generator
 * with its gradient clipped at 5 brings it to 8, 8, 8 (7, 8, 8 on seeds 4–6) with its loss below 1. Clip 10 passes
 * too but reaches 8 modes later (8, 8, 4 at 2,000 steps). */
const MEASURED = {
  gLr: { neyman: 0.002 },
  gradClip: { neyman: 5 },
} as const;

const lr = (who: 'generator' | 'critic', zh: string, by?: Record<string, number>): NumberSpec => ({
  kind: 'number', default: 0.001, min: 0.00001, max: 1, cli: { min: 1e-6 },
  label: { en: `${who} learning rate`, zh: `${zh}学习率` },
  ...(by ? { defaultBy: { key: 'divergence', values: by } } : {}),
});

export const fganLabSchema = {
  ...divergenceSettings('js'),
  target: {
    kind: 'choice', default: 'ring', choices: TARGET_IDS, label: { en: 'Target P', zh: '目标分布 P' },
    cli: { choices: TARGET_IDS.filter((t) => t !== 'drawn') },
    choiceLabels: {
      ring: { en: 'Ring of 8 Gaussians', zh: '8 个高斯组成的环' },
      grid: { en: '5 × 5 grid of Gaussians', zh: '5 × 5 高斯网格' },
      moons: { en: 'Two moons', zh: '双月' },
      spiral: { en: 'Spiral', zh: '螺旋线' },
      mixture: { en: 'Two unequal Gaussians', zh: '两个不等权的高斯' },
      drawn: { en: 'Draw your own', zh: '自己画' },
    },
  } satisfies ChoiceSpec<TargetId>,
  points: {
    kind: 'points', default: '', limit: 4, max: 400, cli: false, when: { key: 'target', is: ['drawn'] },
    label: { en: 'Drawn target points', zh: '手绘目标的点' }, doc: 'the drawn target: "x,y;x,y;…"',
  },
  noise: {
    kind: 'choice', default: 'gaussian', choices: NOISE_KINDS, label: { en: 'Noise z', zh: '噪声 z' },
    choiceLabels: { uniform: { en: 'uniform on [−1, 1]', zh: '[−1, 1] 上的均匀分布' }, gaussian: { en: 'Gaussian N(0, I)', zh: '高斯分布 N(0, I)' } },
  } satisfies ChoiceSpec,
  noiseDim: {
    kind: 'number', default: 2, min: 1, max: 2, integer: true, label: { en: 'Noise dimension', zh: '噪声维数' },
  } satisfies NumberSpec,
  gDepth: depth('generator', '生成器'),
  gWidth: width('generator', '生成器'),
  gActivation: activation('generator', '生成器', 'relu'),
  dDepth: depth('critic', '判别器'),
  dWidth: width('critic', '判别器'),
  dActivation: activation('critic', '判别器', 'leaky-relu'),
  gOptimizer: optimizer('generator', '生成器'),
  dOptimizer: optimizer('critic', '判别器'),
  gLr: lr('generator', '生成器', MEASURED.gLr),
  dLr: lr('critic', '判别器'),
  criticSteps: {
    kind: 'number', default: 1, min: 1, max: 10, integer: true, cli: { max: 20 },
    label: { en: 'Critic steps per G step', zh: '每步 G 对应的判别器步数' },
  } satisfies NumberSpec,
  gradClip: {
    kind: 'number', default: 0, min: 0, max: 100, cli: { max: 1e6 },
    defaultBy: { key: 'divergence', values: MEASURED.gradClip },
    label: { en: 'Gradient clip (global norm; 0: off)', zh: '梯度裁剪（全局范数；0 为不裁剪）' },
    doc: 'bound on the global norm of each player\'s gradient, 0 for none',
  } satisfies NumberSpec,
  batchSize: {
    kind: 'number', default: 256, min: 16, max: 2048, integer: true, cli: { min: 2, max: 4096 },
    label: { en: 'Batch size', zh: '批大小' },
  } satisfies NumberSpec,
  seed: {
    kind: 'number', default: 1, min: 0, max: 2147483647, integer: true, cli: { max: 2 ** 32 - 1 },
    label: { en: 'Seed', zh: '随机种子' }, doc: 'seed of init, data and noise: same seed, same backend → same run',
  } satisfies NumberSpec,
  generatorObjective: {
    kind: 'choice', default: 'alternative', choices: GENERATOR_OBJECTIVES, label: { en: 'Generator objective', zh: '生成器目标' },
    doc: 'alternative: maximise E_Q[g_f(V)]; saturating: minimise F',
    choiceLabels: {
      alternative: { en: 'maximise T (non-saturating)', zh: '最大化 T（不饱和）' },
      saturating: { en: 'minimise F (saturating)', zh: '最小化 F（饱和）' },
    },
  } satisfies ChoiceSpec,
  mode: {
    kind: 'choice', default: 'alternating', choices: TRAINING_MODES, label: { en: 'Update scheme', zh: '更新方式' },
    doc: 'alternating, or single-loss (one loss, one backward pass)',
    choiceLabels: {
      alternating: { en: 'alternating updates', zh: '交替更新' },
      'single-loss': { en: 'one loss, one backward pass', zh: '单一损失，一次反向传播' },
    },
  } satisfies ChoiceSpec,
  lambda: {
    kind: 'number', default: 1, min: 0, max: 10, cli: { max: 100 },
    label: { en: 'λ (scale on G’s gradient)', zh: 'λ（G 梯度的倍数）' },
    doc: 'scale on the generator\'s gradient in single-loss mode: its step under SGD; Adam almost cancels it',
    when: { key: 'mode', is: ['single-loss'] },
  } satisfies NumberSpec,
  backend: backendSetting(),
  speed: {
    kind: 'number', default: SPEED_MAX, min: 1, max: SPEED_MAX, cli: false,
    label: { en: 'Speed limit', zh: '速度上限' }, doc: `at most this many generator steps per second (${SPEED_MAX}: as fast as it goes)`,
  } satisfies NumberSpec,
  autoplay: {
    kind: 'boolean', default: true, cli: false,
    label: { en: 'Start when scrolled into view', zh: '滚动到可见时自动开始' },
  },
  ...commonSettings(),
} as const;

export type FganSettings = Values<typeof fganLabSchema>;

/** Settings a running run takes without a restart: they change neither the networks nor the data (the trainer's
 * `adjust`). Every other setting starts a new run. `speed` and `autoplay` only pace or start the run. */
export const LIVE_SETTINGS = ['gLr', 'dLr', 'criticSteps', 'lambda', 'generatorObjective', 'gradClip'] as const;
export type LiveSettings = Pick<FganSettings, (typeof LIVE_SETTINGS)[number]>;

export function liveSettings(s: FganSettings): LiveSettings {
  return { gLr: s.gLr, dLr: s.dLr, criticSteps: s.criticSteps, lambda: s.lambda, generatorObjective: s.generatorObjective, gradClip: s.gradClip };
}
