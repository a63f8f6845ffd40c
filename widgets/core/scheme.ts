// Light or dark for a figure, decided by the page it sits in: an author's blog decides the colours, not the reader's
// system setting (a white post read on a dark-mode phone must not get a dark box). 'auto' looks at the first
// ancestor with an opaque background and takes its luminance; where every ancestor is transparent, the page's own
// color-scheme (its canvas colour) decides; failing both, light. Explicit 'light' and 'dark' win.
// The element sets data-scheme on itself; theme.ts styles :host([data-scheme=dark]).
import type { Theme } from '../../src/settings/common.ts';

let probe: CanvasRenderingContext2D | null = null;

/** Any computed CSS colour (rgb(), color(srgb …), oklch(), color-mix results) as 0–255 channels and alpha. */
function toRgba(css: string): [number, number, number, number] {
  probe ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true });
  if (!probe) return [255, 255, 255, 0];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = css;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a / 255];
}

/** WCAG relative luminance of an sRGB colour given 0–255 channels. */
export function luminance(r: number, g: number, b: number): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function pageScheme(host: Element): 'light' | 'dark' {
  for (let el = host.parentElement; el; el = el.parentElement) {
    const c = toRgba(getComputedStyle(el).backgroundColor);
    if (c[3] > 0.5) return luminance(c[0], c[1], c[2]) < 0.2 ? 'dark' : 'light';
  }
  const declared = getComputedStyle(document.documentElement).colorScheme;
  return /\bdark\b/.test(declared) && !/\blight\b/.test(declared) ? 'dark' : 'light';
}

/** Keeps host[data-scheme] right: now, when the system scheme flips (the page's own styles may follow it), and
 * when the page's root or body change class, style or theme attributes; `refresh` for a changed theme. */
export function followScheme(host: HTMLElement, theme: () => Theme): { refresh(): void; dispose(): void } {
  const apply = () => {
    const t = theme();
    const scheme = t === 'auto' ? pageScheme(host) : t;
    if (host.dataset.scheme !== scheme) host.dataset.scheme = scheme;
  };
  apply();
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', apply);
  const observer = new MutationObserver(apply);
  for (const el of [document.documentElement, document.body]) {
    if (el) observer.observe(el, { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-scheme'] });
  }
  return {
    refresh: apply,
    dispose() {
      media.removeEventListener('change', apply);
      observer.disconnect();
    },
  };
}
