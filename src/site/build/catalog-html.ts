// Build-time HTML from the widget catalogue (widgets/catalog.ts): the index's explainer cards and footer links, and
// one standalone page per widget. The standalone pages are written into src/site/widgets/ (ignored by git) when
// the Vite config loads, so the dev server and the build see them as ordinary pages.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalizedText } from '../../math/types.ts';
import { EXPLAINERS, WIDGET_PAGES, type WidgetEntry } from '../../../widgets/catalog.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const both = (t: LocalizedText) => `<span lang="en" class="i18n">${esc(t.en)}</span><span lang="zh-CN" class="i18n">${esc(t.zh)}</span>`;

function card(e: (typeof EXPLAINERS)[number]): string {
  const live = e.href !== null;
  const badge = live ? both({ en: 'Live', zh: '已上线' }) : both({ en: 'Coming soon', zh: '即将推出' });
  const title = live ? `<a href="${e.href}">${both(e.title)}</a>` : both(e.title);
  const links = [
    ...e.sources.map((s) => `<a href="${s.href}">${esc(s.text)}</a>`),
    ...e.widgets.map((tag) => `<a href="widgets/${tag}.html">${both({ en: 'standalone figure', zh: '独立交互图' })}</a>`),
  ];
  return `<li class="card card--${live ? 'live' : 'soon'}">
  <span class="badge badge--${live ? 'live' : 'soon'}">${badge}</span>
  <h3>${title}</h3>
  <p lang="en" class="i18n">${esc(e.blurb.en)}</p>
  <p lang="zh-CN" class="i18n">${esc(e.blurb.zh)}</p>
  <p class="source">${both({ en: 'Source:', zh: '原文：' })} ${links.join(' · ')}</p>
</li>`;
}

const figureLink = (w: WidgetEntry, root: string) =>
  `<li><a href="${root}widgets/${w.tag}.html">${both({ en: `Standalone figure: ${w.title.en}`, zh: `独立交互图：${w.title.zh}` })}</a></li>`;

/** Each block gets the page's HTML (an article's footer links the figures it embeds) and the relative path from the
 * page to the site root. */
const BLOCKS: Record<string, (html: string, root: string) => string> = {
  cards: () => `<ul class="cards">\n${EXPLAINERS.map(card).join('\n')}\n</ul>`,
  'widget-links': (_, root) => WIDGET_PAGES.map((w) => figureLink(w, root)).join('\n'),
  'page-figures': (html, root) =>
    WIDGET_PAGES.filter((w) => new RegExp(`<${w.tag}[\\s>]`).test(html)).map((w) => figureLink(w, root)).join('\n'),
};

/** Replaces <!-- catalog:NAME --> in a page with the block rendered from the catalogue; `root` is the relative path
 * from the page to the site root ('./' at the root). */
export function expandCatalog(html: string, root = './'): string {
  return html.replace(/<!--\s*catalog:([\w-]+)\s*-->/g, (m, name: string) => BLOCKS[name]?.(html, root === './' ? '' : root) ?? m);
}

function standalonePage(w: WidgetEntry): string {
  return `<!doctype html>
<!-- Generated from widgets/catalog.ts by src/site/build/catalog-html.ts: edit those, not this file. -->
<html lang="en" data-lang="en">
  <head>
    <!-- include:meta -->
    <title>${esc(w.title.en)} · ${esc(w.title.zh)}</title>
    <meta name="description" content="${esc(w.summary.en)} ${esc(w.summary.zh)}" />
    <!-- include:lang-and-styles -->
    <script type="module" src="./standalone.ts"></script>
  </head>
  <body>
    <!-- include:header -->
    <main class="page page--standalone" id="main">
      <div class="figure-wide"><${w.tag}></${w.tag}></div>
      <p class="share-note">
        <span class="i18n" lang="en">The settings live in this page's address, so it is also a share link and an
          <code>&lt;iframe&gt;</code> embed. “Embed or share this figure”, under the figure, gives both, and the
          script tag for a post.</span>
        <span class="i18n" lang="zh-CN">当前设置都记在网址里，所以它本身就是分享链接，也可以放进 <code>&lt;iframe&gt;</code>。
          图下方的“嵌入或分享此图”给出这两种写法，以及放进文章用的 script 标签。</span>
      </p>
    </main>
  </body>
</html>
`;
}

/** Writes widgets/<tag>.html for every widget of the catalogue into the site's source folder. */
export function writeStandalonePages(siteRoot: string): void {
  const dir = join(siteRoot, 'widgets');
  mkdirSync(dir, { recursive: true });
  for (const w of WIDGET_PAGES) writeFileSync(join(dir, `${w.tag}.html`), standalonePage(w));
}
