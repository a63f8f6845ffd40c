// Settings every widget has, whatever it shows: how it takes its colours from the page around it.
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
