/**
 * Eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer (Cuppen 1981; Gu &
 * Eisenstat, SIAM J. Matrix Anal. Appl. 16 (1995) 172-191; LAPACK dstedc / dlaed0-dlaed4). The matrix is
 * torn in halves by a rank-one update, each half is solved recursively (leaves by implicit QL), and the
 * halves are merged by solving the secular equation of D + rho z z^T. Orthogonality of the merged vectors
 * comes from recomputing z from the computed roots (Gu-Eisenstat), not from re-orthogonalisation; the
 * product of the halves' eigenvectors with the merge matrix runs in {@link gemmKernel} (or the caller's
 * `gemm`). With a product that has a spawn (./spawn.ts) the two halves of the top split are solved at
 * once on two threads and the top merge shares its roots and rows: the same operations, the same bits.
 * @module
 */
import { type GemmKernelFunction, gemmKernel } from '../gemm.js';
import { type LinalgSpawnFunction, linalgSpawnFor } from './spawn.js';
import { tridiagonalQlKernel } from './tridiagonal.js';

/** Largest block solved directly by implicit QL with vectors. */
const DC_LEAF = 32;
/**
 * Smallest block whose two halves are solved at the same time on two threads when the product has a
 * spawn (./spawn.ts; each half then takes a few milliseconds).
 */
const DC_SPAWN_MIN = 256;
/** Fewest roots of a top merge for which the other thread takes half the roots and rows (./spawn.ts). */
const MERGE_SPAWN_MIN = 256;
/** Iteration cap of the secular-equation solver (bisection takes over from DC_BISECT_AFTER on). */
const DC_MAX_ITER = 400;
const DC_BISECT_AFTER = 40;

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix with diagonal `d` (n) and off-diagonal `e`
 * (e[i] = T[i, i+1], n - 1 entries read) by divide and conquer. On return `d` holds the eigenvalues in
 * ascending order and row j of the row-major n x n `zt` the unit eigenvector of d[j] (the layout of
 * {@link tridiagonalQlKernel}'s rows); `e` is destroyed. `zt` must not alias `d` or `e`. Returns false if
 * a secular equation or a QL leaf failed to converge (the caller then falls back to QL with vectors).
 * Cost about n^3 flops in GEMM without deflation (less when many eigenvector components are negligible
 * or eigenvalues coincide), plus O(n^2) per level; 3 n^2 doubles of scratch. The merge products run in
 * `gemm` (default {@link gemmKernel}; a threaded one gives a bit-identical result on more cores, its
 * scratch then allocated on SharedArrayBuffers).
 */
export function tridiagonalDivideConquerKernel(
  d: Float64Array,
  e: Float64Array,
  n: number,
  zt: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): boolean {
  if (n === 0) return true;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) scale = Math.max(scale, Math.abs(e[i]!));
  if (scale === 0) {
    zt.fill(0);
    for (let i = 0; i < n; i++) zt[i * n + i] = 1;
    return true;
  }
  // scale to unit max norm (LAPACK dstedc) so that tolerances and the secular solver see O(1) data
  for (let i = 0; i < n; i++) d[i]! /= scale;
  for (let i = 0; i < n - 1; i++) e[i]! /= scale;
  // a threaded product shares its operands with its workers: the scratch then lives on SharedArrayBuffers
  const shared = gemm !== gemmKernel && typeof SharedArrayBuffer === 'function';
  const scratch = () =>
    shared ? new Float64Array(new SharedArrayBuffer(n * n * 8)) : new Float64Array(n * n);
  const work: DcWorkspace = { qb: scratch(), ag: scratch(), v: scratch(), gemm };
  const spawn = shared && n >= DC_SPAWN_MIN ? linalgSpawnFor(gemm) : undefined;
  const ok = spawn ? solveSplit(d, e, n, zt, work, spawn) : solveBlock(d, e, 0, n, zt, work);
  for (let i = 0; i < n; i++) d[i]! *= scale;
  return ok;
}

