// `fgan-2d`: trains the toy 2-D f-GAN headless on tfjs-backend-cpu and prints its final metrics: losses, the bound F,
// the true divergence on a grid, steps per second, status, and mode coverage for the ring and grid targets.
// Node cannot load tfjs-core's gradient registrations as they ship (ES modules with extensionless imports, only
// reachable through a bundler), so this module registers a small resolve hook first and imports tfjs and the
// trainer dynamically, after it; nothing tfjs-related is imported statically here.
import { register } from 'node:module';
import { ALPHA_RANGE, DEFAULT_PARAMS, PI_RANGE } from '../../math/fdiv.ts';
import { TARGET_IDS } from '../../math/targets.ts';
import { DIVERGENCE_IDS } from '../../math/types.ts';
import type { FganConfigInput } from '../../models/fgan-config.ts';
import {
  ACTIVATIONS, GENERATOR_OBJECTIVES, NOISE_KINDS, OPTIMIZER_KINDS as OPTIMIZERS, TRAINING_MODES,
} from '../../models/fgan-options.ts';
import { UsageError, type Experiment, type OptionValues } from '../options.ts';


/** Resolves tfjs-core's extensionless relative imports (`./gradients/Abs_grad`, `./ops/ops`) inside its dist/ tree
 * to files, as a bundler would; every other specifier passes through unchanged. */
const HOOK = `
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  const parent = context.parentURL || '';
  if (specifier.startsWith('.') && parent.includes('/@tensorflow/tfjs-core/dist/') && !/\\.[cm]?js$/.test(specifier)) {
    const url = new URL(specifier, parent);
    const path = fileURLToPath(url);
    if (existsSync(path + '.js')) return next(url.href + '.js', context);
    if (existsSync(path) && statSync(path).isDirectory()) return next(url.href + '/index.js', context);
  }
  return next(specifier, context);
}`;

let hooked = false;

async function loadTrainer(): Promise<{ tf: typeof import('@tensorflow/tfjs-core'); fgan: typeof import('../../models/fgan.ts') }> {
  if (!hooked) {
    register('data:text/javascript,' + encodeURIComponent(HOOK));
    hooked = true;
  }
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, fgan: await import('../../models/fgan.ts') };
}

export function configFromOptions(v: OptionValues): FganConfigInput {
  return {
    divergence: v.divergence as FganConfigInput['divergence'], alpha: v.alpha as number, pi: v.pi as number,
    target: v.target as FganConfigInput['target'], seed: v.seed as number,
    noise: v.noise as 'uniform' | 'gaussian', noiseDim: v['noise-dim'] as 1 | 2,
    generator: { depth: v['g-depth'] as number, width: v['g-width'] as number, activation: v['g-activation'] as 'relu' },
    critic: { depth: v['d-depth'] as number, width: v['d-width'] as number, activation: v['d-activation'] as 'relu' },
    generatorOptimizer: { kind: v['g-optimizer'] as 'adam', lr: v['g-lr'] as number },
    criticOptimizer: { kind: v['d-optimizer'] as 'adam', lr: v['d-lr'] as number },
    criticSteps: v['critic-steps'] as number, batchSize: v.batch as number,
    generatorObjective: v.objective as 'alternative', mode: v.mode as 'alternating', lambda: v.lambda as number,
    gradClip: v['grad-clip'] as number,
  };
}

export const fgan2d: Experiment = {
  name: 'fgan-2d',
  summary: 'train the toy 2-D f-GAN headless (tfjs cpu backend) and print its final metrics and mode coverage',
  options: [
    { name: 'divergence', kind: 'choice', help: 'row of the f-GAN catalogue', default: 'js', choices: DIVERGENCE_IDS },
    { name: 'alpha', kind: 'number', help: 'α of the α-divergence', default: DEFAULT_PARAMS.alpha, min: ALPHA_RANGE.min, max: ALPHA_RANGE.max },
    { name: 'pi', kind: 'number', help: 'π of weighted Jensen-Shannon', default: DEFAULT_PARAMS.pi, min: PI_RANGE.min, max: PI_RANGE.max },
    { name: 'target', kind: 'choice', help: 'target distribution', default: 'ring', choices: TARGET_IDS.filter((t) => t !== 'drawn') },
    { name: 'steps', kind: 'number', help: 'generator steps', default: 3000, min: 0, max: 1_000_000, integer: true },
    { name: 'seed', kind: 'number', help: 'seed of init, data and noise', default: 1, min: 0, max: 2 ** 32 - 1, integer: true },
    { name: 'noise', kind: 'choice', help: 'noise distribution', default: 'gaussian', choices: NOISE_KINDS },
    { name: 'noise-dim', kind: 'number', help: 'noise dimension', default: 2, min: 1, max: 2, integer: true },
    { name: 'g-depth', kind: 'number', help: 'generator hidden layers', default: 2, min: 0, max: 8, integer: true },
    { name: 'g-width', kind: 'number', help: 'generator width', default: 32, min: 1, max: 512, integer: true },
    { name: 'g-activation', kind: 'choice', help: 'generator activation', default: 'relu', choices: ACTIVATIONS },
    { name: 'd-depth', kind: 'number', help: 'critic hidden layers', default: 2, min: 0, max: 8, integer: true },
    { name: 'd-width', kind: 'number', help: 'critic width', default: 32, min: 1, max: 512, integer: true },
    { name: 'd-activation', kind: 'choice', help: 'critic activation', default: 'leaky-relu', choices: ACTIVATIONS },
    { name: 'g-optimizer', kind: 'choice', help: 'generator optimiser', default: 'adam', choices: OPTIMIZERS },
    { name: 'd-optimizer', kind: 'choice', help: 'critic optimiser', default: 'adam', choices: OPTIMIZERS },
    { name: 'g-lr', kind: 'number', help: 'generator learning rate', default: 1e-3, min: 1e-6, max: 1 },
    { name: 'd-lr', kind: 'number', help: 'critic learning rate', default: 1e-3, min: 1e-6, max: 1 },
    { name: 'critic-steps', kind: 'number', help: 'critic steps per generator step', default: 1, min: 1, max: 20, integer: true },
    { name: 'batch', kind: 'number', help: 'batch size', default: 256, min: 2, max: 4096, integer: true },
    { name: 'objective', kind: 'choice', help: 'generator objective', default: 'alternative', choices: GENERATOR_OBJECTIVES },
    { name: 'mode', kind: 'choice', help: 'training mode', default: 'alternating', choices: TRAINING_MODES },
    { name: 'lambda', kind: 'number', help: 'G:D step ratio in single-loss mode', default: 1, min: 0, max: 100 },
    { name: 'grad-clip', kind: 'number', help: 'global-norm gradient clip per player, 0 for none', default: 0, min: 0, max: 1e6 },
    { name: 'samples', kind: 'number', help: 'generated samples for the final metrics', default: 2000, min: 64, max: 20000, integer: true },
  ],
  async run(values) {
    const { tf, fgan } = await loadTrainer();
    let trainer: InstanceType<typeof fgan.FganTrainer>;
    try {
      trainer = new fgan.FganTrainer(configFromOptions(values));
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    try {
      const steps = values.steps as number;
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
      const snap = await trainer.snapshot({ samples: values.samples as number, fieldSize: 8, boundBatch: 8192 });
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
};
