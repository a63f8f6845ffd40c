// Settings every widget has, whatever it shows: how it takes its colours from the page around it.
import { BACKENDS, type BackendName } from '../runtime/protocol.ts';
import type { ChoiceSpec } from './schema.ts';

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export function commonSettings() {
  return {
    theme: {
      kind: 'choice', default: 'auto', choices: THEMES, cli: false,
      label: { en: 'Colours', zh: '配色' },
      doc: 'auto: light or dark after the host page (its background, or its color-scheme), not the reader\'s system setting',
    } satisfies ChoiceSpec<Theme>,
  };
}

/** The tfjs backend a training figure asks its worker for: the widget offers all three and auto, the headless
 * experiments wasm (several times faster in Node) or cpu. */
export function backendSetting() {
  return {
    kind: 'choice', default: 'auto', choices: ['auto', ...BACKENDS], label: { en: 'Backend', zh: '后端' },
    doc: 'auto measures and picks the fastest; headless: wasm or cpu',
    cli: { choices: ['wasm', 'cpu'], default: 'wasm' },
    choiceLabels: {
      auto: { en: 'auto (fastest available)', zh: '自动（最快可用）' },
      webgl: { en: 'WebGL (GPU)', zh: 'WebGL（GPU）' },
      wasm: { en: 'WebAssembly', zh: 'WebAssembly' },
      cpu: { en: 'cpu (plain JavaScript)', zh: 'cpu（纯 JavaScript）' },
    },
  } as const satisfies ChoiceSpec<'auto' | BackendName>;
}
