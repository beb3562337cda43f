/** Test matrices and residual norms shared by the decomposition tests (eigen, svd, randomized). */
import { qrOrthonormalize } from '../../src/core/linalg/qr.js';
import type { Rng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';

/** Random m x k matrix with orthonormal columns. */
export function randomOrthonormal(rng: Rng, m: number, k: number): Float64Array {
  return qrOrthonormalize(matrix(rng.fillNormal(new Float64Array(m * k)), m, k)).data;
}

/** Symmetric n x n matrix Q diag(values) Q^T with a random orthogonal Q. */
export function symmetricWithSpectrum(rng: Rng, values: readonly number[]): Float64Array {
  const n = values.length;
  const q = randomOrthonormal(rng, n, n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += q[i * n + p]! * values[p]! * q[j * n + p]!;
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  return a;
}

/** m x n matrix U diag(s) V^T with random orthonormal U, V; s.length <= min(m, n). */
export function matrixWithSingularValues(rng: Rng, m: number, n: number, s: readonly number[]): Float64Array {
  const r = s.length;
  const u = randomOrthonormal(rng, m, r);
  const v = randomOrthonormal(rng, n, r);
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let p = 0; p < r; p++) x += u[i * r + p]! * s[p]! * v[j * r + p]!;
      a[i * n + j] = x;
    }
  return a;
}

/** Random symmetric n x n matrix (X + X^T) / 2. */
export function randomSymmetric(rng: Rng, n: number): Float64Array {
  const x = rng.fillNormal(new Float64Array(n * n));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (x[i * n + j]! + x[j * n + i]!);
  return a;
}

export function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** max |(Q^T Q - I)_ij| for a row-major m x k matrix Q. */
export function orthonormalityError(q: ArrayLike<number>, m: number, k: number): number {
  let worst = 0;
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += q[i * k + a]! * q[i * k + b]!;
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  return worst;
}

/** ||A - U diag(s) V^T||_F / ||A||_F (absolute if A = 0). */
export function reconstructionError(
  a: ArrayLike<number>,
  m: number,
  n: number,
  u: ArrayLike<number>,
  s: ArrayLike<number>,
  v: ArrayLike<number>,
  r: number,
): number {
  let err = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let p = 0; p < r; p++) x += u[i * r + p]! * s[p]! * v[j * r + p]!;
      err += (x - a[i * n + j]!) ** 2;
    }
  const norm = frobenius(a);
  return Math.sqrt(err) / (norm > 0 ? norm : 1);
}

/** Geometric sequence from `first` to `last` with `count` terms. */
export function logspace(first: number, last: number, count: number): number[] {
  if (count === 1) return [first];
  return Array.from({ length: count }, (_, i) => first * (last / first) ** (i / (count - 1)));
}
