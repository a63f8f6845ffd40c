// Sequence tasks a reader can check by eye, for the tiny Transformer (transformer.ts): read `length` digits, write at
// each position the digit the answer has there. 'reverse': 3 1 4 1 5 9 2 6 → 6 2 9 5 1 4 1 3 (pure routing by
// position, learnt quickly); 'sort': → 1 1 2 3 4 5 6 9 (needs comparing and counting, learnt slowly). An encoder
// without a mask sees the whole input, so one forward pass answers every position and no special tokens are needed:
// the vocabulary is just the digits. Invariants: tokens are integers in [0, digits); the same seed gives the same
// batches; batches are row-major [batch, length] like the tfjs model's input.

import { Rng } from './rng.ts';

export const DIGIT_TASKS = ['reverse', 'sort'] as const;
export type DigitTaskKind = (typeof DIGIT_TASKS)[number];

export interface DigitBatch {
  batch: number;
  length: number;
  /** [batch, length] token ids */
  inputs: Int32Array;
  /** [batch, length] target token ids */
  targets: Int32Array;
}

export interface DigitTask {
  kind: DigitTaskKind;
  length: number;
  /** number of symbols (the model's vocab) */
  digits: number;
  /** the answer to one input sequence */
  answer(seq: ArrayLike<number>): number[];
  /** `n` fresh random sequences with their answers (advances the task's generator) */
  batch(n: number): DigitBatch;
}

export interface DigitTaskOptions {
  /** sequence length (default 8) */
  length?: number;
  /** number of symbols (default 10) */
  digits?: number;
}

export function answerOf(kind: DigitTaskKind, seq: ArrayLike<number>): number[] {
  const a = Array.from(seq);
  return kind === 'reverse' ? a.reverse() : a.sort((x, y) => x - y);
}

export function makeTask(kind: DigitTaskKind, seed: number | string, opts: DigitTaskOptions = {}): DigitTask {
  if (!DIGIT_TASKS.includes(kind)) throw new RangeError(`task must be one of ${DIGIT_TASKS.join(', ')}, got ${String(kind)}`);
  const length = opts.length ?? 8;
  const digits = opts.digits ?? 10;
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`length must be a positive integer, got ${length}`);
  if (!Number.isInteger(digits) || digits < 2) throw new RangeError(`digits must be an integer ≥ 2, got ${digits}`);
  const rng = new Rng(seed).stream(`task:${kind}`);
  return {
    kind, length, digits,
    answer: (seq) => answerOf(kind, seq),
    batch(n: number): DigitBatch {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
      const inputs = new Int32Array(n * length);
      const targets = new Int32Array(n * length);
      for (let b = 0; b < n; b++) {
        const seq = Array.from({ length }, () => rng.int(digits));
        inputs.set(seq, b * length);
        targets.set(answerOf(kind, seq), b * length);
      }
      return { batch: n, length, inputs, targets };
    },
  };
}

/** "3 1 4 1 5 9 2 6" */
export function formatDigits(seq: ArrayLike<number>): string {
  return Array.from(seq).join(' ');
}

/** The rows of a batch as separate sequences (for the float64 reference, which runs one sequence at a time). */
export function rowsOf(ids: Int32Array, length: number): Int32Array[] {
  return Array.from({ length: ids.length / length }, (_, b) => ids.subarray(b * length, (b + 1) * length));
}
