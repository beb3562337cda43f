import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  convertRbm,
  energy,
  freeEnergy,
  gibbsStep,
  hiddenMeans,
  hiddenProbabilities,
  logTwoCosh,
  pseudoLikelihood,
  reconstructionError,
  sampleHidden,
  sampleVisible,
  softplusStable,
  visibleMeans,
  visibleProbabilities,
} from '../../src/models/rbm.js';
import { batch } from './batch.js';
import { allStates, bruteEnergy, COMBOS, logSumExp, randomRbm } from './rbmBrute.js';

const NV = 4;
const NH = 3;

function visiblePoints(vu: string, rng = createRng(5)): number[][] {
  if (vu !== 'gaussian') return allStates(NV, vu as 'spin');
  return Array.from({ length: 6 }, () => Array.from({ length: NV }, () => 2 * rng.normal()));
}

describe('stable scalar helpers', () => {
  it('log(2 cosh x) and softplus do not overflow and match the naive forms', () => {
    for (const x of [-3, -0.5, 0, 0.7, 4]) {
      expect(logTwoCosh(x)).toBeCloseTo(Math.log(2 * Math.cosh(x)), 14);
      expect(softplusStable(x)).toBeCloseTo(Math.log1p(Math.exp(x)), 14);
    }
    expect(logTwoCosh(1000)).toBe(1000);
    expect(logTwoCosh(-1000)).toBe(1000);
    expect(softplusStable(1000)).toBe(1000);
    expect(softplusStable(-1000)).toBeCloseTo(0, 300);
  });
});

