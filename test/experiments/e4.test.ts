import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import {
  E4_PRESETS,
  hurwitzZeta,
  longRangeMeanFieldTc,
  MEAN_FIELD_BINDER,
  periodicImageChain,
  runE4,
  zeta,
} from '../../src/experiments/e4.js';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { VERSION } from '../../src/version.js';

describe('zeta and the mean-field bound', () => {
  it('matches closed forms and the 5.2248 of EXPERIMENTS.md', () => {
    expect(zeta(2)).toBeCloseTo(Math.PI ** 2 / 6, 12);
    expect(zeta(4)).toBeCloseTo(Math.PI ** 4 / 90, 12);
    expect(zeta(1.5)).toBeCloseTo(2.612375348685488, 10);
    expect(longRangeMeanFieldTc(0.5)).toBeCloseTo(5.2248, 4);
    expect(MEAN_FIELD_BINDER).toBeCloseTo(0.27052, 4);
    expect(() => zeta(1)).toThrow(DomainError);
  });
});

describe('hurwitzZeta and the ring summed over periodic images', () => {
  it('matches closed forms: zeta(s, 1) = zeta(s), zeta(s, 1/2) = (2^s - 1) zeta(s), zeta(s, a) = a^-s + zeta(s, a + 1)', () => {
    for (const s of [1.4, 1.6, 2, 3.5]) {
      expect(hurwitzZeta(s, 1) / zeta(s)).toBeCloseTo(1, 12);
      expect(hurwitzZeta(s, 0.5) / ((2 ** s - 1) * zeta(s))).toBeCloseTo(1, 12);
      expect(hurwitzZeta(s, 0.3) / (0.3 ** -s + hurwitzZeta(s, 1.3))).toBeCloseTo(1, 12);
    }
    expect(() => hurwitzZeta(1, 0.5)).toThrow(DomainError);
    expect(() => hurwitzZeta(2, 0)).toThrow(DomainError);
  });

  it('gives every site the total coupling 2 zeta(1 + sigma) (1 - N^-(1+sigma)) for every N; minimum image falls short', () => {
    for (const sigma of [0.4, 0.6]) {
      const s = 1 + sigma;
      for (const N of [8, 17, 32, 256]) {
        const total = (c: Float64Array) => {
          let t = 0;
          for (let d = 1; d < N; d++) t += c[Math.min(d, N - d)]!;
          return t;
        };
        const images = periodicImageChain(N, sigma);
        expect(images.couplings).toHaveLength(Math.floor(N / 2) + 1);
        expect(images.couplings[0]).toBe(0);
        expect(total(images.couplings)).toBeCloseTo(2 * zeta(s) * (1 - N ** -s), 10);
        // Brute-force image sum for one distance: sum over |n| <= 20000 plus the integral tail.
        let brute = 0;
        for (let n = -20000; n <= 20000; n++) brute += Math.abs(3 + n * N) ** -s;
        brute += (2 * (20000 * N) ** -sigma) / (sigma * N);
        expect(images.couplings[3]! / brute).toBeCloseTo(1, 5);
        // The minimum-image ring misses the tail sum_{|m| > N/2} |m|^-s ~ (2/sigma)(N/2)^-sigma.
        const minimum = total(createLongRangeChain({ N, sigma }).couplings);
        expect(minimum).toBeLessThan(total(images.couplings));
      }
    }
  });
});

