import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { symmetricEigen, symmetricEigenReference } from '../../src/core/decompose.js';
import { secularRootKernel, tridiagonalDivideConquerKernel } from '../../src/core/linalg/divideConquer.js';
import { tridiagonalizeKernel, tridiagonalQlKernel } from '../../src/core/linalg/tridiagonal.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import {
  frobenius,
  logspace,
  orthonormalityError,
  reconstructionError,
  symmetricWithSpectrum,
} from './linalg-fixtures.js';

const eps = Number.EPSILON;

/**
 * Divide and conquer on the tridiagonal (d0, e0) checked against QL eigenvalues, with residual
 * ||T q_j - lambda_j q_j|| and orthonormality of the columns, both scaled by n eps ||T||.
 */
function checkTridiagonal(d0: Float64Array, e0: Float64Array): void {
  const n = d0.length;
  const d = d0.slice();
  const e = e0.slice();
  const zt = new Float64Array(n * n).fill(Number.NaN);
  expect(tridiagonalDivideConquerKernel(d, e, n, zt)).toBe(true);
  const q = new Float64Array(n * n); // q[i * n + j]: component i of the eigenvector of d[j] (row j of zt)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] = zt[j * n + i]!;
  let norm = 0;
  for (let i = 0; i < n; i++)
    norm = Math.max(norm, Math.abs(d0[i]!) + (i > 0 ? Math.abs(e0[i - 1]!) : 0) + Math.abs(e0[i] ?? 0));
  const scale = n * eps * (norm || 1);
  for (let j = 1; j < n; j++) expect(d[j]!).toBeGreaterThanOrEqual(d[j - 1]!);
  let residual = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let r = (d0[i]! - d[j]!) * q[i * n + j]!;
      if (i > 0) r += e0[i - 1]! * q[(i - 1) * n + j]!;
      if (i < n - 1) r += e0[i]! * q[(i + 1) * n + j]!;
      residual = Math.max(residual, Math.abs(r));
    }
  }
  expect(residual).toBeLessThan(scale);
  expect(orthonormalityError(q, n, n)).toBeLessThan(n * eps);
  const ql = d0.slice();
  const eq = e0.slice();
  eq[n - 1] = 0;
  expect(tridiagonalQlKernel(ql, eq, null, n)).toBe(true);
  ql.sort();
  for (let j = 0; j < n; j++) expect(Math.abs(ql[j]! - d[j]!)).toBeLessThan(scale);
}

function constant(n: number, x: number): Float64Array {
  return new Float64Array(n).fill(x);
}

