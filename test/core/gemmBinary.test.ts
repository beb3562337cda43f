import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gemmKernel, gemmWasmAvailable, setGemmBackend } from '../../src/core/gemm.js';
import {
  GEMM_BINARY_MAX_DENSITY,
  gemmBinaryKernel,
  gemmBinaryLoadMaxAbs,
  gemmBinaryLoadTransposed,
  gemmBinaryPrepare,
  gemmBinaryRun,
  setGemmBinaryMaxDensity,
} from '../../src/core/gemmBinary.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/tensor.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** Index of the first element whose bits differ (Object.is, so +0 and -0 differ), or -1. */
function firstDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

interface Case {
  transA: boolean;
  transB?: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  density: number;
  pad: number;
}

function operands(rng: Rng, T: Ctor, cs: Case) {
  const rowsA = cs.transA ? cs.k : cs.m;
  const colsA = cs.transA ? cs.m : cs.k;
  const lda = colsA + cs.pad;
  const a = new T(cs.pad + rowsA * lda).fill(0.5); // junk between rows: the kernel must not read it
  for (let r = 0; r < rowsA; r++) {
    for (let q = 0; q < colsA; q++) a[cs.pad + r * lda + q] = rng.uniform() < cs.density ? 1 : 0;
  }
  const ldb = (cs.transB ? cs.k : cs.n) + cs.pad;
  const b = rng.fillNormal(new T(cs.pad + (cs.transB ? cs.n : cs.k) * ldb));
  const ldc = cs.n + cs.pad;
  const c = rng.fillNormal(new T(cs.pad + cs.m * ldc));
  // zeros of both signs in C: an empty depth block must leave -0 as the dense kernel does (-0 + +0 = +0)
  for (let i = 0; i < c.length; i += 7) c[i] = i % 2 === 0 ? -0 : 0;
  if (cs.beta === 0) c.fill(Number.NaN, cs.pad); // beta = 0 overwrites NaN
  return { a, lda, b, ldb, c, ldc };
}

const CASES: Case[] = [
  { transA: false, m: 100, n: 500, k: 784, alpha: 1, beta: 1, density: 0.13, pad: 0 }, // RBM hidden input
  { transA: true, m: 784, n: 500, k: 100, alpha: -1 / 100, beta: 0, density: 0.13, pad: 0 }, // gradient
  { transA: true, m: 784, n: 500, k: 100, alpha: 1 / 100, beta: 1, density: 0.5, pad: 0 },
  { transA: false, m: 13, n: 37, k: 600, alpha: -0.75, beta: 0.5, density: 0.3, pad: 3 },
  { transA: true, m: 9, n: 21, k: 300, alpha: 2, beta: -1.5, density: 0.02, pad: 5 }, // empty blocks
  { transA: false, m: 6, n: 17, k: 2300, alpha: 1, beta: 0, density: 0.4, pad: 1 }, // > 2048: two chunks
  { transA: false, m: 8, n: 9, k: 40, alpha: -1, beta: 1, density: 0, pad: 2 }, // all zero: C = -0 + C
  { transA: true, m: 5, n: 16, k: 257, alpha: 0.3, beta: 0, density: 1, pad: 0 }, // all ones
  // op(B) = B^T: an RBM's visible inputs a + h W^T from 0/1 hidden samples
  { transA: false, transB: true, m: 100, n: 784, k: 500, alpha: 1, beta: 1, density: 0.5, pad: 0 },
  { transA: true, transB: true, m: 11, n: 29, k: 530, alpha: -0.5, beta: 0, density: 0.3, pad: 3 },
];

