/**
 * Symmetric eigen-decomposition by Householder tridiagonalisation followed by the implicit QL algorithm
 * with Wilkinson-type shifts (Golub & Van Loan, Matrix Computations, 4th ed., sections 8.3.1 and 8.3.5;
 * the QL variant follows EISPACK tql2). Memory layout is chosen so that every O(n^3) inner loop runs over
 * contiguous rows: the reduction works on the upper triangle (row k's tail is column k's sub-diagonal
 * part), and rotations are accumulated into the rows of Q^T. Eigenvectors come from inverse iteration, or
 * from divide and conquer (./divideConquer.ts) where clusters make inverse iteration expensive. The
 * memory-bound kernels of the blocked reduction run in WebAssembly SIMD (./wasm/tridiagonal.wat) when the
 * GEMM backend does, on a workspace in that module's memory (shared where the engine allows, so that a
 * second thread can take part of each rank-2k update in place). With a threaded product that has a spawn
 * (./spawn.ts), steps that need no product of their own run on its worker: half of each rank-2k update,
 * the largest block's eigenvalues, half the back-transformation's columns; the same operations as in one
 * thread, so the same bits.
 * @module
 */
import { type GemmKernelFunction, gemmBackend, gemmKernel } from '../gemm.js';
import { tridiagonalDivideConquerKernel } from './divideConquer.js';
import { linalgSpawnFor } from './spawn.js';
import { columnSigns, hypotenuse, triangularFactorFromGramKernel } from './util.js';
import { tridiagonalWasm } from './wasm/tridiagonalWasm.js';

const TRD_BLOCK = 32;
/**
 * Smallest tridiagonal block whose eigenvectors go to divide and conquer when inverse iteration is not
 * used; below it QL with vectors is as fast (divide and conquer solves its leaves of up to 32 by QL).
 */
const EIGEN_DC_MIN = 64;
/** Rows of the trailing matrix per GEMM call of the lower-triangle (syr2k-style) panel update. */
const TRD_STRIP = 128;

/**
 * p[po .. po + mt) = S v for the symmetric mt x mt matrix S stored at `a[off + i * lda + j]`, reading its
 * lower triangle only (j <= i), v at `v[vo ..]` (LAPACK dsymv, lower). Four rows per pass: each row's dot
 * with v and its mirrored axpy into p share the loads, so every stored entry is read once for 4 flops
 * (about 1.5 times the speed of a dot product over both triangles in TypeScript). `p` must not alias `a`
 * or `v`. Cost 2 mt^2 flops, mt^2 / 2 reads.
 */
export function symmetricLowerMatVecKernel(
  mt: number,
  a: Float64Array,
  off: number,
  lda: number,
  v: Float64Array,
  vo: number,
  p: Float64Array,
  po: number,
): void {
  p.fill(0, po, po + mt);
  let i = 0;
  for (; i + 4 <= mt; i += 4) {
    const r0 = off + i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    const v0 = v[vo + i]!;
    const v1 = v[vo + i + 1]!;
    const v2 = v[vo + i + 2]!;
    const v3 = v[vo + i + 3]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < i; j++) {
      const a0 = a[r0 + j]!;
      const a1 = a[r1 + j]!;
      const a2 = a[r2 + j]!;
      const a3 = a[r3 + j]!;
      const x = v[vo + j]!;
      s0 += a0 * x;
      s1 += a1 * x;
      s2 += a2 * x;
      s3 += a3 * x;
      p[po + j]! += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
    }
    // the 4 x 4 diagonal block (lower entries mirrored)
    const a00 = a[r0 + i]!;
    const a10 = a[r1 + i]!;
    const a11 = a[r1 + i + 1]!;
    const a20 = a[r2 + i]!;
    const a21 = a[r2 + i + 1]!;
    const a22 = a[r2 + i + 2]!;
    const a30 = a[r3 + i]!;
    const a31 = a[r3 + i + 1]!;
    const a32 = a[r3 + i + 2]!;
    const a33 = a[r3 + i + 3]!;
    p[po + i]! += s0 + a00 * v0 + a10 * v1 + a20 * v2 + a30 * v3;
    p[po + i + 1]! += s1 + a10 * v0 + a11 * v1 + a21 * v2 + a31 * v3;
    p[po + i + 2]! += s2 + a20 * v0 + a21 * v1 + a22 * v2 + a32 * v3;
    p[po + i + 3]! += s3 + a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3;
  }
  for (; i < mt; i++) {
    const r = off + i * lda;
    const vi = v[vo + i]!;
    let s = 0;
    for (let j = 0; j < i; j++) {
      const aij = a[r + j]!;
      s += aij * v[vo + j]!;
      p[po + j]! += aij * vi;
    }
    p[po + i]! += s + a[r + i]! * vi;
  }
}

/**
 * mem[out + j] -= sum_{r < q} (mem[cv + r] V_r[j] + mem[cw + r] W_r[j]) for j < len, where V_r and W_r
 * start at mem[vt + r ld] and mem[wt + r ld]; two panel rows per pass over `out`, in the order of the
 * WebAssembly `panel_sub` (bit-identical to it). Cost 4 q len.
 */
function subtractPanelKernel(
  mem: Float64Array,
  out: number,
  len: number,
  vt: number,
  wt: number,
  ld: number,
  q: number,
  cv: number,
  cw: number,
): void {
  let r = 0;
  for (; r + 2 <= q; r += 2) {
    const r0 = r * ld;
    const r1 = r0 + ld;
    const v0 = mem[cv + r]!;
    const w0 = mem[cw + r]!;
    const v1 = mem[cv + r + 1]!;
    const w1 = mem[cw + r + 1]!;
    for (let j = 0; j < len; j++)
      mem[out + j]! -=
        v0 * mem[vt + r0 + j]! + w0 * mem[wt + r0 + j]! + v1 * mem[vt + r1 + j]! + w1 * mem[wt + r1 + j]!;
  }
  if (r < q) {
    const r0 = r * ld;
    const v0 = mem[cv + r]!;
    const w0 = mem[cw + r]!;
    for (let j = 0; j < len; j++) mem[out + j]! -= v0 * mem[vt + r0 + j]! + w0 * mem[wt + r0 + j]!;
  }
}

