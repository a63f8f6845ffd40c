// Settings of <fgan-lab>: every control of the lab is also an attribute and a key of the standalone page's hash.
// Ranges match resolveFganConfig (src/models/fgan-config.ts), which checks them again inside the worker.
import { TARGET_IDS } from '../../src/math/targets.ts';
import {
  ACTIVATIONS, GENERATOR_OBJECTIVES, NOISE_KINDS, OPTIMIZER_KINDS as OPTIMIZERS, TRAINING_MODES,
} from '../../src/models/fgan-options.ts';
import { BACKENDS } from '../../src/runtime/protocol.ts';
import { divergenceSettings } from '../core/divergence-settings.ts';
import type { Schema } from '../core/settings.ts';


export const SPEED_MAX = 2000;

export const fganSchema = {
  ...divergenceSettings('js'),
  target: { kind: 'choice', default: 'ring', choices: TARGET_IDS },
  /** the points of the 'drawn' target */
  points: { kind: 'points', default: '', limit: 4, max: 400 },
  noise: { kind: 'choice', default: 'gaussian', choices: NOISE_KINDS },
  noiseDim: { kind: 'number', default: 2, min: 1, max: 2, integer: true },
  gDepth: { kind: 'number', default: 2, min: 1, max: 4, integer: true },
  gWidth: { kind: 'number', default: 32, min: 4, max: 128, integer: true },
  gActivation: { kind: 'choice', default: 'relu', choices: ACTIVATIONS },
  dDepth: { kind: 'number', default: 2, min: 1, max: 4, integer: true },
  dWidth: { kind: 'number', default: 32, min: 4, max: 128, integer: true },
  dActivation: { kind: 'choice', default: 'leaky-relu', choices: ACTIVATIONS },
  gOptimizer: { kind: 'choice', default: 'adam', choices: OPTIMIZERS },
  dOptimizer: { kind: 'choice', default: 'adam', choices: OPTIMIZERS },
  gLr: { kind: 'number', default: 0.001, min: 0.00001, max: 1 },
  dLr: { kind: 'number', default: 0.001, min: 0.00001, max: 1 },
  criticSteps: { kind: 'number', default: 1, min: 1, max: 10, integer: true },
  batchSize: { kind: 'number', default: 256, min: 16, max: 2048, integer: true },
  seed: { kind: 'number', default: 1, min: 0, max: 2147483647, integer: true },
  generatorObjective: { kind: 'choice', default: 'alternative', choices: GENERATOR_OBJECTIVES },
  mode: { kind: 'choice', default: 'alternating', choices: TRAINING_MODES },
  lambda: { kind: 'number', default: 1, min: 0, max: 10 },
  backend: { kind: 'choice', default: 'auto', choices: ['auto', ...BACKENDS] },
  /** generator steps per second at most; the top of the range means "as fast as the backend goes" */
  speed: { kind: 'number', default: SPEED_MAX, min: 1, max: SPEED_MAX },
  /** start training when the figure scrolls into view */
  autoplay: { kind: 'boolean', default: true },
} satisfies Schema;
