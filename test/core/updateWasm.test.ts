import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64Decode } from '../../src/core/base64.js';
import { createRng } from '../../src/core/rng.js';
import { assembleWat, updateWatPath } from '../../src/core/wasm/assemble.js';
import { copySkew } from '../../src/core/wasm/copySkew.js';
import { updateWasmBase64 } from '../../src/core/wasm/update.wasm.generated.js';
import { maxAbsWasm, momentumStepWasm, updateWasmAvailable } from '../../src/core/wasm/updateWasm.js';
import { createOptimizer, optimizerStep } from '../../src/models/optim.js';

/** The TypeScript momentum loop of optim.ts, the reference the module must equal bit for bit. */
function momentumLoop(
  p: Float32Array | Float64Array,
  g: Float32Array | Float64Array,
  m: Float64Array,
  mu: number,
  lr: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const v = mu * m[i]! + g[i]!;
    m[i] = v;
    p[i] = p[i]! - lr * v;
  }
}

/** The TypeScript scan of the divergence check. */
function maxAbsLoop(x: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!);
    if (!(a <= m)) {
      if (Number.isNaN(a)) return a;
      m = a;
    }
  }
  return m;
}

/** Indices where a and b differ as values (Object.is: NaN equals NaN, 0 and -0 differ). */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

/** Values over many scales, with the special ones (zeros, subnormals, infinities, NaN, float32 edges). */
function testValues(n: number, seed: number, single: boolean): number[] {
  const rng = createRng(seed);
  const specials = [0, -0, 5e-324, -1e-310, 1e-45, 1.4e-45, 3.4028234663852886e38, 3.5e38, -1e308];
  specials.push(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1, -1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (rng.uniform() < 0.02) out.push(specials[Math.floor(rng.uniform() * specials.length)]!);
    else out.push((rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * (single ? 12 : 40) - 8));
  }
  return out;
}

describe('updateWasm (momentum step and max |x| on WebAssembly SIMD)', () => {
  it('embeds exactly the bytes assembled from update.wat', async () => {
    const fresh = await assembleWat(readFileSync(updateWatPath, 'utf8'), 'update.wat');
    expect(Array.from(base64Decode(updateWasmBase64))).toEqual(Array.from(fresh));
    expect(updateWasmAvailable()).toBe(true);
  });

  it('takes the momentum step bit for bit as the TypeScript loop, float32 and float64, at every length', () => {
    // lengths around the vector width and the chunk of 8192; arrays at odd offsets of their buffers
    for (const single of [true, false]) {
      const Ctor = single ? Float32Array : Float64Array;
      for (const n of [1, 3, 4, 5, 17, 8191, 8192, 8193, 20_003]) {
        for (const offset of [0, 3]) {
          const p0 = Ctor.from(testValues(n + offset, 10 + n, single));
          const g0 = Ctor.from(testValues(n + offset, 20 + n, single));
          const m0 = Float64Array.from(testValues(n + offset, 30 + n, false));
          const [pA, gA, mA] = [p0.slice(), g0.slice(), m0.slice()];
          const [pB, gB, mB] = [p0.slice(), g0.slice(), m0.slice()];
          for (const [mu, lr] of [
            [0.5, 0.05],
            [0.9, 1e-3],
            [1e-300, 7.3],
          ] as const) {
            momentumLoop(pA.subarray(offset), gA.subarray(offset), mA.subarray(offset), mu, lr, n);
            const ran = momentumStepWasm(
              pB.subarray(offset),
              gB.subarray(offset),
              mB.subarray(offset),
              mu,
              lr,
              n,
            );
            expect(ran).toBe(true);
          }
          expect(differences(pA, pB)).toEqual([]);
          expect(differences(mA, mB)).toEqual([]);
          expect(differences(gA, gB)).toEqual([]); // the gradient is read only
        }
      }
    }
  });

  it('declines mixed precisions and other array types without touching them', () => {
    const p = Float32Array.of(1, 2, 3, 4);
    const m = new Float64Array(4);
    expect(momentumStepWasm(p, Float64Array.of(1, 1, 1, 1), m, 0.5, 0.1, 4)).toBe(false);
    expect(momentumStepWasm(Float64Array.of(1, 2), Float32Array.of(1, 1), m, 0.5, 0.1, 2)).toBe(false);
    expect(momentumStepWasm(p, [1, 1, 1, 1], m, 0.5, 0.1, 4)).toBe(false);
    expect(Array.from(p)).toEqual([1, 2, 3, 4]);
    expect(Array.from(m)).toEqual([0, 0, 0, 0]);
    expect(maxAbsWasm([1, -2] as unknown as Float64Array)).toBeNull();
  });

  it('finds max |x| as the TypeScript scan does: NaN anywhere, -0, infinities, empty, prefixes', () => {
    for (const single of [true, false]) {
      const Ctor = single ? Float32Array : Float64Array;
      for (const n of [0, 1, 15, 16, 17, 8192, 8193, 30_000]) {
        const finite = testValues(n, 40 + n, single).map((v) => (Number.isFinite(v) ? v : 0.5));
        const x = Ctor.from(finite);
        expect(Object.is(maxAbsWasm(x), maxAbsLoop(x, n))).toBe(true);
        expect(Object.is(maxAbsWasm(x, n >> 1), maxAbsLoop(x, n >> 1))).toBe(true);
        if (n === 0) {
          expect(maxAbsWasm(x)).toBe(0);
          continue;
        }
        for (const at of [0, n - 1, n >> 1]) {
          for (const special of [Number.NaN, Number.NEGATIVE_INFINITY, -0]) {
            const y = x.slice();
            y[at] = special;
            expect(Object.is(maxAbsWasm(y), maxAbsLoop(y, n))).toBe(true);
          }
        }
      }
    }
    expect(Object.is(maxAbsWasm(Float64Array.of(-0, -0)), 0)).toBe(true);
  });

  it('places copies half a page from their destination modulo 4096 bytes', () => {
    const x = new Float32Array(new ArrayBuffer(4096 * 4), 12, 100);
    // byteOffset 12 + 4 * 5 = 32 bytes into the page: the copy goes 2048 bytes further round the page
    expect(copySkew(x, 5)).toBe(2080);
    expect(copySkew(new Float64Array(8), 0)).toBe(2048);
    expect(copySkew(new Float64Array(new ArrayBuffer(8192), 4064, 1))).toBe(2016);
  });

  it('gives optimizerStep on a large weight matrix the bits of the TypeScript loop', () => {
    for (const single of [true, false]) {
      const Ctor = single ? Float32Array : Float64Array;
      const n = 784 * 10;
      const rng = createRng(50);
      const w = Ctor.from(Array.from({ length: n }, () => rng.uniform() - 0.5));
      const expected = w.slice();
      const moments = new Float64Array(n);
      const state = createOptimizer({ kind: 'sgd', learningRate: 0.05, momentum: 0.5 }, [n]);
      for (let step = 0; step < 3; step++) {
        const g = Ctor.from(Array.from({ length: n }, () => (rng.uniform() - 0.5) * 1e-3));
        optimizerStep(state, [w], [g]);
        momentumLoop(expected, g, moments, 0.5, 0.05, n);
      }
      expect(differences(w, expected)).toEqual([]);
    }
  });
});
