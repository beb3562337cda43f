/**
 * Thin singular value decomposition by Householder bidiagonalisation and the implicit-shift QR algorithm
 * on the bidiagonal (Golub & Kahan 1965; Golub & Van Loan, Matrix Computations, 4th ed., sections 5.4.8
 * and 8.6.2; the iteration follows LINPACK dsvdc as in JAMA/ml-matrix, with convergence tests relative
 * to neighbouring entries). Everything runs on flat row-major arrays holding the transposes A^T, U^T and
 * V^T, so every O(n^3) inner loop (Householder dot/axpy, Givens rotations) scans contiguous memory.
 * @module
 */
import { gemmKernel } from '../gemm.js';
import { formReflectorProductTransposedKernel, qrTransposedKernel } from './qr.js';
import { fixColumnSigns, hypotenuse, transposeKernel } from './util.js';

/**
 * Core of the SVD for m >= n. `at` holds A^T (n x m, row-major) and is overwritten. Writes U^T (n x m)
 * to `ut`, the singular values (descending, >= 0) to `s` (n) and V^T (n x n) to `vt`.
 * Cost about 4 m n^2 + 8 m n^2 flops for the reduction and vectors plus the QR sweeps.
 */
export function svdTallTransposedKernel(
  at: Float64Array,
  m: number,
  n: number,
  ut: Float64Array,
  s: Float64Array,
  vt: Float64Array,
): void {
  const e = new Float64Array(n);
  const work = new Float64Array(m);
  const tcol = new Float64Array(n);
  const rv = new Float64Array(n * n); // right reflectors, row k = v_k in columns k+1..n-1
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  const mrc = Math.max(nct, nrt);
  // Each step needs two passes over the trailing block: the left update fused with the right
  // matrix-vector product, and the right update fused with the next step's left matrix-vector product
  // (Howell et al., "Cache efficient bidiagonalization using BLAS 2.5 operators", TOMS 2008).
  let tReady = false; // tcol already holds -(At_trail u_k) / u_kk, from the previous fused pass
  let leftDone = false; // the left reflector of row k was already computed
  for (let k = 0; k < mrc; k++) {
    const rk = k * m;
    const nrows = n - k - 1;
    if (k < nct && !leftDone) s[k] = -leftReflector(at, m, k);
    leftDone = false;
    const left = k < nct && s[k] !== 0 && nrows > 0;
    if (left && !tReady) {
      // tcol = -(At_trail u) / u_k  (GEMM as the row vector u^T At_trail^T)
      const len = m - k;
      gemmKernel(
        false,
        true,
        1,
        nrows,
        len,
        -1 / at[rk + k]!,
        at,
        rk + k,
        len,
        at,
        (k + 1) * m + k,
        m,
        0,
        tcol,
        0,
        nrows,
      );
    }
    tReady = false;
    const ukk = left ? at[rk + k]! : 0;
    for (let j = k + 1; j < n; j++) e[j] = at[j * m + k]! + (left ? tcol[j - k - 1]! * ukk : 0);
    let right = false;
    if (k < nrt) {
      let scale = 0;
      for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(e[i]!));
      let norm = 0;
      if (scale > 0) {
        let ss = 0;
        for (let i = k + 1; i < n; i++) {
          const x = e[i]! / scale;
          ss += x * x;
        }
        norm = scale * Math.sqrt(ss);
      }
      if (norm !== 0) {
        if (e[k + 1]! < 0) norm = -norm;
        const inv = 1 / norm;
        for (let i = k + 1; i < n; i++) e[i] *= inv;
        e[k + 1] += 1;
      }
      e[k] = -norm;
      const rvk = k * n;
      for (let i = k + 1; i < n; i++) rv[rvk + i] = e[i]!;
      right = k + 1 < m && norm !== 0;
    }
    if (!right) {
      if (left)
        for (let j = k + 1; j < n; j++) {
          const t = tcol[j - k - 1]!;
          const rj = j * m;
          for (let i = k; i < m; i++) at[rj + i] += t * at[rk + i]!;
        }
      continue;
    }
    // pass 1: left update fused with work = e^T At_trail (columns k+1..)
    work.fill(0, k + 1, m);
    for (let j = k + 1; j < n; j++) {
      const rj = j * m;
      const ej = e[j]!;
      if (left) {
        const t = tcol[j - k - 1]!;
        at[rj + k] += t * ukk;
        for (let i = k + 1; i < m; i++) {
          const x = at[rj + i]! + t * at[rk + i]!;
          at[rj + i] = x;
          work[i] += ej * x;
        }
      } else for (let i = k + 1; i < m; i++) work[i] += ej * at[rj + i]!;
    }
    // pass 2: right update At_trail += (-e / e_{k+1}) work^T, fused with the next left product
    const k1 = k + 1;
    const ek1 = e[k1]!;
    const r1 = k1 * m;
    const f1 = -e[k1]! / ek1;
    for (let i = k1; i < m; i++) at[r1 + i] += f1 * work[i]!;
    let fuse = false;
    if (k1 < nct) {
      s[k1] = -leftReflector(at, m, k1);
      leftDone = true;
      fuse = s[k1] !== 0 && n - k1 - 1 > 0;
    }
    for (let j = k1 + 1; j < n; j++) {
      const f = -e[j]! / ek1;
      const rj = j * m;
      if (fuse) {
        let dot = 0;
        for (let i = k1; i < m; i++) {
          const x = at[rj + i]! + f * work[i]!;
          at[rj + i] = x;
          dot += x * at[r1 + i]!;
        }
        tcol[j - k1 - 1] = dot;
      } else for (let i = k1; i < m; i++) at[rj + i] += f * work[i]!;
    }
    if (fuse) {
      const inv = -1 / at[r1 + k1]!;
      for (let j = 0; j < n - k1 - 1; j++) tcol[j] *= inv;
      tReady = true;
    }
  }

  let p = n;
  if (nct < n) s[nct] = at[nct * m + nct]!;
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = at[(p - 1) * m + nrt]!;
  e[p - 1] = 0;

  // generate U^T and V^T from the stored reflectors (H = I - u u^T / u_lead) with blocked WY products
  const tauU = new Float64Array(n);
  for (let k = 0; k < nct; k++) tauU[k] = s[k] !== 0 ? 1 / at[k * m + k]! : 0;
  formReflectorProductTransposedKernel(at, m, 0, nct, tauU, false, ut, m, n);
  const tauV = new Float64Array(n);
  for (let k = 0; k < nrt; k++) tauV[k] = e[k] !== 0 ? 1 / rv[k * n + k + 1]! : 0;
  formReflectorProductTransposedKernel(rv, n, 1, nrt, tauV, false, vt, n, n);

  const rotate = (x: Float64Array, len: number, r0: number, r1: number, cs: number, sn: number): void => {
    // row r1 <- -sn * row r0 + cs * row r1 ; row r0 <- cs * row r0 + sn * row r1
    const a0 = r0 * len;
    const a1 = r1 * len;
    for (let i = 0; i < len; i++) {
      const x0 = x[a0 + i]!;
      const x1 = x[a1 + i]!;
      x[a0 + i] = cs * x0 + sn * x1;
      x[a1 + i] = cs * x1 - sn * x0;
    }
  };

  const pp = p - 1;
  const csV = new Float64Array(n);
  const snV = new Float64Array(n);
  const csU = new Float64Array(n);
  const snU = new Float64Array(n);
  const eps = Number.EPSILON;
  const tiny = Number.MIN_VALUE;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = tiny + eps * Math.abs(s[k]! + Math.abs(s[k + 1]!));
      if (Math.abs(e[k]!) <= alpha || Number.isNaN(e[k]!)) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // deflate negligible s(p-1)
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypotenuse(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        rotate(vt, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // split at negligible s(k-1)
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypotenuse(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        rotate(ut, m, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // one implicit-shift QR step
      const scale = Math.max(
        Math.abs(s[p - 1]!),
        Math.abs(s[p - 2]!),
        Math.abs(e[p - 2]!),
        Math.abs(s[k]!),
        Math.abs(e[k]!),
      );
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = b < 0 ? -Math.sqrt(b * b + c) : Math.sqrt(b * b + c);
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypotenuse(f, g);
        if (t === 0) t = tiny;
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        csV[j] = cs;
        snV[j] = sn;
        t = hypotenuse(f, g);
        if (t === 0) t = tiny;
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        csU[j] = cs;
        snU[j] = sn;
      }
      e[p - 2] = f;
      // deferred rotations of the sweep, two at a time over contiguous rows (LAPACK dlasr)
      rotateSequence(vt, n, k, p - 1, csV, snV);
      rotateSequence(ut, m, k, Math.min(p - 1, m - 1), csU, snU);
    } else {
      // convergence: make s(k) non-negative and sort
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        const rk = k * n;
        for (let i = 0; i <= pp; i++) vt[rk + i] = -vt[rk + i]!;
      }
      while (k < pp) {
        if (s[k]! >= s[k + 1]!) break;
        const t = s[k]!;
        s[k] = s[k + 1]!;
        s[k + 1] = t;
        swapRows(vt, n, k, k + 1);
        if (k < m - 1) swapRows(ut, m, k, k + 1);
        k++;
      }
      p--;
    }
  }
}

