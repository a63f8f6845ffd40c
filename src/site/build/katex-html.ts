// Vite plugin: renders TeX in the site's HTML pages at build (and dev) time, so readers never see raw TeX
// and the pages need no KaTeX JavaScript. Delimiters: \( … \) inline, \[ … \] display.
// Display math is wrapped in a scroll box so wide formulas scroll sideways on a phone instead of overflowing.
import katex from 'katex';
import type { Plugin } from 'vite';

const DISPLAY = /\\\[([\s\S]+?)\\\]/g;
const INLINE = /\\\(([\s\S]+?)\\\)/g;

/** HTML authors write &lt; &gt; &amp; inside TeX; KaTeX wants the characters. */
function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function renderTexInHtml(html: string, file = 'page'): string {
  // Never touch scripts or styles.
  const parts = html.split(/(<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>)/g);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part;
      const render = (tex: string, displayMode: boolean) => {
        try {
          return katex.renderToString(unescapeHtml(tex), { displayMode, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml' });
        } catch (err) {
          throw new Error(`${file}: cannot render TeX "${tex.slice(0, 80)}": ${(err as Error).message}`);
        }
      };
      return part
        .replace(DISPLAY, (_, tex: string) => `<div class="math-display">${render(tex, true)}</div>`)
        .replace(INLINE, (_, tex: string) => render(tex, false));
    })
    .join('');
}

export function katexHtml(): Plugin {
  return {
    name: 'katex-html',
    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) => renderTexInHtml(html, ctx.filename),
    },
  };
}
