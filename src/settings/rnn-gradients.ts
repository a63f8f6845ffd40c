// Settings of <rnn-gradients> and of the `rnn-grad` / `rnn-train` experiments: the cells compared, the sequence, the
// initialisation, clipping, and the training mode's task and optimiser. Each is an attribute, a key of the standalone
// page's hash and (unless widget-only) a CLI flag of the same name. Ranges are the widget's; the CLI may go further
// where the float64 analysis allows (src/math/rnn-cells.ts CELL_RANGES).
import { CELL_IDS, INPUT_KINDS, RECURRENT_INITS, type CellId } from '../math/rnn-cells.ts';
import { TRAIN_TASKS } from '../math/rnn-train-data.ts';
import { backendSetting } from './common.ts';
import type { ChoiceSpec, NumberSpec, SetSpec, Values } from './schema.ts';

export const CELL_LABELS: Record<CellId, { en: string; zh: string }> = {
  'rnn-tanh': { en: 'RNN (tanh)', zh: 'RNN（tanh）' },
  'rnn-relu': { en: 'RNN (relu)', zh: 'RNN（relu）' },
  'rnn-linear': { en: 'RNN (linear)', zh: 'RNN（线性）' },
  lstm: { en: 'LSTM', zh: 'LSTM' },
  gru: { en: 'GRU', zh: 'GRU' },
  'gru-r-out': { en: 'GRU, r at the output', zh: 'GRU（r 移到输出）' },
};

export const rnnGradientsSchema = {
  cells: {
    kind: 'set', default: 'rnn-tanh,lstm,gru', choices: CELL_IDS, max: CELL_IDS.length, choiceLabels: CELL_LABELS,
    label: { en: 'Cells', zh: '单元' }, doc: 'the cells compared (and trained side by side)',
  } satisfies SetSpec<CellId>,
  length: {
    kind: 'number', default: 100, min: 2, max: 500, integer: true, cli: { max: 2000 },
    label: { en: 'Sequence length T', zh: '序列长度 T' },
  } satisfies NumberSpec,
  // not `hidden`: that is every HTML element's global attribute, and <rnn-gradients hidden="64"> would vanish
  hiddenSize: {
    kind: 'number', default: 32, min: 2, max: 128, integer: true, cli: { min: 1, max: 256 },
    label: { en: 'Hidden size H', zh: '隐藏维度 H' },
  } satisfies NumberSpec,
  init: {
    kind: 'choice', default: 'orthogonal', choices: RECURRENT_INITS, label: { en: 'Recurrent initialisation', zh: '循环矩阵初始化' },
    choiceLabels: {
      orthogonal: { en: 'orthogonal × ρ', zh: '正交 × ρ' },
      gaussian: { en: 'Gaussian × scale', zh: '高斯 × 尺度' },
      identity: { en: 'identity × ρ', zh: '单位阵 × ρ' },
    },
  } satisfies ChoiceSpec,
  radius: {
    kind: 'number', default: 1, min: 0, max: 2, cli: { max: 10 },
    label: { en: 'ρ / scale', zh: 'ρ / 尺度' }, doc: 'ρ of orthogonal × ρ and identity × ρ, the scale of Gaussian × scale',
  } satisfies NumberSpec,
  forgetBias: {
    kind: 'number', default: 4, min: -4, max: 8, cli: { min: -20, max: 20 },
    label: { en: 'Forget-gate bias', zh: '遗忘门偏置' },
    doc: 'b_f of the LSTM; the GRUs get b_z = −b, so every gated cell starts keeping σ(b) of its memory',
  } satisfies NumberSpec,
  inputKind: {
    kind: 'choice', default: 'noise', choices: INPUT_KINDS, label: { en: 'Input', zh: '输入' },
    choiceLabels: {
      noise: { en: 'Gaussian noise', zh: '高斯噪声' },
      constant: { en: 'constant', zh: '常数' },
      marker: { en: 'a marker at t = 1, then zeros', zh: 't = 1 处一个标记，之后为零' },
    },
  } satisfies ChoiceSpec,
  // 0.3: small enough for an LSTM to learn the memory task at T = 100 in a couple of minutes, large enough to
  // saturate a tanh RNN so that its gradient from t = 1 has vanished (about 1e-9) and it stays at chance
  inputScale: {
    kind: 'number', default: 0.3, min: 0, max: 5, cli: { max: 100 },
    label: { en: 'Input scale', zh: '输入尺度' },
    doc: 'standard deviation of the noise input (Gaussian in the gradient view, uniform in the memory task), or the size of the constant or the marker',
  } satisfies NumberSpec,
  clip: {
    kind: 'number', default: 0, min: 0, max: 10, cli: { max: 1e6 },
    label: { en: 'Gradient clipping θ (0: off)', zh: '梯度裁剪阈值 θ（0 为不裁剪）' },
    doc: 'the backpropagated gradient is rescaled to norm ≤ θ at every step; 0 for none',
  } satisfies NumberSpec,
  seed: {
    kind: 'number', default: 1, min: 0, max: 2147483647, integer: true, cli: { max: 2 ** 32 - 1 },
    label: { en: 'Seed', zh: '随机种子' }, doc: 'seed of weights and inputs: same seed → same figure',
  } satisfies NumberSpec,
  mode: {
    kind: 'choice', default: 'gradients', choices: ['gradients', 'train'], cli: false,
    label: { en: 'View', zh: '视图' }, doc: 'gradients at initialisation, or training on a memory task',
    choiceLabels: { gradients: { en: 'Gradients at initialisation', zh: '初始化时的梯度' }, train: { en: 'Training', zh: '训练' } },
  } satisfies ChoiceSpec,
  task: {
    kind: 'choice', default: 'memory', choices: TRAIN_TASKS, label: { en: 'Task', zh: '任务' },
    doc: 'memory: recall which of 4 symbols came first; adding: sum the two marked numbers',
    choiceLabels: {
      memory: { en: 'recall the first symbol (of 4)', zh: '记住开头的符号（4 选 1）' },
      adding: { en: 'adding problem', zh: '加法问题' },
    },
  } satisfies ChoiceSpec,
  batchSize: {
    kind: 'number', default: 32, min: 4, max: 256, integer: true, cli: { min: 1, max: 1024 },
    label: { en: 'Batch size', zh: '批大小' },
  } satisfies NumberSpec,
  lr: {
    kind: 'number', default: 0.01, min: 0.0001, max: 0.1, cli: { min: 1e-6, max: 1 },
    label: { en: 'Learning rate (Adam)', zh: '学习率（Adam）' },
  } satisfies NumberSpec,
  backend: backendSetting(),
  autoplay: {
    kind: 'boolean', default: true, cli: false,
    label: { en: 'Train when the training view is in sight', zh: '训练视图可见时自动训练' },
  },
} as const;

export type RnnSettings = Values<typeof rnnGradientsSchema>;

/** The cells of a settings object, as ids (the attribute has been checked against the list). */
export function cellsOf(s: Pick<RnnSettings, 'cells'>): CellId[] {
  return s.cells.split(',').filter((c): c is CellId => (CELL_IDS as readonly string[]).includes(c));
}
