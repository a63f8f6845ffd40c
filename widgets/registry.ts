// Every widget the embed module knows: tag, settings schema and a lazy loader for its code. The schemas are small
// and pure; the loaders are dynamic imports, so no widget code is fetched until its element appears.
import type { WidgetDefinition } from './core/element.ts';
import type { Schema } from './core/settings.ts';
import { conjugateSchema } from './fdiv-conjugate/schema.ts';
import { fganSchema } from './fgan-lab/schema.ts';

export const WIDGETS: WidgetDefinition<Schema>[] = [
  {
    tag: 'fdiv-conjugate',
    schema: conjugateSchema,
    minHeight: 560,
    load: () => import('./fdiv-conjugate/mount.svelte.ts') as never,
  },
  {
    tag: 'fgan-lab',
    schema: fganSchema,
    minHeight: 720,
    load: () => import('./fgan-lab/mount.svelte.ts') as never,
  },
];
