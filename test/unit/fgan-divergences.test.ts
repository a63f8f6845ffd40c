// Every row of the catalogue trains on the default configuration (ring, batch 256, 2×32 networks, Adam 1e-3)
// without a NaN. 60 steps each here, to keep the suite fast on a 2-core machine; the 1000-step version of this
// check is `npm run -s experiment -- fgan-2d --divergence ID --steps 1000 --json` (status "ok" for every ID).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIVERGENCE_IDS } from '../../src/math/types.ts';
import { FganTrainer, type FganConfigInput } from '../../src/models/fgan.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CASES: [string, FganConfigInput][] = [
  ...DIVERGENCE_IDS.map((id): [string, FganConfigInput] => [id, { divergence: id }]),
  ['alpha 2 (the clamped α > 1 branch)', { divergence: 'alpha', alpha: 2 }],
];

describe('every divergence trains on the defaults', () => {
  it.each(CASES)('%s', async (_, config) => {
    const t = new FganTrainer({ ...config, seed: 1 });
    t.step(60);
    const s = await t.snapshot({ samples: 256, fieldSize: 16, boundBatch: 1024, kdeSize: 32 });
    t.dispose();
    expect(s.status, s.reason).toBe('ok');
    for (const x of [s.criticLoss, s.generatorLoss, s.bound]) expect(Number.isFinite(x)).toBe(true);
    expect(s.samples.every(Number.isFinite)).toBe(true);
    expect(s.field.values.every(Number.isFinite)).toBe(true);
  });
});
