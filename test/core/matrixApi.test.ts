/**
 * The four linear-algebra functions of the root entry that took positional sizes (`gemm`, `thinSvd`,
 * `topSingularTriplets`, `qrOrthonormalize`) take a `Matrix { data, rows, cols }`:
 * - swapped shapes throw a ShapeError naming both sizes (before, `thinSvd(a, n, m)` ran silently on the
 *   misread matrix, and the other three only caught a swap when the lengths happened to differ), and
 *   the flat positional call of the kernel tier is refused with a DomainError;
 * - results are bit-identical to the previous positional API, kept here verbatim as `legacy*` (the
 *   validation left out: it only threw), on seeded matrices of several shapes.
 */
import { describe, expect, it } from 'vitest';
import { thinSvd } from '../../src/core/decompose.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { type GemmOptions, gemm, gemmKernel } from '../../src/core/gemm.js';
import { thinSvdKernel } from '../../src/core/linalg/bidiagonal.js';
import { qrOrthonormalize, qrOrthonormalizeKernel } from '../../src/core/linalg/qr.js';
import { topSingularTriplets } from '../../src/core/linalg/randomized.js';
import { fixColumnSigns } from '../../src/core/linalg/util.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import { type FloatArray, matrix } from '../../src/core/tensor.js';

/**
 * How many entries of `x` and `y` differ in their bits (signed zeros and NaN payloads included), or -1
 * if their types or lengths differ: 0 means bit-identical.
 */
function differingBits(x: FloatArray, y: FloatArray): number {
  if (x.constructor !== y.constructor || x.length !== y.length) return -1;
  const bx = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const by = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  let count = 0;
  for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) count++;
  return count;
}

// ---- the previous positional API (commit 7cd8e9e), verbatim but for its argument checks ----

function legacyGemm<T extends FloatArray>(
  out: T | null,
  a: T,
  b: FloatArray,
  m: number,
  n: number,
  k: number,
  options: GemmOptions = {},
): T {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const c = out ?? (new (a.constructor as new (len: number) => T)(m * n) as T);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  gemmKernel(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
  return c;
}

function legacyThinSvd(a: ArrayLike<number>, m: number, n: number) {
  const r = Math.min(m, n);
  const u = new Float64Array(m * r);
  const s = new Float64Array(r);
  const v = new Float64Array(n * r);
  thinSvdKernel(a, m, n, u, s, v);
  return { u, s, v, m, n, rank: r };
}

function legacyQrOrthonormalize(
  a: ArrayLike<number>,
  m: number,
  k: number,
  out?: Float64Array,
): Float64Array {
  const q = out ?? new Float64Array(m * k);
  return qrOrthonormalizeKernel(a, m, k, q);
}

function legacyTopSingularTriplets(
  a: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  options: { rng: Rng; oversample?: number; powerIterations?: number },
) {
  const oversample = options.oversample ?? 10;
  const power = options.powerIterations ?? 2;
  const mat = a instanceof Float64Array ? a : Float64Array.from(a);
  const l = Math.min(m, n, k + oversample);
  const omega = options.rng.fillNormal(new Float64Array(n * l));
  const y = new Float64Array(m * l);
  const q = new Float64Array(m * l);
  const zt = new Float64Array(n * l);
  const qz = new Float64Array(n * l);
  gemmKernel(false, false, m, l, n, 1, mat, 0, n, omega, 0, l, 0, y, 0, l);
  qrOrthonormalizeKernel(y, m, l, q);
  for (let it = 0; it < power; it++) {
    gemmKernel(true, false, n, l, m, 1, mat, 0, n, q, 0, l, 0, zt, 0, l);
    qrOrthonormalizeKernel(zt, n, l, qz);
    gemmKernel(false, false, m, l, n, 1, mat, 0, n, qz, 0, l, 0, y, 0, l);
    qrOrthonormalizeKernel(y, m, l, q);
  }
  const b = new Float64Array(l * n);
  gemmKernel(true, false, l, n, m, 1, q, 0, l, mat, 0, n, 0, b, 0, n);
  const ub = new Float64Array(l * l);
  const sb = new Float64Array(l);
  const vb = new Float64Array(n * l);
  thinSvdKernel(b, l, n, ub, sb, vb);
  const u = new Float64Array(m * k);
  gemmKernel(false, false, m, k, l, 1, q, 0, l, ub, 0, l, 0, u, 0, k);
  const v = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) v[i * k + j] = vb[i * l + j]!;
  const s = sb.slice(0, k);
  const av = new Float64Array(m * k);
  gemmKernel(false, false, m, k, n, 1, mat, 0, n, v, 0, k, 0, av, 0, k);
  const residuals = new Float64Array(k);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < k; j++) {
      const r = av[i * k + j]! - s[j]! * u[i * k + j]!;
      residuals[j] += r * r;
    }
  for (let j = 0; j < k; j++) residuals[j] = Math.sqrt(residuals[j]!);
  fixColumnSigns(u, m, k, v, n);
  return { u, s, v, residuals, m, n, k };
}

// ---- tests ----

