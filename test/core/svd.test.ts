import { describe, expect, it } from 'vitest';
import { thinSvd, thinSvdReference } from '../../src/core/decompose.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import {
  bidiagonalizeTransposedKernel,
  bidiagonalQrKernel,
  bidiagonalVectorsKernel,
  setSvdQrFirstRatio,
} from '../../src/core/linalg/bidiagonal.js';
import { transposeKernel } from '../../src/core/linalg/util.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  logspace,
  matrixWithSingularValues,
  orthonormalityError,
  reconstructionError,
} from './linalg-fixtures.js';

function checkSvd(a: Float64Array, m: number, n: number): Float64Array {
  const copy = a.slice();
  const { u: U, s, v: V, rank } = thinSvd(matrix(a, m, n));
  const r = Math.min(m, n);
  expect(a).toEqual(copy);
  expect(rank).toBe(r);
  expect([U.rows, U.cols, V.rows, V.cols]).toEqual([m, r, n, r]);
  const u = U.data;
  const v = V.data;
  for (let j = 0; j < r; j++) {
    expect(s[j]!).toBeGreaterThanOrEqual(0);
    if (j > 0) expect(s[j]!).toBeLessThanOrEqual(s[j - 1]!);
  }
  expect(orthonormalityError(u, m, r)).toBeLessThan(1e-10);
  expect(orthonormalityError(v, n, r)).toBeLessThan(1e-10);
  expect(reconstructionError(a, m, n, u, s, v, r)).toBeLessThan(1e-10);
  for (let j = 0; j < r; j++) {
    let best = 0;
    for (let i = 0; i < m; i++) if (Math.abs(u[i * r + j]!) > Math.abs(best)) best = u[i * r + j]!;
    expect(best).toBeGreaterThan(0);
  }
  const ref = thinSvdReference(matrix(a, m, n)).s;
  for (let j = 0; j < r; j++)
    expect(Math.abs(s[j]! - ref[j]!)).toBeLessThanOrEqual(Math.max(1e-9 * ref[j]!, 1e-9 * ref[0]!, 1e-300));
  return s;
}

const shapes: [number, number][] = [
  [1, 1],
  [1, 4],
  [4, 1],
  [2, 2],
  [3, 3],
  [2, 3],
  [5, 3],
  [3, 5],
  [17, 17],
  [41, 23],
  [23, 41],
  [13, 10], // below the QR-first aspect ratio (1.5): direct bidiagonalisation
  [10, 13],
];

describe('thinSvd (bidiagonalisation + implicit-shift QR)', () => {
  it('random tall, wide and square matrices', () => {
    const rng = createRng(21);
    for (const [m, n] of shapes) checkSvd(rng.fillNormal(new Float64Array(m * n)), m, n);
  });

  it('rank-deficient matrices (rank 2, and zero)', () => {
    const rng = createRng(22);
    for (const [m, n] of shapes) {
      const r = Math.min(2, m, n);
      const s = checkSvd(matrixWithSingularValues(rng, m, n, [3, 1].slice(0, r)), m, n);
      for (let j = r; j < Math.min(m, n); j++) expect(s[j]!).toBeLessThan(1e-14);
    }
    const s0 = checkSvd(new Float64Array(12), 3, 4);
    expect(Array.from(s0)).toEqual([0, 0, 0]);
  });

  it('clustered (repeated) and ill-conditioned (cond 1e12) singular values', () => {
    const rng = createRng(23);
    for (const [m, n] of [
      [30, 20],
      [20, 30],
      [21, 21],
    ] as const) {
      const r = Math.min(m, n);
      const clustered = Array.from({ length: r }, (_, j) => (j < r / 2 ? 2 : 1));
      checkSvd(matrixWithSingularValues(rng, m, n, clustered), m, n);
      const ill = logspace(1, 1e-12, r);
      const s = checkSvd(matrixWithSingularValues(rng, m, n, ill), m, n);
      for (let j = 0; j < r; j++) expect(Math.abs(s[j]! - ill[j]!)).toBeLessThan(1e-13);
    }
  });

  it('exact small cases', () => {
    expect(Array.from(thinSvd(matrix(Float64Array.of(3, 0, 0, 4), 2, 2)).s)).toEqual([4, 3]);
    const one = thinSvd(matrix(Float64Array.of(-2), 1, 1));
    expect([one.u.data[0], one.s[0], one.v.data[0]]).toEqual([1, 2, -1]);
    const row = thinSvd(matrix(Float64Array.of(3, 4), 1, 2));
    expect(row.s[0]).toBeCloseTo(5, 14);
  });

  it('rejects bad input with typed errors', () => {
    const five = { data: new Float64Array(5), rows: 2, cols: 3 };
    expect(() => thinSvd(five)).toThrow(ShapeError);
    expect(() => thinSvd(five)).toThrow(/thinSvd: a.data: expected 6 elements \(2 x 3\), received 5/);
    expect(() => thinSvd(matrix(new Float64Array(0), 0, 3))).toThrow(DomainError);
    expect(() => thinSvd(matrix(Float64Array.of(1, Number.POSITIVE_INFINITY), 1, 2))).toThrow(
      /thinSvd: a.data\[1\]/,
    );
    // the flat positional call of the kernel tier is refused at the root
    expect(() => thinSvd(new Float64Array(6) as never)).toThrow(
      'thinSvd: a: expected a Matrix { data, rows, cols } (see matrix()), received Float64Array(6)',
    );
  });

  it('larger sizes across the 32-step panels, with and without QR first, odd shapes', () => {
    const rng = createRng(24);
    const previous = setSvdQrFirstRatio(1.5);
    try {
      for (const [m, n] of [
        [97, 65],
        [65, 97],
        [130, 33],
        [71, 71],
        [101, 70],
      ] as const) {
        const a = rng.fillNormal(new Float64Array(m * n));
        checkSvd(a, m, n);
        setSvdQrFirstRatio(Number.POSITIVE_INFINITY);
        checkSvd(a, m, n);
        setSvdQrFirstRatio(1.5);
      }
    } finally {
      setSvdQrFirstRatio(previous);
    }
  });

  it('clustered, rank-deficient and ill-conditioned spectra at panel-crossing sizes', () => {
    const rng = createRng(25);
    for (const [m, n] of [
      [90, 70],
      [70, 90],
      [75, 75],
    ] as const) {
      const r = Math.min(m, n);
      // a tight cluster (1e-12 apart) and a repeated value, well conditioned: inverse-iteration vectors
      const clustered = Array.from({ length: r }, (_, j) =>
        j < r / 3 ? 2 + 1e-12 * j : j < (2 * r) / 3 ? 1 : 0.5,
      );
      checkSvd(matrixWithSingularValues(rng, m, n, clustered), m, n);
      const ill = logspace(1, 1e-12, r);
      const s = checkSvd(matrixWithSingularValues(rng, m, n, ill), m, n);
      for (let j = 0; j < r; j++) expect(Math.abs(s[j]! - ill[j]!)).toBeLessThan(1e-13);
      const s2 = checkSvd(matrixWithSingularValues(rng, m, n, [5, 4, 3, 2, 1]), m, n);
      for (let j = 5; j < r; j++) expect(s2[j]!).toBeLessThan(1e-13);
    }
  });
});