/**
 * mem[dw + r] = W_r . u and mem[dv + r] = V_r . u over len elements for the panel rows r < q (V_r, W_r
 * at mem[vt + r ld], mem[wt + r ld]), u at mem[x ..]; two panel rows per pass. Cost 4 q len.
 */
function panelDotsKernel(
  mem: Float64Array,
  vt: number,
  wt: number,
  ld: number,
  q: number,
  x: number,
  len: number,
  dw: number,
  dv: number,
): void {
  let r = 0;
  for (; r + 2 <= q; r += 2) {
    const r0 = r * ld;
    const r1 = r0 + ld;
    let w0 = 0;
    let v0 = 0;
    let w1 = 0;
    let v1 = 0;
    for (let j = 0; j < len; j++) {
      const u = mem[x + j]!;
      w0 += mem[wt + r0 + j]! * u;
      v0 += mem[vt + r0 + j]! * u;
      w1 += mem[wt + r1 + j]! * u;
      v1 += mem[vt + r1 + j]! * u;
    }
    mem[dw + r] = w0;
    mem[dv + r] = v0;
    mem[dw + r + 1] = w1;
    mem[dv + r + 1] = v1;
  }
  if (r < q) {
    const r0 = r * ld;
    let w0 = 0;
    let v0 = 0;
    for (let j = 0; j < len; j++) {
      const u = mem[x + j]!;
      w0 += mem[wt + r0 + j]! * u;
      v0 += mem[vt + r0 + j]! * u;
    }
    mem[dw + r] = w0;
    mem[dv + r] = v0;
  }
}

/**
 * The memory-bound kernels of the panel factorisation, on element offsets into one array `mem`: the
 * WebAssembly SIMD versions (./wasm/tridiagonal.wat, on the module's memory) or the TypeScript ones.
 */
interface PanelKernels {
  readonly mem: Float64Array;
  /** mem[p .. p + mt) = S mem[v ..], S at mem[a + i lda + j], lower triangle. */
  symv(mt: number, a: number, lda: number, v: number, p: number): void;
  /** See {@link subtractPanelKernel}. */
  sub(out: number, len: number, vt: number, wt: number, ld: number, q: number, cv: number, cw: number): void;
  /** See {@link panelDotsKernel}. */
  dots(vt: number, wt: number, ld: number, q: number, x: number, len: number, dw: number, dv: number): void;
}

/**
 * Largest workspace (doubles) placed in the WebAssembly module's memory: 16M doubles (128 MB, n up to
 * about 4,000). A module's memory never shrinks, so larger reductions use the TypeScript kernels rather
 * than keep more memory for the rest of the process.
 */
const TRD_WASM_MAX_DOUBLES = 1 << 24;

/**
 * Kernels over a workspace of `doubles` elements: in the WebAssembly module's memory when the GEMM
 * backend is WebAssembly SIMD (so `setGemmBackend('typescript')` selects the TypeScript kernels too) and
 * the workspace fits (see TRD_WASM_MAX_DOUBLES), else a Float64Array (on a SharedArrayBuffer when
 * `shared`). The module's memory is itself a SharedArrayBuffer where the engine allows it
 * (./wasm/tridiagonalWasm.ts).
 */
function panelKernels(doubles: number, shared: boolean): PanelKernels {
  const wasm =
    gemmBackend() === 'wasm-simd' && doubles <= TRD_WASM_MAX_DOUBLES ? tridiagonalWasm(doubles) : null;
  if (wasm) {
    const e = wasm.exports;
    return {
      mem: wasm.mem,
      symv: (mt, a, lda, v, p) => e.symv_lower(mt, a * 8, lda * 8, v * 8, p * 8),
      sub: (out, len, vt, wt, ld, q, cv, cw) =>
        e.panel_sub(out * 8, len, vt * 8, wt * 8, ld * 8, q, cv * 8, cw * 8),
      dots: (vt, wt, ld, q, x, len, dw, dv) =>
        e.panel_dots(vt * 8, wt * 8, ld * 8, q, x * 8, len, dw * 8, dv * 8),
    };
  }
  const mem = scratchArray(doubles, shared);
  return {
    mem,
    symv: (mt, a, lda, v, p) => symmetricLowerMatVecKernel(mt, mem, a, lda, mem, v, mem, p),
    sub: (out, len, vt, wt, ld, q, cv, cw) => subtractPanelKernel(mem, out, len, vt, wt, ld, q, cv, cw),
    dots: (vt, wt, ld, q, x, len, dw, dv) => panelDotsKernel(mem, vt, wt, ld, q, x, len, dw, dv),
  };
}

/**
 * The rank-2k update of the blocked reduction on rows r0 .. r1 - 1 of the trailing block (r0 - k1 a
 * multiple of TRD_STRIP): by strips of TRD_STRIP rows, mem[aAt + r n + c] -= sum_q V[q, r] W[q, c] +
 * W[q, r] V[q, c] for k1 <= c < (the strip's end), one `gemm` per strip ([V; W] and [W; V] stored
 * from vAt and wAt as laid out by tridiagonalizeBlocked, nb rows each, leading dimension n). Cost about
 * 2 nb (r1 - r0) (r1 + r0 - 2 k1) flops.
 */
