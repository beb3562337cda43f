import { afterEach, describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { fft2dWasmModule, setFft2dBackend } from '../../src/core/wasm/fft2dWasm.js';
import {
  type CorrelatorResult,
  directCorrelation,
  energyCorrelator,
  spinCorrelator,
  structureFactor,
  twoPointCorrelator,
} from '../../src/spectral/correlator.js';
import { chainCorrelation, randomSpins, sampleIsingChain } from './helpers.js';

function directMean(configs: ArrayLike<number>, shape: number[]): Float64Array {
  const N = shape.reduce((a, b) => a * b, 1);
  const n = configs.length / N;
  const acc = new Float64Array(N);
  for (let c = 0; c < n; c++) {
    const g = directCorrelation(Array.prototype.slice.call(configs, c * N, (c + 1) * N) as number[], shape);
    for (let i = 0; i < N; i++) acc[i]! += g[i]! / n;
  }
  return acc;
}

describe('two-point correlators', () => {
  it('FFT correlator equals the direct O(N^2) sum (2D 6 x 10, 7 x 7, power-of-two 8 x 8, 4 x 16, 16 x 4, 2 x 8; 1D 9; odd and even n)', () => {
    const rng = createRng(11);
    for (const [shape, n] of [
      [[6, 10], 5],
      [[7, 7], 4],
      [[8, 8], 3],
      [[4, 16], 4],
      [[16, 4], 5],
      [[2, 8], 1],
      [[9], 7],
    ] as const) {
      const N = shape.reduce((a, b) => a * b, 1);
      const configs = randomSpins(n * N, rng);
      const result = spinCorrelator(configs, shape as unknown as number[], { blocks: 2 });
      const direct = directMean(configs, shape as unknown as number[]);
      for (let i = 0; i < N; i++) expect(result.displacement[i]).toBeCloseTo(direct[i]!, 12);
      expect(result.displacement[0]).toBeCloseTo(1, 12);
    }
  });

  it('real-valued fields and the connected correlator match the direct sum', () => {
    const rng = createRng(5);
    const shape = [5, 6];
    const configs = rng.fillNormal(new Float64Array(4 * 30)).map((v) => v + 0.7);
    const direct = directMean(configs, shape);
    let m = 0;
    for (const v of configs) m += v / configs.length;
    const r = twoPointCorrelator(configs, shape, { connected: true, blocks: 4 });
    for (let i = 0; i < 30; i++) expect(r.displacement[i]).toBeCloseTo(direct[i]! - m * m, 12);
    expect(r.fieldMean.mean).toBeCloseTo(m, 13);
  });

  it('profiles: axis, distance (r < L/2) and radial averages of the displacement correlator', () => {
    const rng = createRng(8);
    const configs = randomSpins(3 * 64, rng);
    const r = spinCorrelator(configs, [8, 8], { blocks: 3 });
    const g = r.displacement;
    // along the axes: average of G(0, r) and G(r, 0)
    for (let k = 0; k <= 4; k++) expect(r.axis.value[k]).toBeCloseTo(0.5 * (g[k]! + g[k * 8]!), 13);
    expect(r.axes[1]!.value[3]).toBeCloseTo(g[3]!, 13);
    // distance sqrt(5): displacements (+-1, +-2), (+-2, +-1): 8 vectors
    const idx = [...r.distance.r].findIndex((x) => Math.abs(x - Math.sqrt(5)) < 1e-12);
    expect(r.distance.multiplicity[idx]).toBe(8);
    let s = 0;
    for (const [dy, dx] of [
      [1, 2],
      [2, 1],
    ])
      for (const sy of [1, -1])
        for (const sx of [1, -1]) s += g[((sy * dy + 8) % 8) * 8 + ((sx * dx + 8) % 8)]!;
    expect(r.distance.value[idx]).toBeCloseTo(s / 8, 13);
    expect(Math.max(...r.distance.r)).toBeLessThan(4);
  });

  it('exact periodic Ising chain: G(r) = (t^r + t^(N-r)) / (1 + t^N) within jackknife errors', () => {
    const N = 32;
    const K = 0.6;
    const configs = sampleIsingChain(N, K, 4000, createRng(2024));
    const r = spinCorrelator(configs, [N]);
    for (let k = 0; k <= N / 2; k++) {
      const exact = chainCorrelation(N, K, k);
      expect(Math.abs(r.axis.value[k]! - exact)).toBeLessThan(4 * r.axis.error[k]! + 1e-12);
    }
    // the error bars are honest: chi^2 per point of order 1
    let chi2 = 0;
    for (let k = 1; k <= N / 2; k++)
      chi2 += ((r.axis.value[k]! - chainCorrelation(N, K, k)) / r.axis.error[k]!) ** 2;
    expect(chi2 / 16).toBeLessThan(3);
  });

  it('product state: all-up lattice gives G = 1 and connected 0; energy correlator of a uniform state is 0', () => {
    const configs = new Int8Array(2 * 36).fill(1);
    const r = spinCorrelator(configs, [6, 6]);
    for (const v of r.displacement) expect(v).toBeCloseTo(1, 14);
    const c = spinCorrelator(configs, [6, 6], { connected: true });
    for (const v of c.displacement) expect(Math.abs(v)).toBeLessThan(1e-13);
    const e = energyCorrelator(configs, [6, 6]);
    for (const v of e.displacement) expect(Math.abs(v)).toBeLessThan(1e-13);
    expect(e.fieldMean.mean).toBeCloseTo(1, 14);
  });

  it('energy correlator on a power-of-two lattice (4 x 8) equals the direct sum over eps', () => {
    const rng = createRng(13);
    const configs = randomSpins(5 * 32, rng);
    const eps = new Float64Array(configs.length);
    for (let c = 0; c < 5; c++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 8; x++)
          eps[c * 32 + y * 8 + x] = configs[c * 32 + y * 8 + x]! * configs[c * 32 + y * 8 + ((x + 1) % 8)]!;
    const direct = directMean(eps, [4, 8]);
    let m = 0;
    for (const v of eps) m += v / eps.length;
    const got = energyCorrelator(configs, [4, 8], { blocks: 5 });
    for (let i = 0; i < 32; i++) expect(got.displacement[i]).toBeCloseTo(direct[i]! - m * m, 13);
  });

  it('energy correlator equals the direct sum over eps(x) = s(x) s(x + e_x)', () => {
    const rng = createRng(12);
    const shape = [6, 7];
    const configs = randomSpins(4 * 42, rng);
    const eps = new Float64Array(configs.length);
    for (let c = 0; c < 4; c++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 7; x++)
          eps[c * 42 + y * 7 + x] = configs[c * 42 + y * 7 + x]! * configs[c * 42 + y * 7 + ((x + 1) % 7)]!;
    const expected = twoPointCorrelator(eps, shape, { connected: true, blocks: 2 });
    const got = energyCorrelator(configs, shape, { blocks: 2 });
    for (let i = 0; i < 42; i++) expect(got.displacement[i]).toBeCloseTo(expected.displacement[i]!, 13);
    // along axis 0 (bonds in y)
    const epsY = new Float64Array(configs.length);
    for (let c = 0; c < 4; c++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 7; x++)
          epsY[c * 42 + y * 7 + x] = configs[c * 42 + y * 7 + x]! * configs[c * 42 + ((y + 1) % 6) * 7 + x]!;
    const gotY = energyCorrelator(configs, shape, { blocks: 2, axis: 0 });
    const expY = twoPointCorrelator(epsY, shape, { connected: true, blocks: 2 });
    for (let i = 0; i < 42; i++) expect(gotY.displacement[i]).toBeCloseTo(expY.displacement[i]!, 13);
  });

  it('structure factor: S(q) = FT of G; S(0) = N <m^2>; sum_q S(q) = N', () => {
    const rng = createRng(13);
    const configs = randomSpins(5 * 30, rng);
    const s = structureFactor(configs, [5, 6]);
    let sum = 0;
    for (const v of s.values) sum += v;
    expect(sum).toBeCloseTo(30, 10);
    let m2 = 0;
    for (let c = 0; c < 5; c++) {
      let m = 0;
      for (let i = 0; i < 30; i++) m += configs[c * 30 + i]!;
      m2 += (m / 30) ** 2 / 5;
    }
    expect(s.values[0]).toBeCloseTo(30 * m2, 10);
  });

  it('bad input: typed errors naming the argument', () => {
    expect(() => spinCorrelator(new Int8Array(0), [4, 4])).toThrow(/spinCorrelator: configs/);
    expect(() => spinCorrelator(new Int8Array(15), [4, 4])).toThrow(ShapeError);
    expect(() => spinCorrelator(new Int8Array(32), [4, 0])).toThrow(/spinCorrelator: shape\[1\]/);
    expect(() => spinCorrelator(new Int8Array(32).fill(1), [4, 4], { blocks: 5 })).toThrow(DomainError);
    expect(() => energyCorrelator(new Int8Array(32).fill(1), [4, 4], { axis: 2 })).toThrow(/options.axis/);
  });
});

describe('power-of-two lattices: WebAssembly SIMD and TypeScript paths', () => {
  afterEach(() => setFft2dBackend('auto'));
  const backends = fft2dWasmModule() === null ? (['typescript'] as const) : (['auto', 'typescript'] as const);
  const cases = [
    [[2, 2], 1],
    [[2, 2], 3],
    [[2, 8], 2],
    [[8, 2], 5],
    [[4, 16], 3],
    [[16, 4], 1],
    [[8, 32], 4],
  ] as const;

  it('each path equals the direct O(N^2) sum (rows != cols, 2 x 2, a single configuration, odd n)', () => {
    for (const backend of backends) {
      setFft2dBackend(backend);
      const rng = createRng(31);
      for (const [shape, n] of cases) {
        const N = shape[0] * shape[1];
        const configs = randomSpins(n * N, rng);
        const direct = directMean(configs, [...shape]);
        const r = spinCorrelator(configs, [...shape], { blocks: n >= 2 ? 2 : undefined });
        for (let i = 0; i < N; i++) expect(r.displacement[i]).toBeCloseTo(direct[i]!, 12);
        const real = rng.fillNormal(new Float64Array(n * N));
        const directReal = directMean(real, [...shape]);
        const t = twoPointCorrelator(real, [...shape]);
        for (let i = 0; i < N; i++) expect(t.displacement[i]).toBeCloseTo(directReal[i]!, 12);
      }
    }
  });

  it('the two paths give the same results to the last bit (int8, float64, int16, float32, plain-array and energy fields)', () => {
    const rng = createRng(32);
    const same = (a: CorrelatorResult, b: CorrelatorResult): void => {
      for (const key of ['displacement', 'displacementError'] as const)
        for (let i = 0; i < a[key].length; i++) expect(Object.is(a[key][i], b[key][i])).toBe(true);
      for (const key of ['axis', 'distance', 'radial'] as const)
        for (const part of ['value', 'error', 'jackknife'] as const)
          for (let i = 0; i < a[key][part].length; i++)
            expect(Object.is(a[key][part][i], b[key][part][i])).toBe(true);
      expect(Object.is(a.fieldMean.mean, b.fieldMean.mean)).toBe(true);
      expect(Object.is(a.fieldMean.error, b.fieldMean.error)).toBe(true);
    };
    for (const [shape, n] of [...cases, [[32, 32], 6] as const]) {
      const N = shape[0] * shape[1];
      const spins = randomSpins(n * N, rng);
      const real = rng.fillNormal(new Float64Array(n * N)).map((v) => v + 0.3);
      const blocks = n >= 3 ? 3 : undefined;
      const run = (): CorrelatorResult[] => [
        spinCorrelator(spins, [...shape], { blocks }),
        twoPointCorrelator(real, [...shape], { blocks, connected: true }),
        spinCorrelator(Int16Array.from(spins), [...shape], { blocks }),
        twoPointCorrelator(Float32Array.from(real), [...shape], { blocks }),
        twoPointCorrelator(Array.from(real), [...shape], { blocks, connected: true }),
        energyCorrelator(spins, [...shape], { blocks }),
      ];
      setFft2dBackend('typescript');
      const ts = run();
      setFft2dBackend('auto');
      const auto = run();
      for (let k = 0; k < ts.length; k++) same(ts[k]!, auto[k]!);
    }
  });
});
