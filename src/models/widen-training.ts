// How the small model of the widening explainer is trained, in one place: the shipped weight file (made by the
// `widen-train` experiment), the page's "retrain here" and the training of both wide models use these settings, so
// a retrained model and the shipped one are made the same way. Reverse is the task because a reader can check it
// by eye and the 4.8k-parameter model learns it in a few hundred Adam steps (src/models/transformer.ts).
// No tfjs here: the constants are read where tfjs is not loaded.
import type { DigitTaskKind } from '../math/digit-task.ts';

export const WIDEN_TRAINING = {
  task: 'reverse' as DigitTaskKind,
  /** Adam steps of the small model: the default model then answers most positions right with a loss near 0.1, so training on after widening still has visible room */
  smallSteps: 200,
  batch: 32,
  learningRate: 3e-3,
  /** the wide models ramp their step size up over this many steps: a fresh Adam's first steps (±learningRate on
   * every weight) would otherwise throw the widened model's loss well above where the small model left it */
  warmupSteps: 50,
  /** the loss curve in the weight file keeps one point in this many steps */
  lossEvery: 5,
} as const;

/** Where the shipped small model lives, relative to the site root. */
export const SMALL_MODEL_PATH = 'models/widen-reverse.json';
