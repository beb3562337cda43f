/**
 * Blocked Householder QR with an explicit thin Q (Golub & Van Loan, Matrix Computations, 4th ed.,
 * sections 5.2.2-5.2.3; compact WY representation of Schreiber & Van Loan 1989, as in LAPACK
 * dgeqrf/dorgqr). Panels are factored on the transposed matrix (columns of A are contiguous rows), and
 * the trailing updates and the formation of Q are matrix products through {@link gemmKernel}.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../gemm.js';
import { checkMatrix, type Matrix } from '../tensor.js';
import { checkAllFinite, domainError, shapeError } from '../validate.js';
import {
  allocFloat64,
  transposeKernel,
  triangularFactorFromGramKernel,
  triangularFactorKernel,
} from './util.js';
import { type MatvecExports, matvecWasm, matvecWorkspace } from './wasm/matvecWasm.js';

const PANEL = 32;

/**
 * Reflectors per block when a product of reflectors is formed or applied: each block costs two passes
 * over the target in GEMM, so deeper blocks (64 rather than 32) halve that traffic; its T factor is
 * built through GEMM.
 */
const APPLY_PANEL = 64;

/**
 * The triangular factor T of LAPACK dlarft (see `triangularFactorKernel` in util.ts, same contract and
 * layout) with the Gram matrix V V^T of the block taken by one {@link gemmKernel} call: O(nb^3) scalar
 * work instead of O(nb^2 mm). `g` is scratch of at least nb^2.
 */
function triangularFactorGemmKernel(
  vp: Float64Array,
  mm: number,
  nb: number,
  tau: Float64Array,
  tauOffset: number,
  t: Float64Array,
  g: Float64Array,
): void {
  gemmKernel(false, true, nb, nb, mm, 1, vp, 0, mm, vp, 0, mm, 0, g, 0, nb);
  triangularFactorFromGramKernel(g, nb, tau, tauOffset, t);
}

/** Householder reflector for row j of `at` (entries j..m-1): stores v (v_j = 1 implicit) in place, returns tau. */
function reflect(at: Float64Array, m: number, j: number, rdiag: Float64Array): number {
  const rj = j * m;
  const alpha = at[rj + j]!;
  let scale = 0;
  for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(at[rj + i]!));
  if (scale === 0) {
    rdiag[j] = alpha;
    return 0;
  }
  scale = Math.max(scale, Math.abs(alpha));
  let ss = 0;
  for (let i = j; i < m; i++) {
    const x = at[rj + i]! / scale;
    ss += x * x;
  }
  const beta = (alpha >= 0 ? -1 : 1) * scale * Math.sqrt(ss);
  const inv = 1 / (alpha - beta);
  for (let i = j + 1; i < m; i++) at[rj + i] *= inv;
  at[rj + j] = beta;
  rdiag[j] = beta;
  return (beta - alpha) / beta;
}

/**
 * Copy panel rows j0..j0+nb-1 of the factored `at` into `vp` (nb x (m - j0), unit diagonal, zeros before
 * it) and build the upper-triangular T (nb x nb) with H_j0 ... H_{j0+nb-1} = I - V T V^T (LAPACK dlarft).
 */
function buildPanel(
  at: Float64Array,
  m: number,
  j0: number,
  nb: number,
  tau: Float64Array,
  vp: Float64Array,
  t: Float64Array,
): void {
  const mm = m - j0;
  for (let p = 0; p < nb; p++) {
    const row = p * mm;
    vp.fill(0, row, row + p);
    vp[row + p] = 1;
    const src = (j0 + p) * m + j0;
    for (let i = p + 1; i < mm; i++) vp[row + i] = at[src + i]!;
  }
  const z = new Float64Array(nb);
  triangularFactorKernel(vp, mm, nb, tau, j0, t, z);
}

/**
 * Explicit product of Householder reflectors in transposed form: writes X^T (cols x dim, row-major) for
 * X = H_0 H_1 ... H_{count-1} E, where E holds the first `cols` columns of the dim x dim identity and
 * H_j = I - tau_j v_j v_j^T. Reflector v_j is read from row j of `refl` (row stride `ldr`): zero before
 * index j + shift, then refl[j * ldr + i] for i >= j + shift (replaced by 1 at i = j + shift when
 * `unitLead`). Blocks of 32 reflectors in compact WY form, applied backward with {@link gemmKernel}
 * (LAPACK dorgqr / dorgbr). Cost about 4 dim cols count flops, mostly GEMM.
 */
