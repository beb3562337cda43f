/**
 * Thin singular value decomposition by Householder bidiagonalisation and the implicit-shift QR algorithm
 * on the bidiagonal (Golub & Kahan 1965; Golub & Van Loan, Matrix Computations, 4th ed., sections 5.4.8
 * and 8.6.2; the iteration follows LINPACK dsvdc as in JAMA/ml-matrix, with convergence tests relative
 * to neighbouring entries). Everything runs on flat row-major arrays holding the transposes A^T, U^T and
 * V^T, so every O(n^3) inner loop (Householder dot/axpy, Givens rotations) scans contiguous memory.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../gemm.js';
import {
  applyReflectorsTransposedKernel,
  formReflectorProductTransposedKernel,
  qrFactorTransposedKernel,
} from './qr.js';
import { tridiagonalInverseIterationKernel } from './tridiagonal.js';
import { allocFloat64, fixColumnSigns, hypotenuse, transposeKernel } from './util.js';
import { type MatvecExports, matvecWasm, matvecWorkspace } from './wasm/matvecWasm.js';

/**
 * Inverse-iteration singular vectors ({@link bidiagonalVectorsKernel}) are tried only when the smallest
 * singular value is at least this fraction of the largest: the u and v halves of a T_GK eigenvector are
 * orthogonal to about eps / (sigma / sigma_max).
 */
const SVD_MIN_RELATIVE_SIGMA = 1e-4;
/** Cluster gap (relative to ||T_GK||_1) of the inverse iteration on T_GK; orthogonality is checked after. */
const SVD_CLUSTER_TOLERANCE = 1e-4;
/** Inverse iteration is declined when the sum of squared cluster sizes exceeds this times n. */
const SVD_MAX_CLUSTER_WORK = 4;

/** Reflectors per panel of the blocked bidiagonalisation. */
const BRD_BLOCK = 32;

/** Columns from which the bidiagonalisation runs its matrix-vector products in WebAssembly SIMD. */
let BRD_WASM_MIN = 16;

/**
 * For tests and benchmarks: the number of columns from which the bidiagonalisation uses the WebAssembly
 * matrix-vector products (Infinity: never). Returns the previous value.
 */
export function setBidiagonalWasmMin(columns: number): number {
  const previous = BRD_WASM_MIN;
  BRD_WASM_MIN = columns;
  return previous;
}

/**
 * x[xo + i] += sum_r w[wo + r] * a[off + r * lda + i] for r < rows, i < len (x^T += w^T A, a general
 * matrix-vector product over contiguous rows), four rows per pass. `x` must not alias `a`. Cost 2 rows len.
 */
function rowCombinationKernel(
  rows: number,
  len: number,
  a: Float64Array,
  off: number,
  lda: number,
  w: Float64Array,
  wo: number,
  x: Float64Array,
  xo: number,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = off + r * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    const w0 = w[wo + r]!;
    const w1 = w[wo + r + 1]!;
    const w2 = w[wo + r + 2]!;
    const w3 = w[wo + r + 3]!;
    for (let i = 0; i < len; i++)
      x[xo + i]! += w0 * a[r0 + i]! + w1 * a[r1 + i]! + w2 * a[r2 + i]! + w3 * a[r3 + i]!;
  }
  for (; r < rows; r++) {
    const r0 = off + r * lda;
    const w0 = w[wo + r]!;
    for (let i = 0; i < len; i++) x[xo + i]! += w0 * a[r0 + i]!;
  }
}

/**
 * LAPACK dlarfg on x[off], x[off + 1 .. off + len): returns tau and beta in `out` ([tau, beta]) and
 * scales the tail to v (v_0 = 1 implicit), H = I - tau v v^T, H x = beta e_1. A zero tail gives tau = 0.
 */
function householder(x: Float64Array, off: number, len: number, out: Float64Array): void {
  const alpha = x[off]!;
  let scale = 0;
  for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(x[off + i]!));
  if (scale === 0) {
    out[0] = 0;
    out[1] = alpha;
    return;
  }
  scale = Math.max(scale, Math.abs(alpha));
  let ss = 0;
  for (let i = 0; i < len; i++) {
    const t = x[off + i]! / scale;
    ss += t * t;
  }
  const beta = (alpha >= 0 ? -1 : 1) * scale * Math.sqrt(ss);
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) x[off + i]! *= inv;
  out[0] = (beta - alpha) / beta;
  out[1] = beta;
}