describe.each(COMBOS)('RBM %s visible, %s hidden', (vu, hu) => {
  const rbm = randomRbm(NV, NH, [vu, hu], 11);
  const hStates = allStates(NH, hu);
  const vs = visiblePoints(vu);

  it('energy matches the definition and free energy equals -log sum_h exp(-E) by enumeration', () => {
    const flat = Float64Array.from(vs.flat());
    const f = freeEnergy(rbm, batch(flat, rbm.nVisible));
    vs.forEach((v, r) => {
      const terms = hStates.map((h) => -bruteEnergy(rbm, v, h));
      expect(f[r]).toBeCloseTo(-logSumExp(terms), 11);
      const e = energy(rbm, batch(v, rbm.nVisible), batch(hStates[3]!, rbm.nHidden));
      expect(e[0]).toBeCloseTo(bruteEnergy(rbm, v, hStates[3]!), 12);
    });
  });

  it('hidden probabilities and means equal the enumerated conditionals p(h | v)', () => {
    const flat = Float64Array.from(vs.flat());
    const p = hiddenProbabilities(rbm, flat);
    const m = hiddenMeans(rbm, batch(flat, rbm.nVisible)).data;
    const on = hu === 'spin' ? 1 : 1;
    vs.forEach((v, r) => {
      const w = hStates.map((h) => Math.exp(-bruteEnergy(rbm, v, h)));
      const z = w.reduce((s, x) => s + x, 0);
      for (let a = 0; a < NH; a++) {
        const pa = hStates.reduce((s, h, k) => s + (h[a] === on ? w[k]! : 0), 0) / z;
        const ma = hStates.reduce((s, h, k) => s + h[a]! * w[k]!, 0) / z;
        expect(p[r * NH + a]).toBeCloseTo(pa, 12);
        expect(m[r * NH + a]).toBeCloseTo(ma, 12);
      }
    });
  });

  it('visible means equal the conditional expectation E[v | h]', () => {
    const flat = Float64Array.from(hStates.flat());
    const mean = visibleMeans(rbm, batch(flat, rbm.nHidden)).data;
    hStates.forEach((h, r) => {
      for (let i = 0; i < NV; i++) {
        let y = rbm.visibleBias[i]!;
        for (let a = 0; a < NH; a++) y += rbm.weights[i * NH + a]! * h[a]!;
        const expected = vu === 'spin' ? Math.tanh(y) : vu === 'binary' ? 1 / (1 + Math.exp(-y)) : y;
        expect(mean[r * NV + i]).toBeCloseTo(expected, 12);
      }
    });
  });

  it('sampled hidden and visible frequencies match the probabilities (chi-square, fixed seed)', () => {
    const rng = createRng(99);
    const reps = 4000;
    const v0 = vs[1]!;
    const repeated = new Float64Array(reps * NV);
    for (let r = 0; r < reps; r++) repeated.set(v0, r * NV);
    const h = sampleHidden(rbm, batch(repeated, rbm.nVisible), rng).data;
    const p = hiddenProbabilities(rbm, Float64Array.from(v0));
    const on = 1;
    let chi2 = 0;
    for (let a = 0; a < NH; a++) {
      let count = 0;
      for (let r = 0; r < reps; r++) {
        const x = h[r * NH + a]!;
        expect(hu === 'spin' ? x === 1 || x === -1 : x === 0 || x === 1).toBe(true);
        if (x === on) count++;
      }
      chi2 += (count - reps * p[a]!) ** 2 / (reps * p[a]! * (1 - p[a]!));
    }
    // chi-square with 3 degrees of freedom: P(chi2 > 16.27) = 0.001
    expect(chi2).toBeLessThan(16.27);
    const h0 = Float64Array.from(hStates[5]!);
    const hb = new Float64Array(reps * NH);
    for (let r = 0; r < reps; r++) hb.set(h0, r * NH);
    const v = sampleVisible(rbm, batch(hb, rbm.nHidden), rng).data;
    const mean = visibleMeans(rbm, batch(h0, rbm.nHidden)).data;
    if (vu === 'gaussian') {
      let chi = 0;
      for (let i = 0; i < NV; i++) {
        let s = 0;
        let s2 = 0;
        for (let r = 0; r < reps; r++) {
          const d = v[r * NV + i]! - mean[i]!;
          s += d;
          s2 += d * d;
        }
        const sigma = rbm.visibleSigma![i]!;
        chi += (s / reps / (sigma / Math.sqrt(reps))) ** 2;
        // sample variance within 5 standard errors (se of s^2 is sigma^2 sqrt(2 / reps))
        expect(Math.abs(s2 / reps - sigma * sigma)).toBeLessThan(5 * sigma * sigma * Math.sqrt(2 / reps));
      }
      expect(chi).toBeLessThan(18.47); // chi-square 4 dof, p = 0.001
    } else {
      const pv = visibleProbabilities(rbm, h0);
      let chi = 0;
      for (let i = 0; i < NV; i++) {
        let count = 0;
        for (let r = 0; r < reps; r++) if (v[r * NV + i] === 1) count++;
        chi += (count - reps * pv[i]!) ** 2 / (reps * pv[i]! * (1 - pv[i]!));
      }
      expect(chi).toBeLessThan(18.47);
    }
  });

  it('pseudo-likelihood equals sum_i log p(v_i | v_-i) from the exact joint', () => {
    if (vu !== 'gaussian') {
      const all = allStates(NV, vu);
      const data = [all[3]!, all[9]!, all[14]!];
      const negF = (v: number[]): number => -freeEnergy(rbm, batch(Float64Array.from(v), rbm.nVisible))[0]!;
      let expected = 0;
      for (const v of data) {
        for (let i = 0; i < NV; i++) {
          const u = v.slice();
          u[i] = vu === 'spin' ? -v[i]! : 1 - v[i]!;
          expected += negF(v) - logSumExp([negF(v), negF(u)]);
        }
      }
      expect(pseudoLikelihood(rbm, batch(Float64Array.from(data.flat()), rbm.nVisible))).toBeCloseTo(
        expected / data.length,
        11,
      );
    } else {
      // p(v_i | v_-i) = sum_h exp(-E(v,h)) / sum_h integral dv_i exp(-E(v,h)); the integral is Gaussian:
      // -E is quadratic in v_i with curvature 1/sigma^2 and maximiser mu = a_i + (W h)_i.
      const data = vs.slice(0, 3);
      let expected = 0;
      for (const v of data) {
        for (let i = 0; i < NV; i++) {
          const num = hStates.map((h) => -bruteEnergy(rbm, v, h));
          const den = hStates.map((h) => {
            const s = rbm.visibleSigma![i]!;
            let wh = 0;
            for (let a = 0; a < NH; a++) wh += rbm.weights[i * NH + a]! * h[a]!;
            const u = v.slice();
            u[i] = rbm.visibleBias[i]! + wh;
            return -bruteEnergy(rbm, u, h) + 0.5 * Math.log(2 * Math.PI * s * s);
          });
          expected += logSumExp(num) - logSumExp(den);
        }
      }
      expect(pseudoLikelihood(rbm, batch(Float64Array.from(data.flat()), rbm.nVisible))).toBeCloseTo(
        expected / data.length,
        9,
      );
    }
  });

  it('reconstruction error is the MSE of the mean-field reconstruction; float32 models agree with float64', () => {
    const flat = Float64Array.from(vs.flat());
    const rec = visibleMeans(rbm, batch(hiddenMeans(rbm, batch(flat, rbm.nVisible)).data, rbm.nHidden)).data;
    let s = 0;
    for (let i = 0; i < flat.length; i++) s += (flat[i]! - rec[i]!) ** 2;
    expect(reconstructionError(rbm, batch(flat, rbm.nVisible))).toBeCloseTo(s / flat.length, 13);
    const r32 = convertRbm(rbm, 'float32');
    const m32 = hiddenMeans(r32, batch(Float32Array.from(flat), r32.nVisible)).data;
    const m64 = hiddenMeans(rbm, batch(flat, rbm.nVisible)).data;
    for (let i = 0; i < m64.length; i++) expect(Math.abs(m32[i]! - m64[i]!)).toBeLessThan(1e-6);
    expect(freeEnergy(r32, batch(flat, r32.nVisible))[0]).toBeCloseTo(
      freeEnergy(rbm, batch(flat, rbm.nVisible))[0]!,
      4,
    );
  });
});