/**
 * Divide and conquer on the (scaled) tridiagonal d[0 .. n), e[0 .. n - 1) with no workspace given:
 * eigenvalues ascending into `d`, eigenvectors as the rows of `zt` (n x n), products in
 * {@link gemmKernel}; `e` is read only. The half of a top split that {@link tridiagonalDivideConquerKernel}
 * hands to another thread (see ./spawn.ts); returns false as it does. Cost as
 * {@link tridiagonalDivideConquerKernel} without the scaling; 3 n^2 doubles of scratch.
 */
export function divideConquerBlockKernel(
  d: Float64Array,
  e: Float64Array,
  n: number,
  zt: Float64Array,
): boolean {
  const work: DcWorkspace = {
    qb: new Float64Array(n * n),
    ag: new Float64Array(n * n),
    v: new Float64Array(n * n),
    gemm: gemmKernel,
  };
  return solveBlock(d, e, 0, n, zt, work);
}

/**
 * {@link solveBlock} at the top, with the second half solved on another thread by `spawn` (on shared
 * copies of its part of d and e) while this thread solves the first, each with {@link gemmKernel}, then
 * merged as before in `work.gemm`: the same operations as solveBlock, so the same result.
 */
function solveSplit(
  d: Float64Array,
  e: Float64Array,
  n: number,
  zt: Float64Array,
  work: DcWorkspace,
  spawn: LinalgSpawnFunction,
): boolean {
  const n1 = n >> 1;
  const n2 = n - n1;
  const beta = e[n1 - 1]!;
  const absBeta = Math.abs(beta);
  d[n1 - 1]! -= absBeta;
  d[n1]! -= absBeta;
  const shared = (length: number) => new Float64Array(new SharedArrayBuffer(length * 8));
  const d2 = shared(n2);
  d2.set(d.subarray(n1, n));
  const e2 = shared(n2);
  e2.set(e.subarray(n1, n - 1));
  const z2 = shared(n2 * n2);
  const wait = spawn('divideConquer', [d2, e2, n2, z2]);
  const z1 = zt.subarray(0, n1 * n1);
  let first = false;
  let second = false;
  try {
    first = solveBlock(d, e, 0, n1, z1, { ...work, gemm: gemmKernel });
  } finally {
    // the other thread's half is awaited even if this one threw
    second = wait();
  }
  d.set(d2, n1);
  return first && second && mergeBlocks(d, 0, n, n1, z1, z2, beta, zt, work, spawn);
}

/**
 * Scratch of the merges, each n^2 for the top-level n (merges run one at a time, each from offset 0):
 * the rotated diag(Q1, Q2) transposed (then the product of its kept rows with the merge matrix), its
 * kept rows gathered, and the merge matrix.
 */
interface DcWorkspace {
  qb: Float64Array;
  ag: Float64Array;
  v: Float64Array;
  /** The product of the merges (see {@link tridiagonalDivideConquerKernel}). */
  gemm: GemmKernelFunction;
}

/**
 * Divide and conquer on the block d[off .. off + n), e[off .. off + n - 1), eigenvectors into the rows
 * of `zt` (n x n). The halves' vectors are stored in `zt` itself until the merge has copied them.
 */
function solveBlock(
  d: Float64Array,
  e: Float64Array,
  off: number,
  n: number,
  zt: Float64Array,
  work: DcWorkspace,
): boolean {
  if (n <= DC_LEAF) return solveLeaf(d, e, off, n, zt);
  const n1 = n >> 1;
  const n2 = n - n1;
  const beta = e[off + n1 - 1]!;
  const absBeta = Math.abs(beta);
  d[off + n1 - 1]! -= absBeta;
  d[off + n1]! -= absBeta;
  const z1 = zt.subarray(0, n1 * n1);
  const z2 = zt.subarray(n1 * n1, n1 * n1 + n2 * n2);
  if (!solveBlock(d, e, off, n1, z1, work)) return false;
  if (!solveBlock(d, e, off + n1, n2, z2, work)) return false;
  return mergeBlocks(d, off, n, n1, z1, z2, beta, zt, work);
}

