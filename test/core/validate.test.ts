import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { checkAllFinite } from '../../src/core/validate.js';

describe('checkAllFinite', () => {
  it('names the first non-finite element of every float type, at any position', () => {
    for (const Ctor of [Float64Array, Float32Array]) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (const at of [0, 5, 9]) {
          const a = new Ctor(10).fill(0.25);
          a[at] = bad;
          if (at < 9) a[9] = Number.NaN; // a later bad element is not the one reported
          expect(() => checkAllFinite(a, 'f: x')).toThrow(DomainError);
          expect(() => checkAllFinite(a, 'f: x')).toThrow(
            `f: x[${at}]: expected a finite number, received ${Number.isNaN(bad) ? 'NaN' : String(bad)}`,
          );
        }
      }
      // the extremes of each type are finite
      const ok = Ctor.of(0, -0, Ctor === Float32Array ? 3.4028234663852886e38 : Number.MAX_VALUE, 5e-324);
      expect(() => checkAllFinite(ok, 'f: x')).not.toThrow();
    }
  });

  it('accepts integer typed arrays as they are, and checks plain arrays element by element', () => {
    for (const Ctor of [
      Int8Array,
      Uint8Array,
      Uint8ClampedArray,
      Int16Array,
      Uint16Array,
      Int32Array,
      Uint32Array,
    ])
      expect(() => checkAllFinite(new Ctor(3).fill(1), 'f: x')).not.toThrow();
    expect(() => checkAllFinite([1, 2, 3], 'f: x')).not.toThrow();
    expect(() => checkAllFinite([1, Number.NaN], 'f: x')).toThrow(
      'f: x[1]: expected a finite number, received NaN',
    );
    expect(() => checkAllFinite([1, '2' as unknown as number], 'f: x')).toThrow(
      'f: x[1]: expected a finite number, received "2"',
    );
    expect(() => checkAllFinite(BigInt64Array.of(1n) as unknown as ArrayLike<number>, 'f: x')).toThrow(
      DomainError,
    );
    expect(() => checkAllFinite(new Float64Array(0), 'f: x')).not.toThrow();
  });
});
