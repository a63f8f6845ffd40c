// The analytic Jacobians of src/math against tfjs autodiff (src/models/rnn-cells.ts) on the same parameter arrays:
// every cell and activation, the state and input Jacobians, each term of the LSTM's and the GRUs' memory
// decompositions on its own and their sum, the forward pass itself, and tensor hygiene. tfjs computes in float32,
// so agreement is to ~1e-4 relative to the largest entry; the float64 finite-difference checks are in
// rnn-math.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_IDS, type CellId, type CellTrace, forward, initCell, makeInputs } from '../../src/math/rnn-cells.ts';
import { gruMemoryTerms, inputJacobian, lstmMemoryTerms, stepJacobian } from '../../src/math/rnn-jacobian-dense.ts';
import {
  type TfCell, autodiffInputJacobian, autodiffMemoryJacobian, autodiffStepJacobian, makeTfCell, tfRollout,
} from '../../src/models/rnn-cells.ts';

let baseline = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  baseline = tf.memory().numTensors;
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

const H = 6, D = 3, T = 7;
const TOL = 1e-4;
const row = (a: Float64Array, t: number, n: number) => a.slice(t * n, (t + 1) * n);
const sum = (...ms: Float64Array[]) => ms.reduce((acc, m) => acc.map((v, i) => v + m[i]));
const diff = (a: Float64Array, b: Float64Array) => a.map((v, i) => v - b[i]);

/** |a − b| ≤ TOL·max(1, max|a|) entrywise: float32 autodiff against a float64 formula. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  let scale = 1, worst = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst, what).toBeLessThan(TOL * scale);
}

function setup(id: CellId): { trace: CellTrace; cell: TfCell } {
  // Gaussian recurrent weights a little above unit size and a small forget bias keep every gate away from
  // saturation, so each path of the Jacobian carries weight.
  const s = { hidden: H, inputDim: D, T, init: 'gaussian' as const, radius: 1.3, forgetBias: 0.5, seed: 17 };
  const trace = forward(initCell(id, s), makeInputs(s));
  return { trace, cell: makeTfCell(trace.params) };
}

describe('tfjs cells', () => {
  for (const id of CELL_IDS) {
    it(`${id}: the forward pass and the analytic ∂s_t/∂s_{t−1}, ∂s_t/∂x_t equal tfjs autodiff`, async () => {
      const { trace, cell } = setup(id);
      const S = trace.stateDim;
      expectClose(trace.states, await tfRollout(cell, trace.inputs), `${id} states`);
      for (const t of [1, 3, T]) {
        const prev = row(trace.states, t - 1, S), x = row(trace.inputs, t - 1, D);
        expectClose(stepJacobian(trace, t), await autodiffStepJacobian(cell, prev, x), `${id} J_${t}`);
        expectClose(inputJacobian(trace, t), await autodiffInputJacobian(cell, prev, x), `${id} Jx_${t}`);
      }
      cell.dispose();
    });
  }

  it('LSTM: each of the four terms of ∂c_t/∂c_{t−1} is its own path, and they add up to the autodiff Jacobian', async () => {
    const { trace, cell } = setup('lstm');
    for (const t of [2, 5, T]) {
      const prev = row(trace.states, t - 1, 2 * H), x = row(trace.inputs, t - 1, D), o = row(trace.cache.o, t - 1, H);
      const J = (live: string[]) => autodiffMemoryJacobian(cell, prev, o, x, live);
      const none = await J([]);
      const terms = lstmMemoryTerms(trace, t);
      // With every gate frozen only f_t∘c_{t−1} is left; each gate switched on alone adds exactly its term.
      expectClose(terms.forget, none, `forget t=${t}`);
      expectClose(terms.forgetGate, diff(await J(['f']), none), `forget gate t=${t}`);
      expectClose(terms.inputGate, diff(await J(['i']), none), `input gate t=${t}`);
      expectClose(terms.candidate, diff(await J(['g']), none), `candidate t=${t}`);
      expectClose(sum(terms.forget, terms.forgetGate, terms.inputGate, terms.candidate), await J(['f', 'i', 'g']), `sum t=${t}`);
    }
    cell.dispose();
  });

  for (const id of ['gru', 'gru-r-out'] as const) {
    it(`${id}: keep = 1 − z_t and each other term is its own path; the sum is the autodiff memory Jacobian`, async () => {
      const { trace, cell } = setup(id);
      const S = trace.stateDim;
      for (const t of [1, 4, T]) {
        const prev = row(trace.states, t - 1, S), x = row(trace.inputs, t - 1, D);
        const r = id === 'gru-r-out' ? row(trace.cache.r, t - 1, H) : null;
        const J = (live: string[]) => autodiffMemoryJacobian(cell, prev, r, x, live);
        const none = await J([]);
        const terms = gruMemoryTerms(trace, t);
        expectClose(terms.keep, none, `${id} keep t=${t}`);
        expectClose(terms.updateGate, diff(await J(['z']), none), `${id} update gate t=${t}`);
        expectClose(terms.candidate, diff(await J(['h']), none), `${id} candidate t=${t}`);
        if (id === 'gru') expectClose(terms.resetGate, diff(await J(['r']), none), `${id} reset gate t=${t}`);
        const all = await J(id === 'gru' ? ['z', 'r', 'h'] : ['z', 'h']);
        expectClose(sum(terms.keep, terms.updateGate, terms.candidate, terms.resetGate), all, `${id} sum t=${t}`);
        if (id === 'gru') expectClose(stepJacobian(trace, t), all, `${id} J t=${t}`);
      }
      cell.dispose();
    });
  }

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const { trace, cell } = setup('lstm');
    await autodiffStepJacobian(cell, row(trace.states, 2, 2 * H), row(trace.inputs, 2, D));
    await autodiffMemoryJacobian(cell, row(trace.states, 2, 2 * H), row(trace.cache.o, 2, H), row(trace.inputs, 2, D), ['f']);
    await tfRollout(cell, trace.inputs);
    cell.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
