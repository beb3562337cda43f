import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64Decode } from '../../src/core/base64.js';
import { createRng } from '../../src/core/rng.js';
import { assembleWat, sigmoidWatPath } from '../../src/core/wasm/assemble.js';
import { sigmoidWasmBase64 } from '../../src/core/wasm/sigmoid.wasm.generated.js';
import {
  binarySigmoidWasm,
  columnAccumulateWasm,
  expWasm,
  sigmoidWasmAvailable,
} from '../../src/core/wasm/sigmoidWasm.js';

/** The float64 with the given high and low 32-bit words. */
function fromWords(hi: number, lo: number): number {
  const v = new Float64Array(1);
  const w = new Uint32Array(v.buffer);
  w[0] = lo >>> 0;
  w[1] = hi >>> 0;
  return v[0]!;
}

/** x and its `spread` neighbours on either side (as bit patterns). */
function neighbours(x: number, spread: number): number[] {
  const v = Float64Array.of(x);
  const b = new BigInt64Array(v.buffer);
  const out: number[] = [];
  const x0 = b[0]!;
  for (let d = -spread; d <= spread; d++) {
    b[0] = x0 + BigInt(d);
    out.push(v[0]!);
  }
  return out;
}

/** Indices where expWasm differs from Math.exp (as bits; every NaN counts as equal). */
function expMismatches(xs: readonly number[]): number[] {
  const x = Float64Array.from(xs);
  const y = new Float64Array(x.length);
  expect(expWasm(x, y)).toBe(true);
  const bad: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp(x[i]!);
    if (!Object.is(e, y[i]) && !(Number.isNaN(e) && Number.isNaN(y[i]))) bad.push(x[i]!);
  }
  return bad;
}

