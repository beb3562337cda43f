import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { createRbm } from '../../src/models/init.js';
import {
  aisLogPartition,
  aisLogWeights,
  exactLogPartition,
  exactNllGradient,
  logLikelihood,
  summarizeAisWeights,
} from '../../src/models/partition.js';
import { freeEnergy } from '../../src/models/rbm.js';
import type { Rbm } from '../../src/models/types.js';
import { batch } from './batch.js';
import { allStates, bruteEnergy, COMBOS, logSumExp, randomRbm } from './rbmBrute.js';

/** log Z summing exp(-E) over every (v, h) pair. */
function bruteLogZ(rbm: Rbm): number {
  const terms: number[] = [];
  for (const v of allStates(rbm.nVisible, rbm.visibleUnits)) {
    for (const h of allStates(rbm.nHidden, rbm.hiddenUnits)) terms.push(-bruteEnergy(rbm, v, h));
  }
  return logSumExp(terms);
}

/** log Z of a 2-visible Gaussian RBM by trapezoid quadrature over v on a wide fine grid. */
function quadratureLogZ(rbm: Rbm): number {
  const n = 800;
  const lo = -16;
  const d = (2 * -lo) / n;
  const grid = new Float64Array((n + 1) * (n + 1) * 2);
  for (let p = 0; p <= n; p++) {
    for (let q = 0; q <= n; q++) {
      grid[2 * (p * (n + 1) + q)] = lo + p * d;
      grid[2 * (p * (n + 1) + q) + 1] = lo + q * d;
    }
  }
  const f = freeEnergy(rbm, batch(grid, rbm.nVisible));
  const terms: number[] = [];
  for (let p = 0; p <= n; p++) {
    for (let q = 0; q <= n; q++) {
      const w = (p === 0 || p === n ? 0.5 : 1) * (q === 0 || q === n ? 0.5 : 1);
      terms.push(Math.log(w * d * d) - f[p * (n + 1) + q]!);
    }
  }
  return logSumExp(terms);
}

describe('exactLogPartition', () => {
  for (const combo of COMBOS.filter(([v]) => v !== 'gaussian')) {
    it(`equals brute-force enumeration over both layers (${combo.join('/')}), enumerating either layer`, () => {
      const narrow = randomRbm(3, 5, combo, 21, 0.9); // enumerates the visible layer
      const wide = randomRbm(6, 4, combo, 22, 0.9); // enumerates the hidden layer
      expect(Math.abs(exactLogPartition(narrow) - bruteLogZ(narrow))).toBeLessThan(1e-10);
      expect(Math.abs(exactLogPartition(wide) - bruteLogZ(wide))).toBeLessThan(1e-10);
    });
  }

  for (const combo of COMBOS.filter(([v]) => v === 'gaussian')) {
    it(`equals the integral over v by quadrature for Gaussian visible units (${combo[1]} hidden)`, () => {
      const rbm = randomRbm(2, 3, combo, 23, 0.8);
      expect(Math.abs(exactLogPartition(rbm) - quadratureLogZ(rbm))).toBeLessThan(1e-8);
    });
  }

  it('normalises the likelihood: sum_v exp(log p(v)) = 1', () => {
    const rbm = randomRbm(5, 4, ['binary', 'spin'], 24);
    const logZ = exactLogPartition(rbm);
    const total = allStates(5, 'binary').reduce(
      (s, v) => s + Math.exp(logLikelihood(rbm, batch(v, rbm.nVisible), logZ)),
      0,
    );
    expect(total).toBeCloseTo(1, 12);
  });

  it('is stable for large weights and refuses layers that are too large to enumerate', () => {
    const rbm = randomRbm(4, 3, ['spin', 'spin'], 25, 200);
    expect(Math.abs(exactLogPartition(rbm) - bruteLogZ(rbm))).toBeLessThan(1e-9);
    const big = randomRbm(31, 32, ['spin', 'spin'], 1, 0.1);
    expect(() => exactLogPartition(big)).toThrow(DomainError);
  });
});

