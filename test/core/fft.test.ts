import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import {
  fft,
  fft2d,
  fftNd,
  fourierResample,
  ifft,
  ifft2d,
  momentumMask,
  powerSpectrum,
} from '../../src/core/fft.js';
import { createRng } from '../../src/core/rng.js';

/** Direct O(n^2) DFT along each axis of a row-major complex array. */
function directDft(input: Float64Array, shape: number[], sign = -1): Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(2 * n);
  const dims = shape.length;
  const coords = (i: number): number[] => {
    const c: number[] = [];
    for (let d = dims - 1; d >= 0; d--) {
      c.unshift(i % shape[d]!);
      i = Math.floor(i / shape[d]!);
    }
    return c;
  };
  for (let k = 0; k < n; k++) {
    const kc = coords(k);
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const jc = coords(j);
      let phase = 0;
      for (let d = 0; d < dims; d++) phase += ((kc[d]! * jc[d]!) % shape[d]!) / shape[d]!;
      const angle = sign * 2 * Math.PI * phase;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      re += input[2 * j]! * c - input[2 * j + 1]! * s;
      im += input[2 * j]! * s + input[2 * j + 1]! * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

function randomComplex(n: number, seed: number): Float64Array {
  return createRng(seed).fillNormal(new Float64Array(2 * n));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('fft', () => {
  it('matches the direct DFT for every length 1..33 (power of two and Bluestein)', () => {
    for (let n = 1; n <= 33; n++) {
      const x = randomComplex(n, n);
      const expected = directDft(x, [n]);
      expect(maxDiff(fft(x), expected)).toBeLessThan(1e-11 * n);
      expect(maxDiff(ifft(fft(x)), x)).toBeLessThan(1e-12 * n);
    }
  });

  it('matches the direct DFT for a long prime length and round-trips', () => {
    const n = 257;
    const x = randomComplex(n, 9);
    expect(maxDiff(fft(x), directDft(x, [n]))).toBeLessThan(1e-9);
    expect(maxDiff(ifft(fft(x)), x)).toBeLessThan(1e-12);
  });

  it('2D 6 x 10 and 8 x 16 match the direct 2D DFT; inverse round-trips; out may alias input', () => {
    for (const [r, c] of [
      [6, 10],
      [8, 16],
      [5, 1],
    ] as const) {
      const x = randomComplex(r * c, r * 100 + c);
      const y = fft2d(x, r, c);
      expect(maxDiff(y, directDft(x, [r, c]))).toBeLessThan(1e-10);
      expect(maxDiff(ifft2d(y, r, c), x)).toBeLessThan(1e-12);
      const copy = x.slice();
      fftNd(copy, [r, c], copy);
      expect(maxDiff(copy, y)).toBe(0);
    }
  });

  it('power spectrum obeys Parseval and equals |X|^2', () => {
    const rng = createRng(3);
    const v = rng.fillNormal(new Float64Array(60));
    const p = powerSpectrum(v, [6, 10]);
    const x = new Float64Array(120);
    for (let i = 0; i < 60; i++) x[2 * i] = v[i]!;
    const d = directDft(x, [6, 10]);
    for (let i = 0; i < 60; i++) expect(p[i]).toBeCloseTo(d[2 * i]! ** 2 + d[2 * i + 1]! ** 2, 9);
    let sp = 0;
    let sx = 0;
    for (let i = 0; i < 60; i++) {
      sp += p[i]!;
      sx += v[i]! ** 2;
    }
    expect(sp).toBeCloseTo(60 * sx, 8);
  });

  it('momentum mask: full band keeps everything, zero keeps only q = 0, symmetric under q -> -q', () => {
    expect(momentumMask([6, 10], 1).every((m) => m === 1)).toBe(true);
    const zero = momentumMask([6, 10], 0);
    expect(zero.reduce((a, b) => a + b, 0)).toBe(1);
    expect(zero[0]).toBe(1);
    const half = momentumMask([8, 8], 0.5);
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) expect(half[i * 8 + j]).toBe(half[((8 - i) % 8) * 8 + ((8 - j) % 8)]);
    // |k| <= 2 per axis: 5 x 5 modes
    expect(half.reduce((a, b) => a + b, 0)).toBe(25);
    expect(() => momentumMask([8, 8], 1.5)).toThrow(DomainError);
    expect(() => momentumMask([8, 8], 1.5)).toThrow(/momentumMask: cutoff/);
  });

  it('fourier resampling keeps uniform fields uniform and plane waves within the band', () => {
    const u = fourierResample(new Float64Array(64).fill(0.3), [8, 8], [4, 4]);
    expect(maxDiff(u, new Float64Array(16).fill(0.3))).toBeLessThan(1e-14);
    // cos(2 pi x / 8) on 8 x 8 -> cos(2 pi x / 4) on 4 x 4 (sampled at even sites)
    const wave = new Float64Array(64);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) wave[y * 8 + x] = Math.cos((2 * Math.PI * x) / 8);
    const coarse = fourierResample(wave, [8, 8], [4, 4]);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) expect(coarse[y * 4 + x]).toBeCloseTo(Math.cos((2 * Math.PI * x) / 4), 12);
    expect(() => fourierResample(wave, [8, 8], [16, 4])).toThrow(ShapeError);
  });

  it('bad input: typed errors naming the argument', () => {
    expect(() => fft(new Float64Array(3))).toThrow(/fft: input/);
    expect(() => fft2d(new Float64Array(10), 2, 3)).toThrow(ShapeError);
    expect(() => fft2d(new Float64Array(12), 2, 3, new Float64Array(4))).toThrow(/fft2d: out/);
    expect(() => powerSpectrum([1, 2, 3], [2, 2])).toThrow(/powerSpectrum: values/);
  });
});
