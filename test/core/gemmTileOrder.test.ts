import { describe, expect, it } from 'vitest';
import { gemmWasmKernel } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';

/**
 * The WebAssembly GEMM's sums, written out one C element at a time: over depth in blocks of 256, each
 * block's products summed in ascending depth from +0 (multiply, round, add, round: no fused multiply-add),
 * then C = alpha t + beta C0 for the first block (alpha t when beta = 0: C0 is not read) and
 * C = alpha t + C for each later block. `round` is Math.fround for float32 (an exact model: each
 * float64 operation on float32 values then rounded to float32 is the correctly rounded float32
 * operation), the identity for float64. This order is independent of the micro-tile shape (MR x NR) and of
 * the packing, so every tile must reproduce it bit for bit, as the 4 x 4 / 4 x 8 tiles did before.
 */
function modelGemm(
  round: (x: number) => number,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: ArrayLike<number>,
  lda: number,
  b: ArrayLike<number>,
  ldb: number,
  beta: number,
  c: ArrayLike<number>,
  ldc: number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let cij = c[i * ldc + j]!;
      for (let p0 = 0; p0 < k; p0 += 256) {
        let t = 0;
        for (let p = p0; p < Math.min(k, p0 + 256); p++) {
          const aip = transA ? a[p * lda + i]! : a[i * lda + p]!;
          const bpj = transB ? b[j * ldb + p]! : b[p * ldb + j]!;
          t = round(t + round(aip * bpj));
        }
        const at = round(alpha * t);
        cij = p0 > 0 ? round(at + cij) : beta === 0 ? at : round(at + round(beta * cij));
      }
      out[i * n + j] = cij;
    }
  }
  return out;
}

describe('WebAssembly GEMM micro-tiles: the per-element summation order', () => {
  // m, n, k multiples of no tile size (1, 2, 4, 8) and k across 1, 2 and more than 8 depth blocks (the
  // module's depth chunk is 2048); n = 4 (float64: only the 2 x 4 tile) and m, n past the module's row
  // and column chunks (256, 1024); alpha and beta exactly representable in float32
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 13, 7],
    [37, 29, 531],
    [19, 41, 259],
    [5, 11, 2311],
    [67, 9, 255],
    [7, 4, 600],
    [261, 1030, 3],
  ];
  const scalars: [number, number][] = [
    [1, 0],
    [-1.25, 0],
    [1, 1],
    [0.5, -0.75],
    [3, 2],
  ];
  for (const [T, round] of [
    [Float32Array, Math.fround],
    [Float64Array, (x: number) => x],
  ] as const) {
    it(`${T.name}: every element bit-identical to the written-out order (odd shapes, transposes, alpha/beta)`, () => {
      const rng = createRng(`gemm-tile-order-${T.name}`);
      let checked = 0;
      for (const [m, n, k] of shapes) {
        for (let s = 0; s < scalars.length; s++) {
          const [alpha, beta] = scalars[s]!;
          const transA = (s & 1) === 1;
          const transB = (s & 2) === 2 || (m === 37 && s === 0);
          const lda = transA ? m : k;
          const ldb = transB ? k : n;
          const a = rng.fillNormal(new T(m * k));
          const b = rng.fillNormal(new T(k * n));
          const c = rng.fillNormal(new T(m * n));
          if (beta === 0) c.fill(Number.NaN); // beta = 0 overwrites C without reading it
          const want = modelGemm(round, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
          gemmWasmKernel(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n);
          for (let e = 0; e < m * n; e++) {
            if (!Object.is(c[e], want[e])) {
              throw new Error(
                `${T.name} m ${m} n ${n} k ${k} alpha ${alpha} beta ${beta} transA ${transA} transB ${transB}: ` +
                  `element ${e} is ${c[e]}, the written-out order gives ${want[e]}`,
              );
            }
          }
          checked += m * n;
        }
      }
      expect(checked).toBe(5 * (1 + 39 + 1073 + 779 + 55 + 603 + 28 + 268830));
    });
  }
});