describe('WebAssembly SIMD sigmoid (fdlibm exp)', () => {
  it('embeds exactly the bytes assembled from sigmoid.wat', async () => {
    const fresh = await assembleWat(readFileSync(sigmoidWatPath, 'utf8'), 'sigmoid.wat');
    expect(Array.from(base64Decode(sigmoidWasmBase64))).toEqual(Array.from(fresh));
    expect(sigmoidWasmAvailable()).toBe(true);
  });

  it('gives Math.exp bit for bit on the special values and branch boundaries of fdlibm exp', () => {
    const specials = [
      0,
      -0,
      1,
      -1,
      2,
      -2,
      0.5,
      Infinity,
      -Infinity,
      Number.NaN,
      5e-324,
      -5e-324,
      2 ** -1022,
      1e-300,
      2 ** -28,
      -(2 ** -28),
      2 ** -29,
      0.5 * Math.LN2,
      -0.5 * Math.LN2,
      1.5 * Math.LN2,
      -1.5 * Math.LN2,
      Math.LN2,
      708,
      -708,
      707.7,
      -707.7,
      708.4,
      -708.4,
      709.78,
      709.782712893384,
      709.7827128933841,
      710,
      -745.1332191019411,
      -745.1332191019412,
      -745.2,
      -746,
      1e300,
      -1e300,
      40,
      -40,
    ];
    const xs: number[] = [];
    for (const s of specials) xs.push(...neighbours(s, 40));
    // fdlibm's thresholds on the high word hx of |x|, either side, both signs, several low words
    for (const hx of [0x3e300000, 0x3fd62e42, 0x3fd62e43, 0x3ff0a2b1, 0x3ff0a2b2, 0x40862000, 0x40862e42]) {
      for (const lo of [0, 1, 0x80000000, 0xffffffff]) {
        for (const sign of [0, 0x80000000]) {
          xs.push(fromWords((hx | sign) >>> 0, lo), fromWords(((hx - 1) | sign) >>> 0, lo));
        }
      }
    }
    // denormal results: exp(x) for x in (-745.13, -708.4)
    for (let i = 0; i <= 1000; i++) xs.push(-708.4 - (36.7 * i) / 1000);
    // odd lengths: the padding lanes must not disturb the real ones
    expect(expMismatches(xs)).toEqual([]);
    expect(expMismatches(xs.slice(0, 3))).toEqual([]);
  });

  it('gives Math.exp bit for bit on random inputs over the whole range', () => {
    const rng = createRng(15);
    const xs: number[] = [];
    const scales = [1, 4, 40, 80, 1500];
    for (const s of scales) for (let i = 0; i < 40_000; i++) xs.push((rng.uniform53() - 0.5) * s);
    for (let i = 0; i < 40_000; i++) xs.push((rng.uniform53() - 0.5) * 2 ** -(rng.uniform53() * 60));
    // random bit patterns (every exponent, NaNs and infinities included)
    for (let i = 0; i < 40_000; i++) xs.push(fromWords(rng.uint32(), rng.uint32()));
    expect(expMismatches(xs)).toEqual([]);
  });

  for (const Ctor of [Float64Array, Float32Array]) {
    it(`${Ctor.name}: sigmoid, samples and the uniform stream equal the TypeScript loop`, () => {
      const data = createRng(7);
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 1001]) {
        const x = new Ctor(n);
        for (let i = 0; i < n; i++) x[i] = (data.uniform() - 0.5) * 30;
        x[0] = 1; // fdlibm's exp(1) special case (through the scalar exp)
        if (n > 2) x[2] = -800; // the scalar path, sigmoid 0
        // the TypeScript loop: p = 1 / (1 + Math.exp(-x)), sample = u < p (in float64)
        const p = new Ctor(n);
        const s = new Ctor(n);
        const ra = createRng(n);
        for (let i = 0; i < n; i++) {
          const pi = 1 / (1 + Math.exp(-x[i]!));
          s[i] = ra.uniform() < pi ? 1 : 0;
          p[i] = pi;
        }
        // both at once, in place
        const y = x.slice();
        const t = new Ctor(n);
        const rb = createRng(n);
        expect(binarySigmoidWasm(y, n, y, t, rb.fillUniform)).toBe(true);
        expect(Array.from(y)).toEqual(Array.from(p));
        expect(Array.from(t)).toEqual(Array.from(s));
        expect(rb.uniform()).toBe(ra.uniform());
        // means only, into another array
        const m = new Ctor(n);
        expect(binarySigmoidWasm(x, n, m, null, null)).toBe(true);
        expect(Array.from(m)).toEqual(Array.from(p));
        // samples only, in place
        const z = x.slice();
        const rc = createRng(n);
        expect(binarySigmoidWasm(z, n, null, z, rc.fillUniform)).toBe(true);
        expect(Array.from(z)).toEqual(Array.from(s));
      }
    });
  }

  it('declines mixed array types (the caller then runs its own loop)', () => {
    const x = new Float64Array(8);
    expect(binarySigmoidWasm(x, 8, new Float32Array(8), null, null)).toBe(false);
    expect(
      binarySigmoidWasm(new Float32Array(8), 8, null, new Float64Array(8), createRng(1).fillUniform),
    ).toBe(false);
    expect(binarySigmoidWasm(x, 8, null, new Float64Array(8), null)).toBe(false);
  });
  for (const Ctor of [Float64Array, Float32Array]) {
    it(`${Ctor.name}: column accumulations equal the TypeScript loops bit for bit (every mode, odd widths)`, () => {
      const rng = createRng(21);
      for (const [rows, cols] of [
        [100, 500],
        [7, 13],
        [3, 1],
      ] as const) {
        const x = new Ctor(rows * cols);
        for (let i = 0; i < x.length; i++) x[i] = rng.uniform() < 0.2 ? 1 : rng.uniform() - 0.3;
        const start = Float64Array.from({ length: cols }, () => rng.uniform() - 0.5);
        for (const [mode, d] of [
          ['minus-divided', rows],
          ['plus-divided', 3],
          ['plus-scaled', -1 / rows],
        ] as const) {
          const plain = start.slice();
          for (let r = 0; r < rows; r++) {
            for (let j = 0; j < cols; j++) {
              const v = x[r * cols + j]!;
              if (mode === 'minus-divided') plain[j]! -= v / d;
              else if (mode === 'plus-divided') plain[j]! += v / d;
              else plain[j]! += d * v;
            }
          }
          const out = start.slice();
          expect(columnAccumulateWasm(x, rows, cols, d, mode, out)).toBe(true);
          expect(Array.from(out)).toEqual(Array.from(plain));
        }
      }
    });
  }
});
