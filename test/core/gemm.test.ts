import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { gemm, gemmKernel } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';

function naive(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  return c;
}

describe('gemm', () => {
  it('matches the naive triple loop for every transpose combination and odd sizes', () => {
    const rng = createRng(1);
    for (const [m, n, k] of [
      [1, 1, 1],
      [3, 5, 7],
      [17, 9, 33],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * k));
      const b = rng.fillNormal(new Float64Array(k * n));
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          // A stored m x k (k x m transposed), B stored k x n (n x k transposed)
          const A = transA ? matrix(a, k, m) : matrix(a, m, k);
          const B = transB ? matrix(b, n, k) : matrix(b, k, n);
          const c = gemm(null, A, B, { transA, transB });
          expect([c.rows, c.cols]).toEqual([m, n]);
          const ref = naive(transA, transB, m, n, k, a, b);
          for (let i = 0; i < c.data.length; i++) expect(c.data[i]).toBeCloseTo(ref[i]!, 12);
        }
    }
  });

  it('applies alpha and beta, with offsets and leading dimensions', () => {
    const a = Float64Array.of(9, 1, 2, 3, 4); // offset 1, 2x2
    const b = Float64Array.of(1, 0, 0, 1);
    const c = Float64Array.of(1, 1, 1, 1);
    gemmKernel(false, false, 2, 2, 2, 2, a, 1, 2, b, 0, 2, 3, c, 0, 2);
    expect(Array.from(c)).toEqual([5, 7, 9, 11]);
  });

  it('rejects wrong shapes and aliasing', () => {
    const a = matrix(new Float64Array(6), 2, 3);
    expect(() => gemm(null, a, { data: new Float64Array(5), rows: 3, cols: 2 })).toThrow(ShapeError);
    expect(() => gemm(matrix(a.data, 3, 2), a, matrix(new Float64Array(9), 3, 3))).toThrow(
      /gemm: out.rows: expected 2 \(the rows of op\(a\), a.rows\), received 3/,
    );
    expect(() => gemm(matrix(a.data.subarray(0, 6), 2, 3), a, matrix(new Float64Array(9), 3, 3))).toThrow(
      /gemm: out: expected an array that does not share memory/,
    );
  });
});
