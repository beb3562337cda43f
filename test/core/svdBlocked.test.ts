/**
 * The thin SVD's fast path: reflectors applied to the bidiagonal's vectors without forming Q (dormbr
 * style), QR first without forming Q, and the bidiagonalisation's matrix-vector products in WebAssembly
 * SIMD. Every bound is stated in units of max(m, n) eps (relative to ||A|| or sigma_max), the form of
 * the backward-stability bounds of Householder bidiagonalisation (Golub & Van Loan, 4th ed., 5.4.8, 8.6).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { thinSvd, thinSvdReference } from '../../src/core/decompose.js';
import { gemmKernel } from '../../src/core/gemm.js';
import { setBidiagonalWasmMin, setSvdQrFirstRatio } from '../../src/core/linalg/bidiagonal.js';
import {
  applyReflectorsTransposedKernel,
  formReflectorProductTransposedKernel,
  qrFactorTransposedKernel,
  qrTransposedKernel,
} from '../../src/core/linalg/qr.js';
import {
  matvecGeneratedPath,
  matvecWatPath,
  renderMatvecGenerated,
} from '../../src/core/linalg/wasm/assemble.js';
import { matvecWasm, matvecWorkspace } from '../../src/core/linalg/wasm/matvecWasm.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { assembleWat } from '../../src/core/wasm/assemble.js';
import {
  frobenius,
  logspace,
  matrixWithSingularValues,
  orthonormalityError,
  reconstructionError,
} from './linalg-fixtures.js';

const EPS = Number.EPSILON;

/** Checks the SVD of `a` against the bounds; returns s. `expected`: known singular values (descending). */
function checkBounds(a: Float64Array, m: number, n: number, expected?: readonly number[]): Float64Array {
  const r = Math.min(m, n);
  const big = Math.max(m, n);
  const { u: U, s, v: V } = thinSvd(matrix(a, m, n));
  const u = U.data;
  const v = V.data;
  // backward error: ||A - U S V^T||_F <= 4 max(m, n) eps ||A||_F
  expect(reconstructionError(a, m, n, u, s, v, r)).toBeLessThan(4 * big * EPS);
  // orthonormality: the inverse-iteration vectors are accepted at 64 n eps (then the reflectors add
  // O(m eps)), the QR fallback is O(max(m, n) eps)
  expect(orthonormalityError(u, m, r)).toBeLessThan(64 * big * EPS);
  expect(orthonormalityError(v, n, r)).toBeLessThan(64 * big * EPS);
  for (let j = 1; j < r; j++) expect(s[j]!).toBeLessThanOrEqual(s[j - 1]!);
  // singular values: Weyl, |sigma_j - s_j| <= ||E||_2 with ||E|| <= 4 max(m, n) eps ||A||_2
  const ref = expected ?? Array.from(thinSvdReference(matrix(a, m, n)).s);
  const top = Math.max(ref[0] ?? 0, s[0]!);
  for (let j = 0; j < r; j++)
    expect(Math.abs(s[j]! - (ref[j] ?? 0))).toBeLessThanOrEqual(4 * big * EPS * top);
  return s;
}

/** Same matrix through both bidiagonalisation back ends (WebAssembly SIMD and TypeScript). */
function bothPaths<T>(fn: () => T): [T, T] {
  const previous = setBidiagonalWasmMin(Number.POSITIVE_INFINITY);
  let ts: T;
  try {
    ts = fn();
  } finally {
    setBidiagonalWasmMin(previous);
  }
  return [fn(), ts];
}

const SHAPES: [number, number][] = [
  [150, 100], // direct (QR first from aspect 5 on; see the QR-first test below)
  [120, 100], // direct bidiagonalisation
  [100, 150], // wide, through A^T
  [130, 130],
  [67, 33], // odd sizes: odd row lengths in the SIMD kernels
];