describe.runIf(gemmWasmAvailable())('gemmBinaryKernel (0/1 left factor as sums of rows)', () => {
  // the kernel's bits at every density (its default declines above GEMM_BINARY_MAX_DENSITY, tested below)
  beforeAll(() => setGemmBinaryMaxDensity(1));
  afterAll(() => setGemmBinaryMaxDensity(GEMM_BINARY_MAX_DENSITY));
  afterEach(() => setGemmBackend('auto'));
  for (const T of [Float64Array, Float32Array] as const) {
    for (const [index, cs] of CASES.entries()) {
      it(`equals gemmKernel bit for bit: ${T.name}, case ${index} (${cs.transA ? 'A^T' : 'A'}${cs.transB ? ' B^T' : ''} ${cs.m}x${cs.n}x${cs.k}, alpha ${cs.alpha.toFixed(3)}, beta ${cs.beta})`, () => {
        const rng = createRng(100 + index);
        const { a, lda, b, ldb, c, ldc } = operands(rng, T, cs);
        const { transA, m, n, k, alpha, beta, pad } = cs;
        const transB = cs.transB === true;
        const dense = (out: FloatArray): void =>
          gemmKernel(transA, transB, m, n, k, alpha, a, pad, lda, b, pad, ldb, beta, out, pad, ldc);
        const binary = (out: FloatArray, reload: boolean): boolean =>
          gemmBinaryKernel(
            0,
            reload,
            transA,
            transB,
            m,
            n,
            k,
            alpha,
            a,
            pad,
            lda,
            b,
            pad,
            ldb,
            beta,
            out,
            pad,
            ldc,
          );
        const expected = c.slice();
        dense(expected);
        expect(binary(c, true)).toBe(true);
        expect(firstDifference(c, expected)).toBe(-1);
        // the resident copy of B serves a second product without reloading, with the same bits
        const again = c.slice().fill(beta === 0 ? Number.NaN : 0.25);
        const denseAgain = again.slice();
        dense(denseAgain);
        expect(binary(again, false)).toBe(true);
        expect(firstDifference(again, denseAgain)).toBe(-1);
      });
    }
  }

  it('mixed precision follows gemmKernel: float32 C with float64 operands is computed in float64', () => {
    const rng = createRng(7);
    const m = 20;
    const n = 30;
    const k = 400;
    const a = Float64Array.from({ length: m * k }, () => (rng.uniform() < 0.2 ? 1 : 0));
    const b = rng.fillNormal(new Float32Array(k * n));
    const c = rng.fillNormal(new Float32Array(m * n));
    const dense = c.slice();
    gemmKernel(false, false, m, n, k, 0.1, a, 0, k, b, 0, n, 1, dense, 0, n);
    expect(gemmBinaryKernel(1, true, false, false, m, n, k, 0.1, a, 0, k, b, 0, n, 1, c, 0, n)).toBe(true);
    expect(firstDifference(c, dense)).toBe(-1);
  });

  for (const T of [Float64Array, Float32Array]) {
    it(`${T.name}: lists -0 as a zero and declines near-ones, tiny values and NaN, either orientation`, () => {
      const rng = createRng(13);
      const [m, n, k] = [9, 24, 70];
      const b = rng.fillNormal(new T(k * n));
      const bt = rng.fillNormal(new T(m * n));
      const a = new T(m * k);
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform() < 0.3 ? 1 : rng.uniform() < 0.5 ? -0 : 0;
      // op(A) = A (m x k) times B (k x n), and op(A) = A^T (k x m) times Bt (m x n)
      const c = new T(m * n);
      expect(gemmBinaryKernel(5, true, false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n)).toBe(true);
      const dense = new T(m * n);
      gemmKernel(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, dense, 0, n);
      expect(firstDifference(c, dense)).toBe(-1);
      const ct = new T(k * n);
      expect(gemmBinaryKernel(6, true, true, false, k, n, m, 1, a, 0, k, bt, 0, n, 0, ct, 0, n)).toBe(true);
      const denseT = new T(k * n);
      gemmKernel(true, false, k, n, m, 1, a, 0, k, bt, 0, n, 0, denseT, 0, n);
      expect(firstDifference(ct, denseT)).toBe(-1);
      for (const bad of [1 + 2 ** -20, 2 ** -30, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        // a bad value among zeros (the listing skips four zeros at once), then near the end
        const lone = new T(m * k);
        lone[k + 6] = bad;
        lone[2 * k + 1] = 1;
        expect(gemmBinaryKernel(5, true, false, false, m, n, k, 1, lone, 0, k, b, 0, n, 0, c, 0, n)).toBe(
          false,
        );
        expect(gemmBinaryKernel(6, true, true, false, k, n, m, 1, lone, 0, k, bt, 0, n, 0, ct, 0, n)).toBe(
          false,
        );
        const odd = a.slice();
        odd[m * k - 2] = bad;
        expect(gemmBinaryKernel(5, true, false, false, m, n, k, 1, odd, 0, k, b, 0, n, 0, c, 0, n)).toBe(
          false,
        );
        expect(gemmBinaryKernel(6, true, true, false, k, n, m, 1, odd, 0, k, bt, 0, n, 0, ct, 0, n)).toBe(
          false,
        );
      }
    });
  }

  for (const T of [Float64Array, Float32Array]) {
    it(`${T.name}: B^T copied from the slot holding B equals B^T loaded from the array`, () => {
      // an RBM's x = v W (slot 7 holds W, nv x nh), then y = h W^T with W^T from slot 7 into slot 8
      const rng = createRng(14);
      for (const [nv, nh] of [
        [37, 21],
        [64, 33],
        [30, 40],
      ] as const) {
        const rows = 6;
        const w = rng.fillNormal(new T(nv * nh));
        const v = new T(rows * nv);
        for (let i = 0; i < v.length; i++) v[i] = rng.uniform() < 0.3 ? 1 : 0;
        const h = new T(rows * nh);
        for (let i = 0; i < h.length; i++) h[i] = rng.uniform() < 0.3 ? 1 : 0;
        const x = new T(rows * nh);
        expect(
          gemmBinaryKernel(7, true, false, false, rows, nh, nv, 1, v, 0, nv, w, 0, nh, 0, x, 0, nh),
        ).toBe(true);
        const single = T === Float32Array;
        // the wrong source (another array, or a shape that is not the transpose) is refused
        expect(gemmBinaryLoadTransposed(7, 8, w.slice(), 0, nh, nh, nv, single)).toBe(false);
        expect(gemmBinaryLoadTransposed(7, 8, w, 0, nh, nv, nh, single)).toBe(false);
        expect(gemmBinaryLoadTransposed(7, 8, w, 0, nh, nh, nv, single)).toBe(true);
        const y = new T(rows * nv);
        expect(
          gemmBinaryKernel(8, false, false, true, rows, nv, nh, 1, h, 0, nh, w, 0, nh, 0, y, 0, nv),
        ).toBe(true);
        const dense = new T(rows * nv);
        gemmKernel(false, true, rows, nv, nh, 1, h, 0, nh, w, 0, nh, 0, dense, 0, nv);
        expect(firstDifference(y, dense)).toBe(-1);
        // W changes (a training step): slot 7 reloaded, and a product with reload and transposeFrom 7
        // takes the new W^T from there, never the stale one of slot 8
        for (let i = 0; i < w.length; i++) w[i] = w[i]! * 0.5 + 0.25;
        expect(
          gemmBinaryKernel(7, true, false, false, rows, nh, nv, 1, v, 0, nv, w, 0, nh, 0, x, 0, nh),
        ).toBe(true);
        expect(gemmBinaryPrepare(8, true, false, true, rows, nv, nh, 1, h, 0, nh, w, 0, nh, y, 7)).toBe(true);
        expect(gemmBinaryRun(8, rows, nv, nh, 1, 0, y, 0, nv)).toBe(true);
        gemmKernel(false, true, rows, nv, nh, 1, h, 0, nh, w, 0, nh, 0, dense, 0, nv);
        expect(firstDifference(y, dense)).toBe(-1);
      }
    });
  }

  for (const T of [Float64Array, Float32Array]) {
    it(`${T.name}: gemmBinaryLoadMaxAbs gives max |B| (NaN with a NaN) and loads B for a product without reload`, () => {
      const rng = createRng(16);
      for (const [k, n] of [
        [37, 21],
        [20, 64],
        [9, 3],
      ] as const) {
        const b = rng.fillNormal(new T(k * n));
        const single = T === Float32Array;
        let expected = 0;
        for (const x of b) expected = Math.max(expected, Math.abs(x));
        expect(gemmBinaryLoadMaxAbs(9, b, 0, n, k, n, single)).toBe(expected);
        b[k * n - 1] = -4 * expected; // the largest magnitude last, negative, in the tail of a row
        expect(gemmBinaryLoadMaxAbs(9, b, 0, n, k, n, single)).toBe(4 * expected);
        // the slot now holds b: a product with reload false uses it (equals the dense product)
        const m = 8;
        const a = new T(m * k);
        for (let i = 0; i < a.length; i++) a[i] = rng.uniform() < 0.3 ? 1 : 0;
        const c = new T(m * n);
        if (m * n * k >= 512) {
          expect(gemmBinaryKernel(9, false, false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n)).toBe(
            true,
          );
          const dense = new T(m * n);
          gemmKernel(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, dense, 0, n);
          expect(firstDifference(c, dense)).toBe(-1);
        }
        // with B^T into slot 10 as well: the same maximum, found while transposing, and a product
        // with op(B) = B^T on slot 10 without reload uses it
        b[3] = -5 * expected;
        expect(gemmBinaryLoadMaxAbs(9, b, 0, n, k, n, single, 10)).toBe(Math.abs(b[3]!));
        const ht = new T(m * n);
        for (let i = 0; i < ht.length; i++) ht[i] = rng.uniform() < 0.3 ? 1 : 0;
        const y = new T(m * k);
        if (m * n * k >= 512) {
          expect(gemmBinaryKernel(10, false, false, true, m, k, n, 1, ht, 0, n, b, 0, n, 0, y, 0, k)).toBe(
            true,
          );
          const denseT = new T(m * k);
          gemmKernel(false, true, m, k, n, 1, ht, 0, n, b, 0, n, 0, denseT, 0, k);
          expect(firstDifference(y, denseT)).toBe(-1);
        }
        b[(k >> 1) * n + 1] = Number.NaN;
        expect(gemmBinaryLoadMaxAbs(9, b, 0, n, k, n, single)).toBeNaN();
        expect(gemmBinaryLoadMaxAbs(9, b, 0, n, k, n, single, 10)).toBeNaN();
        expect(gemmBinaryLoadMaxAbs(9, new T(k * n).fill(-0), 0, n, k, n, single)).toBe(0);
        expect(gemmBinaryLoadMaxAbs(9, new T(k * n).fill(-0), 0, n, k, n, single, 10)).toBe(0);
      }
    });
  }

  it('declines, leaving C untouched, for non-binary A, tiny products and the TypeScript backend', () => {
    const rng = createRng(8);
    const m = 8;
    const n = 8;
    const k = 64;
    const a = Float64Array.from({ length: m * k }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const b = rng.fillNormal(new Float64Array(k * n));
    const c = rng.fillNormal(new Float64Array(m * n));
    const before = c.slice();
    const grey = a.slice();
    grey[m * k - 1] = 0.5; // the last element: the check runs to the end
    expect(gemmBinaryKernel(0, true, false, false, m, n, k, 1, grey, 0, k, b, 0, n, 1, c, 0, n)).toBe(false);
    const spins = a.map((x) => 2 * x - 1);
    expect(gemmBinaryKernel(0, true, false, false, m, n, k, 1, spins, 0, k, b, 0, n, 1, c, 0, n)).toBe(false);
    const withNaN = a.slice();
    withNaN[3] = Number.NaN;
    expect(gemmBinaryKernel(0, true, false, false, m, n, k, 1, withNaN, 0, k, b, 0, n, 1, c, 0, n)).toBe(
      false,
    );
    expect(gemmBinaryKernel(0, true, false, false, 3, n, k, 1, a, 0, k, b, 0, n, 1, c, 0, n)).toBe(false); // m < 4
    expect(gemmBinaryKernel(0, true, false, false, 4, 2, 2, 1, a, 0, k, b, 0, n, 1, c, 0, n)).toBe(false); // m n k < 512
    expect(gemmBinaryKernel(0, true, false, false, m, n, k, 0, a, 0, k, b, 0, n, 1, c, 0, n)).toBe(false); // alpha 0
    setGemmBackend('typescript');
    expect(gemmBinaryKernel(0, true, false, false, m, n, k, 1, a, 0, k, b, 0, n, 1, c, 0, n)).toBe(false);
    expect(firstDifference(c, before)).toBe(-1);
  });

  it('reloads B when asked not to but the slot holds another array or shape', () => {
    const rng = createRng(9);
    const m = 12;
    const n = 24;
    const k = 50;
    const a = Float64Array.from({ length: m * k }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const b1 = rng.fillNormal(new Float64Array(k * n));
    const b2 = rng.fillNormal(new Float64Array(k * n));
    const c = new Float64Array(m * n);
    expect(gemmBinaryKernel(2, true, false, false, m, n, k, 1, a, 0, k, b1, 0, n, 0, c, 0, n)).toBe(true);
    const out: FloatArray = new Float64Array(m * n);
    expect(gemmBinaryKernel(2, false, false, false, m, n, k, 1, a, 0, k, b2, 0, n, 0, out, 0, n)).toBe(true);
    const dense = new Float64Array(m * n);
    gemmKernel(false, false, m, n, k, 1, a, 0, k, b2, 0, n, 0, dense, 0, n);
    expect(firstDifference(out, dense)).toBe(-1);
  });

  it('declines above the density cut-off, loading nothing, and takes the product at or below it', () => {
    const rng = createRng(10);
    const m = 10;
    const n = 40;
    const k = 100;
    const a = new Float64Array(m * k);
    const ones = Math.floor(0.4 * m * k);
    for (let i = 0; i < ones; i++) a[(i * 7) % (m * k)] = 1; // exactly 40% ones
    const b = rng.fillNormal(new Float64Array(k * n));
    const c = new Float64Array(m * n);
    setGemmBinaryMaxDensity(0.3);
    expect(gemmBinaryKernel(4, true, false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n)).toBe(false);
    expect(c.every((x) => x === 0)).toBe(true);
    setGemmBinaryMaxDensity(0.4);
    expect(gemmBinaryKernel(4, true, false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n)).toBe(true);
    const dense = new Float64Array(m * n);
    gemmKernel(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, dense, 0, n);
    expect(firstDifference(c, dense)).toBe(-1);
    expect(() => setGemmBinaryMaxDensity(1.5)).toThrow(
      /setGemmBinaryMaxDensity: fraction: expected a number in \[0, 1\]/,
    );
    setGemmBinaryMaxDensity(1);
  });
  for (const T of [Float64Array, Float32Array]) {
    it(`${T.name}: two products kept in the kernel's memory (copyOut false, then copyIn false) equal the two calls`, () => {
      // the RBM gradient: C = -1/nb S^T H + 1/nc Sneg^T Hneg (beta = 0, then beta = 1 on the kept C)
      const rng = createRng(12);
      const [m, n, k1, k2] = [70, 45, 30, 20];
      const ones = (length: number, p: number): FloatArray => {
        const x = new T(length);
        for (let i = 0; i < length; i++) x[i] = rng.uniform() < p ? 1 : 0;
        return x;
      };
      const s1 = ones(k1 * m, 0.2);
      const s2 = ones(k2 * m, 0.3);
      const h1 = rng.fillUniform(new T(k1 * n));
      const h2 = rng.fillUniform(new T(k2 * n));
      const twoCalls = new T(m * n);
      expect(
        gemmBinaryKernel(1, true, true, false, m, n, k1, -1 / k1, s1, 0, m, h1, 0, n, 0, twoCalls, 0, n),
      ).toBe(true);
      expect(
        gemmBinaryKernel(1, true, true, false, m, n, k2, 1 / k2, s2, 0, m, h2, 0, n, 1, twoCalls, 0, n),
      ).toBe(true);
      const kept = new T(m * n).fill(Number.NaN); // never read: the first run overwrites, the second keeps
      expect(gemmBinaryPrepare(1, true, true, false, m, n, k1, -1 / k1, s1, 0, m, h1, 0, n, kept)).toBe(true);
      expect(gemmBinaryRun(1, m, n, k1, -1 / k1, 0, kept, 0, n, true, false)).toBe(true);
      expect(kept.every((x) => Number.isNaN(x))).toBe(true); // nothing copied out yet
      expect(gemmBinaryPrepare(1, true, true, false, m, n, k2, 1 / k2, s2, 0, m, h2, 0, n, kept)).toBe(true);
      expect(gemmBinaryRun(1, m, n, k2, 1 / k2, 1, kept, 0, n, false, true)).toBe(true);
      expect(firstDifference(kept, twoCalls)).toBe(-1);
      // nothing kept any more: a run asking for the kept C declines, writing nothing
      const untouched = new T(m * n).fill(7);
      expect(gemmBinaryPrepare(1, true, true, false, m, n, k2, 1 / k2, s2, 0, m, h2, 0, n, untouched)).toBe(
        true,
      );
      expect(gemmBinaryRun(1, m, n, k2, 1 / k2, 1, untouched, 0, n, false, true)).toBe(false);
      expect(untouched.every((x) => x === 7)).toBe(true);
    });
  }
});
