import { describe, expect, it } from 'vitest';
import { directionComparison, readingComparison } from '../../src/experiments/verdicts.js';
import { flowDirection } from '../../src/rg/flowLevels.js';
import { beyond, level } from '../rg/flowLevelFixtures.js';

describe('comparisons resting on an out-of-range reading are not judged', () => {
  const fields = { quantity: 'q', reference: Number.NaN, source: 's', expectation: 'flows up' };

  it('directionComparison: agrees/disagrees in range; out of range: no verdict, said in words', () => {
    const up = flowDirection([level(2, 0.01), level(3, 0.01, 1)]);
    expect(directionComparison(fields, up, 'up').agrees).toBe(true);
    expect(directionComparison(fields, up, 'down').agrees).toBe(false);
    const out = directionComparison(fields, flowDirection([level(2.6, 0.01), beyond('above', 10, 2)]), 'up');
    expect(out.agrees).toBeUndefined();
    expect(out.agrees === true).toBe(false);
    expect(out.outOfRange).toBe('T(level 2) > 10 (beyond grid): excluded from the verdict');
    expect(Number.isNaN(out.measured.mean)).toBe(true);
  });

  it('readingComparison: a fixed point beyond the grid is neither near Tc nor far from it', () => {
    const near = (m: { mean: number }) => Math.abs(m.mean - 2.27) < 0.1;
    const inside = readingComparison(fields, { inRange: true, temperature: 2.3, error: 0.01 }, near);
    expect(inside).toMatchObject({ measured: { mean: 2.3, error: 0.01 }, agrees: true });
    // even a judge that accepts everything cannot make an out-of-range reading agree
    const outside = readingComparison(fields, { inRange: false, bound: 'above', edge: 6 }, () => true);
    expect(outside.agrees).toBeUndefined();
    expect(outside.outOfRange).toBe('T > 6 (beyond grid): excluded from the verdict');
  });
});