export function formReflectorProductTransposedKernel(
  refl: Float64Array,
  ldr: number,
  shift: number,
  count: number,
  tau: Float64Array,
  unitLead: boolean,
  xt: Float64Array,
  dim: number,
  cols: number,
): void {
  xt.fill(0, 0, cols * dim);
  for (let i = 0; i < cols; i++) xt[i * dim + i] = 1;
  reflectorBlocksKernel(refl, ldr, shift, count, tau, unitLead, xt, dim, cols, true);
}

/**
 * In-place product with Householder reflectors in transposed form: X^T <- (H_0 H_1 ... H_{count-1} X)^T
 * for a general X (dim x rows) given as `xt` (rows x dim, row-major), reflectors stored as for
 * {@link formReflectorProductTransposedKernel} (LAPACK dormqr / dormbr, side left, no transpose). Blocks
 * of 32 reflectors in compact WY form, two GEMMs of depth `dim - j0` per block. Used to take the
 * singular vectors of a bidiagonal or triangular factor to those of A without forming Q (cheaper than
 * forming Q and multiplying: about 4 rows count (dim - count / 2) flops, mostly GEMM). `gemm` (default
 * {@link gemmKernel}) runs the products; another one (a threaded GEMM) gets its scratch on
 * SharedArrayBuffers, and `xt` should be on one too for the large products to split.
 */
export function applyReflectorsTransposedKernel(
  refl: Float64Array,
  ldr: number,
  shift: number,
  count: number,
  tau: Float64Array,
  unitLead: boolean,
  xt: Float64Array,
  dim: number,
  rows: number,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  reflectorBlocksKernel(refl, ldr, shift, count, tau, unitLead, xt, dim, rows, false, gemm);
}

/**
 * The blocked backward application shared by {@link formReflectorProductTransposedKernel} and
 * {@link applyReflectorsTransposedKernel}. With `identity` the rows of `xt` before the block's first
 * index are known to be zero in the block's columns (X = E) and are skipped.
 */
function reflectorBlocksKernel(
  refl: Float64Array,
  ldr: number,
  shift: number,
  count: number,
  tau: Float64Array,
  unitLead: boolean,
  xt: Float64Array,
  dim: number,
  cols: number,
  identity: boolean,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  if (count <= 0 || cols <= 0) return;
  const shared = gemm !== gemmKernel;
  const vp = allocFloat64(APPLY_PANEL * dim, shared);
  const t = allocFloat64(APPLY_PANEL * APPLY_PANEL, shared);
  const w = allocFloat64(Math.max(1, cols * APPLY_PANEL), shared);
  const w2 = allocFloat64(Math.max(1, cols * APPLY_PANEL), shared);
  const g = new Float64Array(APPLY_PANEL * APPLY_PANEL);
  const lastStart = Math.floor((count - 1) / APPLY_PANEL) * APPLY_PANEL;
  for (let j0 = lastStart; j0 >= 0; j0 -= APPLY_PANEL) {
    const nb = Math.min(APPLY_PANEL, count - j0);
    const s0 = j0 + shift;
    const mm = dim - s0;
    const first = identity ? s0 : 0;
    const rows = cols - first;
    if (rows <= 0 || mm <= 0) continue;
    for (let p = 0; p < nb; p++) {
      const row = p * mm;
      vp.fill(0, row, row + p);
      const src = (j0 + p) * ldr + s0;
      vp[row + p] = unitLead ? 1 : refl[src + p]!;
      for (let i = p + 1; i < mm; i++) vp[row + i] = refl[src + i]!;
    }
    triangularFactorGemmKernel(vp, mm, nb, tau, j0, t, g);
    const off = first * dim + s0;
    gemm(false, true, rows, nb, mm, 1, xt, off, dim, vp, 0, mm, 0, w, 0, nb);
    gemm(false, true, rows, nb, nb, 1, w, 0, nb, t, 0, nb, 0, w2, 0, nb);
    gemm(false, false, rows, mm, nb, -1, w2, 0, nb, vp, 0, mm, 1, xt, off, dim);
  }
}

/**
 * Unchecked thin QR of the m x k matrix A (m >= k) given as its transpose `at` (k x m, row-major,
 * overwritten by the reflectors). Writes Q^T (k x m, orthonormal rows) to `qt` and the diagonal of R to
 * `rdiag` (k). A zero column yields the unit vector e_j as its Q column. Cost 4 m k^2 - 4/3 k^3 flops,
 * mostly in gemmKernel.
 */
export function qrTransposedKernel(
  at: Float64Array,
  m: number,
  k: number,
  qt: Float64Array,
  rdiag: Float64Array,
): void {
  const tau = new Float64Array(k);
  qrFactorTransposedKernel(at, m, k, tau, rdiag);
  formReflectorProductTransposedKernel(at, m, 0, k, tau, true, qt, m, k);
}

