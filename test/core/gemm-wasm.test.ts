import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import {
  gemm,
  gemmBackend,
  gemmKernel,
  gemmReferenceKernel,
  gemmWasmAvailable,
  gemmWasmKernel,
  setGemmBackend,
} from '../../src/core/gemm.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import { type FloatArray, matrix } from '../../src/core/tensor.js';
import { assembleWat, gemmWatPath } from '../../src/core/wasm/assemble.js';
import { gemmWasmBytes } from '../../src/core/wasm/gemmWasm.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  offA: number;
  lda: number;
  offB: number;
  ldb: number;
  offC: number;
  ldc: number;
}

/** Random operands laid out per the case (padding between rows filled with junk). */
function operands(rng: Rng, T: Ctor, cs: Case) {
  const rowsA = cs.transA ? cs.k : cs.m;
  const rowsB = cs.transB ? cs.n : cs.k;
  const a = rng.fillNormal(new T(cs.offA + rowsA * cs.lda));
  const b = rng.fillNormal(new T(cs.offB + rowsB * cs.ldb));
  const c = rng.fillNormal(new T(cs.offC + cs.m * cs.ldc));
  if (cs.beta === 0) c.fill(Number.NaN); // beta = 0 must overwrite NaN
  return { a, b, c };
}

/**
 * Max over C of |C - C_ref| / (|alpha| (|A| |B|)_ij + |beta| |C0_ij|): the error relative to the scale of the
 * terms summed (the standard bound for a dot product), reference in float64. Also checks that entries
 * outside the m x n block are untouched.
 */
function relativeError(cs: Case, a: FloatArray, b: FloatArray, c0: FloatArray, c: FloatArray): number {
  const a64 = Float64Array.from(a);
  const b64 = Float64Array.from(b);
  const ref = Float64Array.from(c0);
  gemmReferenceKernel(
    cs.transA,
    cs.transB,
    cs.m,
    cs.n,
    cs.k,
    cs.alpha,
    a64,
    cs.offA,
    cs.lda,
    b64,
    cs.offB,
    cs.ldb,
    cs.beta,
    ref,
    cs.offC,
    cs.ldc,
  );
  const scale = new Float64Array(c0.length);
  const absA = a64.map(Math.abs);
  const absB = b64.map(Math.abs);
  gemmReferenceKernel(
    cs.transA,
    cs.transB,
    cs.m,
    cs.n,
    cs.k,
    Math.abs(cs.alpha),
    absA,
    cs.offA,
    cs.lda,
    absB,
    cs.offB,
    cs.ldb,
    0,
    scale,
    cs.offC,
    cs.ldc,
  );
  let worst = 0;
  for (let i = 0; i < c.length; i++) {
    const row = Math.floor((i - cs.offC) / cs.ldc);
    const col = (i - cs.offC) % cs.ldc;
    const inside = i >= cs.offC && row < cs.m && col < cs.n;
    if (!inside) {
      if (!Object.is(c[i], c0[i])) return Number.POSITIVE_INFINITY; // touched outside the block
      continue;
    }
    const bound = scale[i]! + (cs.beta === 0 ? 0 : Math.abs(cs.beta * c0[i]!));
    const err = Math.abs(c[i]! - ref[i]!);
    if (!Number.isFinite(c[i]!)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, bound === 0 ? err : err / bound);
  }
  return worst;
}

const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 65, 129];

function randomCase(rng: Rng, sizes?: readonly [number, number, number]): Case {
  const pick = () => SIZES[rng.int(SIZES.length)]!;
  const [m, n, k] = sizes ?? [pick(), pick(), pick()];
  const transA = rng.uniform() < 0.5;
  const transB = rng.uniform() < 0.5;
  const alphas = [1, -1, 0.5, 2.25];
  const betas = [0, 0, 1, -0.75, 3];
  const extra = () => (rng.uniform() < 0.5 ? 0 : 1 + rng.int(5));
  return {
    transA,
    transB,
    m,
    n,
    k,
    alpha: alphas[rng.int(alphas.length)]!,
    beta: betas[rng.int(betas.length)]!,
    offA: extra(),
    lda: (transA ? m : k) + extra(),
    offB: extra(),
    ldb: (transB ? k : n) + extra(),
    offC: extra(),
    ldc: n + extra(),
  };
}

function runCase(T: Ctor, cs: Case, rng: Rng, kernel: typeof gemmKernel): number {
  const { a, b, c } = operands(rng, T, cs);
  const c0 = c.slice();
  kernel(
    cs.transA,
    cs.transB,
    cs.m,
    cs.n,
    cs.k,
    cs.alpha,
    a,
    cs.offA,
    cs.lda,
    b,
    cs.offB,
    cs.ldb,
    cs.beta,
    c,
    cs.offC,
    cs.ldc,
  );
  return relativeError(cs, a, b, c0, c);
}