describe('tridiagonalDivideConquerKernel (Cuppen, Gu-Eisenstat)', () => {
  it('random tridiagonals below, at and above the QL leaf size', () => {
    const rng = createRng(61);
    for (const n of [1, 2, 5, 32, 33, 64, 97, 250]) {
      const d = rng.fillNormal(new Float64Array(n));
      const e = rng.fillNormal(new Float64Array(n));
      e[n - 1] = 0;
      checkTridiagonal(d, e);
    }
  });

  it('many equal or nearly equal eigenvalues: (1,2,1) Toeplitz, Wilkinson W21+, identity, zero couplings', () => {
    const toeplitzOffDiag = constant(200, 1);
    toeplitzOffDiag[199] = 0;
    checkTridiagonal(constant(200, 2), toeplitzOffDiag);
    for (const m of [10, 50, 100]) {
      const n = 2 * m + 1;
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = Math.abs(m - i);
      const e = constant(n, 1);
      e[n - 1] = 0;
      checkTridiagonal(d, e);
    }
    checkTridiagonal(constant(150, 1), new Float64Array(150)); // identity
    checkTridiagonal(new Float64Array(90), new Float64Array(90)); // zero matrix
    // identity blocks joined by small couplings, and a diagonal with repeats split by zero couplings
    const blocks = new Float64Array(300);
    for (let i = 0; i < 100; i++) blocks[i] = 1e-3;
    checkTridiagonal(constant(300, 1), blocks);
    const d = new Float64Array(200);
    const e = new Float64Array(200);
    for (let i = 0; i < 200; i++) d[i] = i % 3;
    for (let i = 0; i < 199; i++) e[i] = i % 7 === 0 ? 0 : 0.5;
    checkTridiagonal(d, e);
    // equal diagonal, couplings 1e-15 or 0: merges where every kept vector lies in one half
    const rng = createRng(64);
    for (const n of [96, 101, 141, 276]) {
      const u = rng.fillNormal(new Float64Array(n));
      const tiny = new Float64Array(n);
      for (let i = 0; i < n - 1; i++) tiny[i] = i % 3 === 0 ? 0 : 1e-15 * u[i]!;
      checkTridiagonal(constant(n, 1), tiny);
    }
    // one merge (n = 64) whose only kept vector comes from the bottom half: the top half's z is spread
    // (coupled block) and deflates at the tiny coupling 2.6e-15, the bottom half's is one entry 1/sqrt 2
    const n = 64;
    const dm = new Float64Array(n);
    const em = new Float64Array(n);
    for (let i = 0; i < 32; i++) {
      dm[i] = i === 0 ? 1 : 0.9 * Math.sin(i);
      em[i] = i < 31 ? 0.5 : 2.6e-15;
    }
    for (let i = 32; i < n; i++) dm[i] = 0.5 + 0.01 * (i - 32);
    checkTridiagonal(dm, em);
  });

  it('geometric spectra down to 1e-14 (tridiagonalised, and graded), and scaling by 1e150 / 1e-150', () => {
    const rng = createRng(62);
    for (const n of [70, 200]) {
      const a = symmetricWithSpectrum(rng, logspace(1, 1e-14, n));
      const d = new Float64Array(n);
      const e = new Float64Array(n);
      tridiagonalizeKernel(a, n, d, e, new Float64Array(n));
      checkTridiagonal(d, e);
      const graded = Float64Array.from(logspace(1, 1e-14, n));
      const ge = new Float64Array(n);
      for (let i = 0; i < n - 1; i++) ge[i] = 0.5 * Math.sqrt(graded[i]! * graded[i + 1]!);
      checkTridiagonal(graded, ge);
    }
    for (const s of [1e150, 1e-150]) {
      const d = rng.fillNormal(new Float64Array(100)).map((x) => x * s);
      const e = rng.fillNormal(new Float64Array(100)).map((x) => x * s);
      e[99] = 0;
      checkTridiagonal(d, e);
    }
  });

  it('secular equation roots interlace the poles and satisfy the equation', () => {
    const d = Float64Array.of(-1, 0, 1e-12, 2, 5);
    const z = Float64Array.of(0.5, 0.1, 1e-3, 0.7, 0.4);
    const rho = 1.5;
    const k = d.length;
    const res = new Float64Array(2);
    const roots: number[] = [];
    for (let j = 0; j < k; j++) {
      expect(secularRootKernel(k, d, z, rho, j, res)).toBe(true);
      const origin = res[0]!;
      const tau = res[1]!;
      // 1/rho + sum z_i^2 / ((d_i - d_origin) - tau) = 0 to working precision
      let f = 1 / rho;
      let size = 1 / rho;
      for (let i = 0; i < k; i++) {
        const t = (z[i]! * z[i]!) / (d[i]! - d[origin]! - tau);
        f += t;
        size += Math.abs(t);
      }
      expect(Math.abs(f)).toBeLessThan(100 * eps * size);
      roots.push(d[origin]! + tau);
    }
    let zz = 0;
    for (let i = 0; i < k; i++) zz += z[i]! * z[i]!;
    for (let j = 0; j < k; j++) {
      expect(roots[j]!).toBeGreaterThan(d[j]!);
      expect(roots[j]!).toBeLessThan(j + 1 < k ? d[j + 1]! : d[k - 1]! + rho * zz);
    }
  });
});

describe('symmetricEigen through divide and conquer', () => {
  it('covariance of data with feature scales exp(-j/25) (spectrum 1 to 1e-12) matches ml-matrix', () => {
    const rng = createRng(63);
    const rows = 1000;
    const dim = 300;
    const x = rng.fillNormal(new Float64Array(rows * dim));
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < dim; j++) x[i * dim + j] = x[i * dim + j]! * Math.exp(-j / 25) + 0.5;
    const cov = covarianceMatrix(matrix(x, rows, dim)).matrix;
    const { values, vectors } = symmetricEigen(cov, dim);
    expect(orthonormalityError(vectors, dim, dim)).toBeLessThan(1e-10);
    expect(reconstructionError(cov, dim, dim, vectors, values, vectors, dim)).toBeLessThan(1e-10);
    const ref = symmetricEigenReference(cov, dim).values;
    const scale = frobenius(cov);
    for (let j = 0; j < dim; j++)
      expect(Math.abs(values[j]! - ref[j]!)).toBeLessThanOrEqual(
        Math.max(1e-9 * Math.abs(ref[j]!), 1e-9 * scale),
      );
  });
});