describe('thinSvd fast path: bounds in units of max(m, n) eps', () => {
  it('random matrices, both back ends, against ml-matrix', () => {
    const rng = createRng(31);
    for (const [m, n] of SHAPES) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const [wasm, ts] = bothPaths(() => checkBounds(a, m, n));
      const r = Math.min(m, n);
      for (let j = 0; j < r; j++)
        expect(Math.abs(wasm[j]! - ts[j]!)).toBeLessThan(8 * Math.max(m, n) * EPS * ts[0]!);
    }
  });

  it('known spectra Q1 diag(s) Q2^T: well conditioned, rank-deficient, clustered', () => {
    const rng = createRng(32);
    for (const [m, n] of SHAPES) {
      const r = Math.min(m, n);
      const spread = logspace(3, 0.5, r);
      checkBounds(matrixWithSingularValues(rng, m, n, spread), m, n, spread);
      const rank = [4, 3, 2, 1, 0.5];
      const padded = [...rank, ...new Array<number>(r - rank.length).fill(0)];
      checkBounds(matrixWithSingularValues(rng, m, n, rank), m, n, padded);
      const pairs = Array.from({ length: r }, (_, j) => 2 - Math.floor(j / 2) / r);
      checkBounds(matrixWithSingularValues(rng, m, n, pairs), m, n, pairs);
    }
  });

  it('graded matrices (rows scaled over 8 decades), tall and wide', () => {
    const rng = createRng(33);
    for (const [m, n] of [
      [140, 90],
      [90, 140],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const scale = logspace(1, 1e-8, m);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[i * n + j]! *= scale[i]!;
      checkBounds(a, m, n);
    }
  });

  it('is deterministic: the same input gives bit-identical output', () => {
    const rng = createRng(34);
    for (const [m, n] of [
      [150, 100],
      [100, 130],
    ] as const) {
      const a = rng.fillNormal(new Float64Array(m * n));
      const x = thinSvd(matrix(a, m, n));
      const y = thinSvd(matrix(a, m, n));
      for (const [p, q] of [
        [x.u.data, y.u.data],
        [x.s, y.s],
        [x.v.data, y.v.data],
      ] as const)
        expect(Buffer.compare(Buffer.from(p.buffer), Buffer.from(q.buffer))).toBe(0);
    }
  });

  it('QR first and direct agree on the same matrix', () => {
    const rng = createRng(35);
    const m = 160;
    const n = 70;
    const a = rng.fillNormal(new Float64Array(m * n));
    const previous = setSvdQrFirstRatio(2);
    try {
      const first = checkBounds(a, m, n);
      setSvdQrFirstRatio(Number.POSITIVE_INFINITY);
      const direct = checkBounds(a, m, n);
      for (let j = 0; j < n; j++)
        expect(Math.abs(first[j]! - direct[j]!)).toBeLessThan(8 * m * EPS * first[0]!);
    } finally {
      setSvdQrFirstRatio(previous);
    }
  });
});

describe('reflector kernels', () => {
  it('applying the QR reflectors to X equals forming Q and multiplying', () => {
    const rng = createRng(36);
    for (const [m, k, rows] of [
      [90, 70, 70],
      [75, 40, 13],
      [33, 33, 5],
    ] as const) {
      const at = rng.fillNormal(new Float64Array(k * m));
      const at2 = at.slice();
      const qt = new Float64Array(k * m);
      qrTransposedKernel(at, m, k, qt, new Float64Array(k));
      const tau = new Float64Array(k);
      qrFactorTransposedKernel(at2, m, k, tau, new Float64Array(k));
      expect(at2).toEqual(at); // the same factorisation
      const formed = new Float64Array(k * m);
      formReflectorProductTransposedKernel(at2, m, 0, k, tau, true, formed, m, k);
      expect(formed).toEqual(qt);
      // X (m x rows) with X^T = [Y^T 0]: (Q [Y; 0])^T = Y^T Q^T
      const y = rng.fillNormal(new Float64Array(rows * k)); // Y^T, rows x k
      const xt = new Float64Array(rows * m);
      for (let i = 0; i < rows; i++) xt.set(y.subarray(i * k, (i + 1) * k), i * m);
      applyReflectorsTransposedKernel(at2, m, 0, k, tau, true, xt, m, rows);
      const expected = new Float64Array(rows * m);
      gemmKernel(false, false, rows, m, k, 1, y, 0, k, qt, 0, m, 0, expected, 0, m);
      let worst = 0;
      for (let i = 0; i < rows * m; i++) worst = Math.max(worst, Math.abs(xt[i]! - expected[i]!));
      expect(worst).toBeLessThan(16 * m * EPS * frobenius(y));
    }
  });
});

