import { describe, expect, it } from 'vitest';
import { createRng, deriveRng } from '../../src/core/rng.js';
import { thermometerEnsembles } from '../../src/experiments/e1.js';
import { runE11 } from '../../src/experiments/e11.js';
import type { E11SetResult } from '../../src/experiments/e11Summary.js';
import { e11SideBySide } from '../../src/experiments/e11Table.js';
import { probeAutoencoder } from '../../src/experiments/e11Unsupervised.js';
import { setHypotheses } from '../../src/experiments/e11Verdicts.js';
import type { Measurement } from '../../src/experiments/types.js';
import { createAutoencoder } from '../../src/models/autoencoder.js';

/** E1's thermometer task at tiny size: 4 temperature classes on a 4 x 4 torus. */
const TINY_THERMOMETER = {
  datasets: ['thermometer'] as const,
  seeds: 3,
  epochs: 8,
  batchSize: 20,
  learningRate: 1e-2,
  thermometerL: 4,
  thermometerTemperatures: [1, 2, 3.5, 8],
  thermometerSamples: 60,
  thermometerHidden: 8,
  thermometerK: 2,
  topModes: 2,
  rbmEpochs: 2,
  spinFlipLevels: [0.1, 0.2],
};

const run = runE11(TINY_THERMOMETER, { seed: 4 });

describe('E11: the 60-class temperature classifier of E1 (tiny size)', () => {
  it('trains on E1 thermometer data: shapes, sizes and every instrument of the other sets', async () => {
    const r = await run;
    expect(r.measured.sets).toHaveLength(1);
    const s = r.measured.sets[0]!;
    expect(s.name).toBe('thermometer L=4');
    expect([s.d, s.classes, s.hidden, s.k, s.kBetween, s.rank]).toEqual([16, 4, 8, 2, 2, 8]);
    expect(s.nTrain + s.nTest).toBe(4 * 60);
    expect(s.singularValues).toHaveLength(8);
    expect(s.truncationK).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.truncationAccuracy).toHaveLength(8);
    expect(s.noiseKind).toBe('spin flips');
    expect(s.noisyFull).toHaveLength(2);
    expect(s.autoencoder.noiseGainFull).toHaveLength(2);
    // a lattice: the Fourier content is measured for the classifier, the autoencoder and the RBM
    for (const m of [s.lowPass, s.autoencoder.lowPass, s.rbm!.lowPass]) {
      expect(m.mean).toBeGreaterThanOrEqual(0);
      expect(m.mean).toBeLessThanOrEqual(1);
      expect(Number.isFinite(m.error)).toBe(true);
    }
    // 4 temperatures from frozen (T = 1) to hot (T = 8): the energy alone separates the extremes, so the
    // classifier is far above chance 1/4 (60 held-out rows: binomial sd at 0.25 is 0.056)
    expect(s.fullAccuracy.mean).toBeGreaterThan(0.25 + 5 * 0.056);
    // the autoencoder's smallest k and its truncated parameter count are E10's
    expect(s.autoencoder.smallestK.mean).toBeGreaterThanOrEqual(1);
    expect(s.autoencoder.smallestK.mean).toBeLessThanOrEqual(8);
    expect(s.autoencoder.init.reachedSeeds).toBeLessThanOrEqual(3);
  });

  it('uses E1 own ensembles: thermometerEnsembles with the E11 stream gives the same rows', async () => {
    const r = await run;
    const s = r.measured.sets[0]!;
    const ens = thermometerEnsembles(4, TINY_THERMOMETER.thermometerTemperatures, 60, (k) =>
      deriveRng(4, 'E11', 'thermometer L=4', 'data', k),
    );
    expect(ens).toHaveLength(4);
    ens.forEach((e, k) => {
      expect(e.temperature).toBe(TINY_THERMOMETER.thermometerTemperatures[k]);
      expect(e.configs).toHaveLength(60 * 16);
    });
    // the per-class mean energy orders the classes: mean |m| falls from T = 1 to T = 8
    const absM = ens.map((e) => {
      let t = 0;
      for (let i = 0; i < 60; i++) {
        let m = 0;
        for (let j = 0; j < 16; j++) m += e.configs[i * 16 + j]!;
        t += Math.abs(m) / 16;
      }
      return t / 60;
    });
    expect(absM[0]!).toBeGreaterThan(absM[3]! + 0.3);
    expect(s.description).toContain('thermometerEnsembles');
  });

  it('same seed -> bit-identical measurements; another seed -> different', async () => {
    const r = await run;
    const again = await runE11(TINY_THERMOMETER, { seed: 4 });
    expect(again.measured).toEqual(r.measured);
    expect(again.comparisons).toEqual(r.comparisons);
    const other = await runE11({ ...TINY_THERMOMETER, seeds: 2 }, { seed: 5 });
    expect(other.measured.sets[0]!.singularValues[0]!.mean).not.toBe(
      r.measured.sets[0]!.singularValues[0]!.mean,
    );
  });

  it('rejects a thermometer grid that is not ascending', async () => {
    await expect(runE11({ ...TINY_THERMOMETER, thermometerTemperatures: [2, 1, 3] })).rejects.toThrow(
      /thermometerTemperatures\[1\]/,
    );
    await expect(runE11({ ...TINY_THERMOMETER, thermometerHidden: 17 })).rejects.toThrow(/thermometerHidden/);
  });
});