/**
 * Blocked Householder bidiagonalisation of an m x n matrix A, m >= n, given as `at` = A^T (n x m,
 * row-major; overwritten): Q^T A P = B, B upper bidiagonal with diagonal `d` (n) and superdiagonal `e`
 * (e[k] = B[k, k+1], e[n-1] = 0). Left reflector k (H_k = I - tauq[k] u u^T) is left in row k of `at`
 * (u_k = 1 implicit, entries k+1..m-1); right reflector k (G_k = I - taup[k] v v^T) in row k of `rv`
 * (n x n; v_{k+1} = 1 stored, entries k+2..n-1). LAPACK dgebrd/dlabrd: each panel of 32 steps keeps the
 * trailing matrix stale and applies the panel as A - U Y^T - X V^T, one GEMM of depth 64 per panel
 * (Dongarra, Sorensen & Hammarling 1989); the two matrix-vector products per step run on contiguous
 * rows of `at`. Cost 4 m n^2 - 4/3 n^3 flops, half of them in GEMM.
 */
export function bidiagonalizeTransposedKernel(
  at: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
  rv: Float64Array,
): void {
  const nb = Math.min(BRD_BLOCK, n);
  // ay rows 0..nb-1: Y^T (y_r over columns), nb..2nb-1: V^T; bx rows 0..nb-1: U^T, nb..2nb-1: X^T.
  // From BRD_WASM_MIN columns on, A^T, ay and bx live in the matrix-vector module's memory for the whole
  // reduction and the two matrix-vector products per step run there (f64x2 SIMD).
  const mv = n >= BRD_WASM_MIN ? matvecWasm() : null;
  const ws = mv ? matvecWorkspace(n * m + 2 * nb * (n + m) + 2 * nb + n) : null;
  const work = ws ? ws.subarray(0, n * m) : at;
  if (ws) work.set(at.subarray(0, n * m));
  const ay = ws ? ws.subarray(n * m, n * m + 2 * nb * n) : new Float64Array(2 * nb * n);
  const bx = ws ? ws.subarray(n * m + 2 * nb * n, n * m + 2 * nb * (n + m)) : new Float64Array(2 * nb * m);
  const scratch = ws ? ws.subarray(n * m + 2 * nb * (n + m)) : new Float64Array(2 * nb + n);
  reduceKernel(work, m, n, d, e, tauq, taup, rv, nb, ay, bx, scratch, ws ? mv : null);
  if (ws) at.set(work);
}

/**
 * The body of {@link bidiagonalizeTransposedKernel} on `at` with panel buffers `ay` (2 nb x n), `bx`
 * (2 nb x m) and `scratch` (2 nb + n); with `mv` all four must lie in its memory and every matrix-vector
 * product of a step (the two with the trailing matrix and the panel corrections) runs there.
 */