afterEach(() => setGemmBackend('auto'));

describe('WebAssembly SIMD GEMM', () => {
  it('embeds exactly the bytes assembled from gemm.wat', async () => {
    const fresh = await assembleWat(readFileSync(gemmWatPath, 'utf8'));
    expect(Array.from(gemmWasmBytes())).toEqual(Array.from(fresh));
  });

  it('is available in Node and is the default backend', () => {
    expect(gemmWasmAvailable()).toBe(true);
    expect(gemmBackend()).toBe('wasm-simd');
    setGemmBackend('typescript');
    expect(gemmBackend()).toBe('typescript');
    expect(() => setGemmBackend('fast' as 'auto')).toThrow(DomainError);
  });

  for (const [T, tol] of [
    [Float32Array, 1e-5],
    [Float64Array, 1e-12],
  ] as const) {
    it(`${T.name}: agrees with the reference on random shapes, transposes, offsets, leading dimensions, alpha/beta`, () => {
      const rng = createRng(`gemm-wasm-${T.name}`);
      let worst = 0;
      const seen = new Set<string>();
      for (let t = 0; t < 160; t++) {
        const cs = randomCase(rng);
        seen.add(`${cs.transA}${cs.transB}${cs.beta === 0}`);
        const err = runCase(T, cs, rng, gemmWasmKernel);
        if (!(err < tol)) throw new Error(`case ${JSON.stringify(cs)}: relative error ${err}`);
        worst = Math.max(worst, err);
      }
      expect(seen.size).toBe(8); // every transpose pair, with and without beta = 0
      expect(worst).toBeLessThan(tol);
    });

    // alpha = 1 with beta != 0 takes the path that accumulates onto beta * C inside the module
    it.each([
      [0.5, -1],
      [1, 1],
      [1, -0.75],
    ])(
      `${T.name}: agrees across the chunk boundaries (m > 256, n > 1024, k > 2048), alpha %s, beta %s`,
      (alpha, beta) => {
        const rng = createRng(`gemm-wasm-large-${T.name}`);
        const big: Case = {
          transA: T === Float64Array,
          transB: T === Float32Array,
          m: 261,
          n: 1030,
          k: 2053,
          alpha,
          beta,
          offA: 3,
          lda: 0,
          offB: 1,
          ldb: 0,
          offC: 2,
          ldc: 1033,
        };
        big.lda = (big.transA ? big.m : big.k) + 1;
        big.ldb = (big.transB ? big.k : big.n) + 2;
        expect(runCase(T, big, rng, gemmWasmKernel)).toBeLessThan(tol);
      },
    );
  }

  it('gemmKernel dispatches (tiny products in TypeScript) and handles mixed precisions in float64', () => {
    const rng = createRng(5);
    for (const cs of [randomCase(rng), randomCase(rng, [40, 37, 50])]) {
      expect(runCase(Float64Array, cs, rng, gemmKernel)).toBeLessThan(1e-12);
    }
    // float32 A with float64 B and C: computed in float64 (exact float32 inputs)
    const a = rng.fillNormal(new Float32Array(30 * 20));
    const b = rng.fillNormal(new Float64Array(20 * 25));
    const c = gemm(null, matrix(a, 30, 20), matrix(b, 20, 25)).data;
    expect(c).toBeInstanceOf(Float32Array);
    const ref = gemm(null, matrix(Float64Array.from(a), 30, 20), matrix(b, 20, 25)).data;
    for (let i = 0; i < ref.length; i++)
      expect(Math.abs(c[i]! - ref[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(ref[i]!)));
  });

  it('setGemmBackend("typescript") gives the reference kernel bit for bit; k = 0 and alpha = 0 scale C', () => {
    const rng = createRng(6);
    const a = rng.fillNormal(new Float64Array(70 * 60));
    const b = rng.fillNormal(new Float64Array(60 * 50));
    const ref = new Float64Array(70 * 50);
    gemmReferenceKernel(false, false, 70, 50, 60, 1, a, 0, 60, b, 0, 50, 0, ref, 0, 50);
    setGemmBackend('typescript');
    expect(gemm(null, matrix(a, 70, 60), matrix(b, 60, 50)).data).toEqual(ref);
    setGemmBackend('auto');
    const c = new Float64Array(6).fill(Number.NaN);
    gemmWasmKernel(false, false, 2, 3, 0, 1, a, 0, 1, b, 0, 3, 0, c, 0, 3);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    const d = Float64Array.of(1, 2, 3, 4);
    gemmWasmKernel(false, false, 2, 2, 5, 0, a, 0, 5, b, 0, 2, 2, d, 0, 2);
    expect(Array.from(d)).toEqual([2, 4, 6, 8]);
  });
});