const m = (mean: number, error: number): Measurement => ({ mean, error });

/** A copy of `s` with some fields replaced (nested objects merged one level). */
function edit(s: E11SetResult, patch: Record<string, unknown>): E11SetResult {
  const out: Record<string, unknown> = { ...s };
  for (const [k, v] of Object.entries(patch)) {
    const cur = (s as unknown as Record<string, unknown>)[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !('mean' in v)
        ? { ...cur, ...v }
        : v;
  }
  return out as unknown as E11SetResult;
}

describe('E11 verdicts and the side-by-side table', () => {
  const verdict = (s: E11SetResult, row: string, contains: string) =>
    setHypotheses(s).find((h) => h.row === row && h.comparison.quantity.includes(contains))!.comparison
      .agrees;

  it('judges each hypothesis by the measurement and its error bar (3 combined sigma)', async () => {
    const s = (await run).measured.sets[0]!;
    const fewer = edit(s, { smallestK: m(2, 0.1), autoencoder: { smallestK: m(6, 0.2) } });
    expect(verdict(fewer, 'smallestK', "autoencoder's smallest k")).toBe(true);
    // 4 sigma apart by the means but not by the combined error: not judged to hold
    const close = edit(s, { smallestK: m(2, 1), autoencoder: { smallestK: m(6, 1) } });
    expect(verdict(close, 'smallestK', "autoencoder's smallest k")).toBe(false);
    expect(verdict(edit(s, { tunedPerSample: m(0.4, 0.01) }), 'tunedPerSample', 'training samples')).toBe(
      true,
    );
    expect(verdict(edit(s, { tunedPerSample: m(1.2, 0.01) }), 'tunedPerSample', 'training samples')).toBe(
      false,
    );
    expect(
      verdict(edit(s, { lowPass: m(0.9, 0.01), lowPassUntrained: m(0.3, 0.01) }), 'lowPass', 'low-momentum'),
    ).toBe(true);
    expect(
      verdict(edit(s, { lowPass: m(0.7, 0.01), lowPassUntrained: m(0.3, 0.01) }), 'lowPass', 'low-momentum'),
    ).toBe(false);
  });

  it('fills every cell from the measurements passed in, never from constants', async () => {
    const s = (await run).measured.sets[0]!;
    const rows = e11SideBySide(s);
    expect(rows.map((r) => r.key)).toEqual([
      'modes',
      'overlapCovariance',
      'span',
      'overlapBetween',
      'lowPass',
      'smallestK',
      'tunedPerSample',
      'init',
      'noise',
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.smallestK!.unsupervised.values[0]!.value).toBe(s.autoencoder.smallestK);
    expect(byKey.smallestK!.classifier.values[0]!.value).toBe(s.smallestK);
    expect(byKey.lowPass!.rbm!.values[0]!.value).toBe(s.rbm!.lowPass);
    expect(byKey.init!.unsupervised.values.map((v) => v.value)).toEqual([
      s.autoencoder.init.epochsCovariance,
      s.autoencoder.init.epochsRandom,
    ]);
    expect(byKey.noise!.classifier.values[0]!.value).toBe(s.noiseAdvantage[1]);
    // every number in the table is one of the result's Measurement objects (by identity)
    const all = new Set<unknown>();
    const collect = (o: unknown) => {
      if (o && typeof o === 'object') {
        if ('mean' in o && 'error' in o) all.add(o);
        else for (const v of Object.values(o)) collect(v);
      }
    };
    collect(s);
    for (const r of rows)
      for (const c of [r.unsupervised, r.classifier, ...(r.rbm ? [r.rbm] : [])])
        for (const v of c.values) expect(all.has(v.value)).toBe(true);
    // and the hypotheses shown on a row are that row's judged comparisons
    expect(byKey.tunedPerSample!.hypotheses).toHaveLength(1);
    expect(byKey.tunedPerSample!.hypotheses[0]!.agrees).toBe(
      verdict(s, 'tunedPerSample', 'training samples'),
    );
    // a changed measurement changes the table
    const changed = e11SideBySide(edit(s, { autoencoder: { modesForFraction: m(123.5, 6.5) } }));
    expect(changed[0]!.unsupervised.values[0]!.value).toEqual(m(123.5, 6.5));
    // off spin data there is no RBM column entry
    expect(e11SideBySide(edit(s, { rbm: undefined }))[0]!.rbm).toBeUndefined();
  });
});

describe("E11's autoencoder instruments (E10's conventions)", () => {
  it('an exact projection onto the data subspace rejects isotropic noise with gain d / k', () => {
    // rows in the span of e_0, e_1 of R^8; the autoencoder is the projection onto it (linear, exact)
    const d = 8;
    const n = 2000;
    const rng = createRng(9);
    const rows = () => {
      const x = new Float64Array(n * d);
      for (let r = 0; r < n; r++) for (let j = 0; j < 2; j++) x[r * d + j] = rng.normal();
      return x;
    };
    const ae = createAutoencoder({ layers: [d, 2], activations: 'linear', rng });
    ae.weights[0]!.fill(0);
    ae.weights[1]!.fill(0);
    ae.biases[0]!.fill(0);
    ae.biases[1]!.fill(0);
    for (let a = 0; a < 2; a++) {
      ae.weights[0]![a * 2 + a] = 1; // encoder d x h: row a, column a
      ae.weights[1]![a * d + a] = 1; // decoder h x d
    }
    const data = {
      name: 'subspace',
      d,
      classes: 1,
      train: rows(),
      trainLabels: new Int32Array(n),
      nTrain: n,
      test: rows(),
      testLabels: new Int32Array(n),
      nTest: n,
      description: 'rows in a 2-dim coordinate subspace',
    };
    const weights = {
      singular: [1, 1],
      modesForFraction: 2,
      overlapCovariance: 1,
      spanCovariance: 1,
      overlapBetween: 1,
      overlapPlanted: Number.NaN,
      lowPass: Number.NaN,
    };
    const p = probeAutoencoder(
      ae,
      weights,
      data,
      { reconstructionTolerance: 0.01, noiseLevels: [0.5], spins: false },
      2 / d,
      createRng(10),
    );
    // reconstruction exact: both modes needed, full MSE 0
    expect(p.reconstructionLoss).toBeLessThan(1e-24);
    expect(p.smallestK).toBe(2);
    expect(p.tunedParameters).toBe(2 * 2 * (d + 2) + d + 2);
    // input noise sigma^2 per element; the projection keeps 2 of 8 components: gain = 8 / 2 = 4. The
    // reconstruction error is a chi-square with 2n degrees of freedom (relative sd 1 / sqrt(n) = 0.022):
    // 5 sd = 0.45
    expect(Math.abs(p.noiseGainFull[0]! - 4)).toBeLessThan(0.45);
    expect(p.noiseGainTruncated[0]).toBeCloseTo(p.noiseGainFull[0]!, 10);
  });
});