/** Implicit QL with vectors on a small block; eigenvalues sorted ascending, vectors as rows of `zt`. */
function solveLeaf(d: Float64Array, e: Float64Array, off: number, n: number, zt: Float64Array): boolean {
  const dl = d.slice(off, off + n);
  const el = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) el[i] = e[off + i]!;
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  if (!tridiagonalQlKernel(dl, el, z, n)) return false;
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = i;
  sortIndexKernel(dl, rank, n);
  for (let j = 0; j < n; j++) {
    d[off + j] = dl[rank[j]!]!;
    zt.set(z.subarray(rank[j]! * n, rank[j]! * n + n), j * n);
  }
  return true;
}

/**
 * Merge (LAPACK dlaed1-dlaed3): T = diag(Q1, Q2) (diag(D1, D2) + rho z z^T) diag(Q1, Q2)^T with
 * rho = 2 |beta| and z = (last row of Q1, sign(beta) first row of Q2) / sqrt 2, the halves' vectors
 * given as the rows of z1 = Q1^T and z2 = Q2^T. Deflates negligible z components and (by Givens
 * rotations) nearly equal eigenvalues, solves the secular equation for the rest, recomputes z from the
 * roots (Gu-Eisenstat) and forms the eigenvectors. Writes the n eigenvalues ascending to d[off ..] and
 * the vectors as the rows of `zt` (n x n).
 */