export function rank2kStripsKernel(
  mem: Float64Array,
  n: number,
  nb: number,
  k1: number,
  r0: number,
  r1: number,
  vAt: number,
  wAt: number,
  aAt: number,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  for (let i0 = r0; i0 < r1; i0 += TRD_STRIP) {
    const bi = Math.min(TRD_STRIP, r1 - i0);
    gemm(
      true,
      false,
      bi,
      i0 + bi - k1,
      2 * nb,
      -1,
      mem,
      vAt + i0,
      n,
      mem,
      wAt + k1,
      n,
      1,
      mem,
      aAt + i0 * n + k1,
      n,
    );
  }
}

/**
 * Blocked part of the reduction (LAPACK dsytrd/dlatrd): for each panel of TRD_BLOCK reflectors, rows
 * are updated lazily from the panel's V and W (A22 - V W^T - W V^T), A22 v reads the stale lower
 * triangle of the trailing block ({@link symmetricLowerMatVecKernel} or its WebAssembly SIMD twin), and
 * the lower triangle of the trailing block is updated once per panel by strips of one GEMM each
 * ([V W] [W V]^T, depth 2 nb), in `gemm`. The matrix, V, W and the work vectors live in one workspace
 * (the WebAssembly module's memory when available, see {@link panelKernels}), copied in and out once;
 * when that workspace is on a SharedArrayBuffer, a threaded `gemm` splits these updates over its
 * threads (the same sums, so the same bits).
 * Reads the lower triangle of `a`; leaves the upper triangle of the rows from the returned index on
 * current (mirrored) for the unblocked loop. Returns the index at which the unblocked loop continues.
 */
function tridiagonalizeBlocked(
  a: Float64Array,
  n: number,
  diag: Float64Array,
  offDiag: Float64Array,
  tau: Float64Array,
  gemm: GemmKernelFunction,
): number {
  const nb = TRD_BLOCK;
  if (n < 3 * nb) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i]!;
    return 0;
  }
  // workspace: A (n x n); V (nb rows of n: row q = v of the panel's q-th reflector, zero before k+1),
  // W (nb rows), V again, so [V; W] and [W; V] are both contiguous GEMM operands; p (n); x, y (nb)
  const aAt = 0;
  const vAt = n * n;
  const wAt = vAt + nb * n;
  const pAt = vAt + 3 * nb * n;
  const xAt = pAt + n;
  const yAt = xAt + nb;
  const kern = panelKernels(yAt + nb, gemm !== gemmKernel);
  const mem = kern.mem;
  const spawn =
    gemm !== gemmKernel && mem.buffer instanceof SharedArrayBuffer ? linalgSpawnFor(gemm) : undefined;
  mem.set(a, aAt);
  let k0 = 0;
  for (; k0 + nb < n - nb; k0 += nb) {
    mem.fill(0, vAt, vAt + 2 * nb * n);
    // the panel's rows from the (current) lower triangle, reading it by rows (row j's nb panel columns)
    for (let j = k0 + 1; j < n; j++) {
      const kEnd = Math.min(j, k0 + nb);
      for (let k = k0; k < kEnd; k++) mem[aAt + k * n + j] = mem[aAt + j * n + k]!;
    }
    for (let q = 0; q < nb; q++) {
      const k = k0 + q;
      const off = aAt + k * n;
      // 1. bring row k (entries k..n-1) up to date with the panel's earlier reflectors
      for (let r = 0; r < q; r++) {
        mem[xAt + r] = mem[wAt + r * n + k]!; // coefficient of V_r
        mem[yAt + r] = mem[vAt + r * n + k]!; // coefficient of W_r
      }
      kern.sub(off + k, n - k, vAt + k, wAt + k, n, q, xAt, yAt);
      diag[k] = mem[off + k]!;
      // 2. reflector from a[k, k+1..n-1]
      const alpha = mem[off + k + 1]!;
      let scale = 0;
      for (let j = k + 2; j < n; j++) scale = Math.max(scale, Math.abs(mem[off + j]!));
      const vrow = vAt + q * n;
      const wrow = wAt + q * n;
      if (scale === 0) {
        offDiag[k] = alpha;
        tau[k] = 0;
        mem[off + k + 1] = 1;
        continue; // v = 0 row in V and W: contributes nothing
      }
      scale = Math.max(scale, Math.abs(alpha));
      let xnorm2 = 0;
      for (let j = k + 2; j < n; j++) {
        const t = mem[off + j]! / scale;
        xnorm2 += t * t;
      }
      const as = alpha / scale;
      const beta = (as >= 0 ? -1 : 1) * scale * Math.sqrt(as * as + xnorm2);
      const t = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      mem[off + k + 1] = 1;
      mem[vrow + k + 1] = 1;
      for (let j = k + 2; j < n; j++) {
        const v = mem[off + j]! * inv;
        mem[off + j] = v;
        mem[vrow + j] = v;
      }
      offDiag[k] = beta;
      tau[k] = t;
      // 3. p = A22 v (stale, lower triangle) - V (W^T v) - W (V^T v)
      const mt = n - k - 1;
      kern.symv(mt, aAt + (k + 1) * n + k + 1, n, vrow + k + 1, pAt + k + 1);
      kern.dots(vAt + k + 1, wAt + k + 1, n, q, vrow + k + 1, mt, xAt, yAt); // x_r = W_r . v, y_r = V_r . v
      kern.sub(pAt + k + 1, mt, vAt + k + 1, wAt + k + 1, n, q, xAt, yAt);
      // 4. w = tau p - (tau/2)(tau p . v) v
      let pv = 0;
      for (let j = k + 1; j < n; j++) {
        const pj = mem[pAt + j]! * t;
        mem[pAt + j] = pj;
        pv += pj * mem[vrow + j]!;
      }
      const half = 0.5 * t * pv;
      for (let j = k + 1; j < n; j++) mem[wrow + j] = mem[pAt + j]! - half * mem[vrow + j]!;
    }
    // trailing block, lower triangle by strips of rows (syr2k):
    // A[r, c] -= sum_q V[r,q] W[c,q] + W[r,q] V[c,q] for k1 <= c <= r
    const k1 = k0 + nb;
    mem.copyWithin(vAt + 2 * nb * n, vAt, vAt + nb * n);
    // with a spawn, the strips from about 1 / sqrt 2 of the way down (half the triangle's area) go to
    // the other thread, each thread calling gemmKernel per strip: the same calls as in one thread
    const strips = Math.ceil((n - k1) / TRD_STRIP);
    const mine = spawn ? Math.round((n - k1) / Math.SQRT2 / TRD_STRIP) : strips;
    if (spawn && mine > 0 && mine < strips) {
      const mid = k1 + mine * TRD_STRIP;
      const wait = spawn('rank2k', [mem, n, nb, k1, mid, n, vAt, wAt, aAt]);
      try {
        rank2kStripsKernel(mem, n, nb, k1, k1, mid, vAt, wAt, aAt, gemmKernel);
      } finally {
        wait();
      }
    } else rank2kStripsKernel(mem, n, nb, k1, k1, n, vAt, wAt, aAt, gemm);
  }
  a.set(mem.subarray(aAt, aAt + n * n));
  // the unblocked loop works on the upper triangle of the remaining block
  for (let i = k0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i]!;
  return k0;
}

