// Every visible string of <transformer-widen>, in English and Chinese. Slots in braces ({n}) are filled by `fill`.
import type { LocalizedText } from '../../src/math/types.ts';
import type { Stage } from '../../src/math/widen-report.ts';
import { fill } from '../ui/format.ts';
import { RUN_STRINGS } from '../ui/run-strings.ts';

export const S = {
  ...RUN_STRINGS,
  title: { en: 'Widening a Transformer: same outputs, or not', zh: '加宽 Transformer：输出是否不变' },
  input: { en: 'Input digits', zh: '输入数字' },
  inputHint: { en: '8 digits: the model was trained to reverse 8', zh: '8 个数字：模型被训练来倒转 8 个数字' },
  shape: { en: 'd {d} → {D}, {h} heads of {dh} → {H} heads of {DH}', zh: 'd {d} → {D}，{h} 个头×{dh} → {H} 个头×{DH}' },
  maxDiff: { en: 'largest |Δ logits|', zh: '最大 |Δ logits|' },
  exact: { en: 'exact', zh: '精确' },
  exactNote: { en: 'float64 rounding only: the wide model computes the same function', zh: '只有 float64 舍入误差：宽模型计算的是同一个函数' },
  broken: { en: 'not exact', zh: '不精确' },
  breaksAt: { en: 'the error enters at {stage}', zh: '误差从{stage}开始出现' },
  splitExact: { en: 'split noise changed the weights, not the outputs', zh: 'split 噪声改变了权重，但没改变输出' },
  noiseMoved: { en: 'plain noise moved the outputs', zh: '普通噪声改变了输出' },

  outputs: { en: 'Outputs, position by position', zh: '逐位置的输出' },
  position: { en: 'input', zh: '输入' },
  smallModel: { en: 'small', zh: '小模型' },
  wideModel: { en: 'wide', zh: '宽模型' },
  deltaRow: { en: '|Δ|', zh: '|Δ|' },
  outputsNote: { en: 'Each cell: the digit the model writes there and its probability.', zh: '每格：模型在该位置输出的数字及其概率。' },

  depth: { en: 'Where along the depth the difference enters', zh: '差异在哪一层出现' },
  depthNote: {
    en: 'Largest |Δ| of the residual stream (wide mapped back to small width), on a log scale; the dashed line is 1e-9, far above float64 rounding.',
    zh: '残差流的最大 |Δ|（宽模型映射回原宽度后比较），对数坐标；虚线是 1e-9，远高于 float64 舍入误差。',
  },
  embeddings: { en: 'embeddings', zh: '嵌入层' },
  attention: { en: 'block {b} attention', zh: '第 {b} 层注意力' },
  feedForward: { en: 'block {b} feed-forward', zh: '第 {b} 层前馈' },
  logits: { en: 'logits', zh: 'logits' },

  attentionMaps: { en: 'Attention maps', zh: '注意力图' },
  block: { en: 'block', zh: '层' },
  head: { en: 'head {h}', zh: '头 {h}' },
  attentionNote: { en: 'Row: query position; column: the position it reads. Stronger colour: more weight.', zh: '行：查询位置；列：被读取的位置。颜色越浓，权重越大。' },

  weights: { en: 'Weight matrices', zh: '权重矩阵' },
  parameter: { en: 'matrix', zh: '矩阵' },
  weightsNote: {
    en: 'Each panel has its own colour scale (the wide entries are scaled down), so the repeated blocks are easy to see.',
    zh: '每幅图有各自的色标（宽模型的权重被缩小了），以便看清重复的块结构。',
  },

  overview: { en: 'All methods at this factor (no noise), on your input', zh: '在当前倍数下的所有方法（无噪声），基于你的输入' },
  method: { en: 'method', zh: '方法' },
  byDesign: { en: 'exact by design', zh: '设计上精确' },
  where: { en: 'error enters at', zh: '误差出现于' },
  nowhere: { en: '—', zh: '—' },
  select: { en: 'Show {m}', zh: '查看 {m}' },

  training: { en: 'Keep training both', zh: '继续训练两个模型' },
  trainingNote: {
    en: 'The widened model against a wide model of the same shape trained from scratch, on the same batches. x: steps after widening; the small model’s own training is at negative x.',
    zh: '加宽后的模型与同样形状、从零开始训练的宽模型对比，两者使用相同的批次。横轴：加宽之后的步数；小模型自己的训练在负半轴。',
  },
  step: { en: '10 steps', zh: '10 步' },
  stepCount: { en: 'wide steps', zh: '宽模型步数' },
  training_: { en: 'Training', zh: '训练中' },
  retrainingSmall: { en: 'Training the small model…', zh: '正在训练小模型…' },
  diverged: { en: 'Stopped', zh: '已停止' },
  lossChart: { en: 'Training loss (cross-entropy, log scale)', zh: '训练损失（交叉熵，对数坐标）' },
  smallCurve: { en: 'small model', zh: '小模型' },
  widenedCurve: { en: 'widened', zh: '加宽后' },
  scratchCurve: { en: 'wide from scratch', zh: '从零训练的宽模型' },
  spreadChart: { en: 'Copy spread of the widened model', zh: '加宽模型中副本之间的差异' },
  spreadCurve: { en: 'largest spread between copies of a unit', zh: '同一单元各副本间的最大差异' },
  steps: { en: 'steps after widening', zh: '加宽之后的步数' },
  handover: {
    en: 'Held-out loss: small model {a}, widened model before its first step {b}.',
    zh: '留出集损失：小模型 {a}，加宽模型在第一步之前 {b}。',
  },
  spreadNow: { en: 'copy spread now: {s}', zh: '当前副本差异：{s}' },
  failedTitle: { en: 'Training stopped.', zh: '训练停止了。' },
  whatHappened: { en: 'What happened:', zh: '发生了什么：' },
  useCpu: { en: 'Switch to the cpu backend', zh: '切换到 cpu 后端' },
} satisfies Record<string, LocalizedText>;

export type StringKey = keyof typeof S;

export { fill };

export function stageText(s: Stage | null, t: (k: StringKey) => string): string {
  if (!s) return t('nowhere');
  if (s.kind === 'embeddings') return t('embeddings');
  if (s.kind === 'logits') return t('logits');
  return fill(t(s.kind === 'attention' ? 'attention' : 'feedForward'), { b: s.block });
}