function mergeBlocks(
  d: Float64Array,
  off: number,
  n: number,
  n1: number,
  z1: Float64Array,
  z2: Float64Array,
  beta: number,
  zt: Float64Array,
  work: DcWorkspace,
  spawn?: LinalgSpawnFunction,
): boolean {
  const n2 = n - n1;
  const rho = 2 * Math.abs(beta);
  const sign = beta >= 0 ? 1 : -1;
  const dd = new Float64Array(n);
  const z = new Float64Array(n);
  // row p of qb: basis vector p (column p of diag(Q1, Q2)); kind 1 = top entries only, 3 = bottom
  // only, 2 = both (after a rotation)
  const qb = work.qb;
  const kind = new Uint8Array(n);
  for (let p = 0; p < n1; p++) {
    dd[p] = d[off + p]!;
    z[p] = z1[p * n1 + n1 - 1]! * Math.SQRT1_2;
    kind[p] = 1;
    qb.set(z1.subarray(p * n1, p * n1 + n1), p * n);
    qb.fill(0, p * n + n1, p * n + n);
  }
  for (let p = 0; p < n2; p++) {
    dd[n1 + p] = d[off + n1 + p]!;
    z[n1 + p] = sign * z2[p * n2]! * Math.SQRT1_2;
    kind[n1 + p] = 3;
    const row = (n1 + p) * n;
    qb.fill(0, row, row + n1);
    qb.set(z2.subarray(p * n2, p * n2 + n2), row + n1);
  }
  // z1 and z2 (stored in zt) are consumed: zt is free from here on
  // both halves are sorted ascending: merge them
  const perm = new Int32Array(n);
  for (let s = 0, a = 0, b = n1; s < n; s++) perm[s] = b >= n || (a < n1 && dd[a]! <= dd[b]!) ? a++ : b++;
  let dmax = 0;
  let zmax = 0;
  for (let p = 0; p < n; p++) {
    dmax = Math.max(dmax, Math.abs(dd[p]!));
    zmax = Math.max(zmax, Math.abs(z[p]!));
  }
  const tol = 8 * Number.EPSILON * Math.max(dmax, zmax);
  // deflation (LAPACK dlaed2)
  const kept: number[] = [];
  const deflated: number[] = [];
  let pj = -1;
  for (let s = 0; s < n; s++) {
    const nj = perm[s]!;
    if (rho * Math.abs(z[nj]!) <= tol) {
      deflated.push(nj);
      continue;
    }
    if (pj < 0) {
      pj = nj;
      continue;
    }
    const tau = Math.hypot(z[nj]!, z[pj]!);
    const c = z[nj]! / tau;
    const sn = -z[pj]! / tau;
    const t = dd[nj]! - dd[pj]!;
    if (Math.abs(t * c * sn) <= tol) {
      // rotate basis vectors pj, nj so that z[pj] = 0; pj deflates with its rotated diagonal entry
      z[nj] = tau;
      z[pj] = 0;
      const from = kind[pj] === 3 && kind[nj] === 3 ? n1 : 0;
      const to = kind[pj] === 1 && kind[nj] === 1 ? n1 : n;
      rotateRowsKernel(qb, pj * n, nj * n, from, to, c, sn);
      if (kind[pj] !== kind[nj]) {
        kind[pj] = 2;
        kind[nj] = 2;
      }
      const dp = dd[pj]!;
      const dn = dd[nj]!;
      dd[pj] = dp * c * c + dn * sn * sn;
      dd[nj] = dp * sn * sn + dn * c * c;
      deflated.push(pj);
    } else kept.push(pj);
    pj = nj;
  }
  if (pj >= 0) kept.push(pj);
  const k = kept.length;
  // secular equation for the kept part
  const dl = new Float64Array(k);
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    dl[i] = dd[kept[i]!]!;
    w[i] = z[kept[i]!]!;
  }
  // with a spawn (the top merge of a split, see solveSplit) and enough roots, the second half of the
  // roots and of the rows of the merge matrix are found on the other thread: each root and each row is
  // computed alone, so the result is the same
  const split = spawn !== undefined && k >= MERGE_SPAWN_MIN ? spawn : undefined;
  const half = k >> 1;
  const sharedCopy = (x: Float64Array) => {
    const y = new Float64Array(new SharedArrayBuffer(x.length * 8));
    y.set(x);
    return y;
  };
  const dlShared = split ? sharedCopy(dl) : dl;
  const wShared = split ? sharedCopy(w) : w;
  const origin = split ? new Int32Array(new SharedArrayBuffer(k * 4)) : new Int32Array(k);
  const shift = split ? new Float64Array(new SharedArrayBuffer(k * 8)) : new Float64Array(k);
  if (split) {
    const wait = split('secularRoots', [k, dlShared, wShared, rho, half, k, origin, shift]);
    let first = false;
    let second = false;
    try {
      first = secularRootsKernel(k, dl, w, rho, 0, half, origin, shift);
    } finally {
      second = wait();
    }
    if (!first || !second) return false;
  } else if (!secularRootsKernel(k, dl, w, rho, 0, k, origin, shift)) return false;
  // kept basis vectors ordered top-only, both, bottom-only (slot[i]: position of kept[i]) so that the
  // final product splits into a leading and a trailing block of rows of the merge matrix (dlaed3)
  const slot = new Int32Array(k);
  let c1 = 0;
  let c3 = 0;
  for (let want = 1, m = 0; want <= 3; want++) {
    for (let i = 0; i < k; i++) {
      if (kind[kept[i]!] !== want) continue;
      slot[i] = m++;
      if (want === 1) c1++;
      else if (want === 3) c3++;
    }
  }
  // row slot[i] of v: d_i - lambda_j in the roots' local coordinates, then Gu-Eisenstat
  // z_i^2 = -(d_i - lambda_i) prod_{j != i} (d_i - lambda_j) / (d_i - d_j), then z_i / (d_i - lambda_j);
  // columns normalised (one small function per row, so that they are compiled early)
  const v = work.v;
  const norm = new Float64Array(k);
  if (split) {
    const slotShared = new Int32Array(new SharedArrayBuffer(k * 4));
    slotShared.set(slot);
    const wait = split('mergeRows', [k, dlShared, origin, shift, wShared, slotShared, v, half, k]);
    try {
      mergeRowsKernel(k, dl, origin, shift, w, slot, v, 0, half);
    } finally {
      wait();
    }
    // the column norms in the same order as the fused loop below
    for (let i = 0; i < k; i++) {
      const row = slot[i]! * k;
      for (let j = 0; j < k; j++) norm[j]! += v[row + j]! * v[row + j]!;
    }
  } else {
    for (let i = 0; i < k; i++) {
      const zi = guEisenstatRowKernel(k, i, dl, origin, shift, v, slot[i]! * k);
      vectorRowKernel(k, w[i]! >= 0 ? zi : -zi, v, slot[i]! * k, norm);
    }
  }
  for (let j = 0; j < k; j++) norm[j] = 1 / Math.sqrt(norm[j]!);
  for (let i = 0; i < k; i++) scaleRowKernel(k, v, i * k, norm);
  // final order of all n eigenvalues: the roots ascend, the deflated values nearly do (a rotation moves
  // a value back by less than the gap it closed), so insertion-sort those and merge
  const values = new Float64Array(n);
  for (let j = 0; j < k; j++) values[j] = dl[origin[j]!]! + shift[j]!;
  const nd = deflated.length;
  const byValue = new Int32Array(nd);
  for (let m = 0; m < nd; m++) {
    values[k + m] = dd[deflated[m]!]!;
    byValue[m] = k + m;
  }
  sortIndexKernel(values, byValue, nd);
  const position = new Int32Array(n);
  for (let s = 0, a = 0, b = 0; s < n; s++) {
    const next = b >= nd || (a < k && values[a]! <= values[byValue[b]!]!) ? a++ : byValue[b++]!;
    position[next] = s;
    d[off + s] = values[next]!;
  }
  // deflated vectors: rows of the (rotated) diag(Q1, Q2)^T
  for (let m = 0; m < deflated.length; m++) {
    const p = deflated[m]!;
    zt.set(qb.subarray(p * n, p * n + n), position[k + m]! * n);
  }
  if (k === 0) return true;
  // kept vectors: V^T (diag(Q1, Q2)^T)[kept, :] in slot order; the top-only rows have no right part and
  // the bottom-only rows no left part
  const ag = work.ag;
  for (let i = 0; i < k; i++) {
    const p = kept[i]!;
    ag.set(qb.subarray(p * n, p * n + n), slot[i]! * n);
  }
  const out = qb; // consumed; a part without contributing rows must be cleared, not left stale
  const gemm = work.gemm;
  if (k - c3 > 0) gemm(true, false, k, n1, k - c3, 1, v, 0, k, ag, 0, n, 0, out, 0, n);
  else for (let j = 0; j < k; j++) out.fill(0, j * n, j * n + n1);
  if (k - c1 > 0) gemm(true, false, k, n2, k - c1, 1, v, c1 * k, k, ag, c1 * n + n1, n, 0, out, n1, n);
  else for (let j = 0; j < k; j++) out.fill(0, j * n + n1, j * n + n);
  for (let j = 0; j < k; j++) zt.set(out.subarray(j * n, j * n + n), position[j]! * n);
  return true;
}

