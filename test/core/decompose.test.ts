import { describe, expect, it } from 'vitest';
import { symmetricEigen, thinSvd } from '../../src/core/decompose.js';
import { createRng } from '../../src/core/rng.js';

describe('decompose (ml-matrix adapter)', () => {
  it('symmetric eigen: A v = lambda v, descending, orthonormal', () => {
    const rng = createRng(2);
    const n = 12;
    const x = rng.fillNormal(new Float64Array(n * n));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j]! + x[j * n + i]!;
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let p = 0; p < n; p++) av += a[i * n + p]! * vectors[p * n + j]!;
        expect(av).toBeCloseTo(values[j]! * vectors[i * n + j]!, 10);
      }
    }
  });

  it('thin SVD reconstructs tall and wide matrices to 1e-10', () => {
    const rng = createRng(3);
    for (const [m, n] of [
      [9, 4],
      [4, 9],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const { u, s, v, rank } = thinSvd(a, m, n);
      expect(rank).toBe(4);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let r = 0;
          for (let q = 0; q < rank; q++) r += u[i * rank + q]! * s[q]! * v[j * rank + q]!;
          expect(Math.abs(r - a[i * n + j]!)).toBeLessThan(1e-10);
        }
    }
  });
});
