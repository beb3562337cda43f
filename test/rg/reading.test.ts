import { describe, expect, it } from 'vitest';
import {
  formatReading,
  inRangeReading,
  outOfRangeReading,
  plainReading,
  type TemperatureReading,
} from '../../src/rg/reading.js';

describe('temperature readings', () => {
  it("format: mean ± error to the error's second significant digit, bounds as beyond the grid", () => {
    expect(formatReading(inRangeReading(2.2691, 0.0031))).toBe('2.2691 ± 0.0031');
    expect(formatReading(inRangeReading(2.269185, 0.013))).toBe('2.269 ± 0.013');
    expect(formatReading(inRangeReading(2.5, Number.NaN))).toBe('2.5000');
    expect(formatReading(outOfRangeReading('above', 10))).toBe('> 10 (beyond grid)');
    expect(formatReading(outOfRangeReading('below', 0.5))).toBe('< 0.5 (beyond grid)');
    expect(formatReading(outOfRangeReading('above', 3 + 10 * 0.1))).toBe('> 4 (beyond grid)');
  });

  it('plainReading drops extra fields and keeps the discriminant', () => {
    const rich = { ...inRangeReading(2, 0.1), perConfiguration: new Float64Array(3) };
    expect(plainReading(rich)).toEqual({ inRange: true, temperature: 2, error: 0.1 });
    const out: TemperatureReading = { ...outOfRangeReading('below', 1), ...{ extra: 1 } };
    expect(plainReading(out)).toEqual({ inRange: false, bound: 'below', edge: 1 });
    // plain JSON round trip
    expect(JSON.parse(JSON.stringify(plainReading(out)))).toEqual({
      inRange: false,
      bound: 'below',
      edge: 1,
    });
  });
});