const SHAPES: readonly (readonly [number, number])[] = [
  [1, 1],
  [7, 3],
  [3, 7],
  [40, 40],
  [90, 35],
  [35, 90],
];

describe('gemm takes Matrix operands', () => {
  it('is bit-identical to the positional gemm: both backends, float32/float64, transposes, alpha, beta', () => {
    const rng = createRng('matrixApi-gemm');
    for (const T of [Float64Array, Float32Array])
      for (const [m, n, k] of [
        [1, 1, 1],
        [2, 5, 3],
        [33, 17, 40], // large enough for the WebAssembly kernel
        [90, 64, 120],
      ] as const)
        for (const transA of [false, true])
          for (const transB of [false, true]) {
            const a = rng.fillNormal(new T(m * k));
            const b = rng.fillNormal(new T(k * n));
            const c0 = rng.fillNormal(new T(m * n));
            const options = { transA, transB, alpha: 0.75, beta: -0.5 };
            const before = legacyGemm(c0.slice(), a, b, m, n, k, options);
            const A = transA ? matrix(a, k, m) : matrix(a, m, k);
            const B = transB ? matrix(b, n, k) : matrix(b, k, n);
            const out = matrix(c0.slice(), m, n);
            const after = gemm(out, A, B, options);
            expect(after).toBe(out);
            expect(differingBits(after.data, before)).toBe(0);
            const fresh = gemm(null, A, B, { transA, transB });
            expect([fresh.rows, fresh.cols, fresh.data.constructor]).toEqual([m, n, T]);
            expect(differingBits(fresh.data, legacyGemm(null, a, b, m, n, k, { transA, transB }))).toBe(0);
          }
  });

  it('swapped operand or output shapes throw naming both sizes; Int8Array spins are refused with the fix', () => {
    const rng = createRng('matrixApi-gemm-swap');
    const a = matrix(rng.fillNormal(new Float64Array(4 * 6)), 4, 6);
    const b = rng.fillNormal(new Float64Array(6 * 5));
    // before: gemm(null, a, b, 4, 5, 6) and a swapped (4, 6, 5) read the same 30 numbers both ways
    expect(() => gemm(null, a, matrix(b, 5, 6))).toThrow(ShapeError);
    expect(() => gemm(null, a, matrix(b, 5, 6))).toThrow(
      'gemm: b.rows: expected 6 (the inner size, a.cols), received 5',
    );
    expect(() => gemm(null, a, matrix(b, 6, 5), { transA: true })).toThrow(
      'gemm: b.rows: expected 4 (the inner size, a.rows), received 6',
    );
    expect(() => gemm(null, a, matrix(b, 6, 5), { transB: true })).toThrow(
      'gemm: b.cols: expected 6 (the inner size, a.cols), received 5',
    );
    expect(() => gemm(matrix(new Float64Array(20), 5, 4), a, matrix(b, 6, 5))).toThrow(
      'gemm: out.rows: expected 4 (the rows of op(a), a.rows), received 5',
    );
    // the same numbers read as B^T (5 x 6) are a valid operand with transB: the product with B^T
    const bt = gemm(null, a, matrix(b, 5, 6), { transB: true });
    expect([bt.rows, bt.cols]).toEqual([4, 5]);
    expect(() => gemm(null, matrix(Int8Array.of(1, -1, 1, -1), 2, 2) as never, matrix(b, 2, 15))).toThrow(
      /gemm: a.data: expected a Float64Array or Float32Array \(gemm is float arithmetic: convert other entries, e.g. Float64Array.from\(spins\)\), received Int8Array\(4\)/,
    );
    // the positional call of the old API (now the kernel tier's form) is refused
    expect(() => (gemm as (...args: unknown[]) => unknown)(null, a.data, b, 4, 5, 6)).toThrow(
      'gemm: a: expected a Matrix { data, rows, cols } (see matrix()), received Float64Array(24)',
    );
  });
});