/** Stable insertion sort of idx[0 .. count) by values[idx[.]] ascending; O(count + inversions). */
function sortIndexKernel(values: Float64Array, idx: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const t = idx[i]!;
    const x = values[t]!;
    let j = i - 1;
    while (j >= 0 && values[idx[j]!]! > x) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = t;
  }
}

/** Rows a and b (offsets into x) over columns [from, to): a <- c a + s b, b <- c b - s a. */
function rotateRowsKernel(
  x: Float64Array,
  a: number,
  b: number,
  from: number,
  to: number,
  c: number,
  s: number,
): void {
  for (let i = from; i < to; i++) {
    const u = x[a + i]!;
    const y = x[b + i]!;
    x[a + i] = c * u + s * y;
    x[b + i] = c * y - s * u;
  }
}

/**
 * v[row + j] = d_i - lambda_j (j < k) with lambda_j = d[origin[j]] + shift[j]; returns the Gu-Eisenstat
 * |z_i| = sqrt(|(d_i - lambda_i) prod_{j != i} (d_i - lambda_j) / (d_i - d_j)|). Cost 4 k flops.
 */
function guEisenstatRowKernel(
  k: number,
  i: number,
  d: Float64Array,
  origin: Int32Array,
  shift: Float64Array,
  v: Float64Array,
  row: number,
): number {
  const di = d[i]!;
  for (let j = 0; j < k; j++) v[row + j] = di - d[origin[j]!]! - shift[j]!;
  let prod = v[row + i]!;
  for (let j = 0; j < i; j++) prod *= v[row + j]! / (di - d[j]!);
  for (let j = i + 1; j < k; j++) prod *= v[row + j]! / (di - d[j]!);
  return Math.sqrt(Math.abs(prod));
}

