// Configuration of the toy 2-D f-GAN trainer: types, defaults and validation. The defaults are the tuned ones (see
// the comments on each); `resolveFganConfig` merges a partial config over them and throws a RangeError naming the
// field and its valid values, so a widget attribute or CLI flag can surface the message as it is.
import type { DivergenceId } from '../math/types.ts';
import { TARGET_IDS, type TargetId } from '../math/targets.ts';
import { fganLabSchema, type FganSettings, type LiveSettings } from '../settings/fgan-lab.ts';

export type { LiveSettings };
import { attributeName, checkSetting, parsePoints, specIn } from '../settings/schema.ts';
import type { Activation, GeneratorObjective, NoiseKind, OptimizerKind, TrainingMode } from './fgan-options.ts';
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
  /** λ of the single-loss mode: the factor on G's gradient. Under SGD it is the G:D step ratio; Adam and RMSprop divide each
   * gradient by a running measure of its own size, so they cancel it: Adam up to ε, RMSprop (ε inside its square
   * root) to within 5–8 % of the step on the lab's networks (both tested, fgan-single-loss.test.ts) */
  lambda: number;
  /** global-norm bound on each player's gradient, or 0 for none */
  gradClip: number;
}

const DEFAULT_FGAN_CONFIG: FganConfig = {
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

/** The trainer's config for these settings. */
export function fganConfigFromSettings(s: FganSettings): FganConfigInput {
  return {
    divergence: s.divergence, alpha: s.alpha, pi: s.pi,
    target: s.target, points: parsePoints(s.points) ?? [],
    noise: s.noise, noiseDim: s.noiseDim === 1 ? 1 : 2,
    generator: { depth: s.gDepth, width: s.gWidth, activation: s.gActivation },
    critic: { depth: s.dDepth, width: s.dWidth, activation: s.dActivation },
    generatorOptimizer: { kind: s.gOptimizer, lr: s.gLr },
    criticOptimizer: { kind: s.dOptimizer, lr: s.dLr },
    criticSteps: s.criticSteps, batchSize: s.batchSize, seed: s.seed,
    generatorObjective: s.generatorObjective, mode: s.mode, lambda: s.lambda, gradClip: s.gradClip,
  };
}

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

/** A config built in code is held to the same ranges as the CLI's flags (the schema's CLI scope), named by the
 * attribute the reader would have typed. */
function check(key: keyof typeof fganLabSchema, value: unknown): void {
  const spec = specIn(fganLabSchema[key], 'cli');
  const err = spec && checkSetting(attributeName(key), spec, value);
  if (err) throw new RangeError(err);
}

function validate(c: FganConfig): void {
  check('divergence', c.divergence);
  // the catalogue's own ranges, checked whichever divergence is chosen
  check('alpha', c.alpha);
  check('pi', c.pi);
  if (!(TARGET_IDS as readonly string[]).includes(c.target)) check('target', c.target);
  if (c.target === 'drawn' && !(c.points && c.points.length > 0)) throw new RangeError('target drawn needs at least one point');
  check('noise', c.noise);
  check('noiseDim', c.noiseDim);
  validateMlpSpec({ ...c.generator, inputDim: c.noiseDim, outputDim: 2 }, 'generator');
  validateMlpSpec({ ...c.critic, inputDim: 2, outputDim: 1 }, 'critic');
  check('gDepth', c.generator.depth);
  check('gWidth', c.generator.width);
  check('gActivation', c.generator.activation);
  check('dDepth', c.critic.depth);
  check('dWidth', c.critic.width);
  check('dActivation', c.critic.activation);
  check('gOptimizer', c.generatorOptimizer.kind);
  check('gLr', c.generatorOptimizer.lr);
  check('dOptimizer', c.criticOptimizer.kind);
  check('dLr', c.criticOptimizer.lr);
  check('criticSteps', c.criticSteps);
  check('batchSize', c.batchSize);
  check('seed', c.seed);
  check('generatorObjective', c.generatorObjective);
  check('mode', c.mode);
  check('lambda', c.lambda);
  check('gradClip', c.gradClip);
}
