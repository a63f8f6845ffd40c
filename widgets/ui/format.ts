// Number formatting for readouts: a fixed number of decimals in the usual range, exponent form for the very large
// and very small, a true minus sign, and a dash for NaN (a value not measured yet).

export function fmt(x: number, digits = 3): string {
  if (x === Infinity) return '+∞';
  if (x === -Infinity) return '−∞';
  if (Number.isNaN(x)) return '—';
  const s = Math.abs(x) >= 1e4 || (Math.abs(x) < 10 ** -digits && x !== 0) ? x.toExponential(1) : x.toFixed(digits);
  return s.replace('-', '−');
}

/** Learning rates and other log-scaled settings: two significant digits, exponent form below 1e-3. */
export function fmtLog(x: number): string {
  return (x < 1e-3 ? x.toExponential(1) : String(Number(x.toPrecision(2)))).replace('-', '−');
}

/** Rounds to two significant digits: what a log slider's readout can show, so what it should store. */
export const twoDigits = (x: number): number => Number(x.toPrecision(2));
