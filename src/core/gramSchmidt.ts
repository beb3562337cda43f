/**
 * Orthonormal bases by modified Gram-Schmidt, applied twice ("twice is enough"): the basis of a column
 * space used by subspace overlaps (spectral) and by the end-to-end modes of an autoencoder (models).
 * @module
 */
import { checkAllFinite, checkInteger, domainError, shapeError } from './validate.js';

/**
 * Orthonormal basis of the column space of a d x k matrix by modified Gram-Schmidt applied twice
 * (numerically orthogonal to rounding). Returns a new d x k matrix. O(d k^2).
 * @throws ShapeError on a bad length or k > d; DomainError if the columns are linearly dependent
 *   (a column's norm drops below 1e-10 of its original norm).
 */
export function orthonormalColumns(
  a: ArrayLike<number>,
  d: number,
  k: number,
  name = 'orthonormalColumns: a',
): Float64Array {
  checkInteger(d, 'orthonormalColumns: d', 1);
  checkInteger(k, 'orthonormalColumns: k', 1);
  if (k > d) throw shapeError(name, `at most d = ${d} columns`, `${k} columns`);
  if (!a || a.length !== d * k) throw shapeError(name, `${d * k} values (d x k)`, `length ${a?.length}`);
  checkAllFinite(a, name);
  const q = Float64Array.from(a);
  for (let j = 0; j < k; j++) {
    let norm0 = 0;
    for (let i = 0; i < d; i++) norm0 += q[i * k + j]! ** 2;
    norm0 = Math.sqrt(norm0);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += q[i * k + p]! * q[i * k + j]!;
        for (let i = 0; i < d; i++) q[i * k + j]! -= dot * q[i * k + p]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += q[i * k + j]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-10 * norm0) || norm0 === 0) {
      throw domainError(`${name} column ${j}`, 'linearly independent columns', 'a dependent column');
    }
    for (let i = 0; i < d; i++) q[i * k + j]! /= norm;
  }
  return q;
}