describe('bidiagonal kernels', () => {
  function bidiagonalOf(a: Float64Array, m: number, n: number) {
    const at = transposeKernel(new Float64Array(m * n), a, m, n);
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    bidiagonalizeTransposedKernel(
      at,
      m,
      n,
      d,
      e,
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n * n),
    );
    const sigma = d.slice();
    bidiagonalQrKernel(sigma, e.slice(), n, null, 0, null);
    return { d, e, sigma };
  }

  it('blocked bidiagonalisation keeps the singular values (vs ml-matrix)', () => {
    const rng = createRng(26);
    for (const [m, n] of [
      [80, 80],
      [123, 77],
      [40, 33],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const { sigma } = bidiagonalOf(a, m, n);
      const ref = thinSvdReference(matrix(a, m, n)).s;
      for (let j = 0; j < n; j++) expect(Math.abs(sigma[j]! - ref[j]!)).toBeLessThan(1e-12 * ref[0]!);
    }
  });

  it('inverse iteration on T_GK: orthonormal vectors of B when well conditioned, declines otherwise', () => {
    const rng = createRng(27);
    const n = 70;
    const { d, e, sigma } = bidiagonalOf(rng.fillNormal(new Float64Array(100 * n)), 100, n);
    const ut = new Float64Array(n * n);
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      ut[i * n + i] = 1;
      vt[i * n + i] = 1;
    }
    expect(bidiagonalVectorsKernel(d, e, sigma, n, ut, n, vt)).toBe(true);
    expect(orthonormalityError(ut, n, n)).toBeLessThan(1e-12);
    expect(orthonormalityError(vt, n, n)).toBeLessThan(1e-12);
    // residual B v_j - sigma_j u_j, with U_B^T in the rows of ut and V_B^T in the rows of vt
    let worst = 0;
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const bv = d[i]! * vt[j * n + i]! + (i < n - 1 ? e[i]! * vt[j * n + i + 1]! : 0);
        worst = Math.max(worst, Math.abs(bv - sigma[j]! * ut[j * n + i]!));
      }
    expect(worst).toBeLessThan(1e-12 * sigma[0]!);
    // small clusters (pairs 1e-13 apart, a triple) are re-orthogonalised; a large one is declined
    const values = Array.from({ length: 60 }, (_, j) => 3 - j / 30);
    for (const j of [3, 10, 20, 41]) values[j + 1] = values[j]! - 1e-13;
    values[51] = values[50]!;
    values[52] = values[50]!;
    const small = bidiagonalOf(matrixWithSingularValues(rng, 90, 60, values), 90, 60);
    const us = new Float64Array(60 * 60);
    const vs = new Float64Array(60 * 60);
    for (let i = 0; i < 60; i++) {
      us[i * 60 + i] = 1;
      vs[i * 60 + i] = 1;
    }
    expect(bidiagonalVectorsKernel(small.d, small.e, small.sigma, 60, us, 60, vs)).toBe(true);
    expect(orthonormalityError(us, 60, 60)).toBeLessThan(1e-12);
    expect(orthonormalityError(vs, 60, 60)).toBeLessThan(1e-12);
    const big = bidiagonalOf(
      matrixWithSingularValues(
        rng,
        90,
        60,
        values.map((x, j) => (j < 30 ? 2 : x)),
      ),
      90,
      60,
    );
    expect(bidiagonalVectorsKernel(big.d, big.e, big.sigma, 60, us, 60, vs)).toBe(false);
    // smallest singular value below 1e-4 of the largest: declined, outputs untouched
    const ill = bidiagonalOf(matrixWithSingularValues(rng, 80, 60, logspace(1, 1e-8, 60)), 80, 60);
    const u2 = new Float64Array(60 * 60).fill(7);
    expect(bidiagonalVectorsKernel(ill.d, ill.e, ill.sigma, 60, u2, 60, new Float64Array(3600))).toBe(false);
    expect(u2.every((x) => x === 7)).toBe(true);
  });
});