/**
 * Apply the plane rotations j = first..last-1 in sequence, rotation j acting on rows (j, j+1) of the
 * row-major `x` (rows of length `len`): row j <- c row j + s row j+1, row j+1 <- c row j+1 - s row j.
 * Two rotations are fused per pass over three rows, so each element is loaded and stored fewer times.
 */
function rotateSequence(
  x: Float64Array,
  len: number,
  first: number,
  last: number,
  cs: Float64Array,
  sn: Float64Array,
): void {
  let j = first;
  for (; j + 1 < last; j += 2) {
    const c1 = cs[j]!;
    const s1 = sn[j]!;
    const c2 = cs[j + 1]!;
    const s2 = sn[j + 1]!;
    const a0 = j * len;
    const a1 = a0 + len;
    const a2 = a1 + len;
    for (let i = 0; i < len; i++) {
      const x0 = x[a0 + i]!;
      const x1 = x[a1 + i]!;
      const x2 = x[a2 + i]!;
      const y1 = c1 * x1 - s1 * x0;
      x[a0 + i] = c1 * x0 + s1 * x1;
      x[a1 + i] = c2 * y1 + s2 * x2;
      x[a2 + i] = c2 * x2 - s2 * y1;
    }
  }
  if (j < last) {
    const c = cs[j]!;
    const s = sn[j]!;
    const a0 = j * len;
    const a1 = a0 + len;
    for (let i = 0; i < len; i++) {
      const x0 = x[a0 + i]!;
      const x1 = x[a1 + i]!;
      x[a0 + i] = c * x0 + s * x1;
      x[a1 + i] = c * x1 - s * x0;
    }
  }
}

