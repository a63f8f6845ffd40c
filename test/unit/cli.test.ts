// The experiment command end to end: spawns the real CLI (tsx) and checks its JSON, its help and its exit codes.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function run(...args: string[]) {
  const r = spawnSync(resolve(ROOT, 'node_modules/.bin/tsx'), ['src/cli/experiment.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('experiment CLI: conjugate', () => {
  it('prints the tangent at u = 2 for KL as JSON', () => {
    const r = run('conjugate', '--divergence', 'kl', '--u', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(out.divergence).toBe('kl');
    expect(out.u).toBe(2);
    expect(out.f).toBeCloseTo(2 * Math.log(2), 14);
    expect(out.fPrime).toBeCloseTo(Math.log(2) + 1, 14);
    // f*(f'(u)) = e^{f'(u) − 1} = u
    expect(out.conjugateAtTangent).toBeCloseTo(2, 14);
    expect(Math.abs(out.gap as number)).toBeLessThan(1e-12);
    expect(out.threshold).toBe(1);
    expect(out.f1).toBe(0);
  });

  it('reports the parameter of a parameterised row', () => {
    const r = run('conjugate', '--divergence', 'alpha', '--alpha', '3', '--u', '0.5', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { params: { alpha: number }; f: number; gap: number };
    expect(out.params).toEqual({ alpha: 3 });
    expect(out.f).toBeCloseTo((0.125 - 1 - 3 * -0.5) / 6, 14);
    expect(Math.abs(out.gap)).toBeLessThan(1e-12);
  });

  it('--help lists the experiment and its options', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^conjugate: /m);
    expect(r.stdout).toContain('--divergence');
    expect(r.stdout).toContain('js-weighted');
  });

  it.each([
    [['--u', '-1']],
    [['--divergence', 'nonsense']],
    [['--alpha', '1.01']],
  ])('exits 2 with a usage message on a bad option %j', (bad) => {
    const r = run('conjugate', ...bad, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^experiment: --/);
  });
});

