// Settings of <transformer-widen> and of the `widen` experiment: the widening method, its factor, how the symmetry
// between copies is broken, the LayerNorm ε (the one knob that decides how visible `no-eps-fix` is), the reader's
// input sequence, and the training of "keep training both". The experiment adds the model's shape (the widget shows
// the shipped trained model, whose shape is fixed) in src/cli/experiments/widen.ts.
import { SYMMETRY_MODES, WIDEN_METHODS, type WidenMethod } from '../math/widen-map.ts';
import { BACKENDS, type BackendName } from '../runtime/protocol.ts';
import type { BooleanSpec, ChoiceSpec, NumberSpec, TextSpec, Values } from './schema.ts';

export const METHOD_LABELS: Record<WidenMethod, { en: string; zh: string }> = {
  su: { en: 'Su: repeat, /√k', zh: '苏剑林：重复，除以 √k' },
  'su-as-printed': { en: 'Su as printed (bias b/k)', zh: '按原文印刷（偏置 b/k）' },
  'no-attn-factor': { en: 'Su without q, k × k^¼', zh: '苏剑林，q、k 不乘 k^¼' },
  'no-eps-fix': { en: 'Su with ε unchanged', zh: '苏剑林，ε 不变' },
  tile: { en: 'tile [x, x], same heads', zh: '平铺 [x, x]，头数不变' },
  hypercloning: { en: 'HyperCloning: tile, n× heads', zh: 'HyperCloning：平铺，n 倍头数' },
  net2net: { en: 'Net2Net: random copies', zh: 'Net2Net：随机复制' },
  'zero-pad': { en: 'zero padding', zh: '补零' },
};

export const transformerWidenSchema = {
  method: {
    kind: 'choice', default: 'su', choices: WIDEN_METHODS, choiceLabels: METHOD_LABELS,
    label: { en: 'Widening method', zh: '加宽方法' },
  } satisfies ChoiceSpec<WidenMethod>,
  factor: {
    kind: 'number', default: 2, min: 1, max: 4, integer: true, cli: { max: 16, integer: false },
    label: { en: 'Width factor k', zh: '加宽倍数 k' },
    doc: 'width factor k (n for HyperCloning); the experiment also takes non-integers for net2net and zero-pad',
  } satisfies NumberSpec,
  symmetry: {
    kind: 'choice', default: 'none', choices: SYMMETRY_MODES, label: { en: 'Symmetry breaking', zh: '打破对称' },
    doc: 'none: copies identical; split: zero-sum noise per group of copies (outputs stay exact); noise: plain noise',
    choiceLabels: {
      none: { en: 'none (exact copies)', zh: '无（完全相同的副本）' },
      split: { en: 'split: zero-sum noise', zh: 'split：零和噪声' },
      noise: { en: 'plain noise', zh: '普通噪声' },
    },
  } satisfies ChoiceSpec,
  eps: {
    kind: 'number', default: 1e-5, min: 1e-6, max: 0.1, label: { en: 'LayerNorm ε', zh: 'LayerNorm 的 ε' },
    doc: 'ε of every LayerNorm of the small model (the widened model gets ε/k where its rule says so)',
  } satisfies NumberSpec,
  seed: {
    kind: 'number', default: 1, min: 0, max: 2147483647, integer: true, cli: { max: 2 ** 32 - 1 },
    label: { en: 'Seed', zh: '随机种子' },
    doc: 'seed of the symmetry noise, of Net2Net\'s copies, of the wide model trained from scratch and of the batches',
  } satisfies NumberSpec,
  input: {
    kind: 'text', default: '31415926', pattern: '\\s*[0-9](?:\\s*[0-9]){7}\\s*', hint: '8 digits (spaces allowed)', cli: false,
    label: { en: 'Input digits', zh: '输入的数字' },
    doc: 'the sequence both models read: 8 digits, the length the model was trained to reverse',
  } satisfies TextSpec,
  smallModel: {
    kind: 'choice', default: 'trained', choices: ['trained', 'retrain'], cli: false,
    label: { en: 'Small model', zh: '小模型' },
    doc: 'trained: the shipped weights; retrain: train the small model in the page from the seed, then widen it',
    choiceLabels: {
      trained: { en: 'trained offline (shipped)', zh: '离线训练好的（随页面提供）' },
      retrain: { en: 'retrain here from the seed', zh: '在这里用该种子重新训练' },
    },
  } satisfies ChoiceSpec,
  backend: {
    kind: 'choice', default: 'auto', choices: ['auto', ...BACKENDS], cli: false, label: { en: 'Backend', zh: '后端' },
    doc: 'where "keep training both" runs; auto measures and picks the fastest',
  } satisfies ChoiceSpec<'auto' | BackendName>,
  autoplay: {
    kind: 'boolean', default: false, cli: false,
    label: { en: 'Start training when scrolled into view', zh: '滚动到可见时开始训练' },
  } satisfies BooleanSpec,
} as const;

export type WidenSettings = Values<typeof transformerWidenSchema>;

/** The reader's digits as token ids ("3 1 4 …" → [3, 1, 4, …]); the schema's pattern guarantees 8 of them (the model
 * was trained on 8 and does not reverse shorter sequences). */
export function inputTokens(text: string): number[] {
  return [...text.replace(/\s+/g, '')].map(Number);
}