describe('aisLogWeights and summarizeAisWeights', () => {
  it('compose to aisLogPartition exactly; the summary validates its input', () => {
    const rbm = createRbm({ nVisible: 6, nHidden: 4, rng: createRng(8) });
    const whole = aisLogPartition(rbm, { rng: createRng(9), chains: 12, betas: 50 });
    const { logWeights, logZBase } = aisLogWeights(rbm, { rng: createRng(9), chains: 12, betas: 50 });
    expect(summarizeAisWeights(logWeights, logZBase)).toEqual(whole);
    expect(() => summarizeAisWeights(new Float64Array(0), 0)).toThrow(
      'summarizeAisWeights: logWeights: expected a non-empty Float64Array, received 0',
    );
    expect(() => summarizeAisWeights(logWeights, Number.NaN)).toThrow(DomainError);
    expect(() => aisLogWeights(rbm, null as never)).toThrow(
      'aisLogWeights: options: expected an options object',
    );
  });
});

describe('aisLogPartition', () => {
  for (const combo of COMBOS) {
    it(`is within 3 standard errors of the exact log Z on a 12 x 10 model (${combo.join('/')})`, () => {
      const rbm = randomRbm(12, 10, combo, 31, 0.35);
      const exact = exactLogPartition(rbm);
      const ais = aisLogPartition(rbm, { rng: createRng(32), chains: 64, betas: 1500 });
      expect(ais.logZStdErr).toBeGreaterThan(0);
      expect(ais.logZStdErr).toBeLessThan(0.1);
      expect(Math.abs(ais.logZ - exact)).toBeLessThan(3 * ais.logZStdErr);
      expect(ais.logZLower).toBeLessThan(exact);
      expect(ais.logZUpper).toBeGreaterThan(exact);
    });
  }

  it('is reproducible and validates its schedule', () => {
    const rbm = randomRbm(6, 5, ['binary', 'binary'], 33);
    const a = aisLogPartition(rbm, { rng: createRng(1), chains: 8, betas: 50 });
    const b = aisLogPartition(rbm, { rng: createRng(1), chains: 8, betas: 50 });
    expect(a.logZ).toBe(b.logZ);
    expect(() => aisLogPartition(rbm, { rng: createRng(1), betas: [0, 0.5, 0.4, 1] })).toThrow(/betas\[2\]/);
    expect(() => aisLogPartition(rbm, { rng: createRng(1), chains: 0 })).toThrow(/options\.chains/);
  });
});

describe('exactNllGradient', () => {
  for (const combo of COMBOS) {
    it(`matches central finite differences of the exact log-likelihood (${combo.join('/')}, rel. err < 1e-6)`, () => {
      const rbm = randomRbm(4, 3, combo, 41, 0.6);
      const rng = createRng(42);
      const data =
        combo[0] === 'gaussian'
          ? Array.from({ length: 5 * 4 }, () => 1.5 * rng.normal())
          : Array.from({ length: 5 * 4 }, () => (rng.uniform() < 0.5 ? 1 : combo[0] === 'spin' ? -1 : 0));
      const nll = (m: Rbm): number => -logLikelihood(m, batch(data, m.nVisible), exactLogPartition(m));
      const g = exactNllGradient(rbm, data);
      const fields = [
        'weights',
        'visibleBias',
        'hiddenBias',
        ...(combo[0] === 'gaussian' ? ['visibleSigma'] : []),
      ] as const;
      const h = 1e-5;
      let num2 = 0;
      let err2 = 0;
      for (const f of fields) {
        const arr = rbm[f as 'weights']!;
        const grad = g[f as 'weights']!;
        expect(grad.length).toBe(arr.length);
        for (let i = 0; i < arr.length; i++) {
          const x = arr[i]!;
          arr[i] = x + h;
          const up = nll(rbm);
          arr[i] = x - h;
          const down = nll(rbm);
          arr[i] = x;
          const fd = (up - down) / (2 * h);
          num2 += fd * fd;
          err2 += (fd - grad[i]!) ** 2;
        }
      }
      expect(Math.sqrt(err2 / num2)).toBeLessThan(1e-6);
    });
  }
});
