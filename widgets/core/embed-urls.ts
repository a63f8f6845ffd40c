// Where this build's embed module and standalone pages live, as absolute URLs for the snippets an author copies.
// In the build every lazily loaded chunk sits in dist/assets/, one folder below the site root; in dev the modules
// are served from /@fs/…, so the dev server's root is used instead.
import type { EmbedUrls } from '../../src/settings/embed.ts';

export function embedUrls(tag: string): EmbedUrls {
  const base = import.meta.env.DEV ? new URL('/', location.origin) : new URL('../', import.meta.url);
  return { script: new URL('embed/explorables.js', base).href, page: new URL(`widgets/${tag}.html`, base).href };
}
