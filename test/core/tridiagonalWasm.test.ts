import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/core/decompose.js';
import { setGemmBackend } from '../../src/core/gemm.js';
import {
  symmetricLowerMatVecKernel,
  tridiagonalizeKernel,
  tridiagonalQlKernel,
} from '../../src/core/linalg/tridiagonal.js';
import {
  assembleTridiagonal,
  renderTridiagonalGenerated,
  tridiagonalGeneratedPath,
  tridiagonalWatPath,
} from '../../src/core/linalg/wasm/assemble.js';
import { tridiagonalWasm, tridiagonalWasmAvailable } from '../../src/core/linalg/wasm/tridiagonalWasm.js';
import { createRng } from '../../src/core/rng.js';
import { randomSymmetric } from './linalg-fixtures.js';

afterEach(() => setGemmBackend('auto'));

const EPS = Number.EPSILON;

describe('tridiagonalisation WebAssembly kernels', () => {
  it('the embedded modules (plain and shared memory) equal a fresh assembly of tridiagonal.wat', async () => {
    const { bytes, sharedBytes } = await assembleTridiagonal(readFileSync(tridiagonalWatPath, 'utf8'));
    expect(readFileSync(tridiagonalGeneratedPath, 'utf8')).toBe(
      renderTridiagonalGenerated(bytes, sharedBytes),
    );
    // the shared build is the same code: only the memory's limits flag differs (1: maximum; 3: maximum, shared)
    const differ = [...bytes.keys()].filter((i) => bytes[i] !== sharedBytes[i]);
    expect(sharedBytes.length).toBe(bytes.length);
    expect(differ.map((i) => [bytes[i], sharedBytes[i]])).toEqual([[1, 3]]);
  });

  it.runIf(tridiagonalWasmAvailable())(
    'symv_lower agrees with the TypeScript kernel (sizes around the 4-row and 2-lane steps, unaligned offsets)',
    () => {
      const rng = createRng(71);
      for (const mt of [1, 2, 3, 4, 5, 7, 8, 9, 130, 131]) {
        const lda = mt + 3;
        const aOff = 2 * lda + 1; // odd: rows start off 16-byte alignment
        const vOff = aOff + (mt + 1) * lda;
        const pOff = vOff + mt + 1;
        const w = tridiagonalWasm(pOff + mt + 2)!;
        const mem = w.mem;
        mem.fill(0, 0, pOff + mt + 2);
        const data = rng.fillNormal(new Float64Array(vOff + mt));
        mem.set(data.subarray(0, vOff + mt));
        mem[pOff - 1] = 99;
        mem[pOff + mt] = 99;
        w.exports.symv_lower(mt, aOff * 8, lda * 8, vOff * 8, pOff * 8);
        const ts = new Float64Array(mt);
        symmetricLowerMatVecKernel(mt, data, aOff, lda, data, vOff, ts, 0);
        expect(mem[pOff - 1]).toBe(99);
        expect(mem[pOff + mt]).toBe(99);
        for (let i = 0; i < mt; i++) {
          // both sum mt products of O(1) terms: rounding differs by the summation order only
          let bound = 0;
          for (let j = 0; j < mt; j++)
            bound += Math.abs(data[aOff + Math.max(i, j) * lda + Math.min(i, j)]! * data[vOff + j]!);
          expect(Math.abs(mem[pOff + i]! - ts[i]!)).toBeLessThanOrEqual(2 * mt * EPS * bound);
        }
      }
    },
  );

  it.runIf(tridiagonalWasmAvailable())(
    'panel_sub is bit-identical to the element-wise formula; panel_dots agrees with exact-order dots',
    () => {
      const rng = createRng(72);
      for (const [len, q] of [
        [1, 1],
        [2, 2],
        [7, 3],
        [64, 4],
        [65, 5],
        [33, 0],
      ] as const) {
        const ld = len + 5;
        const vt = 3;
        const wt = vt + q * ld + 1;
        const cv = wt + q * ld;
        const cw = cv + q + 1;
        const out = cw + q + 1;
        const dw = out + len + 1;
        const dv = dw + q + 1;
        const size = dv + q + 1;
        const w = tridiagonalWasm(size)!;
        const mem = w.mem;
        mem.set(rng.fillNormal(new Float64Array(size)));
        const before = mem.slice(0, size);
        w.exports.panel_sub(out * 8, len, vt * 8, wt * 8, ld * 8, q, cv * 8, cw * 8);
        for (let j = 0; j < len; j++) {
          let x = before[out + j]!;
          let r = 0;
          for (; r + 2 <= q; r += 2)
            x -=
              before[cv + r]! * before[vt + r * ld + j]! +
              before[cw + r]! * before[wt + r * ld + j]! +
              before[cv + r + 1]! * before[vt + (r + 1) * ld + j]! +
              before[cw + r + 1]! * before[wt + (r + 1) * ld + j]!;
          if (r < q)
            x -= before[cv + r]! * before[vt + r * ld + j]! + before[cw + r]! * before[wt + r * ld + j]!;
          expect(mem[out + j]).toBe(x);
        }
        expect(mem[out + len]).toBe(before[out + len]);
        // dots of V_r and W_r with x = the (updated) out vector
        w.exports.panel_dots(vt * 8, wt * 8, ld * 8, q, out * 8, len, dw * 8, dv * 8);
        for (let r = 0; r < q; r++) {
          let sw = 0;
          let sv = 0;
          let bound = 0;
          for (let j = 0; j < len; j++) {
            sw += mem[wt + r * ld + j]! * mem[out + j]!;
            sv += mem[vt + r * ld + j]! * mem[out + j]!;
            bound +=
              (Math.abs(mem[wt + r * ld + j]!) + Math.abs(mem[vt + r * ld + j]!)) * Math.abs(mem[out + j]!);
          }
          expect(Math.abs(mem[dw + r]! - sw)).toBeLessThanOrEqual(2 * len * EPS * bound);
          expect(Math.abs(mem[dv + r]! - sv)).toBeLessThanOrEqual(2 * len * EPS * bound);
        }
        expect(mem[dw + q]).toBe(before[dw + q]);
      }
    },
  );

  it('the reduction on the WebAssembly kernels and on the TypeScript kernels agree to rounding; each is deterministic', () => {
    const rng = createRng(73);
    const n = 161; // two blocked panels and the unblocked tail
    const a = randomSymmetric(rng, n);
    const run = () => {
      const d = new Float64Array(n);
      const e = new Float64Array(n);
      const t = new Float64Array(n);
      const w = a.slice();
      tridiagonalizeKernel(w, n, d, e, t);
      return { d, e, t, w };
    };
    const fast = run();
    expect(run()).toEqual(fast);
    setGemmBackend('typescript');
    const slow = run();
    expect(run()).toEqual(slow);
    let norm = 0;
    for (let i = 0; i < n * n; i++) norm += a[i]! * a[i]!;
    norm = Math.sqrt(norm);
    // both are orthogonal similarity transforms of A (backward stable): the eigenvalues of the two
    // tridiagonals agree to O(n eps ||A||_F) (Weyl), whatever the rounding differences in T itself
    const eig = (t: { d: Float64Array; e: Float64Array }) => {
      const d = t.d.slice();
      tridiagonalQlKernel(d, t.e.slice(), null, n);
      return d.sort();
    };
    const ef = eig(fast);
    const es = eig(slow);
    for (let i = 0; i < n; i++) expect(Math.abs(ef[i]! - es[i]!)).toBeLessThanOrEqual(n * EPS * norm);
    // and the eigen-decomposition on either path is bit-for-bit repeatable
    const once = symmetricEigen(a, n);
    expect(symmetricEigen(a, n)).toEqual(once);
  });
});
