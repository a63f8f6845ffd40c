// The words of the run bar and run banner (RunBar.svelte, RunBanner.svelte) that every training figure shares, in
// English and Chinese. A widget spreads them into its own strings first and overrides what it says differently.
import type { LocalizedText } from '../../src/math/types.ts';

export const RUN_STRINGS = {
  play: { en: 'Train', zh: '训练' },
  pause: { en: 'Pause', zh: '暂停' },
  step: { en: 'One step', zh: '单步' },
  reset: { en: 'Reset', zh: '重置' },
  stepCount: { en: 'step', zh: '步数' },
  perSecond: { en: 'steps/s', zh: '步/秒' },
  backendChip: { en: 'backend', zh: '后端' },
  fallback: { en: 'fallback', zh: '已回退' },
  idle: { en: 'Ready: press ▶ to train', zh: '就绪：按 ▶ 开始训练' },
  loading: { en: 'Starting TensorFlow.js…', zh: '正在启动 TensorFlow.js…' },
  training: { en: 'Training', zh: '训练中' },
  paused: { en: 'Paused', zh: '已暂停' },
  diverged: { en: 'Diverged', zh: '已发散' },
  error: { en: 'Error', zh: '出错' },
  whatHappened: { en: 'What happened:', zh: '具体情况：' },
} as const satisfies Record<string, LocalizedText>;
