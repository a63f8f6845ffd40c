// The names of the toy GAN's discrete options, with no imports: the trainer validates against them, and the widget's
// attribute schema (in the embed module, which must not pull in tfjs) and the CLI offer exactly these choices.
export const ACTIVATIONS = ['relu', 'leaky-relu', 'tanh', 'elu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const OPTIMIZER_KINDS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];
export const NOISE_KINDS = ['uniform', 'gaussian'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];
export const GENERATOR_OBJECTIVES = ['alternative', 'saturating'] as const;
export type GeneratorObjective = (typeof GENERATOR_OBJECTIVES)[number];
export const TRAINING_MODES = ['alternating', 'single-loss'] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];