/**
 * Blocked Householder QR of the m x k matrix A (m >= k) given as its transpose `at` (k x m, row-major),
 * without forming Q: on return row j of `at` holds R's column j in entries 0..j and reflector j below
 * (v_j = 1 implicit at index j, entries j+1..m-1), `tau` (k) the reflector scales and `rdiag` (k) the
 * diagonal of R. Q = H_0 ... H_{k-1} is applied by {@link applyReflectorsTransposedKernel} or formed by
 * {@link formReflectorProductTransposedKernel} (LAPACK dgeqrf). Cost 2 m k^2 - 2/3 k^3 flops, mostly in
 * `gemm` (default {@link gemmKernel}; a threaded one splits the trailing updates when `at` is on a
 * SharedArrayBuffer).
 */
export function qrFactorTransposedKernel(
  at: Float64Array,
  m: number,
  k: number,
  tau: Float64Array,
  rdiag: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const shared = gemm !== gemmKernel;
  const vp = allocFloat64(PANEL * m, shared);
  const t = allocFloat64(PANEL * PANEL, shared);
  const w = allocFloat64(Math.max(1, k * PANEL), shared);
  const w2 = allocFloat64(Math.max(1, k * PANEL), shared);
  // panels of QR_WASM_MIN elements or more are factored in the matrix-vector module's memory
  const mv = Math.min(PANEL, k) * m >= QR_WASM_MIN ? matvecWasm() : null;
  const ws = mv ? matvecWorkspace(PANEL * m + PANEL + PANEL) : null;
  for (let j0 = 0; j0 < k; j0 += PANEL) {
    const nb = Math.min(PANEL, k - j0);
    if (mv && ws) panelWasm(at, m, j0, nb, tau, rdiag, mv, ws);
    // factor the panel (unblocked, contiguous rows)
    for (let j = j0; ws === null && j < j0 + nb; j++) {
      const tj = reflect(at, m, j, rdiag);
      tau[j] = tj;
      if (tj === 0) continue;
      const rj = j * m;
      for (let r = j + 1; r < j0 + nb; r++) {
        const rr = r * m;
        let dot = at[rr + j]!;
        for (let i = j + 1; i < m; i++) dot += at[rr + i]! * at[rj + i]!;
        const f = tj * dot;
        at[rr + j] -= f;
        for (let i = j + 1; i < m; i++) at[rr + i] -= f * at[rj + i]!;
      }
    }
    const rows = k - j0 - nb;
    if (rows > 0) {
      // C^T <- C^T - (C^T V) T V^T  for the trailing columns C of A (rows j0+nb.. of at)
      const mm = m - j0;
      buildPanel(at, m, j0, nb, tau, vp, t);
      const off = (j0 + nb) * m + j0;
      gemm(false, true, rows, nb, mm, 1, at, off, m, vp, 0, mm, 0, w, 0, nb);
      gemm(false, false, rows, nb, nb, 1, w, 0, nb, t, 0, nb, 0, w2, 0, nb);
      gemm(false, false, rows, mm, nb, -1, w2, 0, nb, vp, 0, mm, 1, at, off, m);
    }
  }
}

/** Panels of at least this many elements (nb x m) are factored with the WebAssembly SIMD kernels. */
const QR_WASM_MIN = 2048;

/**
 * Unblocked Householder QR of panel rows j0..j0+nb-1 of `at` (entries j0..m-1) in the matrix-vector
 * module's memory (`ws`: at least nb (m - j0) + 2 nb doubles): each reflector's dot products with the
 * later panel rows and its rank-one update run in WebAssembly SIMD. Same contract as the TypeScript panel
 * loop of {@link qrFactorTransposedKernel} (reflectors, tau and rdiag written back).
 */