describe('thinSvd takes a Matrix and returns u, v as Matrix', () => {
  it('is bit-identical to the positional thinSvd on seeded tall, wide and square matrices', () => {
    const rng = createRng('matrixApi-svd');
    for (const [m, n] of SHAPES) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const before = legacyThinSvd(a, m, n);
      const after = thinSvd(matrix(a, m, n));
      const r = Math.min(m, n);
      expect([after.u.rows, after.u.cols, after.v.rows, after.v.cols]).toEqual([m, r, n, r]);
      expect([after.m, after.n, after.rank]).toEqual([m, n, r]);
      expect(differingBits(after.u.data, before.u)).toBe(0);
      expect(differingBits(after.s, before.s)).toBe(0);
      expect(differingBits(after.v.data, before.v)).toBe(0);
      // an Array of numbers gives the same bits as its Float64Array
      expect(differingBits(thinSvd(matrix(Array.from(a), m, n)).s, before.s)).toBe(0);
    }
  });

  it('the old silent swap is gone: the flat call is refused, a wrong length throws, the factors carry their shapes', () => {
    const rng = createRng('matrixApi-svd-swap');
    const a = rng.fillNormal(new Float64Array(4 * 6));
    // before: thinSvd(a, 6, 4) ran on the misread 6 x 4 matrix, with other singular values
    expect(Array.from(legacyThinSvd(a, 6, 4).s)).not.toEqual(Array.from(legacyThinSvd(a, 4, 6).s));
    expect(() => (thinSvd as (...args: unknown[]) => unknown)(a, 6, 4)).toThrow(DomainError);
    expect(() => thinSvd({ data: a, rows: 5, cols: 4 })).toThrow(
      'thinSvd: a.data: expected 20 elements (5 x 4), received 24',
    );
    // the factors feed gemm with their shapes: U (4 x 4) times V (6 x 4) needs V^T
    const { u, s, v } = thinSvd(matrix(a, 4, 6));
    expect(() => gemm(null, u, v)).toThrow('gemm: b.rows: expected 4 (the inner size, a.cols), received 6');
    const us = matrix(
      u.data.map((x, i) => x * s[i % u.cols]!),
      u.rows,
      u.cols,
    );
    const back = gemm(null, us, v, { transB: true }); // U diag(s) V^T = A
    expect([back.rows, back.cols]).toEqual([4, 6]);
    for (let i = 0; i < a.length; i++) expect(Math.abs(back.data[i]! - a[i]!)).toBeLessThan(1e-13);
  });
});

describe('topSingularTriplets takes a Matrix and returns u, v as Matrix', () => {
  it('is bit-identical to the positional topSingularTriplets (same seed), tall and wide, k = 1..min', () => {
    const rng = createRng('matrixApi-top');
    for (const [m, n] of SHAPES) {
      const a = rng.fillNormal(new Float64Array(m * n));
      for (const k of [...new Set([1, Math.min(3, m, n), Math.min(m, n)])]) {
        const options = { oversample: 4, powerIterations: 2 };
        const before = legacyTopSingularTriplets(a, m, n, k, { ...options, rng: createRng(k) });
        const after = topSingularTriplets(matrix(a, m, n), k, { ...options, rng: createRng(k) });
        expect([after.u.rows, after.u.cols, after.v.rows, after.v.cols]).toEqual([m, k, n, k]);
        expect([after.m, after.n, after.k]).toEqual([m, n, k]);
        expect(differingBits(after.u.data, before.u)).toBe(0);
        expect(differingBits(after.s, before.s)).toBe(0);
        expect(differingBits(after.v.data, before.v)).toBe(0);
        expect(differingBits(after.residuals, before.residuals)).toBe(0);
      }
    }
  });

  it('the flat call is refused, k is bounded by the smaller side, a wrong length throws', () => {
    const a = createRng(5).fillNormal(new Float64Array(8 * 3));
    const rng = createRng(1);
    expect(() => (topSingularTriplets as (...args: unknown[]) => unknown)(a, 8, 3, 2, { rng })).toThrow(
      'topSingularTriplets: a: expected a Matrix { data, rows, cols } (see matrix()), received Float64Array(24)',
    );
    expect(() => topSingularTriplets(matrix(a, 8, 3), 4, { rng })).toThrow(
      'topSingularTriplets: k: expected an integer in [1, 3], received 4',
    );
    expect(() => topSingularTriplets({ data: a, rows: 3, cols: 7 }, 1, { rng })).toThrow(
      'topSingularTriplets: a.data: expected 21 elements (3 x 7), received 24',
    );
  });
});

describe('qrOrthonormalize takes a Matrix and returns Q as a Matrix', () => {
  it('is bit-identical to the positional qrOrthonormalize, with and without out', () => {
    const rng = createRng('matrixApi-qr');
    for (const [m, k] of [
      [1, 1],
      [7, 3],
      [40, 40],
      [90, 35],
      [120, 70],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * k));
      const before = legacyQrOrthonormalize(a, m, k);
      const after = qrOrthonormalize(matrix(a, m, k));
      expect([after.rows, after.cols]).toEqual([m, k]);
      expect(differingBits(after.data, before)).toBe(0);
      const out = matrix(new Float64Array(m * k).fill(Number.NaN), m, k);
      expect(qrOrthonormalize(matrix(a, m, k), out)).toBe(out);
      expect(differingBits(out.data, before)).toBe(0);
    }
  });

  it('a wide (swapped) matrix, a swapped out and the flat call throw', () => {
    const a = createRng(9).fillNormal(new Float64Array(5 * 3));
    // before: qrOrthonormalize(a, 5, 3) and (a, 3, 5) passed the length check; the second threw only
    // because k > m, and a square swap went through
    expect(() => qrOrthonormalize(matrix(a, 3, 5))).toThrow(
      'qrOrthonormalize: a.cols: expected at most a.rows = 3 columns, received 5',
    );
    expect(() => qrOrthonormalize(matrix(a, 5, 3), matrix(new Float64Array(15), 3, 5))).toThrow(
      'qrOrthonormalize: out.rows: expected 5 (a.rows), received 3',
    );
    expect(() => (qrOrthonormalize as (...args: unknown[]) => unknown)(a, 5, 3)).toThrow(DomainError);
  });
});