/**
 * Roots j0 .. j1 - 1 of the merge's secular equation (see {@link secularRootKernel}: k poles `d`,
 * weights `z`, rho) into origin[j] and shift[j]. Returns false if one did not converge. Cost O(k) per
 * iteration per root.
 */
export function secularRootsKernel(
  k: number,
  d: Float64Array,
  z: Float64Array,
  rho: number,
  j0: number,
  j1: number,
  origin: Int32Array,
  shift: Float64Array,
): boolean {
  const res = new Float64Array(2);
  for (let j = j0; j < j1; j++) {
    if (!secularRootKernel(k, d, z, rho, j, res)) return false;
    origin[j] = res[0]!;
    shift[j] = res[1]!;
  }
  return true;
}

/**
 * Rows i0 .. i1 - 1 of the (unnormalised) merge matrix: row slot[i] of `v` (k x k) gets
 * z_i / (d_i - lambda_j), j < k, with the Gu-Eisenstat |z_i| signed as w_i and lambda_j =
 * d[origin[j]] + shift[j]. The arithmetic of the fused loop of mergeBlocks, without the column norms.
 * Cost about 8 k flops per row.
 */
export function mergeRowsKernel(
  k: number,
  d: Float64Array,
  origin: Int32Array,
  shift: Float64Array,
  w: Float64Array,
  slot: Int32Array,
  v: Float64Array,
  i0: number,
  i1: number,
): void {
  for (let i = i0; i < i1; i++) {
    const row = slot[i]! * k;
    const zi = guEisenstatRowKernel(k, i, d, origin, shift, v, row);
    const zs = w[i]! >= 0 ? zi : -zi;
    for (let j = 0; j < k; j++) v[row + j] = zs / v[row + j]!;
  }
}

/** v[row + j] = zi / v[row + j], norm[j] += its square, for j < k. */
function vectorRowKernel(k: number, zi: number, v: Float64Array, row: number, norm: Float64Array): void {
  for (let j = 0; j < k; j++) {
    const x = zi / v[row + j]!;
    v[row + j] = x;
    norm[j]! += x * x;
  }
}

/** v[row + j] *= scale[j] for j < k. */
function scaleRowKernel(k: number, v: Float64Array, row: number, scale: Float64Array): void {
  for (let j = 0; j < k; j++) v[row + j]! *= scale[j]!;
}

/**
 * Root j (0-based, ascending) of the secular equation 1 / rho + sum_i z_i^2 / (d_i - lambda) = 0 for
 * strictly increasing `d` (k entries), nonzero `z` and rho > 0 (LAPACK dlaed4). The root is returned in
 * local coordinates as lambda = d[res[0]] + res[1], the origin being the nearer pole, so that
 * d_i - lambda = (d_i - d[origin]) - res[1] keeps full relative accuracy near the pole. Iterates with the
 * "middle way" rational model of Li (1994) safeguarded by bisection on a bracket. Returns false if it did not converge in DC_MAX_ITER steps. Cost O(k) per iteration.
 */
