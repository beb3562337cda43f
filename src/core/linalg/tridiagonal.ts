/**
 * Symmetric eigen-decomposition by Householder tridiagonalisation followed by the implicit QL algorithm
 * with Wilkinson-type shifts (Golub & Van Loan, Matrix Computations, 4th ed., sections 8.3.1 and 8.3.5;
 * the QL variant follows EISPACK tql2). Memory layout is chosen so that every O(n^3) inner loop runs over
 * contiguous rows: the reduction works on the upper triangle (row k's tail is column k's sub-diagonal
 * part), and rotations are accumulated into the rows of Q^T.
 * @module
 */
import { fixColumnSigns, hypotenuse } from './util.js';

/**
 * Reduce the symmetric matrix held in the upper triangle of `a` (n x n, row-major, overwritten) to
 * tridiagonal form T = Q^T A Q. On return `diag` (n) and `offDiag` (n; offDiag[i] = T[i, i+1],
 * offDiag[n-1] = 0) hold T, and row k of `a` holds the Householder vector v_k in columns k+1..n-1
 * (v_k[k+1] = 1) with its scale in `tau[k]`, H_k = I - tau_k v_k v_k^T. Cost 4/3 n^3 flops.
 */
export function tridiagonalizeKernel(
  a: Float64Array,
  n: number,
  diag: Float64Array,
  offDiag: Float64Array,
  tau: Float64Array,
): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  tau.fill(0);
  for (let k = 0; k < n - 2; k++) {
    const off = k * n;
    const alpha = a[off + k + 1]!;
    let xnorm2 = 0;
    let scale = 0;
    for (let j = k + 2; j < n; j++) scale = Math.max(scale, Math.abs(a[off + j]!));
    diag[k] = a[off + k]!;
    if (scale === 0) {
      offDiag[k] = alpha;
      tau[k] = 0;
      a[off + k + 1] = 1;
      continue;
    }
    scale = Math.max(scale, Math.abs(alpha));
    for (let j = k + 2; j < n; j++) {
      const x = a[off + j]! / scale;
      xnorm2 += x * x;
    }
    const as = alpha / scale;
    const beta = (as >= 0 ? -1 : 1) * scale * Math.sqrt(as * as + xnorm2);
    const t = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    v[k + 1] = 1;
    a[off + k + 1] = 1;
    for (let j = k + 2; j < n; j++) {
      const x = a[off + j]! * inv;
      a[off + j] = x;
      v[j] = x;
    }
    offDiag[k] = beta;
    tau[k] = t;
    // p = tau * A22 v from the upper triangle of A22 (rows/cols k+1..n-1)
    p.fill(0, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vi = v[i]!;
      let s = a[ri + i]! * vi;
      for (let j = i + 1; j < n; j++) {
        const aij = a[ri + j]!;
        s += aij * v[j]!;
        p[j] += aij * vi;
      }
      p[i] += s;
    }
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      p[i] *= t;
      pv += p[i]! * v[i]!;
    }
    // w = p - (tau/2)(p.v) v, stored in p
    const half = 0.5 * t * pv;
    for (let i = k + 1; i < n; i++) p[i] -= half * v[i]!;
    // A22 -= v w^T + w v^T (upper triangle)
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = i; j < n; j++) a[ri + j] -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    diag[n - 2] = a[(n - 2) * n + n - 2]!;
    offDiag[n - 2] = a[(n - 2) * n + n - 1]!;
  }
  diag[n - 1] = a[(n - 1) * n + n - 1]!;
  offDiag[n - 1] = 0;
}

/**
 * Form Q = H_0 H_1 ... H_{n-3} (n x n, row-major) from the output of {@link tridiagonalizeKernel} by
 * backward accumulation. `q` must not alias `a`. Cost 4/3 n^3 flops.
 */
export function formTridiagonalQKernel(q: Float64Array, a: Float64Array, n: number, tau: Float64Array): void {
  q.fill(0);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const w = new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const t = tau[k]!;
    if (t === 0) continue;
    const off = k * n;
    // w^T = v^T Q[k+1:, k+1:]  (only columns k+1.. are non-trivial)
    w.fill(0, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const vi = a[off + i]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) w[j] += vi * q[ri + j]!;
    }
    for (let i = k + 1; i < n; i++) {
      const f = t * a[off + i]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) q[ri + j] -= f * w[j]!;
    }
  }
}

/**
 * Implicit QL iteration on the symmetric tridiagonal (diag, offDiag) with the rotations accumulated into
 * the rows of `zt` (n x n, row-major; row i is the i-th column of the accumulated transform, so pass
 * Q^T to get eigenvectors of the original matrix). On return `diag` holds the eigenvalues (unsorted) and
 * row i of `zt` the eigenvector of diag[i]. Returns false if an eigenvalue failed to converge in 60
 * iterations. Cost O(n^2) without vectors plus about 3 n^3 flops of rotations.
 */
export function tridiagonalQlKernel(
  diag: Float64Array,
  offDiag: Float64Array,
  zt: Float64Array,
  n: number,
): boolean {
  const d = diag;
  const e = offDiag;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypotenuse(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypotenuse(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const r0 = i * n;
          const r1 = r0 + n;
          for (let k = 0; k < n; k++) {
            const x = zt[r0 + k]!;
            const y = zt[r1 + k]!;
            zt[r1 + k] = s * x + c * y;
            zt[r0 + k] = c * x - s * y;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  return true;
}

/**
 * Unchecked symmetric eigen-decomposition of the n x n matrix whose upper triangle is in `a` (overwritten,
 * used as workspace). Writes eigenvalues in descending order to `values` (n) and the eigenvectors as the
 * columns of the row-major n x n `vectors`, each with its largest-magnitude entry positive. `vectors` must
 * not alias `a`. Returns false if the QL iteration failed to converge (never observed for finite input).
 * Cost about 4 n^3 + 3 n^3 flops.
 */
export function symmetricEigenKernel(
  a: Float64Array,
  n: number,
  values: Float64Array,
  vectors: Float64Array,
): boolean {
  const diag = new Float64Array(n);
  const offDiag = new Float64Array(n);
  const tau = new Float64Array(n);
  tridiagonalizeKernel(a, n, diag, offDiag, tau);
  // q (n x n) = Q; we need Q^T as the rotation target: build Q into `vectors`, transpose into `a`.
  formTridiagonalQKernel(vectors, a, n, tau);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[j * n + i] = vectors[i * n + j]!;
  const ok = tridiagonalQlKernel(diag, offDiag, a, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => diag[y]! - diag[x]! || x - y);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    values[j] = diag[src]!;
    const row = src * n;
    for (let i = 0; i < n; i++) vectors[i * n + j] = a[row + i]!;
  }
  fixColumnSigns(vectors, n, n);
  return ok;
}