describe('runE4', () => {
  it('validates the config, naming the field', () => {
    expect(() => runE4({ sigmas: [1.2] })).toThrow(/sigmas\[0\]/);
    expect(() => runE4({ sizes: [64, 32] })).toThrow(/sizes\[1\]/);
    expect(() => runE4({ samples: 3 })).toThrow(/samples/);
    expect(() => runE4({ couplings: 'ewald' as never })).toThrow(/config\.couplings/);
    expect(E4_PRESETS.full.sizes.at(-1)).toBe(512);
  });

  it('tiny run: Binder curves cross below the mean-field bound; U ordering flips across Tc', () => {
    const stages = new Set<string>();
    const result = runE4(
      {
        sigmas: [0.6],
        sizes: [16, 64],
        temperaturePoints: 8,
        samples: 1500,
        burnIn: 50,
        resamples: 50,
        correlatorSamples: 400,
        blocks: 10,
        fitRMaxFraction: 0.4,
      },
      { seed: 7, onProgress: (p) => stages.add(p.stage) },
    );
    expect(result.id).toBe('E4');
    expect(result.preset).toBe('custom');
    expect(result.seed).toBe(7);
    expect(result.version).toBe(VERSION);
    expect([...stages]).toEqual(['binder', 'crossings', 'correlator']);
    expect(JSON.parse(JSON.stringify(result)).measured.perSigma[0].sigma).toBe(0.6);

    const s = result.measured.perSigma[0]!;
    const small = s.binder[0]!;
    const large = s.binder[1]!;
    const last = s.temperatures.length - 1;
    // Ordered phase: U of the larger ring is higher; disordered phase: lower.
    expect(large.mean[0]!).toBeGreaterThan(small.mean[0]!);
    expect(large.mean[last]!).toBeLessThan(small.mean[last]!);
    // The crossing lies inside the grid and below the mean-field bound 2 zeta(1 + sigma).
    expect(s.tc.mean).toBeGreaterThan(s.temperatures[0]!);
    expect(s.tc.mean).toBeLessThan(s.meanFieldBound);
    expect(s.tc.error).toBeGreaterThan(0);
    expect(s.tc.error).toBeLessThan(0.5);
    // The correlator at Tc decays with a positive scaling dimension of the right size (exact 0.2).
    expect(s.scaling).not.toBeNull();
    expect(s.scaling!.delta.mean).toBeGreaterThan(0.05);
    expect(s.scaling!.delta.mean).toBeLessThan(0.4);
    expect(s.scaling!.delta.error).toBeGreaterThan(0);
    const tcComparison = result.comparisons.find((c) => c.quantity.startsWith('Tc'));
    expect(tcComparison?.agrees).toBe(true);
  });

  it('periodic-images couplings: the crossing of small rings moves up towards the infinite-chain Tc', () => {
    // N = 16/32 minimum-image rings miss 21% / 14% of the total coupling 2 zeta(1.6) = 4.57 (3.61, 3.94);
    // summed over images they carry all of it, so their Binder curves cross at a clearly higher T.
    const cfg = {
      sigmas: [0.6],
      sizes: [16, 32],
      temperaturePoints: 8,
      tMinFraction: 0.55,
      tMaxFraction: 0.9,
      samples: 1500,
      burnIn: 50,
      resamples: 50,
      correlatorSamples: 400,
      blocks: 10,
      fitRMaxFraction: 0.4,
    };
    const minimum = runE4({ ...cfg, couplings: 'minimum-image' }, { seed: 5 }).measured.perSigma[0]!;
    const images = runE4({ ...cfg, couplings: 'periodic-images' }, { seed: 5 }).measured.perSigma[0]!;
    expect(images.tc.mean).toBeGreaterThan(minimum.tc.mean);
    expect(images.tc.mean).toBeLessThan(longRangeMeanFieldTc(0.6));
    // The stronger-coupled ring is more ordered at the same T: U(N = 32) is higher, summed over the grid.
    const a = images.binder[1]!;
    const b = minimum.binder[1]!;
    let diff = 0;
    let variance = 0;
    for (let k = 0; k < a.mean.length; k++) {
      diff += a.mean[k]! - b.mean[k]!;
      variance += a.error[k]! ** 2 + b.error[k]! ** 2;
    }
    expect(diff).toBeGreaterThan(3 * Math.sqrt(variance));
  });

  it('is reproducible for a fixed seed', () => {
    const cfg = { sigmas: [0.75], sizes: [16, 32], temperaturePoints: 4, samples: 64, resamples: 10 };
    const a = runE4(cfg, { seed: 3 });
    const b = runE4(cfg, { seed: 3 });
    expect(a.measured.perSigma[0]!.binder).toEqual(b.measured.perSigma[0]!.binder);
  });
});
