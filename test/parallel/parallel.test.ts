import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { type GemmOptions, gemm } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import { type FloatArray, matrix } from '../../src/core/tensor.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { sampleEnsemblesParallel } from '../../src/parallel/ensembles.js';
import { GEMM_PARALLEL_MIN_WORK, gemmParallel, sharedFloatArray } from '../../src/parallel/gemmParallel.js';
import { sampleEnsembles } from '../../src/sampling/ensemble.js';
import { mismatches, usePools } from './pools.js';

/** The single-thread checked `gemm` on the positional layout of `gemmParallel` (op(A) m x k, op(B) k x n). */
function serialGemm<T extends FloatArray>(
  c: T,
  a: T,
  b: T,
  m: number,
  n: number,
  k: number,
  options: GemmOptions,
): T {
  const A = options.transA ? matrix(a, k, m) : matrix(a, m, k);
  const B = options.transB ? matrix(b, n, k) : matrix(b, k, n);
  return gemm(matrix(c, m, n), A, B, options).data;
}

describe('parallel algorithms', () => {
  const pools = usePools();

  it('sampleEnsemblesParallel equals sampleEnsembles bit for bit, for 1 and 2 workers', async () => {
    const temperatures = [1.8, 2.1, 2.27, 2.5, 3];
    for (const model of [createIsing2D({ L: 8 }), createLongRangeChain({ N: 32, sigma: 0.6 })]) {
      const options = { seed: 'ens', samples: 40, burnIn: 20, thin: 2 } as const;
      const serial = sampleEnsembles(model, temperatures, options);
      const progress: number[] = [];
      const p1 = await sampleEnsemblesParallel(pools.one, model, temperatures, options);
      const p2 = await sampleEnsemblesParallel(pools.two, model, temperatures, {
        ...options,
        onProgress: (p) => progress.push(p.done),
      });
      for (const result of [p1, p2]) {
        expect(result.map((e) => e.temperature)).toEqual(temperatures);
        for (let t = 0; t < temperatures.length; t++) {
          expect(result[t]!.model).toBe(model);
          expect(result[t]!.configs).toEqual(serial[t]!.configs);
          expect(result[t]!.energy).toEqual(serial[t]!.energy);
          expect(result[t]!.magnetization).toEqual(serial[t]!.magnetization);
          expect(result[t]!.shape).toEqual(serial[t]!.shape);
        }
      }
      expect(progress).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('sampleEnsemblesParallel validates its input and keeps the worker errors typed', async () => {
    const model = createIsing2D({ L: 4 });
    await expect(sampleEnsemblesParallel(pools.two, model, [], { seed: 1, samples: 5 })).rejects.toThrow(
      ShapeError,
    );
    await expect(sampleEnsemblesParallel(pools.two, model, [2, -1], { seed: 1, samples: 5 })).rejects.toThrow(
      /sampleEnsemblesParallel: temperatures\[1\]: expected a finite number > 0, received -1/,
    );
    // samples is validated in the worker by sampleEnsemble, and comes back as a DomainError
    await expect(sampleEnsemblesParallel(pools.two, model, [2], { seed: 1, samples: 0 })).rejects.toThrow(
      /sampleEnsemble: samples: expected an integer >= 1, received 0/,
    );
    await expect(sampleEnsemblesParallel(pools.two, model, [2], { seed: 1, samples: 0 })).rejects.toThrow(
      DomainError,
    );
  });

  it('gemmParallel: identical for 1 and 2 workers and to the single-thread gemm, all transposes', async () => {
    const rng = createRng(3);
    const [m, n, k] = [203, 190, 230]; // m n k > GEMM_PARALLEL_MIN_WORK
    expect(m * n * k).toBeGreaterThan(GEMM_PARALLEL_MIN_WORK);
    for (const T of [Float32Array, Float64Array]) {
      const a = rng.fillNormal(new T(m * k));
      const b = rng.fillNormal(new T(k * n));
      const c0 = rng.fillNormal(new T(m * n));
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          const options = { transA, transB, alpha: 0.75, beta: transA ? 0 : -0.5 };
          const serial = serialGemm(c0.slice(), a, b, m, n, k, options);
          const A = transA ? matrix(a, k, m) : matrix(a, m, k);
          const B = transB ? matrix(b, n, k) : matrix(b, k, n);
          const r1 = (await gemmParallel(pools.one, matrix(c0.slice(), m, n), A, B, options)).data;
          const r2 = (await gemmParallel(pools.two, matrix(c0.slice(), m, n), A, B, options)).data;
          expect(mismatches(r1, serial)).toBe(0);
          expect(mismatches(r2, serial)).toBe(0);
        }
    }
    await expect(
      gemmParallel(pools.two, null, matrix(new Float64Array(6), 2, 3), matrix(new Float64Array(6), 2, 3)),
    ).rejects.toThrow(ShapeError);
  });

  it('gemmParallel: shared operands, reused and concurrent scratch give the serial result', async () => {
    const rng = createRng(4);
    const sizes = [
      [160, 210, 260],
      [260, 230, 250], // larger: the pool's scratch grows
      [150, 200, 290], // smaller: reused
    ] as const;
    const cases = sizes.map(([m, n, k]) => ({
      m,
      n,
      k,
      a: rng.fillNormal(new Float32Array(m * k)),
      b: rng.fillNormal(new Float32Array(k * n)),
      c: rng.fillNormal(new Float32Array(m * n)),
    }));
    const options = { alpha: 1.5, beta: 0.25 };
    const serial = cases.map(({ m, n, k, a, b, c }) => serialGemm(c.slice(), a, b, m, n, k, options));
    for (const [i, { m, n, k, a, b, c }] of cases.entries()) {
      const r = await gemmParallel(
        pools.two,
        matrix(c.slice(), m, n),
        matrix(a, m, k),
        matrix(b, k, n),
        options,
      );
      expect(mismatches(r.data, serial[i]!)).toBe(0);
    }
    // concurrent calls on one pool: the second finds the scratch busy and stages in its own buffer
    const together = await Promise.all(
      cases.map(({ m, n, k, a, b, c }) =>
        gemmParallel(pools.two, matrix(c.slice(), m, n), matrix(a, m, k), matrix(b, k, n), options),
      ),
    );
    for (const [i, r] of together.entries()) expect(mismatches(r.data, serial[i]!)).toBe(0);
    // operands already on shared memory: out is written in place
    const { m, n, k, a, b, c } = cases[0]!;
    const sa = sharedFloatArray('float32', m * k);
    const sb = sharedFloatArray('float32', k * n);
    const sc = sharedFloatArray('float32', m * n);
    sa.set(a);
    sb.set(b);
    sc.set(c);
    const out = matrix(sc, m, n);
    expect(await gemmParallel(pools.two, out, matrix(sa, m, k), matrix(sb, k, n), options)).toBe(out);
    expect(mismatches(sc, serial[0]!)).toBe(0);
    expect(sc.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(sharedFloatArray('float64', 3)).toEqual(new Float64Array(3));
    expect(() => sharedFloatArray('int8' as 'float32', 3)).toThrow(
      /sharedFloatArray: dtype: expected one of "float32", "float64", received "int8"/,
    );
    expect(() => sharedFloatArray('float32', -1)).toThrow(DomainError);
  });
});
