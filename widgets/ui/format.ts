// Number formatting for readouts, through d3-format (which writes a true minus sign): a fixed number of decimals in
// the usual range, exponent form for the very large and very small, and a dash for NaN (a value not measured yet).
import { format } from 'd3-format';

const fixed = new Map<number, (x: number) => string>();
const exponent = format('.1e');
const twoSignificant = format('.2~r');

export function fmt(x: number, digits = 3): string {
  if (x === Infinity) return '+∞';
  if (x === -Infinity) return '−∞';
  if (Number.isNaN(x)) return '—';
  if (Math.abs(x) >= 1e4 || (Math.abs(x) < 10 ** -digits && x !== 0)) return exponent(x);
  let f = fixed.get(digits);
  if (!f) fixed.set(digits, (f = format(`.${digits}f`)));
  return f(x);
}

/** Learning rates and other log-scaled settings: two significant digits, exponent form below 1e-3. */
export function fmtLog(x: number): string {
  return x < 1e-3 ? exponent(x) : twoSignificant(x);
}

/** Rounds to two significant digits: what a log slider's readout can show, so what it should store. */
export const twoDigits = (x: number): number => Number(x.toPrecision(2));

/** Fills the {name} slots of a widget's string; a slot without a value stays as it is, so a missing one shows. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
