// Configuration of the toy 2-D f-GAN trainer: types, defaults and validation. The defaults are the tuned ones (see
// the comments on each); `resolveFganConfig` merges a partial config over them and throws a RangeError naming the
// field and its valid values, so a widget attribute or CLI flag can surface the message as it is.
import { paramError } from '../math/fdiv.ts';
import { DIVERGENCE_IDS, type DivergenceId } from '../math/types.ts';
import { TARGET_IDS, type TargetId } from '../math/targets.ts';
import {
  GENERATOR_OBJECTIVES, NOISE_KINDS, OPTIMIZER_KINDS, TRAINING_MODES,
  type Activation, type GeneratorObjective, type NoiseKind, type OptimizerKind, type TrainingMode,
} from './fgan-options.ts';
import { validateMlpSpec } from './mlp.ts';

export * from './fgan-options.ts';

export interface NetConfig {
  /** hidden layers */
  depth: number;
  width: number;
  activation: Activation;
}

export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
}

export interface FganConfig {
  divergence: DivergenceId;
  /** α of the α-divergence (α > 0, α ≠ 1) */
  alpha: number;
  /** π of the weighted Jensen-Shannon divergence (0 < π < 1) */
  pi: number;
  target: TargetId;
  /** points of the 'drawn' target */
  points?: [number, number][];
  noise: NoiseKind;
  noiseDim: 1 | 2;
  generator: NetConfig;
  critic: NetConfig;
  generatorOptimizer: OptimizerConfig;
  criticOptimizer: OptimizerConfig;
  /** critic updates per generator update */
  criticSteps: number;
  batchSize: number;
  seed: number;
  /** 'alternative': G maximises E_Q[g_f(V)] (the −log D trick); 'saturating': G minimises F = −E_Q[f*(g_f(V))] + const */
  generatorObjective: GeneratorObjective;
  mode: TrainingMode;
  /** G:D step ratio of the single-loss mode (exactly so under SGD; Adam and RMSprop normalise it away) */
  lambda: number;
  /** global-norm bound on each player's gradient, or 0 for none */
  gradClip: number;
}

export const DEFAULT_FGAN_CONFIG: FganConfig = {
  divergence: 'js',
  alpha: 0.5,
  pi: 0.5,
  target: 'ring',
  noise: 'gaussian',
  noiseDim: 2,
  generator: { depth: 2, width: 32, activation: 'relu' },
  critic: { depth: 2, width: 32, activation: 'leaky-relu' },
  generatorOptimizer: { kind: 'adam', lr: 1e-3 },
  criticOptimizer: { kind: 'adam', lr: 1e-3 },
  criticSteps: 1,
  batchSize: 256,
  seed: 1,
  generatorObjective: 'alternative',
  mode: 'alternating',
  lambda: 1,
  gradClip: 0,
};

export type FganConfigInput = Partial<Omit<FganConfig, 'generator' | 'critic' | 'generatorOptimizer' | 'criticOptimizer'>> & {
  generator?: Partial<NetConfig>;
  critic?: Partial<NetConfig>;
  generatorOptimizer?: Partial<OptimizerConfig>;
  criticOptimizer?: Partial<OptimizerConfig>;
};

export function resolveFganConfig(input: FganConfigInput = {}): FganConfig {
  const d = DEFAULT_FGAN_CONFIG;
  const c: FganConfig = {
    ...d, ...input,
    generator: { ...d.generator, ...input.generator },
    critic: { ...d.critic, ...input.critic },
    generatorOptimizer: { ...d.generatorOptimizer, ...input.generatorOptimizer },
    criticOptimizer: { ...d.criticOptimizer, ...input.criticOptimizer },
  };
  validate(c);
  return c;
}

function oneOf<T extends string>(name: string, v: T, valid: readonly string[]): void {
  if (!valid.includes(v)) throw new RangeError(`${name} must be one of ${valid.join(', ')}, got ${String(v)}`);
}

function inRange(name: string, v: number, lo: number, hi: number, integer = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${String(v)}`);
  }
}

function validate(c: FganConfig): void {
  oneOf('divergence', c.divergence, DIVERGENCE_IDS);
  // the catalogue's own ranges (ALPHA_RANGE, PI_RANGE), checked whichever divergence is chosen
  for (const k of ['alpha', 'pi'] as const) {
    const err = typeof c[k] === 'number' ? paramError(k, c[k]) : `${k} must be a number, got ${String(c[k])}`;
    if (err) throw new RangeError(err);
  }
  oneOf('target', c.target, TARGET_IDS);
  if (c.target === 'drawn' && !(c.points && c.points.length > 0)) throw new RangeError('target drawn needs at least one point');
  oneOf('noise', c.noise, NOISE_KINDS);
  if (c.noiseDim !== 1 && c.noiseDim !== 2) throw new RangeError(`noiseDim must be 1 or 2, got ${String(c.noiseDim)}`);
  validateMlpSpec({ ...c.generator, inputDim: c.noiseDim, outputDim: 2 }, 'generator');
  validateMlpSpec({ ...c.critic, inputDim: 2, outputDim: 1 }, 'critic');
  for (const [name, o] of [['generatorOptimizer', c.generatorOptimizer], ['criticOptimizer', c.criticOptimizer]] as const) {
    oneOf(`${name}.kind`, o.kind, OPTIMIZER_KINDS);
    inRange(`${name}.lr`, o.lr, 1e-6, 1);
  }
  inRange('criticSteps', c.criticSteps, 1, 20, true);
  inRange('batchSize', c.batchSize, 2, 4096, true);
  inRange('seed', c.seed, 0, 2 ** 32 - 1, true);
  oneOf('generatorObjective', c.generatorObjective, GENERATOR_OBJECTIVES);
  oneOf('mode', c.mode, TRAINING_MODES);
  inRange('lambda', c.lambda, 0, 100);
  inRange('gradClip', c.gradClip, 0, 1e6);
}
