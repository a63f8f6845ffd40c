// Every visible string of <rnn-gradients>, in English and Chinese. Slots in braces ({n}) are filled in by `fill`.
import type { CellId } from '../../src/math/rnn-cells.ts';
import { RUN_STRINGS } from '../ui/run-strings.ts';

export const S = {
  ...RUN_STRINGS,
  title: { en: 'RNN gradients: how far back does the gradient reach?', zh: 'RNN 的梯度：梯度能传回多远？' },
  tabGradients: { en: 'Gradients at initialisation', zh: '初始化时的梯度' },
  tabTrain: { en: 'Training', zh: '训练' },

  gradTitle: { en: 'Gradient reaching each step', zh: '传到每一步的梯度' },
  gradAria: { en: 'Norm of the gradient of the last-step loss with respect to the state at each time step, log scale', zh: '最后一步的损失对每个时间步状态的梯度范数（对数坐标）' },
  clippedNote: { en: 'dashed: with clipping at θ = {clip}', zh: '虚线：按 θ = {clip} 裁剪后' },
  connTitle: { en: 'Connectivity', zh: '连接度' },
  connAria: { en: 'Norm of the derivative of the last output with respect to each input, log scale', zh: '最后输出对每个输入的导数范数（对数坐标）' },
  sigmaTitle: { en: 'Largest singular value of each step Jacobian', zh: '每一步雅可比矩阵的最大奇异值' },
  sigmaAria: { en: 'Largest singular value of the step Jacobian at each time step, with the line 1/γ', zh: '每个时间步的雅可比矩阵最大奇异值，以及 1/γ 线' },
  pascanu: { en: '1/γ = 1', zh: '1/γ = 1' },
  sigmaNote: {
    en: 'Above 1/γ a step can stretch the gradient; below it every step shrinks it. λ₁ of the recurrent matrix: {lambdas}.',
    zh: '高于 1/γ 时一步可能放大梯度；低于它时每一步都在缩小梯度。循环矩阵的 λ₁：{lambdas}。',
  },
  termsTitle: { en: 'Memory Jacobian: main term and the rest', zh: '记忆的雅可比：主项与其余各项' },
  termsAria: { en: 'Size of the forget-gate (or 1 − z) term and of the other terms of the memory Jacobian at each step', zh: '每一步记忆雅可比中遗忘门（或 1 − z）项与其余项的大小' },
  termsNote: {
    en: 'solid: the part of the gradient carried by fₜ (LSTM) or 1 − zₜ (GRU); dashed: the sum of the other terms',
    zh: '实线：梯度经过 fₜ（LSTM）或 1 − zₜ（GRU）的部分；虚线：其余各项之和',
  },
  noGated: { en: 'Add an LSTM or a GRU to the cells to see its memory terms.', zh: '在单元里加入 LSTM 或 GRU，就能看到它的记忆项。' },
  hoverHint: { en: 'Point at a chart (or focus it and use ← →) to read the values at a time step.', zh: '把指针移到图上（或聚焦后按 ← →）可读出某一时间步的数值。' },
  atStep: { en: 't = {t}', zh: 't = {t}' },
  notFinite: { en: '{cell}: the states or gradients overflowed (beyond about 10³⁰⁸); lower ρ or the input scale.', zh: '{cell}：状态或梯度溢出（超过约 10³⁰⁸）；请调低 ρ 或输入尺度。' },

  groupCells: { en: 'Cells', zh: '单元' },
  groupSequence: { en: 'Sequence', zh: '序列' },
  groupInit: { en: 'Initialisation', zh: '初始化' },
  groupTraining: { en: 'Training', zh: '训练' },
  off: { en: 'off', zh: '关' },
  newSeed: { en: 'New seed', zh: '换种子' },
  atLeastOne: { en: 'At least one cell stays selected.', zh: '至少保留一个单元。' },

  divergedTitle: { en: 'Training diverged and was stopped.', zh: '训练发散，已自动停止。' },
  divergedWhy: {
    en: 'A loss stopped being a finite number: the learning rate ({lr}) is too high for these cells, or ρ lets the states explode. Lower the learning rate, then reset.',
    zh: '某个损失不再是有限数：学习率（{lr}）对这些单元太大，或者 ρ 让状态爆炸了。请调低学习率，再重置。',
  },
  lowerLr: { en: 'Lower the learning rate ×10 and reset', zh: '学习率降低 10 倍并重置' },
  errorTitle: { en: 'The training worker stopped with an error.', zh: '训练线程出错停止了。' },
  lossTitle: { en: 'Training loss', zh: '训练损失' },
  lossAria: { en: 'Training loss of each cell over training steps', zh: '各单元的训练损失随训练步数的变化' },
  accTitle: { en: 'Accuracy on 256 held-out sequences', zh: '256 条留出序列上的准确率' },
  accAria: { en: 'Held-out accuracy of each cell over training steps', zh: '各单元的留出准确率随训练步数的变化' },
  chance: { en: 'chance', zh: '随机猜' },
  stepAxis: { en: 'training step', zh: '训练步' },
  heatTitle: { en: 'Gradient profile ‖∂L/∂hₜ‖: training step (down) × time step t (across)', zh: '梯度剖面 ‖∂L/∂hₜ‖：训练步（向下）× 时间步 t（向右）' },
  heatAria: { en: 'Heatmap of log gradient norm per time step over training for {cell}', zh: '{cell} 在训练中各时间步梯度范数的对数热图' },
  heatNote: {
    en: 'Colour: log₁₀ of the norm, shared scale. The marker is at t = 1 (left edge): a cell can only learn the task if some colour reaches it.',
    zh: '颜色：范数的 log₁₀，各图同一色标。标记在 t = 1（左边缘）：只有梯度能到达那里，单元才学得会这个任务。',
  },
  heatNoteAdding: {
    en: 'Colour: log₁₀ of the norm, shared scale. The two marked numbers sit one in each half of the sequence: the first half is learnt only where some colour reaches it.',
    zh: '颜色：范数的 log₁₀，各图同一色标。两个被标记的数一个在前半段、一个在后半段：只有梯度能到达前半段，前一个数才学得会。',
  },
  noHistory: { en: 'Curves appear once training starts.', zh: '开始训练后这里会出现曲线。' },
} as const satisfies Record<string, { en: string; zh: string }>;

export type StringKey = keyof typeof S;

export { fill } from '../ui/format.ts';

/** A fixed colour per cell, so the same cell has the same colour in every chart and in the article. */
export const CELL_COLORS: Record<CellId, string> = {
  'rnn-tanh': 'var(--w-tangent)', 'rnn-relu': 'var(--w-good)', 'rnn-linear': 'var(--w-muted)',
  lstm: 'var(--w-accent)', gru: 'var(--w-real)', 'gru-r-out': '#9b59b6',
};
