// `rnn-grad`: the gradient views of <rnn-gradients> for one cell, headless, in float64 (src/math/rnn-gradients.ts):
// ‖∂L/∂s_t‖ (gradNorms), with clipping (gradNormsClipped), ‖∂y_T/∂x_t‖ (connectivity) and σ₁ of each step Jacobian
// (maxSingular), each an array indexed by t − 1 of length T, plus λ₁ of the recurrent matrix and Pascanu's line.
// Its flags are the widget's attributes (src/settings/rnn-gradients.ts) with the cell given as --cell and
// --activation, as in the paper's notation; --exact computes σ₁ from each dense step Jacobian instead of the
// widget's estimate (a Ritz value a little below it: src/math/rnn-singular.ts).
import { spectralNorm } from '../../math/linalg.ts';
import { analyzeRnnGradients } from '../../math/rnn-gradients.ts';
import type { CellId } from '../../math/rnn-cells.ts';
import { stepJacobian } from '../../math/rnn-jacobian-dense.ts';
import { rnnGradientsSchema } from '../../settings/rnn-gradients.ts';
import type { BooleanSpec, ChoiceSpec } from '../../settings/schema.ts';
import { experiment, UsageError } from '../options.ts';

const { hiddenSize, cells: _cells, mode: _mode, task: _task, batchSize: _b, lr: _lr, backend: _be, autoplay: _a, ...shared } = rnnGradientsSchema;

const schema = {
  cell: {
    kind: 'choice', default: 'rnn', choices: ['rnn', 'lstm', 'gru', 'gru-r-out'], label: { en: 'Cell', zh: '单元' },
  } satisfies ChoiceSpec,
  activation: {
    kind: 'choice', default: 'tanh', choices: ['tanh', 'relu', 'linear'], label: { en: 'Activation of the simple RNN', zh: '简单 RNN 的激活函数' },
  } satisfies ChoiceSpec,
  ...shared,
  // the flag the paper-style command line uses (the attribute is hidden-size, see the schema)
  hidden: hiddenSize,
  exact: {
    kind: 'boolean', default: false, label: { en: 'exact σ₁ (dense step Jacobians) instead of the widget\'s estimate', zh: '精确的 σ₁' },
  } satisfies BooleanSpec,
} as const;

const round = (a: Float64Array) => Array.from(a, (x) => Number(x.toPrecision(6)));

export const rnnGrad = experiment({
  name: 'rnn-grad',
  summary: 'gradient norms, connectivity and σ₁ of each step Jacobian over time for one recurrent cell (float64)',
  schema,
  async run(v) {
    const id = (v.cell === 'rnn' ? `rnn-${v.activation}` : v.cell) as CellId;
    let report;
    try {
      report = analyzeRnnGradients({
        cells: [id], T: v.length, hidden: v.hidden, init: v.init, radius: v.radius, forgetBias: v.forgetBias,
        inputKind: v.inputKind, inputScale: v.inputScale, seed: v.seed, clip: v.clip > 0 ? v.clip : Infinity,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const c = report.cells[0], trace = report.traces[0];
    const sigma = v.exact ? c.maxSingular.map((_, k) => spectralNorm(stepJacobian(trace, k + 1), trace.stateDim, trace.stateDim)) : c.maxSingular;
    return {
      cell: id, length: c.T, hidden: v.hidden, init: v.init, radius: v.radius, seed: v.seed,
      lambda1: c.lambda1, gamma: c.gamma, pascanuLine: c.pascanuLine, finite: c.finite,
      gradNorms: round(c.gradNorms), gradNormsClipped: round(c.gradNormsClipped), connectivity: round(c.connectivity),
      maxSingular: round(sigma),
      ...(c.lstmTerms ? { forgetTerm: round(c.lstmTerms.forget), restTerm: round(c.lstmTerms.rest) } : {}),
      ...(c.gruTerms ? { keepTerm: round(c.gruTerms.keep), restTerm: round(c.gruTerms.rest) } : {}),
    };
  },
});