/**
 * LINPACK-normalised Householder reflector of row k of `at` (entries k..m-1): overwrites them with
 * u = x / norm (+1 on the lead) and returns the signed norm (0 for a zero vector, left untouched).
 */
function leftReflector(at: Float64Array, m: number, k: number): number {
  const rk = k * m;
  let scale = 0;
  for (let i = k; i < m; i++) scale = Math.max(scale, Math.abs(at[rk + i]!));
  if (scale === 0) return 0;
  let ss = 0;
  for (let i = k; i < m; i++) {
    const x = at[rk + i]! / scale;
    ss += x * x;
  }
  let norm = scale * Math.sqrt(ss);
  if (at[rk + k]! < 0) norm = -norm;
  const inv = 1 / norm;
  for (let i = k; i < m; i++) at[rk + i] *= inv;
  at[rk + k] += 1;
  return norm;
}

function swapRows(x: Float64Array, len: number, r0: number, r1: number): void {
  const a0 = r0 * len;
  const a1 = r1 * len;
  for (let i = 0; i < len; i++) {
    const t = x[a0 + i]!;
    x[a0 + i] = x[a1 + i]!;
    x[a1 + i] = t;
  }
}

/** Aspect ratio from which a tall SVD starts with a QR factorisation (Chan 1982; LAPACK dgesvd uses 1.6). */
let QR_FIRST_RATIO = 1.5;

/** For benchmarks: set the QR-first aspect ratio (Infinity disables it). Returns the previous value. */
export function setSvdQrFirstRatio(ratio: number): number {
  const previous = QR_FIRST_RATIO;
  QR_FIRST_RATIO = ratio;
  return previous;
}

/**
 * Unchecked thin SVD A = U diag(s) V^T of a row-major m x n matrix (`a` is not modified), r = min(m, n):
 * writes U (m x r), s (r, descending, >= 0) and V (n x r), row-major, each left singular vector's
 * largest-magnitude entry positive (V's columns follow). Wide matrices are handled through A^T.
 * Outputs must not alias `a`. Cost O(m n r).
 */
export function thinSvdKernel(
  a: ArrayLike<number>,
  m: number,
  n: number,
  u: Float64Array,
  s: Float64Array,
  v: Float64Array,
): void {
  const wide = m < n;
  const rows = wide ? n : m; // tall problem: rows x cols
  const cols = wide ? m : n;
  // at = (tall matrix)^T, cols x rows
  const at = new Float64Array(rows * cols);
  if (wide) for (let i = 0; i < a.length; i++) at[i] = a[i]!;
  else transposeKernel(at, a instanceof Float64Array ? a : Float64Array.from(a), m, n);
  const ut = new Float64Array(cols * rows);
  const vt = new Float64Array(cols * cols);
  if (rows >= QR_FIRST_RATIO * cols && cols > 1) {
    // A = Q R first (blocked, GEMM), SVD of the small R, then U^T = U_R^T Q^T by GEMM
    const qt = new Float64Array(cols * rows);
    qrTransposedKernel(at, rows, cols, qt, new Float64Array(cols));
    const rt = new Float64Array(cols * cols); // R^T: row j holds column j of R (entries 0..j)
    for (let j = 0; j < cols; j++) for (let i = 0; i <= j; i++) rt[j * cols + i] = at[j * rows + i]!;
    const urt = new Float64Array(cols * cols);
    svdTallTransposedKernel(rt, cols, cols, urt, s, vt);
    gemmKernel(false, false, cols, rows, cols, 1, urt, 0, cols, qt, 0, rows, 0, ut, 0, rows);
  } else svdTallTransposedKernel(at, rows, cols, ut, s, vt);
  if (wide) {
    // A^T = U' S V'^T  =>  A = V' S U'^T: U = V' (m x m), V = U' (n x m)
    transposeKernel(u, vt, cols, cols);
    transposeKernel(v, ut, cols, rows);
  } else {
    transposeKernel(u, ut, cols, rows);
    transposeKernel(v, vt, cols, cols);
  }
  const r = cols;
  fixColumnSigns(u, m, r, v, n);
}
