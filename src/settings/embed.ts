// What an author copies to put a figure in a post: the script tag and the element with the current settings as
// attributes, the iframe form (the standalone page with the settings in its hash), and the share link. Every form
// carries only the settings that differ from the defaults, and each parses back to the same settings (the element
// reads its attributes, the standalone page its hash, both through the same schema).
import { changedAttributes, toHash, type Schema, type Values } from './schema.ts';

export interface EmbedUrls {
  /** the embed module (…/embed/explorables.js) */
  script: string;
  /** the widget's standalone page (…/widgets/<tag>.html) */
  page: string;
}

export interface EmbedSnippets {
  element: string;
  iframe: string;
  link: string;
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function embedSnippets<S extends Schema>(tag: string, schema: S, values: Values<S>, urls: EmbedUrls, height: number): EmbedSnippets {
  const attributes = changedAttributes(schema, values).map(([a, v]) => ` ${a}="${escapeAttribute(v)}"`).join('');
  const link = urls.page + toHash(schema, values);
  return {
    element: `<script type="module" src="${urls.script}"></script>\n<${tag}${attributes}></${tag}>`,
    iframe: `<iframe src="${escapeAttribute(link)}" width="100%" height="${height}" style="border:0" loading="lazy" title="${tag}"></iframe>`,
    link,
  };
}
