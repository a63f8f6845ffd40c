// KaTeX for widgets. Rules in a shadow root cannot see the page's stylesheets, and @font-face rules inside a shadow
// root are ignored, so the same stylesheet URL is linked twice: once in the document head (registers the fonts, once
// per page) and once inside each widget's shadow root (applies the layout rules). The browser fetches it once.
import katex from 'katex';
import katexCssUrl from 'katex/dist/katex.min.css?url';

export { katexCssUrl };

export function ensureKatexFonts(): void {
  if (document.querySelector('link[data-explorables-katex]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = katexCssUrl;
  link.dataset.explorablesKatex = '';
  document.head.append(link);
}

export function renderTex(tex: string, displayMode = false): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' });
}

/** A string with $…$ math as plain text, for attributes and screen readers: delimiters and backslashes dropped,
 * the commonest macros spelled out. */
export function plainTex(text: string): string {
  return text.replace(/\$([^$]+)\$/g, (_, m: string) => m
    .replace(/\\Vert|\\\|/g, '‖').replace(/\\le(q)?\b/g, '≤').replace(/\\ge(q)?\b/g, '≥').replace(/\\operatorname\{([^}]*)\}/g, '$1')
    .replace(/\\cdot/g, '·').replace(/\\prime|'/g, '′').replace(/[{}]/g, '').replace(/\\,/g, ' ').replace(/\\/g, ''));
}