describe('sampling reproducibility and errors', () => {
  it('the same seed gives bit-identical Gibbs steps', () => {
    const rbm = randomRbm(5, 4, ['spin', 'spin'], 3);
    const v = Float64Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const a = gibbsStep(rbm, batch(v, rbm.nVisible), createRng(7));
    const b = gibbsStep(rbm, batch(v, rbm.nVisible), createRng(7));
    expect(Array.from(a.visible.data)).toEqual(Array.from(b.visible.data));
    expect(Array.from(a.hidden.data)).toEqual(Array.from(b.hidden.data));
    expect([a.hidden.rows, a.hidden.cols, a.visible.rows, a.visible.cols]).toEqual([10, 4, 10, 5]);
  });

  it('rejects bad batches, arrays and values with typed errors naming the argument', () => {
    const rbm = randomRbm(4, 3, ['binary', 'binary'], 3);
    expect(() => hiddenMeans(rbm, { data: new Float64Array(7), rows: 2, cols: 4 })).toThrow(
      new ShapeError('hiddenMeans: v.data: expected 8 elements (2 x 4), received 7'),
    );
    expect(() => hiddenMeans(rbm, batch(new Float64Array(7), rbm.nVisible)).data).toThrow(
      /hiddenMeans: v.data/,
    );
    expect(() => hiddenMeans(rbm, batch(Float64Array.of(0, 1, Number.NaN, 0), rbm.nVisible)).data).toThrow(
      /hiddenMeans: v.data\[2\]/,
    );
    // another element type is converted to the model's (documented), not refused
    const f32 = Float32Array.of(0, 1, 1, 0);
    expect(hiddenMeans(rbm, batch(f32, 4)).data).toEqual(
      hiddenMeans(rbm, batch(Float64Array.from(f32), 4)).data,
    );
    expect(() =>
      hiddenMeans(rbm, batch(new Float64Array(4), rbm.nVisible), batch(new Float32Array(3), 3) as never),
    ).toThrow(DomainError);
    expect(
      () =>
        hiddenMeans(rbm, batch(new Float64Array(4), rbm.nVisible), batch(new Float64Array(2), rbm.nHidden))
          .data,
    ).toThrow(/out/);
    expect(() =>
      energy(rbm, batch(new Float64Array(8), rbm.nVisible), batch(new Float64Array(3), rbm.nHidden)),
    ).toThrow(/energy: h/);
    expect(() => pseudoLikelihood(rbm, batch(Float64Array.of(0, 1, 0.5, 0), rbm.nVisible))).toThrow(
      /pseudoLikelihood: v\[2\]/,
    );
    expect(() => freeEnergy({ ...rbm, nHidden: 0 }, batch(new Float64Array(4), 4))).toThrow(/rbm\.nHidden/);
    expect(() => freeEnergy({ ...rbm, weights: new Float64Array(5) }, batch(new Float64Array(4), 4))).toThrow(
      /rbm\.weights/,
    );
    expect(() =>
      reconstructionError(rbm, batch(new Float64Array(4), rbm.nVisible), { mode: 'stochastic' }),
    ).toThrow(/options\.rng/);
    expect(() => visibleProbabilities(randomRbm(4, 3, ['gaussian', 'spin'], 1), new Float64Array(3))).toThrow(
      /visibleUnits/,
    );
  });
});

