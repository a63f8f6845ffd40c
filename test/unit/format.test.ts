// Readout formatting: fixed decimals in range, exponent form outside it, a true minus sign, a dash for "not yet".
import { describe, expect, it } from 'vitest';
import { fmt, fmtLog, twoDigits } from '../../widgets/ui/format.ts';

describe('readout numbers', () => {
  it('fmt: fixed decimals, exponent beyond, true minus, dash for NaN, signed infinities', () => {
    expect([fmt(-1.23456), fmt(0), fmt(2.5, 1), fmt(9999.5, 0)]).toEqual(['−1.235', '0.000', '2.5', '10000']);
    expect([fmt(-0.00001), fmt(123456)]).toEqual(['−1.0e-5', '1.2e+5']);
    expect([fmt(Number.NaN), fmt(Infinity), fmt(-Infinity)]).toEqual(['—', '+∞', '−∞']);
  });

  it('fmtLog: two significant digits, exponent below 1e-3; twoDigits stores what it shows', () => {
    expect([fmtLog(0.001), fmtLog(1), fmtLog(0.0035), fmtLog(0.0123), fmtLog(0.0001)]).toEqual(['0.001', '1', '0.0035', '0.012', '1.0e-4']);
    expect(twoDigits(0.012345)).toBe(0.012);
  });
});
