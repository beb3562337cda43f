import { describe, expect, it } from 'vitest';
import { chi2PerDofCritical, fitComparison, fitRejection } from '../../src/experiments/verdicts.js';

describe('fit verdicts: a fit its form does not describe is no measurement', () => {
  it('chi2PerDofCritical is the 1e-3 upper tail of chi^2/dof (tables: 16.266/3, 29.588/10, 59.703/30)', () => {
    // Wilson-Hilferty: 1.7% high at 3 dof, 0.6% at 10, 0.2% at 30
    expect(Math.abs(chi2PerDofCritical(3) / (16.266 / 3) - 1)).toBeLessThan(0.02);
    expect(Math.abs(chi2PerDofCritical(10) / (29.588 / 10) - 1)).toBeLessThan(0.007);
    expect(Math.abs(chi2PerDofCritical(30) / (59.703 / 30) - 1)).toBeLessThan(0.003);
  });

  it('accepts a good fit, rejects chi^2/dof beyond the tail, a failed fit and a fit without dof', () => {
    expect(fitRejection({ chi2PerDof: 0.9, points: 5 })).toBeUndefined();
    expect(fitRejection({ chi2PerDof: 27.2, points: 5 })).toMatch(
      /fit rejected: chi\^2\/dof = 27\.2 > 5\.5\d* \(p < 1e-3 for 3 dof\)/,
    );
    expect(fitRejection({ chi2PerDof: Number.NaN, points: 0, failure: 'non-positive G' })).toMatch(
      /fit failed \(non-positive G\)/,
    );
    expect(fitRejection({ chi2PerDof: 0, points: 2 })).toMatch(/no degree of freedom/);
  });

  it('a comparison on a rejected fit keeps the number but has no verdict; an accepted one is judged', () => {
    const fields = {
      quantity: 'Delta',
      measured: { mean: 0.98, error: 0.01 },
      reference: 1,
      source: 'exact',
    };
    const rejected = fitComparison(fields, [{ chi2PerDof: 27.2, points: 5 }], () => true);
    expect(rejected.agrees).toBeUndefined();
    expect(rejected.outOfRange).toMatch(/excluded from the verdict/);
    expect(rejected.measured.mean).toBe(0.98);
    const judged = fitComparison(
      fields,
      [{ chi2PerDof: 1.1, points: 5 }],
      (m) => Math.abs(m.mean - 1) < 0.03,
    );
    expect(judged).toMatchObject({ agrees: true });
    expect(judged.outOfRange).toBeUndefined();
    // every fit behind a difference must pass
    expect(
      fitComparison(
        fields,
        [
          { chi2PerDof: 1, points: 5 },
          { chi2PerDof: 40, points: 5 },
        ],
        () => true,
      ).agrees,
    ).toBeUndefined();
  });
});
