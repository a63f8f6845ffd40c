// Every widget the embed module registers: the catalogue's entries (tag, schema, reserved height) with a lazy
// loader for each widget's code, found by convention at widgets/<tag>/mount.svelte.ts. The loaders are dynamic
// imports, so no widget code is fetched until its element appears.
import type { Schema } from '../src/settings/schema.ts';
import { WIDGET_PAGES } from './catalog.ts';
import type { WidgetDefinition, WidgetModule } from './core/element.ts';

const MOUNTS = import.meta.glob<WidgetModule<Schema>>('./*/mount.svelte.ts');

export const WIDGETS: WidgetDefinition<Schema>[] = WIDGET_PAGES.map(({ tag, schema, minHeight }) => {
  const load = MOUNTS[`./${tag}/mount.svelte.ts`];
  if (!load) throw new Error(`widgets/${tag}/mount.svelte.ts is missing`);
  return { tag, schema, minHeight, load };
});
