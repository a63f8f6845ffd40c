// `npm run bench`: benchmarks, printed as figures and ratios measured in one run. Not a test: nothing here fails
// the build; the figures go into issue notes and the README. Needs a production build (npm run build).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, serve } from '../e2e/harness.ts';
import { pageWeight } from './page-weight.ts';
import { RECOMPUTE_TARGET_MS, benchRnnLearning, benchRnnTraining, benchRnnViews } from './rnn.ts';
import { benchBaseline, benchLab, benchTrainerStep, type RunFigures } from './training.ts';
import { benchWideStep, benchWidenCompare, median } from './widen.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const BASELINE = join(ROOT, 'test-output/bench-baseline');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
/** BENCH_ONLY=rnn, gan or widen runs one widget's sections; rnn-views only the gradient views and rnn-learn only
 * the two-minute learning run (LEARN_SECONDS) */
const ONLY = process.env.BENCH_ONLY ?? '';

if (!existsSync(join(DIST, 'index.html'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('\n## Page weight: JavaScript loaded before any widget or tfjs chunk (gzip -9)\n');
console.log('| page | files | raw | gzipped | of the 100 KB budget |');
console.log('|---|---|---|---|---|');
for (const page of ['index.html', 'articles/f-divergence.html', 'articles/widening.html', 'articles/rnn-gradients.html', 'articles/fgan-fit.html', 'widgets/fdiv-conjugate.html', 'widgets/fgan-lab.html', 'widgets/transformer-widen.html', 'widgets/rnn-gradients.html', 'widgets/fgan-fit.html']) {
  const w = pageWeight(DIST, page);
  console.log(`| ${page} | ${w.files} | ${kb(w.rawBytes)} | ${kb(w.gzipBytes)} | ${((w.gzipBytes / (100 * 1024)) * 100).toFixed(1)} % |`);
}

await build({
  root: join(import.meta.dirname, 'baseline'),
  base: '/bench/',
  logLevel: 'warn',
  build: {
    outDir: BASELINE, emptyOutDir: true,
    rolldownOptions: { input: ['index.html', 'trainer.html'].map((f) => join(import.meta.dirname, 'baseline', f)) },
  },
});

const server = await serve({ '/bench/': BASELINE });

// <transformer-widen>: the float64 widening on the main thread, and a training step of both wide models per backend
if (ONLY === '' || ONLY === 'widen') {
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: CHROME_ARGS });
  try {
    const { one, all } = await benchWidenCompare(browser, server.url);
    console.log('\n## Widening a Transformer: default model (d 16, 2 blocks), k = 2, float64 on the main thread\n');
    console.log('| work | median | max | runs |');
    console.log('|---|---|---|---|');
    console.log(`| widen + compare one method (the figure's readouts) | ${one.length ? median(one).toFixed(1) : '—'} ms | ${Math.max(...one).toFixed(1)} ms | ${one.length} |`);
    console.log(`| the same for all eight methods (the overview) | ${median(all).toFixed(1)} ms | ${Math.max(...all).toFixed(1)} ms | ${all.length} |`);
    console.log('\n## Keep training both: one Adam step of the widened and of the from-scratch wide model (d 32, batch 32)\n');
    console.log('| backend | ms per step (both models) |');
    console.log('|---|---|');
    for (const backend of ['webgl', 'wasm', 'cpu']) {
      const r = await benchWideStep(browser, server.url, backend);
      console.log(`| ${r.backend}${r.backend !== backend ? ` (asked ${backend})` : ''} | ${r.msPerStep.toFixed(1)} |`);
    }
  } finally {
    await browser.close();
  }
}
if (process.env.BENCH_ONLY === 'widen') {
  await server.close();
  process.exit(0);
}
const f = (x: number, d = 0) => x.toFixed(d);
const row = (name: string, r: RunFigures & { backend: string }) =>
  `| ${name} | ${r.backend} | ${f(r.stepsPerSecond)} | ${f(r.framesPerSecond, 1)} | ${r.longestTaskMs ? f(r.longestTaskMs) + ' ms' : 'none ≥ 50 ms'} | ${f(r.longestFrameGapMs)} ms |`;
// This machine has no GPU. Chromium without a GPU renders pages in software (raster and compositing on the CPU);
// the e2e tests instead emulate a GPU with SwiftShader, because WebGL needs it, and on two cores that emulation
// competes with training for the CPU. Both are measured; WebGL runs on SwiftShader in either.
const RASTER = [
  { name: 'software rendering (Chromium without a GPU)', args: ['--disable-gpu-rasterization', '--disable-gpu-compositing'] },
  { name: 'GPU raster and compositing emulated by SwiftShader', args: [] },
];
try {
  if (ONLY !== 'gan') {
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: [...CHROME_ARGS, ...RASTER[0].args],
    });
    try {
      if (ONLY !== 'rnn-learn') {
        console.log(`\n## <rnn-gradients>: recomputing every gradient view, T = 200, H = 64, three cells (${RASTER[0].name})\n`);
        const load = loadavg()[0];
        const v = await benchRnnViews(browser, server.url);
        const met = v.settledMedianMs <= RECOMPUTE_TARGET_MS ? 'met' : 'missed';
        console.log(`| recompute, settled: median / p90 / worst (${v.settledRuns} runs) | target | recompute while dragging: median (answers) | frames/s while dragging | longest frame gap | load average (1 min, before / after) |`);
        console.log('|---|---|---|---|---|---|');
        console.log(`| ${f(v.settledMedianMs, 1)} ms / ${f(v.settledP90Ms, 1)} ms / ${f(v.settledMaxMs, 1)} ms | ≤ ${RECOMPUTE_TARGET_MS} ms median: ${met} | ${f(v.dragMedianMs, 1)} ms (${v.dragRuns}) | ${f(v.dragFramesPerSecond, 1)} | ${f(v.longestFrameGapMs)} ms | ${f(load, 2)} / ${f(loadavg()[0], 2)} |`);
      }
      if (!ONLY.startsWith('rnn-')) console.log(`\n## <rnn-gradients> training, memory task, T = 100, H = 32, batch 32, three cells (rnn-tanh, lstm, gru), ${SECONDS} s per run\n`);
      if (!ONLY.startsWith('rnn-')) {
        console.log('| backend | training steps/s (all cells) | frames/s drawn | longest main-thread task | longest frame gap |');
        console.log('|---|---|---|---|---|');
      }
      for (const backend of ONLY === 'rnn-views' || ONLY === 'rnn-learn' ? [] : ['webgl', 'wasm', 'cpu']) {
        const r = await benchRnnTraining(browser, server.url, backend, backend === 'cpu' ? 2 * SECONDS : SECONDS);
        console.log(`| ${r.backend} | ${f(r.stepsPerSecond, 2)} | ${f(r.framesPerSecond, 1)} | ${r.longestTaskMs ? f(r.longestTaskMs) + ' ms' : 'none ≥ 50 ms'} | ${f(r.longestFrameGapMs)} ms |`);
      }
      if (ONLY === 'rnn' || ONLY === 'rnn-learn' || ONLY === '') {
        const learn = await benchRnnLearning(browser, server.url, Number(process.env.LEARN_SECONDS ?? 120));
        console.log(`\n## <rnn-gradients> learning the memory task at T = 100 (widget defaults, ${learn.cells.join(' + ')}, ${learn.backend}), held-out accuracy on 256 sequences\n`);
        console.log(`| seconds | step | ${learn.cells.join(' | ')} |`);
        console.log(`|---|---|${learn.cells.map(() => '---|').join('')}`);
        for (const s of learn.samples.filter((_, i) => i % 2 === 1 || i === learn.samples.length - 1)) {
          console.log(`| ${f(s.seconds)} | ${s.step} | ${s.accuracy.map((a) => (Number.isFinite(a) ? `${f(100 * a)} %` : '—')).join(' | ')} |`);
        }
        console.log(`\nLSTM first at ≥ 85 %: ${Number.isNaN(learn.lstmAt85) ? 'not within the run' : `after ${f(learn.lstmAt85)} s`}`);
      }
    } finally {
      await browser.close();
    }
  }
  for (const raster of ONLY.startsWith('rnn') ? [] : RASTER) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: [...CHROME_ARGS, ...raster.args],
    });
    try {
      if (raster === RASTER[0]) {
        console.log('\n## Toy GAN: one training step of the default configuration alone (page main thread, nothing drawn)\n');
        console.log('| backend | update scheme | kernels per step | ms per step |');
        console.log('|---|---|---|---|');
        const speedups: string[] = [];
        for (const backend of ['wasm', 'cpu']) {
          const r = await benchTrainerStep(browser, server.url, backend);
          for (const s of r.schemes) console.log(`| ${r.backend} | ${s.mode} | ${s.kernels} | ${f(s.msPerStep, 2)} |`);
          const ms = (mode: string) => r.schemes.find((s) => s.mode === mode)!.msPerStep;
          speedups.push(`${r.backend} ${f(ms('alternating') / ms('single-loss'), 2)}×`);
        }
        console.log(`\nSingle-loss steps per second ÷ alternating (criticSteps 1): ${speedups.join(', ')}`);
      }
      console.log(`\n## Toy GAN training, default configuration (2×32 MLPs, batch 256), ${raster.name}, ${SECONDS} s per run\n`);
      console.log('| run | backend | generator steps/s | frames/s drawn | longest main-thread task | longest frame gap |');
      console.log('|---|---|---|---|---|---|');
      const ratios: string[] = [];
      const dataFrames: string[] = [];
      const labs: (RunFigures & { backend: string })[] = [], bases: (RunFigures & { backend: string })[] = [];
      for (const backend of ['webgl', 'wasm', 'cpu']) {
        const lab = await benchLab(browser, server.url, backend, SECONDS);
        const base = await benchBaseline(browser, server.url, backend, SECONDS);
        labs.push(lab);
        dataFrames.push(`| ${lab.backend} | ${f(lab.dataFramesPerSecond, 1)} | ${f(lab.longestDataGapMs)} ms |`);
        bases.push(base);
        console.log(row('fgan-lab (worker)', lab));
        console.log(row('naive main-thread baseline', base));
        ratios.push(`| ${backend} | ${f(lab.stepsPerSecond / base.stepsPerSecond, 2)}× | ${f(lab.framesPerSecond / Math.max(0.1, base.framesPerSecond), 2)}× | ${f(base.longestFrameGapMs / Math.max(1, lab.longestFrameGapMs), 2)}× |`);
      }
      console.log(`\nRatios, fgan-lab ÷ baseline (${raster.name}); for the frame gap, baseline ÷ fgan-lab (above 1: shorter gaps)\n`);
      console.log('| backend | steps/s | frames/s | longest frame gap |');
      console.log('|---|---|---|---|');
      for (const r of ratios) console.log(r);
      console.log(`\nfgan-lab's frames of data (a 'metrics' event each: how often the drawn samples move), ${raster.name}\n`);
      console.log('| backend | data frames/s | longest gap between data frames |');
      console.log('|---|---|---|');
      for (const r of dataFrames) console.log(r);
      const best = (rs: (RunFigures & { backend: string })[]) => rs.reduce((a, b) => (b.stepsPerSecond > a.stepsPerSecond ? b : a));
      const lab = best(labs), base = best(bases);
      console.log(`\nfgan-lab on its best backend (${lab.backend}, ${f(lab.stepsPerSecond)} steps/s at ${f(lab.framesPerSecond, 1)} frames/s) ÷ the naive loop on its best backend (${base.backend}, ${f(base.stepsPerSecond)} steps/s): ${f(lab.stepsPerSecond / base.stepsPerSecond, 2)}×`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