function panelWasm(
  at: Float64Array,
  m: number,
  j0: number,
  nb: number,
  tau: Float64Array,
  rdiag: Float64Array,
  mv: MatvecExports,
  ws: Float64Array,
): void {
  const mm = m - j0;
  const panel = ws.subarray(0, nb * mm);
  const dots = ws.subarray(nb * mm, nb * mm + nb);
  const diag = ws.subarray(nb * mm + nb, nb * mm + 2 * nb);
  for (let p = 0; p < nb; p++) panel.set(at.subarray((j0 + p) * m + j0, (j0 + p) * m + m), p * mm);
  const base = panel.byteOffset;
  for (let p = 0; p < nb; p++) {
    const tp = reflect(panel, mm, p, diag);
    tau[j0 + p] = tp;
    rdiag[j0 + p] = diag[p]!;
    const rest = nb - p - 1;
    if (tp === 0 || rest === 0) continue;
    // rows q > p: row -= tau (row . v) v with v = (1, panel[p, p+1..]) from index p
    const lead = p * mm + p;
    const beta = panel[lead]!;
    panel[lead] = 1;
    const first = base + ((p + 1) * mm + p) * 8;
    mv.dot_rows(first, mm * 8, rest, mm - p, base + lead * 8, dots.byteOffset);
    for (let q = 0; q < rest; q++) dots[q] = -tp * dots[q]!;
    mv.ger_rows(first, mm * 8, rest, mm - p, dots.byteOffset, base + lead * 8);
    panel[lead] = beta;
  }
  for (let p = 0; p < nb; p++) at.set(panel.subarray(p * mm, (p + 1) * mm), (j0 + p) * m + j0);
}

/**
 * Unchecked: orthonormal basis Q (m x k, row-major, written to `q`) of the columns of the row-major
 * m x k matrix `a` (m >= k; not modified), from a blocked Householder QR, A = Q R. `q` must not alias `a`.
 * Cost 4 m k^2 - 4/3 k^3 flops.
 */
export function qrOrthonormalizeKernel(
  a: ArrayLike<number>,
  m: number,
  k: number,
  q: Float64Array,
): Float64Array {
  const at = new Float64Array(k * m);
  transposeKernel(at, a instanceof Float64Array ? a : Float64Array.from(a), m, k);
  const qt = new Float64Array(k * m);
  qrTransposedKernel(at, m, k, qt, new Float64Array(k));
  return transposeKernel(q, qt, k, m);
}

/**
 * Orthonormal basis of the column space of an m x k {@link Matrix} (m >= k): the explicit thin Q of a
 * blocked Householder QR, A = Q R, so Q^T Q = I to rounding even for rank-deficient A (a column that is
 * exactly zero after elimination gives a unit vector). Cost 4 m k^2 - 4/3 k^3 flops, mostly GEMM.
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), sections 5.2.2-5.2.3. The shape is read
 * from `a`; the positional unchecked form is `qrOrthonormalizeKernel` in `coarsegrain/kernels`.
 * @param a - A, m x k (rows x cols, m >= k >= 1, any numeric entries; not modified).
 * @param out - optional m x k Float64Array Matrix for Q (must not share memory with `a`); returned.
 * @returns Q, an m x k Matrix with orthonormal columns.
 * @throws ShapeError if a.cols > a.rows, `a.data.length !== a.rows * a.cols`, or `out` is not m x k or
 *   shares memory with `a`; DomainError if `a` is not a Matrix, has no column or has non-finite entries,
 *   or `out` is not a Float64Array Matrix.
 * @example
 * ```ts
 * import { matrix, qrOrthonormalize } from 'coarsegrain';
 * const q = qrOrthonormalize(matrix(Float64Array.of(3, 4), 2, 1)); // a 2 x 1 column
 * // q: { data: Float64Array [-0.6, -0.8], rows: 2, cols: 1 }
 * // qrOrthonormalize(matrix(Float64Array.of(3, 4), 1, 2)) throws ShapeError (2 columns, 1 row)
 * ```
 */
export function qrOrthonormalize(
  a: Matrix<ArrayLike<number>>,
  out?: Matrix<Float64Array>,
): Matrix<Float64Array> {
  const { data, rows: m, cols: k } = checkMatrix(a, 'qrOrthonormalize: a', { minRows: 1, minCols: 1 });
  if (k > m) throw shapeError('qrOrthonormalize: a.cols', `at most a.rows = ${m} columns`, `${k}`);
  checkAllFinite(data, 'qrOrthonormalize: a.data');
  let q: Matrix<Float64Array>;
  if (out === undefined || out === null) q = { data: new Float64Array(m * k), rows: m, cols: k };
  else {
    q = checkMatrix<Float64Array>(out, 'qrOrthonormalize: out', {
      rows: m,
      rowsLabel: 'a.rows',
      cols: k,
      colsLabel: 'a.cols',
    });
    if (!(q.data instanceof Float64Array))
      throw domainError('qrOrthonormalize: out.data', 'a Float64Array', q.data);
    if (ArrayBuffer.isView(data) && (data as unknown as Float64Array).buffer === q.data.buffer)
      throw shapeError(
        'qrOrthonormalize: out',
        'an array that does not share memory with a',
        'an aliased array',
      );
  }
  qrOrthonormalizeKernel(data, m, k, q.data);
  return q;
}