function reduceKernel(
  at: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
  rv: Float64Array,
  nb: number,
  ay: Float64Array,
  bx: Float64Array,
  scratch: Float64Array,
  mv: MatvecExports | null,
): void {
  const pa = at.byteOffset;
  const py = ay.byteOffset;
  const px = bx.byteOffset;
  // scratch: weights / dot products (2 nb), then the row of step d (n)
  const sc = scratch.subarray(0, 2 * nb);
  const row = scratch.subarray(2 * nb, 2 * nb + n);
  const ps = sc.byteOffset;
  const pr = row.byteOffset;
  const dots = sc;
  const h = new Float64Array(2);
  e.fill(0, 0, n);
  rv.fill(0, 0, n * n);
  for (let k0 = 0; k0 < n; k0 += nb) {
    const pb = Math.min(nb, n - k0);
    ay.fill(0);
    bx.fill(0);
    for (let i = 0; i < pb; i++) {
      const k = k0 + i;
      const ck = k * m;
      const uRow = i * m;
      const xRow = (nb + i) * m;
      const yRow = i * n;
      const vRow = (nb + i) * n;
      // a. column k: A[k:, k] -= U Y[k, :]^T + X V[k, :]^T (earlier steps of the panel)
      if (mv && i > 0) {
        for (let r = 0; r < i; r++) {
          sc[r] = -ay[r * n + k]!;
          sc[nb + r] = -ay[(nb + r) * n + k]!;
        }
        mv.axpy_rows(px + k * 8, m * 8, i, m - k, ps, pa + (ck + k) * 8);
        mv.axpy_rows(px + (nb * m + k) * 8, m * 8, i, m - k, ps + nb * 8, pa + (ck + k) * 8);
      }
      for (let r = 0; mv === null && r < i; r++) {
        const c1 = ay[r * n + k]!;
        const c2 = ay[(nb + r) * n + k]!;
        const ur = r * m;
        const xr = (nb + r) * m;
        for (let q = k; q < m; q++) at[ck + q]! -= c1 * bx[ur + q]! + c2 * bx[xr + q]!;
      }
      // b. left reflector from A[k:, k]
      householder(at, ck + k, m - k, h);
      const tq = h[0]!;
      d[k] = h[1]!;
      tauq[k] = tq;
      bx[uRow + k] = 1;
      for (let q = k + 1; q < m; q++) bx[uRow + q] = at[ck + q]!;
      if (k === n - 1) break;
      // c. y = tauq (A^T u) over columns k+1..n-1: stale rows of `at` minus the panel's corrections
      const cols = n - k - 1;
      if (tq !== 0) {
        if (mv)
          mv.dot_rows(
            pa + ((k + 1) * m + k) * 8,
            m * 8,
            cols,
            m - k,
            px + (uRow + k) * 8,
            py + (yRow + k + 1) * 8,
          );
        else
          gemmKernel(
            false,
            true,
            1,
            cols,
            m - k,
            1,
            bx,
            uRow + k,
            m,
            at,
            (k + 1) * m + k,
            m,
            0,
            ay,
            yRow + k + 1,
            n,
          );
        if (mv && i > 0) {
          mv.dot_rows(px + k * 8, m * 8, i, m - k, px + (uRow + k) * 8, ps);
          mv.dot_rows(px + (nb * m + k) * 8, m * 8, i, m - k, px + (uRow + k) * 8, ps + nb * 8);
          for (let r = 0; r < i; r++) {
            sc[r] = -sc[r]!;
            sc[nb + r] = -sc[nb + r]!;
          }
          mv.axpy_rows(py + (k + 1) * 8, n * 8, i, cols, ps, py + (yRow + k + 1) * 8);
          mv.axpy_rows(py + (nb * n + k + 1) * 8, n * 8, i, cols, ps + nb * 8, py + (yRow + k + 1) * 8);
        }
        for (let r = 0; mv === null && r < i; r++) {
          const ur = r * m;
          const xr = (nb + r) * m;
          let su = 0;
          let sx = 0;
          for (let q = k; q < m; q++) {
            const uq = bx[uRow + q]!;
            su += bx[ur + q]! * uq;
            sx += bx[xr + q]! * uq;
          }
          dots[r] = su;
          dots[nb + r] = sx;
        }
        for (let r = 0; mv === null && r < i; r++) {
          const su = dots[r]!;
          const sx = dots[nb + r]!;
          const yr = r * n;
          const vr = (nb + r) * n;
          for (let j = k + 1; j < n; j++) ay[yRow + j]! -= ay[yr + j]! * su + ay[vr + j]! * sx;
        }
        for (let j = k + 1; j < n; j++) ay[yRow + j]! *= tq;
      }
      // d. row k: A[k, k+1:] - U[k, :] Y^T - X[k, :] V^T (this step's left reflector included)
      for (let j = k + 1; j < n; j++) row[j] = at[j * m + k]!;
      if (mv) {
        for (let r = 0; r <= i; r++) sc[r] = -bx[r * m + k]!;
        for (let r = 0; r < i; r++) sc[nb + r] = -bx[(nb + r) * m + k]!;
        mv.axpy_rows(py + (k + 1) * 8, n * 8, i + 1, cols, ps, pr + (k + 1) * 8);
        mv.axpy_rows(py + (nb * n + k + 1) * 8, n * 8, i, cols, ps + nb * 8, pr + (k + 1) * 8);
      }
      for (let r = 0; mv === null && r <= i; r++) {
        const c1 = bx[r * m + k]!;
        const c2 = r < i ? bx[(nb + r) * m + k]! : 0;
        const yr = r * n;
        const vr = (nb + r) * n;
        for (let j = k + 1; j < n; j++) row[j]! -= c1 * ay[yr + j]! + c2 * ay[vr + j]!;
      }
      // e. right reflector from A[k, k+1:]
      householder(row, k + 1, cols, h);
      const tp = h[0]!;
      e[k] = h[1]!;
      taup[k] = tp;
      const rk = k * n;
      ay[vRow + k + 1] = 1;
      rv[rk + k + 1] = 1;
      for (let j = k + 2; j < n; j++) {
        ay[vRow + j] = row[j]!;
        rv[rk + j] = row[j]!;
      }
      if (tp === 0) continue;
      // f. x = taup (H A) v over rows k+1..m-1: stale rows of `at` minus the panel's corrections
      const len = m - k - 1;
      if (mv)
        mv.axpy_rows(
          pa + ((k + 1) * m + k + 1) * 8,
          m * 8,
          cols,
          len,
          py + (vRow + k + 1) * 8,
          px + (xRow + k + 1) * 8,
        );
      else rowCombinationKernel(cols, len, at, (k + 1) * m + k + 1, m, ay, vRow + k + 1, bx, xRow + k + 1);
      if (mv) {
        mv.dot_rows(py + (k + 1) * 8, n * 8, i + 1, cols, py + (vRow + k + 1) * 8, ps);
        mv.dot_rows(py + (nb * n + k + 1) * 8, n * 8, i, cols, py + (vRow + k + 1) * 8, ps + nb * 8);
        for (let r = 0; r <= i; r++) sc[r] = -sc[r]!;
        for (let r = 0; r < i; r++) sc[nb + r] = -sc[nb + r]!;
        mv.axpy_rows(px + (k + 1) * 8, m * 8, i + 1, len, ps, px + (xRow + k + 1) * 8);
        mv.axpy_rows(px + (nb * m + k + 1) * 8, m * 8, i, len, ps + nb * 8, px + (xRow + k + 1) * 8);
      }
      for (let r = 0; mv === null && r <= i; r++) {
        const yr = r * n;
        const vr = (nb + r) * n;
        let sy = 0;
        let sv = 0;
        for (let j = k + 1; j < n; j++) {
          const vj = ay[vRow + j]!;
          sy += ay[yr + j]! * vj;
          sv += ay[vr + j]! * vj;
        }
        dots[r] = sy;
        dots[nb + r] = r < i ? sv : 0;
      }
      for (let r = 0; mv === null && r <= i; r++) {
        const sy = dots[r]!;
        const sv = dots[nb + r]!;
        const ur = r * m;
        const xr = (nb + r) * m;
        for (let q = k + 1; q < m; q++) bx[xRow + q]! -= bx[ur + q]! * sy + bx[xr + q]! * sv;
      }
      for (let q = k + 1; q < m; q++) bx[xRow + q]! *= tp;
    }
    // trailing matrix (columns and rows from k1): A -= U Y^T + X V^T, i.e. At -= [Y V] [U X]^T
    const k1 = k0 + pb;
    if (k1 < n)
      gemmKernel(true, false, n - k1, m - k1, 2 * nb, -1, ay, k1, n, bx, k1, m, 1, at, k1 * m + k1, m);
  }
}

