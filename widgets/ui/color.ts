// Colour helpers for canvas drawing: theme colours arrive as CSS strings (#rgb, #rrggbb or rgb()/rgba()).

export type Rgb = [number, number, number];

export function parseColor(css: string): Rgb {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[\s,/]+/).map(Number);
    if ([r, g, b].every(Number.isFinite)) return [r, g, b];
  }
  return [128, 128, 128];
}

/** Linear interpolation from colour a (t = 0) to colour b (t = 1). */
function interpolateRgb(a: string, b: string): (t: number) => Rgb {
  const ca = parseColor(a);
  const cb = parseColor(b);
  return (t) => [0, 1, 2].map((i) => Math.round(ca[i] + (cb[i] - ca[i]) * t)) as Rgb;
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour the browser understands (named, hsl(), …) as the canvas normalises it (#rrggbb or rgba()),
 * which parseColor reads; a host page's theme variables may use any colour syntax. */
export function normalizeColor(css: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return css;
  probe.fillStyle = '#808080';
  probe.fillStyle = css;
  return String(probe.fillStyle);
}

/** The colour a fraction t of the way from a to b, as rgb(). */
export function mixColors(a: string, b: string, t: number): string {
  const [r, g, bl] = interpolateRgb(a, b)(t);
  return `rgb(${r},${g},${bl})`;
}
