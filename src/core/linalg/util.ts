/**
 * Small shared helpers of the dense linear-algebra kernels: robust hypotenuse, transposition and the
 * sign convention that makes eigen- and singular vectors deterministic.
 * @module
 */

/** sqrt(a^2 + b^2) without destructive underflow or overflow. */
export function hypotenuse(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/** out (cols x rows) = a^T for a row-major rows x cols matrix; `out` must not alias `a`. Cost O(rows cols). */
export function transposeKernel(
  out: Float64Array,
  a: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  const block = 32;
  for (let i0 = 0; i0 < rows; i0 += block) {
    const i1 = Math.min(rows, i0 + block);
    for (let j0 = 0; j0 < cols; j0 += block) {
      const j1 = Math.min(cols, j0 + block);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = a[i * cols + j]!;
    }
  }
  return out;
}

/**
 * The sign that makes each column of a row-major rows x cols matrix have its largest-magnitude entry
 * positive (the first one on ties): sign[j] = -1 where column j must be flipped, else 1; null if no column
 * needs it. Cost O(rows cols) reads.
 */
export function columnSigns(columns: Float64Array, rows: number, cols: number): Float64Array | null {
  const best = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) {
      const x = columns[row + j]!;
      if (Math.abs(x) > Math.abs(best[j]!)) best[j] = x;
    }
  }
  let any = false;
  const sign = new Float64Array(cols).fill(1);
  for (let j = 0; j < cols; j++) {
    if (best[j]! < 0) {
      sign[j] = -1;
      any = true;
    }
  }
  return any ? sign : null;
}

/**
 * Make each column of a row-major rows x cols matrix have its largest-magnitude entry positive (the first
 * one on ties); when a column is flipped, the same column of `partner` (partnerRows x cols) is flipped too,
 * so U and V of an SVD stay consistent. Cost O((rows + partnerRows) cols).
 */
export function fixColumnSigns(
  columns: Float64Array,
  rows: number,
  cols: number,
  partner?: Float64Array,
  partnerRows = 0,
): void {
  const sign = columnSigns(columns, rows, cols);
  if (sign === null) return;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) if (sign[j]! < 0) columns[i * cols + j] = -columns[i * cols + j]!;
  if (partner)
    for (let i = 0; i < partnerRows; i++)
      for (let j = 0; j < cols; j++) if (sign[j]! < 0) partner[i * cols + j] = -partner[i * cols + j]!;
}

/**
 * The upper-triangular factor T (nb x nb, row-major) of a block of Householder reflectors, so that
 * H_0 H_1 ... H_{nb-1} = I - V T V^T (LAPACK dlarft, forward, columnwise). Row p of `vp` (length `mm`,
 * row-major nb x mm) is reflector p with its unit lead at index p and zeros before it; `tau[tauOffset + p]`
 * is its scale. `z` is scratch of length >= nb. Overwrites `t`. Cost O(nb^2 mm).
 */
export function triangularFactorKernel(
  vp: Float64Array,
  mm: number,
  nb: number,
  tau: Float64Array,
  tauOffset: number,
  t: Float64Array,
  z: Float64Array,
): void {
  t.fill(0, 0, nb * nb);
  for (let i = 0; i < nb; i++) {
    const ti = tau[tauOffset + i]!;
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    // z[p] = V[p, :] . V[i, :] for p < i (V[i, q] = 0 for q < i)
    const ri = i * mm;
    for (let p = 0; p < i; p++) {
      const rp = p * mm;
      let dot = 0;
      for (let q = i; q < mm; q++) dot += vp[rp + q]! * vp[ri + q]!;
      z[p] = dot;
    }
    triangularFactorColumn(t, nb, i, ti, z, 0, 1);
  }
}

/**
 * The upper-triangular factor T (nb x nb, row-major) of H_0 ... H_{nb-1} = I - V^T T V from the Gram
 * matrix g = V V^T (nb x nb, row-major; only its strict upper triangle is read) and the scales
 * tau[tauOffset ..] (LAPACK dlarft, forward, with the dot products of the reflectors taken from one
 * GEMM): T[0:i, i] = -tau_i T[0:i, 0:i] g[0:i, i]. Overwrites `t`. Cost nb^3 / 3 flops.
 */
export function triangularFactorFromGramKernel(
  g: Float64Array,
  nb: number,
  tau: Float64Array,
  tauOffset: number,
  t: Float64Array,
): void {
  t.fill(0, 0, nb * nb);
  for (let i = 0; i < nb; i++) {
    const ti = tau[tauOffset + i]!;
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    triangularFactorColumn(t, nb, i, ti, g, i, nb); // z[q] = g[q, i]
  }
}

/**
 * Column i of dlarft's T (nb x nb, row-major): T[0:i, i] = -tau_i T[0:i, 0:i] z, with z[q] =
 * zs[zAt + q zStride] (the reflectors' dot products V[q, :] . V[i, :]). The one recurrence of
 * {@link triangularFactorKernel} and {@link triangularFactorFromGramKernel}. Cost i^2 / 2 multiply-adds.
 */
function triangularFactorColumn(
  t: Float64Array,
  nb: number,
  i: number,
  ti: number,
  zs: Float64Array,
  zAt: number,
  zStride: number,
): void {
  for (let p = 0; p < i; p++) {
    let acc = 0;
    for (let q = p; q < i; q++) acc += t[p * nb + q]! * zs[zAt + q * zStride]!;
    t[p * nb + i] = -ti * acc;
  }
}

/**
 * A zeroed Float64Array of `length` elements, on a SharedArrayBuffer when `shared` (so that a threaded
 * GEMM, e.g. `createThreadedGemm` in `coarsegrain/parallel`, can split products over its workers).
 */
export function allocFloat64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}