/**
 * Reduce the symmetric matrix `a` (n x n, row-major, lower triangle read; overwritten) to
 * tridiagonal form T = Q^T A Q. On return `diag` (n) and `offDiag` (n; offDiag[i] = T[i, i+1],
 * offDiag[n-1] = 0) hold T, and row k of `a` holds the Householder vector v_k in columns k+1..n-1
 * (v_k[k+1] = 1) with its scale in `tau[k]`, H_k = I - tau_k v_k v_k^T. Cost 4/3 n^3 flops, half of
 * them in the panels' rank-2k updates, which run in `gemm` (default {@link gemmKernel}; a threaded one
 * such as `createThreadedGemm(...).gemm` splits them over cores with a bit-identical result).
 */
export function tridiagonalizeKernel(
  a: Float64Array,
  n: number,
  diag: Float64Array,
  offDiag: Float64Array,
  tau: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  tau.fill(0);
  const start = tridiagonalizeBlocked(a, n, diag, offDiag, tau, gemm);
  for (let k = start; k < n - 2; k++) {
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
 * Apply plane rotations i = high, high-1, ..., low (in that order) to the rows of the row-major `zt`
 * (rows of length `len`), rotation i acting on rows i and i+1: row i+1 <- s row i + c row i+1,
 * row i <- c row i - s row i+1 (the QL convention). Two rotations per pass over three rows, so each
 * element is loaded and stored about half as often. Cost 6 len (high - low + 1) flops.
 */
function rotateRowsDescendingKernel(
  zt: Float64Array,
  len: number,
  low: number,
  high: number,
  cs: Float64Array,
  sn: Float64Array,
): void {
  let i = high;
  for (; i - 1 >= low; i -= 2) {
    const c1 = cs[i]!;
    const s1 = sn[i]!;
    const c2 = cs[i - 1]!;
    const s2 = sn[i - 1]!;
    const rm = (i - 1) * len;
    const r0 = rm + len;
    const r1 = r0 + len;
    for (let k = 0; k < len; k++) {
      const xm = zt[rm + k]!;
      const x = zt[r0 + k]!;
      const y = zt[r1 + k]!;
      const mid = c1 * x - s1 * y;
      zt[r1 + k] = s1 * x + c1 * y;
      zt[r0 + k] = s2 * xm + c2 * mid;
      zt[rm + k] = c2 * xm - s2 * mid;
    }
  }
  if (i >= low) {
    const c = cs[i]!;
    const s = sn[i]!;
    const r0 = i * len;
    const r1 = r0 + len;
    for (let k = 0; k < len; k++) {
      const x = zt[r0 + k]!;
      const y = zt[r1 + k]!;
      zt[r1 + k] = s * x + c * y;
      zt[r0 + k] = c * x - s * y;
    }
  }
}

/**
 * Implicit QL iteration on the symmetric tridiagonal (diag, offDiag) with the rotations accumulated into
 * the rows of `zt` (n x n, row-major; row i is the i-th column of the accumulated transform, so pass
 * Q^T to get eigenvectors of the original matrix). On return `diag` holds the eigenvalues (unsorted) and
 * row i of `zt` the eigenvector of diag[i]. Returns false if an eigenvalue failed to converge in 60
 * iterations. With `zt === null` only eigenvalues are computed. Cost O(n^2) without vectors plus about
 * 3 n^3 flops of rotations.
 */
export function tridiagonalQlKernel(
  diag: Float64Array,
  offDiag: Float64Array,
  zt: Float64Array | null,
  n: number,
): boolean {
  const d = diag;
  const e = offDiag;
  e[n - 1] = 0;
  const cs = zt ? new Float64Array(n) : null;
  const sn = cs ? new Float64Array(n) : new Float64Array(0);
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
          if (cs) {
            cs[i] = c;
            sn[i] = s;
          }
        }
        // the sweep's rotations (i = m-1 down to l, on rows i and i+1), two per pass over the rows
        if (zt && cs) rotateRowsDescendingKernel(zt, n, l, m - 1, cs, sn);
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

/** Deterministic uniform(-1, 1) start vectors for inverse iteration (xorshift32; no global state). */
function fillStart(x: Float64Array, len: number, seed: number): void {
  let state = (seed * 2654435761 + 12345) >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    x[i] = (state / 4294967296) * 2 - 1;
  }
}

/**
 * Eigenvectors of an unreduced symmetric tridiagonal block (diagonal d, off-diagonal e, size bs) for
 * its eigenvalues `w` (ascending; the first `count`, default all bs) by inverse iteration with partial-pivoting LU of T - lambda I, and
 * modified Gram-Schmidt against the earlier vectors of the same cluster (eigenvalues closer than
 * 1e-3 ||T||_1), following LAPACK dstein (Golub & Van Loan 8.2.2). Row j of `z` (count x bs) receives
 * the unit eigenvector of w[j]. Returns false if some vector did not converge or its residual
 * ||T z - w z|| exceeds bs eps ||T||_1 (large clusters can defeat inverse iteration): the caller then
 * falls back to QL. `clusterTolerance` (default 1e-3, LAPACK's choice) sets the cluster gap relative to
 * ||T||_1; vectors farther apart are orthogonal to about eps / gap without re-orthogonalisation, so a
 * caller that checks orthogonality afterwards may pass a smaller one (fewer, smaller clusters on dense
 * spectra). Cost O(bs) per vector plus O(bs c) per vector in a cluster of size c.
 */
export function tridiagonalInverseIterationKernel(
  d: Float64Array,
  e: Float64Array,
  bs: number,
  w: Float64Array,
  z: Float64Array,
  clusterTolerance = 1e-3,
  count = bs,
): boolean {
  if (bs === 1) {
    z[0] = 1;
    return true;
  }
  let converged = true;
  const eps = Number.EPSILON;
  let onenrm = 0;
  for (let i = 0; i < bs; i++) {
    const x = Math.abs(d[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i < bs - 1 ? Math.abs(e[i]!) : 0);
    if (x > onenrm) onenrm = x;
  }
  const ortol = clusterTolerance * onenrm;
  const dtpcrt = Math.sqrt(0.1 / bs);
  const pivtol = eps * onenrm || Number.MIN_VALUE;
  const dl = new Float64Array(bs);
  const dd = new Float64Array(bs);
  const du = new Float64Array(bs);
  const du2 = new Float64Array(bs);
  const swap = new Uint8Array(bs);
  const piv = new Float64Array(bs);
  const x = new Float64Array(bs);
  let xjm = 0;
  let gpind = 0;
  for (let j = 0; j < count; j++) {
    let xj = w[j]!;
    if (j > 0) {
      const pertol = 10 * Math.abs(eps * xj);
      if (xj - xjm < pertol) xj = xjm + pertol;
      if (Math.abs(xj - xjm) > ortol) gpind = j;
    } else gpind = 0;
    // LU with partial pivoting of T - xj I (LAPACK dgttrf)
    for (let i = 0; i < bs; i++) {
      dd[i] = d[i]! - xj;
      if (i < bs - 1) {
        dl[i] = e[i]!;
        du[i] = e[i]!;
      }
      du2[i] = 0;
    }
    for (let i = 0; i < bs - 1; i++) {
      if (Math.abs(dd[i]!) >= Math.abs(dl[i]!)) {
        swap[i] = 0;
        const fact = dd[i] !== 0 ? dl[i]! / dd[i]! : 0;
        dl[i] = fact;
        dd[i + 1] -= fact * du[i]!;
      } else {
        swap[i] = 1;
        const fact = dd[i]! / dl[i]!;
        dd[i] = dl[i]!;
        dl[i] = fact;
        const temp = du[i]!;
        du[i] = dd[i + 1]!;
        dd[i + 1] = temp - fact * dd[i + 1]!;
        if (i < bs - 2) {
          du2[i] = du[i + 1]!;
          du[i + 1] = -fact * du[i + 1]!;
        }
      }
    }
    // pivots clamped away from zero once per shift (the back substitution divides by them)
    for (let i = 0; i < bs; i++) {
      const p = dd[i]!;
      piv[i] = Math.abs(p) < pivtol ? (p >= 0 ? pivtol : -pivtol) : p;
    }
    const scaleTop = bs * onenrm * Math.max(eps, Math.abs(dd[bs - 1]!));
    fillStart(x, bs, j + 1);
    let nrmchk = 0;
    let its = 0;
    for (; its < 8; its++) {
      let asum = 0;
      for (let i = 0; i < bs; i++) asum += Math.abs(x[i]!);
      const scale = scaleTop / (asum || 1);
      // scale x, then solve L U y = x in place (the scaling of x[i + 1] is fused into step i of L)
      x[0] *= scale;
      for (let i = 0; i < bs - 1; i++) {
        const next = x[i + 1]! * scale;
        if (swap[i] === 0) x[i + 1] = next - dl[i]! * x[i]!;
        else {
          const temp = x[i]!;
          x[i] = next;
          x[i + 1] = temp - dl[i]! * next;
        }
      }
      // back substitution with U (bands du, du2); without a cluster, the max norm in the same pass
      let nrm = 0;
      const lonely = gpind === j;
      x[bs - 1] = x[bs - 1]! / piv[bs - 1]!;
      x[bs - 2] = (x[bs - 2]! - du[bs - 2]! * x[bs - 1]!) / piv[bs - 2]!;
      if (lonely) nrm = Math.max(Math.abs(x[bs - 1]!), Math.abs(x[bs - 2]!));
      for (let i = bs - 3; i >= 0; i--) {
        const xi = (x[i]! - du[i]! * x[i + 1]! - du2[i]! * x[i + 2]!) / piv[i]!;
        x[i] = xi;
        if (lonely) nrm = Math.max(nrm, Math.abs(xi));
      }
      if (!lonely) {
        // re-orthogonalise against the cluster (modified Gram-Schmidt)
        for (let c = gpind; c < j; c++) {
          const row = c * bs;
          let dot = 0;
          for (let i = 0; i < bs; i++) dot += x[i]! * z[row + i]!;
          for (let i = 0; i < bs; i++) x[i] -= dot * z[row + i]!;
        }
        for (let i = 0; i < bs; i++) nrm = Math.max(nrm, Math.abs(x[i]!));
      }
      if (nrm < dtpcrt) continue;
      if (++nrmchk >= 3) break;
    }
    if (its === 8) converged = false;
    // second Gram-Schmidt pass ("twice is enough") against the cluster
    for (let c = gpind; c < j; c++) {
      const row = c * bs;
      let dot = 0;
      for (let i = 0; i < bs; i++) dot += x[i]! * z[row + i]!;
      for (let i = 0; i < bs; i++) x[i] -= dot * z[row + i]!;
    }
    let ss = 0;
    let big = 0;
    for (let i = 0; i < bs; i++) big = Math.max(big, Math.abs(x[i]!));
    for (let i = 0; i < bs; i++) {
      const t = x[i]! / big;
      ss += t * t;
    }
    const inv = 1 / (big * Math.sqrt(ss));
    const row = j * bs;
    for (let i = 0; i < bs; i++) z[row + i] = x[i]! * inv;
    xjm = xj;
    // residual check ||T z - w z||_2
    const lambda = w[j]!;
    let r2 = 0;
    for (let i = 0; i < bs; i++) {
      let r = (d[i]! - lambda) * z[row + i]!;
      if (i > 0) r += e[i - 1]! * z[row + i - 1]!;
      if (i < bs - 1) r += e[i]! * z[row + i + 1]!;
      r2 += r * r;
    }
    if (!(Math.sqrt(r2) <= bs * eps * onenrm)) converged = false;
  }
  return converged;
}

/**
 * Smallest tridiagonal block whose eigenvalues go to another thread (when the product has a spawn, see
 * ./spawn.ts) while this one prepares the back-transformation.
 */
const QL_SPAWN_MIN = 128;

/**
 * Smallest matrix whose back-transformation is split by columns between this thread and the spawn's
 * (see ./spawn.ts), each doing every block on its half.
 */
const BACK_SPAWN_MIN = 128;

/** Side of the tiles in which the blocks' eigenvectors are transposed into place. */
const SCATTER_TILE = 32;

/** Reflectors per block of the back-transformation (the depth of its third product). */
const BACK_BLOCK = 64;

/** A Float64Array of `length` on a SharedArrayBuffer when `shared` (and the engine has one), else plain. */
function scratchArray(length: number, shared: boolean): Float64Array {
  return shared && typeof SharedArrayBuffer === 'function'
    ? new Float64Array(new SharedArrayBuffer(length * 8))
    : new Float64Array(length);
}

/** One block of reflectors of the back-transformation in compact WY form: H_k0 ... H_k0+nb-1 = I - V^T T V. */
export interface ReflectorBlock {
  /** First reflector of the block. */
  readonly k0: number;
  /** Reflectors in the block. */
  readonly nb: number;
  /** Rows they act on: k0 + 1 .. n - 1 (mm = n - k0 - 1). */
  readonly mm: number;
  /** V, nb x mm row-major: row p is reflector k0 + p with its unit lead at p and zeros before it. */
  readonly vp: Float64Array;
  /** T, nb x nb upper triangular (row-major). */
  readonly t: Float64Array;
}

/**
 * The blocks of BACK_BLOCK reflectors of {@link applyTridiagonalQKernel}, last block first, their V
 * copied out of `a` and their T from the Gram matrix V V^T computed in `gemm`; V and T on one
 * SharedArrayBuffer when `shared`. Cost about 2 nb n^2 / 2 flops (the Gram matrices) + nb n^2 / 3.
 */
function reflectorBlocks(
  a: Float64Array,
  n: number,
  tau: Float64Array,
  shared: boolean,
  gemm: GemmKernelFunction,
): ReflectorBlock[] {
  const reflectors = n - 2;
  const nbMax = BACK_BLOCK;
  const lastStart = Math.floor((reflectors - 1) / nbMax) * nbMax;
  let total = 0;
  for (let k0 = lastStart; k0 >= 0; k0 -= nbMax) {
    const nb = Math.min(nbMax, reflectors - k0);
    total += nb * (n - k0 - 1) + nb * nb;
  }
  const store = scratchArray(total, shared);
  const g = scratchArray(nbMax * nbMax, shared);
  const blocks: ReflectorBlock[] = [];
  let at = 0;
  for (let k0 = lastStart; k0 >= 0; k0 -= nbMax) {
    const nb = Math.min(nbMax, reflectors - k0);
    const mm = n - k0 - 1; // rows k0+1..n-1
    const vp = store.subarray(at, at + nb * mm);
    const t = store.subarray(at + nb * mm, at + nb * mm + nb * nb);
    at += nb * mm + nb * nb;
    for (let p = 0; p < nb; p++) {
      const row = p * mm;
      const k = k0 + p;
      vp.fill(0, row, row + p);
      vp[row + p] = 1;
      const src = k * n + k0 + 1;
      for (let i = p + 1; i < mm; i++) vp[row + i] = a[src + i]!;
    }
    gemm(false, true, nb, nb, mm, 1, vp, 0, mm, vp, 0, mm, 0, g, 0, nb);
    triangularFactorFromGramKernel(g, nb, tau, k0, t);
    blocks.push({ k0, nb, mm, vp, t });
  }
  return blocks;
}

/**
 * Z[:, c0:c1] <- Q Z[:, c0:c1] by the blocks of {@link reflectorBlocks} (last first) for a row-major
 * n x cols Z: per block W = V Z[k0+1:, c0:c1], W2 = T W, Z[k0+1:, c0:c1] -= V^T W2, the three products
 * in `gemm` (scratch on SharedArrayBuffers when `shared`). Each column of Z is transformed on its own,
 * so any split of the columns gives the same result. Cost 4 nb mm + 2 nb^2 flops per block and column.
 */
export function applyReflectorBlocksKernel(
  blocks: readonly ReflectorBlock[],
  z: Float64Array,
  cols: number,
  c0: number,
  c1: number,
  gemm: GemmKernelFunction = gemmKernel,
  shared = false,
): void {
  const cw = c1 - c0;
  if (cw <= 0) return;
  const w = scratchArray(BACK_BLOCK * cw, shared);
  const w2 = scratchArray(BACK_BLOCK * cw, shared);
  for (const { k0, nb, mm, vp, t } of blocks) {
    const off = (k0 + 1) * cols + c0;
    gemm(false, false, nb, cw, mm, 1, vp, 0, mm, z, off, cols, 0, w, 0, cw);
    gemm(false, false, nb, cw, nb, 1, t, 0, nb, w, 0, cw, 0, w2, 0, cw);
    gemm(true, false, mm, cw, nb, -1, vp, 0, mm, w2, 0, cw, 1, z, off, cols);
  }
}

/**
 * Z <- Q Z for the Q = H_0 ... H_{n-3} of {@link tridiagonalizeKernel} (reflectors in the rows of `a`,
 * scales in `tau`) and a row-major n x cols matrix Z, with blocks of 64 reflectors in compact WY form
 * (Schreiber & Van Loan 1989; LAPACK dormtr/dlarfb), so the 2 n^2 cols flops run in `gemm` (default
 * {@link gemmKernel}; a threaded one such as `createThreadedGemm(...).gemm` splits them over cores with
 * a bit-identical result, its scratch then on SharedArrayBuffers: pass Z on one too). The triangular
 * factor of each block comes from the Gram matrix of its reflectors, also by GEMM.
 */
export function applyTridiagonalQKernel(
  a: Float64Array,
  n: number,
  tau: Float64Array,
  z: Float64Array,
  cols: number,
  gemm: GemmKernelFunction = gemmKernel,
): void {
  if (n - 2 <= 0) return;
  const shared = gemm !== gemmKernel;
  applyReflectorBlocksKernel(reflectorBlocks(a, n, tau, shared, gemm), z, cols, 0, cols, gemm, shared);
}

/**
 * Sum of squared sizes of the clusters that {@link tridiagonalInverseIterationKernel} (default tolerance)
 * forms on the ascending eigenvalues `w` of the tridiagonal (d, e) of size bs: its re-orthogonalisation
 * costs about this times 2 bs flops per iteration. Cost O(bs).
 */
function clusterWork(d: Float64Array, e: Float64Array, bs: number, w: Float64Array): number {
  let onenrm = 0;
  for (let i = 0; i < bs; i++) {
    const x = Math.abs(d[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i < bs - 1 ? Math.abs(e[i]!) : 0);
    if (x > onenrm) onenrm = x;
  }
  const ortol = 1e-3 * onenrm;
  let work = 0;
  let size = 1;
  for (let j = 1; j <= bs; j++) {
    if (j < bs && Math.abs(w[j]! - w[j - 1]!) <= ortol) size++;
    else {
      work += size * size;
      size = 1;
    }
  }
  return work;
}

/**
 * Unchecked symmetric eigen-decomposition of the symmetric n x n matrix `a` (lower triangle read; overwritten,
 * used as workspace). Writes eigenvalues in descending order to `values` (n) and the eigenvectors as the
 * columns of the row-major n x n `vectors`, each with its largest-magnitude entry positive. `vectors` must
 * not alias `a`. Method: Householder tridiagonalisation; the tridiagonal is split where off-diagonal
 * entries are negligible; eigenvalues of each block by implicit QL without vectors; eigenvectors by
 * inverse iteration with cluster re-orthogonalisation, or, on a block whose clusters would cost more than
 * that (sum of squared cluster sizes > bs^2 / 4, e.g. the many tiny eigenvalues of a covariance matrix)
 * or that fails its residual test, by divide and conquer (`tridiagonalDivideConquerKernel` in ./divideConquer.ts, blocks
 * of 64 and more) or QL with vectors (rotations applied two per pass; smaller blocks, and the fallback if
 * divide and conquer fails); back-transformation by blocked Householder (GEMM).
 * Returns false if the QL iteration failed to converge (never observed for finite input).
 * Cost 4/3 n^3 (reduction: half in GEMM, half in the WebAssembly SIMD symmetric matrix-vector product)
 * + 2 n^3 (back-transformation, GEMM) + O(n^2) flops, plus up to about n^3 flops of GEMM on the
 * divide-and-conquer path (less where components deflate). The reduction's rank-2k updates, the
 * back-transformation and the divide-and-conquer merges run in `gemm` (default {@link gemmKernel}); a
 * threaded one (`createThreadedGemm`) uses more cores and gives a bit-identical result, and when it
 * has a spawn (./spawn.ts) the largest block's eigenvalues are found on its worker while this thread
 * does the other blocks and prepares the back-transformation's blocks of reflectors (and divide and
 * conquer solves the halves of its top split at once): the same operations, so the same bits.
 */
export function symmetricEigenKernel(
  a: Float64Array,
  n: number,
  values: Float64Array,
  vectors: Float64Array,
  gemm: GemmKernelFunction = gemmKernel,
): boolean {
  const diag = new Float64Array(n);
  const offDiag = new Float64Array(n);
  const tau = new Float64Array(n);
  tridiagonalizeKernel(a, n, diag, offDiag, tau, gemm);
  // split into unreduced blocks
  const eps = Number.EPSILON;
  const blockStart: number[] = [0];
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(offDiag[i]!) <= eps * (Math.abs(diag[i]!) + Math.abs(diag[i + 1]!)) || offDiag[i] === 0) {
      offDiag[i] = 0;
      blockStart.push(i + 1);
    }
  }
  blockStart.push(n);
  const eigen = new Float64Array(n); // eigenvalues, ascending within each block
  let ok = true;
  // with a threaded product that has a spawn (./spawn.ts), the largest block's eigenvalues are found on
  // another thread while this one does the other blocks and prepares the back-transformation (the same
  // operations on copies: the same result)
  const parallel = gemm !== gemmKernel && typeof SharedArrayBuffer === 'function';
  let big = 0;
  for (let b = 1; b + 1 < blockStart.length; b++)
    if (blockStart[b + 1]! - blockStart[b]! > blockStart[big + 1]! - blockStart[big]!) big = b;
  const bigStart = blockStart[big]!;
  const bigSize = blockStart[big + 1]! - bigStart;
  const spawn = parallel && bigSize >= QL_SPAWN_MIN ? linalgSpawnFor(gemm) : undefined;
  // block b's diagonal into d and off-diagonal into e (both of the block's length, e zeroed)
  const blockTridiagonal = (b: number, d: Float64Array, e: Float64Array): void => {
    const b0 = blockStart[b]!;
    const bs = blockStart[b + 1]! - b0;
    d.set(diag.subarray(b0, b0 + bs));
    for (let i = 0; i < bs - 1; i++) e[i] = offDiag[b0 + i]!;
  };
  let bigValues: Float64Array | null = null;
  let waitBig: (() => boolean) | null = null;
  let prepared: ReflectorBlock[] | null = null;
  try {
    if (spawn) {
      bigValues = scratchArray(bigSize, true);
      const eBig = scratchArray(bigSize, true);
      blockTridiagonal(big, bigValues, eBig);
      waitBig = spawn('qlValues', [bigValues, eBig, bigSize]);
    }
    for (let b = 0; b + 1 < blockStart.length; b++) {
      if (spawn && b === big) continue;
      const bs = blockStart[b + 1]! - blockStart[b]!;
      const d = new Float64Array(bs);
      const e = new Float64Array(bs);
      blockTridiagonal(b, d, e);
      if (!tridiagonalQlKernel(d, e, null, bs)) ok = false;
      d.sort();
      eigen.set(d, blockStart[b]!);
    }
    // in this thread's product: the other thread is busy
    if (spawn && n > 2) prepared = reflectorBlocks(a, n, tau, true, gemmKernel);
  } finally {
    if (waitBig && !waitBig()) ok = false;
  }
  if (bigValues) {
    bigValues.sort();
    eigen.set(bigValues, bigStart);
  }
  // global descending order: position of each (block-local ascending) eigenvalue
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => eigen[y]! - eigen[x]! || x - y);
  const column = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    column[order[j]!] = j;
    values[j] = eigen[order[j]!]!;
  }
  // with a threaded product, the back-transformation works on a copy on a SharedArrayBuffer
  const threaded = gemm !== gemmKernel && !(vectors.buffer instanceof SharedArrayBuffer);
  const z = threaded ? scratchArray(n * n, true) : vectors;
  z.fill(0);
  for (let b = 0; b + 1 < blockStart.length; b++) {
    const b0 = blockStart[b]!;
    const bs = blockStart[b + 1]! - b0;
    const zb = new Float64Array(bs * bs);
    const d = diag.subarray(b0, b0 + bs);
    const e = offDiag.subarray(b0, b0 + bs);
    if (
      clusterWork(d, e, bs, eigen.subarray(b0, b0 + bs)) > (bs * bs) / 4 ||
      !tridiagonalInverseIterationKernel(d, e, bs, eigen.subarray(b0, b0 + bs), zb)
    ) {
      // large clusters (re-orthogonalisation would cost more than the alternatives) or failed inverse
      // iteration: divide and conquer on large blocks, implicit QL with the rotations accumulated into
      // the block's identity on small ones or if divide and conquer fails
      const dc =
        bs >= EIGEN_DC_MIN &&
        tridiagonalDivideConquerKernel(d.slice(), Float64Array.from(e.subarray(0, bs - 1)), bs, zb, gemm);
      if (!dc) {
        const dq = d.slice();
        const eq = new Float64Array(bs);
        eq.set(e.subarray(0, bs - 1));
        const zt = new Float64Array(bs * bs);
        for (let i = 0; i < bs; i++) zt[i * bs + i] = 1;
        if (!tridiagonalQlKernel(dq, eq, zt, bs)) ok = false;
        const rank = Array.from({ length: bs }, (_, i) => i).sort((x, y) => dq[x]! - dq[y]! || x - y);
        for (let j = 0; j < bs; j++) zb.set(zt.subarray(rank[j]! * bs, rank[j]! * bs + bs), j * bs);
      }
    }
    // z[b0 + i, column[b0 + j]] = zb[j, i], by tiles (a transposition)
    for (let j0 = 0; j0 < bs; j0 += SCATTER_TILE) {
      const j1 = Math.min(bs, j0 + SCATTER_TILE);
      for (let i0 = 0; i0 < bs; i0 += SCATTER_TILE) {
        const i1 = Math.min(bs, i0 + SCATTER_TILE);
        for (let j = j0; j < j1; j++) {
          const col = column[b0 + j]!;
          for (let i = i0; i < i1; i++) z[(b0 + i) * n + col] = zb[j * bs + i]!;
        }
      }
    }
  }
  if (prepared && spawn && n >= BACK_SPAWN_MIN) {
    // the right half of the columns on the other thread, each half through every block with gemmKernel:
    // one hand-over instead of three per block, the same products per column
    const mid = Math.round(n / 16) * 8;
    const wait = spawn('applyReflectors', [prepared, z, n, mid, n]);
    try {
      applyReflectorBlocksKernel(prepared, z, n, 0, mid);
    } finally {
      wait();
    }
  } else if (prepared) applyReflectorBlocksKernel(prepared, z, n, 0, n, gemm, true);
  else applyTridiagonalQKernel(a, n, tau, z, n, gemm);
  // each column's largest-magnitude entry positive, in the copy out of the scratch (x * -1 and x * 1 are
  // exact: the same bits as flipping in place)
  const sign = columnSigns(z, n, n);
  if (sign !== null) {
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) vectors[row + j] = z[row + j]! * sign[j]!;
    }
  } else if (z !== vectors) vectors.set(z);
  return ok;
}
