// Registry of headless experiments: the name on the command line maps to its implementation.
import type { Experiment } from '../options.ts';
import { conjugate } from './conjugate.ts';
import { fgan2d } from './fgan2d.ts';
import { gaussianFit } from './gaussian-fit.ts';
import { rnnGrad } from './rnn-grad.ts';
import { rnnTrain } from './rnn-train.ts';
import { widenExperiment } from './widen.ts';
import { widenTrain } from './widen-train.ts';

export const EXPERIMENTS: Experiment[] = [conjugate, fgan2d, gaussianFit, rnnGrad, rnnTrain, widenExperiment, widenTrain];