describe('RBM front ends take a Matrix batch: swapped shapes throw, sampler spins feed the model', () => {
  const rbm = randomRbm(6, 4, ['spin', 'spin'], 11);
  const rng = createRng(12);
  const spins = Int8Array.from({ length: 4 * 6 }, () => (rng.uniform() < 0.5 ? 1 : -1));

  it('Int8Array spins (as samplers produce) give the same numbers as their Float64Array copy', () => {
    const v = matrix(spins, 4, 6);
    const vf = matrix(Float64Array.from(spins), 4, 6);
    const h = hiddenMeans(rbm, v);
    expect(h.data).toBeInstanceOf(Float64Array);
    expect([h.rows, h.cols]).toEqual([4, 4]);
    expect(h.data).toEqual(hiddenMeans(rbm, vf).data);
    expect(sampleHidden(rbm, v, createRng(3)).data).toEqual(sampleHidden(rbm, vf, createRng(3)).data);
    expect(freeEnergy(rbm, v)).toEqual(freeEnergy(rbm, vf));
    expect(pseudoLikelihood(rbm, v)).toBe(pseudoLikelihood(rbm, vf));
    expect(reconstructionError(rbm, v)).toBe(reconstructionError(rbm, vf));
    expect(visibleMeans(rbm, h).data).toEqual(visibleMeans(rbm, hiddenMeans(rbm, vf)).data);
  });

  it('a batch whose columns are not nVisible (swapped sizes) throws a ShapeError naming both sizes', () => {
    const swapped = matrix(Float64Array.from(spins), 6, 4); // 24 values read as 6 samples of 4
    expect(() => hiddenMeans(rbm, swapped)).toThrow(
      new ShapeError('hiddenMeans: v.cols: expected 6 (rbm.nVisible), received 4'),
    );
    expect(() => sampleHidden(rbm, swapped, rng)).toThrow(/sampleHidden: v.cols: expected 6/);
    expect(() => visibleMeans(rbm, matrix(new Float64Array(24), 4, 6))).toThrow(
      'visibleMeans: h.cols: expected 4 (rbm.nHidden), received 6',
    );
    expect(() => freeEnergy(rbm, swapped)).toThrow(/freeEnergy: v.cols/);
    expect(() => energy(rbm, matrix(spins, 4, 6), swapped)).toThrow(
      'energy: h: expected 4 rows like v, received 6 rows',
    );
    // the old flat call is refused instead of being read as rows of nVisible
    expect(() => hiddenMeans(rbm, Float64Array.from(spins) as never)).toThrow(
      /hiddenMeans: v: expected a Matrix \{ data, rows, cols \}/,
    );
  });
});