/**
 * Core of the SVD for m >= n. `at` holds A^T (n x m, row-major) and is overwritten. Writes U^T (n x m)
 * to `ut`, the singular values (descending, >= 0) to `s` (n) and V^T (n x n) to `vt`.
 * Blocked bidiagonalisation ({@link bidiagonalizeTransposedKernel}), singular values by implicit-shift QR
 * without vectors, then the vectors of the bidiagonal by inverse iteration on T_GK
 * ({@link bidiagonalSingularVectorsKernel}), taken to U = Q [U_B; 0] and V = P V_B by applying the stored
 * reflectors in compact WY form through GEMM (LAPACK dormbr: Q and P are never formed). Where inverse
 * iteration declines (singular values below 1e-4 of the largest: rank-deficient or ill-conditioned input,
 * large clusters, or a failed residual/orthogonality check) U^T and V^T are formed from the reflectors and
 * implicit-shift QR applies its rotations to their rows. Cost about 4 m n^2 - 4/3 n^3 (reduction, half
 * of it matrix-vector products) + n^3 (orthogonality check) + 4 m n^2 (applying Q and P) flops in GEMM,
 * O(n^2) for the bidiagonal, or on the QR fallback about 12 n^2 (m + n) flops of rotations instead.
 * `gemm` runs the check and the reflector products (see {@link thinSvdKernel}).
 */