describe('WebAssembly matrix-vector kernels (matvec.wat)', () => {
  it('dot_rows, axpy_rows and ger_rows against plain loops (odd lengths, all row remainders)', () => {
    const mv = matvecWasm();
    expect(mv).not.toBeNull();
    const rng = createRng(37);
    for (const [rows, len, lda] of [
      [7, 13, 15],
      [4, 1, 1],
      [9, 16, 20],
      [1, 5, 5],
      [6, 0, 3],
    ] as const) {
      const ws = matvecWorkspace(rows * lda + 2 * len + 2 * rows + 8)!;
      const a = ws.subarray(0, rows * lda);
      const x = ws.subarray(rows * lda, rows * lda + len);
      const y = ws.subarray(rows * lda + len, rows * lda + len + rows);
      const w = ws.subarray(rows * lda + len + rows, rows * lda + len + 2 * rows);
      const z = ws.subarray(rows * lda + len + 2 * rows, rows * lda + 2 * len + 2 * rows);
      rng.fillNormal(a);
      rng.fillNormal(x);
      rng.fillNormal(w);
      rng.fillNormal(z);
      const z0 = z.slice();
      mv!.dot_rows(a.byteOffset, lda * 8, rows, len, x.byteOffset, y.byteOffset);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        let abs = 0;
        for (let i = 0; i < len; i++) {
          s += a[r * lda + i]! * x[i]!;
          abs += Math.abs(a[r * lda + i]! * x[i]!);
        }
        expect(Math.abs(y[r]! - s)).toBeLessThanOrEqual(2 * len * EPS * abs);
      }
      mv!.axpy_rows(a.byteOffset, lda * 8, rows, len, w.byteOffset, z.byteOffset);
      // the order of the TypeScript rowCombinationKernel: four rows per pass, then one at a time
      const expected = z0.slice();
      let r = 0;
      for (; r + 4 <= rows; r += 4)
        for (let i = 0; i < len; i++)
          expected[i]! +=
            w[r]! * a[r * lda + i]! +
            w[r + 1]! * a[(r + 1) * lda + i]! +
            w[r + 2]! * a[(r + 2) * lda + i]! +
            w[r + 3]! * a[(r + 3) * lda + i]!;
      for (; r < rows; r++) for (let i = 0; i < len; i++) expected[i]! += w[r]! * a[r * lda + i]!;
      expect(Array.from(z)).toEqual(Array.from(expected));
      // rank-one update of the rows: a[r, i] += w[r] x[i], one rounding per entry as in the plain loop
      const updated = a.slice();
      for (let q = 0; q < rows; q++) for (let i = 0; i < len; i++) updated[q * lda + i]! += w[q]! * x[i]!;
      mv!.ger_rows(a.byteOffset, lda * 8, rows, len, w.byteOffset, x.byteOffset);
      expect(Array.from(a)).toEqual(Array.from(updated));
    }
  });

  it('the committed module equals a fresh assembly of matvec.wat', async () => {
    const bytes = await assembleWat(readFileSync(matvecWatPath, 'utf8'), 'matvec.wat');
    expect(readFileSync(matvecGeneratedPath, 'utf8')).toBe(renderMatvecGenerated(bytes));
  });
});
