// `npm run docs`: rewrites the README's attribute tables from the widget catalogue's schemas, between the markers
// <!-- attributes:TAG --> and <!-- /attributes:TAG -->. A unit test fails when the README and the schemas disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { attributeTable } from '../../settings/schema.ts';
import { WIDGET_PAGES } from '../../../widgets/catalog.ts';

export const README = resolve(import.meta.dirname, '../../../README.md');

/** The README with every widget's table regenerated; throws when a widget has no markers. */
export function withTables(readme: string): string {
  let out = readme;
  for (const w of WIDGET_PAGES) {
    const open = `<!-- attributes:${w.tag} -->`, close = `<!-- /attributes:${w.tag} -->`;
    const a = out.indexOf(open), b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`README.md has no ${open} … ${close} block`);
    out = out.slice(0, a + open.length) + '\n' + attributeTable(w.schema) + '\n' + out.slice(b);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  writeFileSync(README, withTables(readFileSync(README, 'utf8')));
}