export function svdTallTransposedKernel(
  at: Float64Array,
  m: number,
  n: number,
  ut: Float64Array,
  s: Float64Array,
  vt: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const e = new Float64Array(n);
  const tauU = new Float64Array(n);
  const tauV = new Float64Array(n);
  const rv = new Float64Array(n * n);
  bidiagonalizeTransposedKernel(at, m, n, s, e, tauU, tauV, rv);
  if (n >= 2) {
    const sigma = s.slice();
    bidiagonalQrKernel(sigma, e.slice(), n, null, 0, null);
    const ub = allocFloat64(n * n, gemm !== gemmKernel);
    if (bidiagonalSingularVectorsKernel(s, e, sigma, n, ub, vt, gemm)) {
      // U = Q [U_B; 0] and V = P V_B, the reflectors applied in place (LAPACK dormbr), never formed
      ut.fill(0, 0, n * m);
      for (let j = 0; j < n; j++) ut.set(ub.subarray(j * n, j * n + n), j * m);
      applyReflectorsTransposedKernel(at, m, 0, n, tauU, true, ut, m, n, gemm);
      applyReflectorsTransposedKernel(rv, n, 1, Math.max(0, n - 2), tauV, true, vt, n, n, gemm);
      s.set(sigma);
      return;
    }
  }
  formReflectorProductTransposedKernel(at, m, 0, n, tauU, true, ut, m, n);
  formReflectorProductTransposedKernel(rv, n, 1, Math.max(0, n - 2), tauV, true, vt, n, n);
  bidiagonalQrKernel(s, e, n, ut, m, vt);
}

/**
 * Implicit-shift QR on the upper bidiagonal (diagonal `s`, superdiagonal `e`, both length n, e[n-1] = 0;
 * overwritten), LINPACK dsvdc's iteration: on return `s` holds the singular values, descending, >= 0.
 * With `ut` (n x m) and `vt` (n x n) the left and right rotations are applied to their rows (pass
 * null for both to get values only, O(n^2) flops). Cost with vectors about 12 n^2 (m + n) flops.
 */
export function bidiagonalQrKernel(
  s: Float64Array,
  e: Float64Array,
  n: number,
  ut: Float64Array | null,
  m: number,
  vt: Float64Array | null,
): void {
  let p = n;
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
        if (vt) rotate(vt, n, j, p - 1, cs, sn);
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
        if (ut) rotate(ut, m, j, k - 1, cs, sn);
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
      if (vt) rotateSequence(vt, n, k, p - 1, csV, snV);
      if (ut) rotateSequence(ut, m, k, Math.min(p - 1, m - 1), csU, snU);
    } else {
      // convergence: make s(k) non-negative and sort
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        const rk = k * n;
        if (vt) for (let i = 0; i <= pp; i++) vt[rk + i] = -vt[rk + i]!;
      }
      while (k < pp) {
        if (s[k]! >= s[k + 1]!) break;
        const t = s[k]!;
        s[k] = s[k + 1]!;
        s[k + 1] = t;
        if (vt) swapRows(vt, n, k, k + 1);
        if (ut && k < m - 1) swapRows(ut, m, k, k + 1);
        k++;
      }
      p--;
    }
  }
}

/**
 * Singular vectors of the upper bidiagonal B (diagonal `d`, superdiagonal `e`, n >= 2) for its singular
 * values `sigma` (descending, from {@link bidiagonalQrKernel}) by inverse iteration on the Golub-Kahan
 * tridiagonal T_GK (2n x 2n, zero diagonal, off-diagonal d_0, e_0, d_1, ..., d_{n-1}), whose eigenvector
 * for +sigma_j interleaves (v_j, u_j) / sqrt(2) (Golub & Van Loan, Matrix Computations, 4th ed., 8.6.1;
 * LAPACK dstein on T_GK as in dbdsvdx). On success U_B^T and V_B^T multiply the rows of `ut` (n x m) and
 * `vt` (n x n) in place through {@link gemmKernel} and true is returned. Returns false, touching
 * nothing, where that is not safe: an off-diagonal entry of T_GK is negligible, the smallest singular
 * value is below 1e-4 of the largest (then +sigma and -sigma are too close for the u and v halves to stay
 * orthogonal), the singular values form large clusters (sum of squared cluster sizes above 4 n: the
 * re-orthogonalisation would cost O(c^2 n) each), inverse iteration fails its residual test, or the computed U_B or V_B is not orthonormal
 * to 64 n eps (checked by GEMM). Cost O(n^2) per cluster-free vector plus 6 n^3 + 2 m n^2 flops in GEMM.
 */