describe('experiment CLI: fgan-2d', () => {
  it('takes <fgan-lab>\'s attribute names as flags and trains on wasm without tfjs\'s Node banner', () => {
    const r = run('fgan-2d', '--batch-size', '64', '--generator-objective', 'saturating', '--steps', '5', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { step: number; backend: string; status: string };
    expect(out).toMatchObject({ step: 5, backend: 'wasm', status: 'ok' });
    expect(r.stderr).not.toMatch(/tfjs-node|looks like you are running/);
  });

  it('--backend cpu runs on tfjs\'s cpu backend', () => {
    const r = run('fgan-2d', '--backend', 'cpu', '--steps', '2', '--batch-size', '16', '--samples', '64', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ step: 2, backend: 'cpu' });
  });

  it.each([
    [['--batch', '64'], /Unknown option '--batch'/],
    [['--batch-size', '99999'], /--batch-size "99999" is not valid: must be an integer from 2 to 4096/],
    [['--speed', '10'], /Unknown option '--speed'/],
    [['--backend', 'webgl'], /--backend "webgl" is not valid: valid values: wasm, cpu/],
  ])('rejects %j with the schema\'s message', (bad, message) => {
    const r = run('fgan-2d', ...bad, '--steps', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('experiment CLI: widen', () => {
  it('su is exact to rounding at every layer; su-as-printed breaks at the first feed-forward', () => {
    const su = run('widen', '--method', 'su', '--factor', '3', '--layers', '2', '--d-model', '8', '--heads', '2', '--seed', '4', '--json');
    expect(su.code, su.stderr).toBe(0);
    const a = JSON.parse(su.stdout) as { maxAbsDiff: number; perLayerMaxAbsDiff: number[]; breaksAt: unknown; wideDModel: number; copySpread: number };
    expect(a.maxAbsDiff).toBeLessThan(1e-12);
    expect(a.perLayerMaxAbsDiff).toHaveLength(3);
    expect(Math.max(...a.perLayerMaxAbsDiff)).toBeLessThan(1e-12);
    expect(a.breaksAt).toBeNull();
    expect(a.wideDModel).toBe(24);
    expect(a.copySpread).toBe(0);
    const printed = JSON.parse(run('widen', '--method', 'su-as-printed', '--d-model', '8', '--json').stdout) as typeof a;
    expect(printed.maxAbsDiff).toBeGreaterThan(1e-2);
    expect(printed.breaksAt).toEqual({ kind: 'feed-forward', block: 1 });
  });

  it('--train-steps: the copy spread after training is 0 without noise and grows with split', () => {
    const spread = (symmetry: string) => {
      const r = run('widen', '--method', 'hypercloning', '--symmetry', symmetry, '--layers', '1', '--d-model', '8', '--heads', '2', '--train-steps', '5', '--json');
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { copySpread: number; loss: number; maxAbsDiff: number };
    };
    const none = spread('none');
    const split = spread('split');
    expect(none.copySpread).toBe(0);
    expect(split.copySpread).toBeGreaterThan(1e-3);
    expect(split.maxAbsDiff).toBeLessThan(1e-12);
    expect(Number.isFinite(none.loss)).toBe(true);
  });

  it('refuses heads that do not divide the width, and a fractional factor for su', () => {
    const r = run('widen', '--heads', '3', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--heads 3 must divide --d-model 16');
    const f = run('widen', '--method', 'su', '--factor', '1.5', '--json');
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('integer factor');
    expect(run('widen', '--method', 'net2net', '--factor', '1.5', '--json').code).toBe(0);
  });
});

describe('experiment CLI: rnn-grad and rnn-train', () => {
  it('rnn-grad takes the paper-style flags and prints arrays of length T; a linear ρQ gives ρ^(T−t) exactly', () => {
    const r = run('rnn-grad', '--cell', 'rnn', '--activation', 'linear', '--init', 'orthogonal', '--radius', '1.1',
      '--length', '30', '--hidden', '16', '--seed', '5', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { gradNorms: number[]; connectivity: number[]; maxSingular: number[]; cell: string };
    expect(out.cell).toBe('rnn-linear');
    for (const k of ['gradNorms', 'connectivity', 'maxSingular'] as const) expect(out[k]).toHaveLength(30);
    for (let t = 1; t <= 30; t++) expect(out.gradNorms[t - 1] / out.gradNorms[29]).toBeCloseTo(1.1 ** (30 - t), 3);
    for (const s of out.maxSingular) expect(s).toBeCloseTo(1.1, 4);
  });

  it('rnn-train trains the cells named by --cells and prints loss and accuracy per cell', () => {
    const r = run('rnn-train', '--cells', 'rnn-tanh,lstm', '--length', '5', '--hidden', '4', '--steps', '2', '--backend', 'cpu', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { steps: number; cells: Record<string, { loss: number; accuracy: number }> };
    expect(out.steps).toBe(2);
    expect(Object.keys(out.cells)).toEqual(['rnn-tanh', 'lstm']);
    for (const c of Object.values(out.cells)) {
      expect(Number.isFinite(c.loss)).toBe(true);
      expect(c.accuracy).toBeGreaterThanOrEqual(0);
    }
  });

  it('rejects a bad cell with the schema\'s message', () => {
    const r = run('rnn-grad', '--cell', 'transformer', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cell "transformer" is not valid: valid values: rnn, lstm, gru, gru-r-out/);
  });
});

describe('experiment CLI: gaussian-fit', () => {
  it('prints the exact fit (KL: the mixture\'s mean and standard deviation) and the trained one within 0.1 of it', () => {
    const r = run('gaussian-fit', '--divergence', 'kl', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { exact: { mu: number; sigma: number; divergence: number }; trained: { mu: number; sigma: number; bound: number }; status: string };
    // P = 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²): mean 1.01, std √(E[x²] − 1.01²)
    const second = 0.33 * (1 + 0.255 ** 2) + 0.67 * (4 + 1.415 ** 2);
    expect(out.exact.mu).toBeCloseTo(1.01, 4);
    expect(out.exact.sigma).toBeCloseTo(Math.sqrt(second - 1.01 ** 2), 4);
    expect(Math.abs(out.trained.mu - out.exact.mu)).toBeLessThan(0.1);
    expect(Math.abs(out.trained.sigma - out.exact.sigma)).toBeLessThan(0.1);
    expect(out.trained.bound).toBeLessThan(out.exact.divergence + 0.02);
    expect(out.status).toBe('ok');
  });
});
