// Vite plugin: the parts every page shares (meta tags, the language script and stylesheet, the site header) live
// once in src/site/partials and are pasted where a page says <!-- include:NAME -->. {{root}} in a partial becomes
// the relative path from that page to the site root, so the built site keeps working from any folder. Blocks built
// from the widget catalogue (<!-- catalog:NAME -->) are pasted the same way.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { expandCatalog } from './catalog-html.ts';

const INCLUDE = /<!--\s*include:([\w-]+)\s*-->/g;

/** The relative path from a page to the site root, ending in '/' ('./' for a page at the root). */
export function rootOf(page: string, siteRoot: string): string {
  const up = relative(dirname(page), siteRoot).replace(/\\/g, '/');
  return up ? `${up}/` : './';
}

export function expandPartials(html: string, page: string, siteRoot: string): string {
  const root = rootOf(page, siteRoot);
  return html.replace(INCLUDE, (_, name: string) => {
    const text = readFileSync(join(siteRoot, 'partials', `${name}.html`), 'utf8').trimEnd();
    return text.replace(/\{\{root\}\}/g, root);
  });
}

export function partials(siteRoot: string): Plugin {
  return {
    name: 'site-partials',
    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) => expandCatalog(expandPartials(html, ctx.filename, siteRoot), rootOf(ctx.filename, siteRoot)),
    },
  };
}