export function bidiagonalVectorsKernel(
  d: Float64Array,
  e: Float64Array,
  sigma: Float64Array,
  n: number,
  ut: Float64Array,
  m: number,
  vt: Float64Array,
): boolean {
  const ub = new Float64Array(n * n); // row j = u_j (descending sigma order)
  const vb = new Float64Array(n * n);
  if (!bidiagonalSingularVectorsKernel(d, e, sigma, n, ub, vb)) return false;
  const qt = ut.slice(0, n * m);
  gemmKernel(false, false, n, m, n, 1, ub, 0, n, qt, 0, m, 0, ut, 0, m);
  const pt = vt.slice(0, n * n);
  gemmKernel(false, false, n, n, n, 1, vb, 0, n, pt, 0, n, 0, vt, 0, n);
  return true;
}

/**
 * The singular vectors of the upper bidiagonal B (diagonal `d`, superdiagonal `e`, n >= 2) for its
 * singular values `sigma` (descending), by inverse iteration on T_GK as described at
 * {@link bidiagonalVectorsKernel}: on success row j of `ub` (n x n) is u_j and row j of `vb` (n x n) is
 * v_j (so `ub` = U_B^T, `vb` = V_B^T), both checked orthonormal to 64 n eps, and true is returned; false
 * (outputs unspecified) where that path is declined or fails. Cost O(n^2) per cluster-free vector plus
 * n^3 flops of GEMM for the check (through `gemm`, default {@link gemmKernel}).
 */
export function bidiagonalSingularVectorsKernel(
  d: Float64Array,
  e: Float64Array,
  sigma: Float64Array,
  n: number,
  ub: Float64Array,
  vb: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): boolean {
  const eps = Number.EPSILON;
  const top = sigma[0]!;
  if (!(top > 0) || !(sigma[n - 1]! >= SVD_MIN_RELATIVE_SIGMA * top)) return false;
  const tn = 2 * n;
  const td = new Float64Array(tn);
  const te = new Float64Array(tn);
  for (let k = 0; k < n; k++) {
    te[2 * k] = d[k]!;
    if (k < n - 1) te[2 * k + 1] = e[k]!;
  }
  for (let i = 0; i < tn - 1; i++) if (!(Math.abs(te[i]!) > eps * top)) return false;
  const w = new Float64Array(n); // +sigma ascending
  for (let j = 0; j < n; j++) w[j] = sigma[n - 1 - j]!;
  // clusters as the inverse iteration will see them: re-orthogonalisation costs O(c^2 n) per cluster of
  // size c, so spectra with large clusters (e.g. a multiple singular value) go to the QR path instead
  let onenrm = 0;
  for (let i = 0; i < tn; i++)
    onenrm = Math.max(onenrm, Math.abs(te[i]!) + (i > 0 ? Math.abs(te[i - 1]!) : 0));
  let clusterWork = 0;
  let size = 1;
  for (let j = 1; j <= n; j++) {
    if (j < n && w[j]! - w[j - 1]! <= SVD_CLUSTER_TOLERANCE * onenrm) size++;
    else {
      clusterWork += size * size;
      size = 1;
    }
  }
  if (clusterWork > SVD_MAX_CLUSTER_WORK * n) return false;
  const z = new Float64Array(n * tn);
  if (!tridiagonalInverseIterationKernel(td, te, tn, w, z, SVD_CLUSTER_TOLERANCE, n)) return false;
  for (let j = 0; j < n; j++) {
    const src = (n - 1 - j) * tn;
    const row = j * n;
    let nu = 0;
    let nv = 0;
    for (let k = 0; k < n; k++) {
      const v = z[src + 2 * k]!;
      const u = z[src + 2 * k + 1]!;
      nv += v * v;
      nu += u * u;
    }
    const iu = 1 / Math.sqrt(nu);
    const iv = 1 / Math.sqrt(nv);
    for (let k = 0; k < n; k++) {
      vb[row + k] = z[src + 2 * k]! * iv;
      ub[row + k] = z[src + 2 * k + 1]! * iu;
    }
  }
  const tol = 64 * n * eps;
  return orthonormalRows(ub, n, tol, gemm) && orthonormalRows(vb, n, tol, gemm);
}

/** Rows of the gram check per GEMM (lower block triangle only). */
const GRAM_BLOCK = 64;

