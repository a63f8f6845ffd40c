// Registry of headless experiments: the name on the command line maps to its implementation.
import type { Experiment } from '../options.ts';
import { conjugate } from './conjugate.ts';

export const EXPERIMENTS: Experiment[] = [conjugate];
