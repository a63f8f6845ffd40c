// Visual constants for every widget, in one place. The fallback colours are the site's own (src/site/styles/site.css),
// so a figure looks the same in an article here and embedded in a post. Widgets read colours through CSS custom properties so the host
// page's own theme (the site's --fg, --accent, …) flows into the shadow root; a blog post without those variables
// gets the fallbacks below, light or dark after the page itself (core/scheme.ts sets data-scheme on the element).

// Muted text, borders and panels are mixed from the background and the text colour unless the page names them, so
// an author who sets only --bg and --fg gets panels, formulas and readouts that read on that background too.
export const THEME_CSS = `
:host{
  --w-bg:var(--bg,#ffffff);--w-fg:var(--fg,#1d1d1f);
  --w-muted:var(--muted,color-mix(in srgb,var(--w-fg) 62%,var(--w-bg)));
  --w-border:var(--border,color-mix(in srgb,var(--w-fg) 18%,var(--w-bg)));
  --w-panel:var(--code-bg,color-mix(in srgb,var(--w-fg) 5%,var(--w-bg)));
  --w-accent:var(--accent,#1c5fc4);--w-real:var(--real,#0b7f72);--w-fake:var(--fake,#c04a0c);
  --w-warn:#b54708;--w-good:#1a7f37;--w-curve:var(--w-fg);--w-tangent:#e8590c;--w-line2:#1f6feb;--w-band:rgba(31,111,235,.12);
  color:var(--w-fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
}
:host([data-scheme=dark]){
  --w-bg:var(--bg,#15161a);--w-fg:var(--fg,#e6e6e9);
  --w-accent:var(--accent,#7fb0ff);--w-real:var(--real,#3cc6b2);--w-fake:var(--fake,#f29a52);
  --w-warn:#f0a35e;--w-good:#56d364;--w-tangent:#ff8c42;--w-line2:#58a6ff;--w-band:rgba(88,166,255,.16);
}`;

/** Reads a resolved theme colour for canvas drawing (canvas cannot use var()). */
export function themeColor(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

export const PLOT_MARGIN = { top: 10, right: 12, bottom: 30, left: 44 } as const;
export const PLOT_HEIGHT = 220;

/** The 2-D field view of a GAN lab (fgan-lab's FieldView and layers.ts). */
export const FIELD = {
  /** how far the field's colour goes from the background towards --w-real / --w-fake at full strength: enough to
   * read the critic's verdict, little enough that dots of the same colours stay visible on top */
  tint: 0.55,
  /** floor of the colour map's half-width (in units of g_f), so an undecided critic looks neutral, not noisy */
  minSpread: 0.02,
  realDot: 1.7,
  fakeDot: 2.3,
  /** real dots are drawn translucent: 512 of them would otherwise hide the field they sit on */
  realAlpha: 0.55,
  gridAlpha: 0.4,
  arrowAlpha: 0.6,
  /** about one arrow per three pixels of panel width, within these bounds: enough to read the flow, few enough
   * that the samples under them stay visible */
  minArrows: 64,
  maxArrows: 160,
  /** full arrow length as a fraction of the panel, and its floor in pixels */
  arrowFraction: 0.035,
  arrowMinPx: 10,
} as const;