export function secularRootKernel(
  k: number,
  d: Float64Array,
  z: Float64Array,
  rho: number,
  j: number,
  res: Float64Array,
): boolean {
  const eps = Number.EPSILON;
  const rhoinv = 1 / rho;
  if (k === 1) {
    res[0] = 0;
    res[1] = rho * z[0]! * z[0]!;
    return true;
  }
  const last = j === k - 1;
  let org: number;
  let lo: number;
  let hi: number;
  if (last) {
    let zz = 0;
    for (let i = 0; i < k; i++) zz += z[i]! * z[i]!;
    org = k - 1;
    lo = 0;
    hi = rho * zz;
  } else {
    const mid = (d[j + 1]! - d[j]!) / 2;
    let f = rhoinv;
    for (let i = 0; i < k; i++) f += (z[i]! * z[i]!) / (d[i]! - d[j]! - mid);
    if (f >= 0) {
      org = j;
      lo = 0;
      hi = mid;
    } else {
      org = j + 1;
      lo = -mid;
      hi = 0;
    }
  }
  // pole groups: psi over i <= ia (pole ia), phi over i >= ia + 1 (pole ia + 1)
  const ia = last ? k - 2 : j;
  const dorg = d[org]!;
  // start at the far end of the bracket (the midpoint, or rho z^T z for the last root): there the
  // rational model of the first step already sees both poles
  let tau = org === j ? hi : lo;
  for (let iter = 0; iter < DC_MAX_ITER; iter++) {
    let psi = 0;
    let dpsi = 0;
    let err = 0;
    for (let i = 0; i <= ia; i++) {
      const t = z[i]! / (d[i]! - dorg - tau);
      psi += z[i]! * t;
      dpsi += t * t;
      err += psi;
    }
    err = Math.abs(err);
    let phi = 0;
    let dphi = 0;
    for (let i = k - 1; i > ia; i--) {
      const t = z[i]! / (d[i]! - dorg - tau);
      phi += z[i]! * t;
      dphi += t * t;
      err += phi;
    }
    const fw = rhoinv + psi + phi;
    const dw = dpsi + dphi;
    err = 8 * (phi - psi) + err + 2 * rhoinv + Math.abs(tau) * dw;
    if (Math.abs(fw) <= eps * err) break;
    if (fw < 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    let eta: number;
    if (iter >= DC_BISECT_AFTER) eta = Number.NaN;
    else {
      const da = d[ia]! - dorg - tau;
      const db = d[ia + 1]! - dorg - tau;
      let c = fw - da * dpsi - db * dphi;
      const a = (da + db) * fw - da * db * dw;
      const b = da * db * fw;
      if (last) {
        if (c < 0) c = -c;
        const disc = Math.sqrt(Math.abs(a * a - 4 * b * c));
        if (c === 0) eta = hi - tau;
        else if (a >= 0) eta = (a + disc) / (2 * c);
        else eta = (2 * b) / (a - disc);
      } else {
        const disc = Math.sqrt(Math.abs(a * a - 4 * b * c));
        if (c === 0) eta = b / a;
        else if (a <= 0) eta = (a - disc) / (2 * c);
        else eta = (2 * b) / (a + disc);
      }
      if (!(fw * eta < 0)) eta = -fw / dw; // wrong direction: Newton
    }
    let next = tau + eta;
    if (!(next > lo && next < hi)) next = fw < 0 ? (tau + hi) / 2 : (lo + tau) / 2;
    if (!(next > lo && next < hi) || next === tau) break; // bracket exhausted at working precision
    tau = next;
    if (iter === DC_MAX_ITER - 1) return false;
  }
  res[0] = org;
  res[1] = tau;
  return Number.isFinite(tau);
}