/**
 * Whether the rows of the row-major n x n `x` are orthonormal: every entry of X X^T - I at most `tol` in
 * magnitude. The lower block triangle of the Gram matrix only (it is symmetric), block rows through
 * {@link gemmKernel}. Cost about n^3 flops.
 */
function orthonormalRows(x: Float64Array, n: number, tol: number, gemm: GemmKernelFunction): boolean {
  const gram = allocFloat64(GRAM_BLOCK * n, gemm !== gemmKernel);
  for (let i0 = 0; i0 < n; i0 += GRAM_BLOCK) {
    const bi = Math.min(GRAM_BLOCK, n - i0);
    const cols = i0 + bi;
    gemm(false, true, bi, cols, n, 1, x, i0 * n, n, x, 0, n, 0, gram, 0, n);
    for (let i = 0; i < bi; i++) {
      const row = i * n;
      for (let j = 0; j < cols; j++)
        if (!(Math.abs(gram[row + j]! - (i0 + i === j ? 1 : 0)) <= tol)) return false;
    }
  }
  return true;
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

function swapRows(x: Float64Array, len: number, r0: number, r1: number): void {
  const a0 = r0 * len;
  const a1 = r1 * len;
  for (let i = 0; i < len; i++) {
    const t = x[a0 + i]!;
    x[a0 + i] = x[a1 + i]!;
    x[a1 + i] = t;
  }
}

/**
 * Aspect ratio from which a tall SVD starts with a QR factorisation (Chan 1982; LAPACK dgesvd uses 1.6).
 * With the bidiagonalisation's matrix-vector products in WebAssembly SIMD it runs at about the speed per
 * flop of the QR, so QR first only pays where it saves many flops: CPU times measured interleaved on the
 * loaded 2-core machine, QR first vs direct: 784 x 500 335 vs 285 ms, 1000 x 500 367 vs 323, 1500 x 500
 * 449 vs 429, 2500 x 500 664 vs 654, 4000 x 500 999 vs 1219 (another run 1069 vs 970).
 */
let QR_FIRST_RATIO = 5;

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
 * Outputs must not alias `a`. Cost O(m n r). `gemm` (default {@link gemmKernel}) runs the matrix products
 * of the QR factorisation, the orthogonality check and the application of the reflectors; with a
 * threaded GEMM (`createThreadedGemm` in `coarsegrain/parallel`, bit-identical to {@link gemmKernel})
 * the work arrays go on SharedArrayBuffers so those products split over its workers, and the result is
 * bit-identical to the single-thread call. The bidiagonalisation itself stays in the calling thread.
 */
export function thinSvdKernel(
  a: ArrayLike<number>,
  m: number,
  n: number,
  u: Float64Array,
  s: Float64Array,
  v: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const shared = gemm !== gemmKernel;
  const wide = m < n;
  const rows = wide ? n : m; // tall problem: rows x cols
  const cols = wide ? m : n;
  // at = (tall matrix)^T, cols x rows
  const at = allocFloat64(rows * cols, shared);
  if (wide) for (let i = 0; i < a.length; i++) at[i] = a[i]!;
  else transposeKernel(at, a instanceof Float64Array ? a : Float64Array.from(a), m, n);
  const ut = allocFloat64(cols * rows, shared);
  const vt = allocFloat64(cols * cols, shared);
  if (rows >= QR_FIRST_RATIO * cols && cols > 1) {
    // A = Q R first (blocked, GEMM), SVD of the small R, then U = Q [U_R; 0] by applying Q's reflectors
    const tauQ = new Float64Array(cols);
    qrFactorTransposedKernel(at, rows, cols, tauQ, new Float64Array(cols), gemm);
    const rt = allocFloat64(cols * cols, shared); // R^T: row j holds column j of R (entries 0..j)
    for (let j = 0; j < cols; j++) for (let i = 0; i <= j; i++) rt[j * cols + i] = at[j * rows + i]!;
    const urt = allocFloat64(cols * cols, shared);
    svdTallTransposedKernel(rt, cols, cols, urt, s, vt, gemm);
    ut.fill(0);
    for (let j = 0; j < cols; j++) ut.set(urt.subarray(j * cols, (j + 1) * cols), j * rows);
    applyReflectorsTransposedKernel(at, rows, 0, cols, tauQ, true, ut, rows, cols, gemm);
  } else svdTallTransposedKernel(at, rows, cols, ut, s, vt, gemm);
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
