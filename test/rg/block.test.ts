import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { blockAverage, blockDecimate, blockMajority } from '../../src/rg/block.js';
import { momentumShellRg } from '../../src/rg/momentum.js';

function randomSpins(n: number, seed: number): Int8Array {
  const rng = createRng(seed);
  return Int8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : -1));
}

describe('real-space block transforms', () => {
  it('block average of a uniform lattice is uniform; of a known 4 x 4 lattice by hand', () => {
    const up = blockAverage(new Int8Array(3 * 36).fill(-1), [6, 6], 3);
    expect(up.shape).toEqual([2, 2]);
    expect(up.count).toBe(3);
    expect([...up.data]).toEqual(new Array(12).fill(-1));
    // 4 x 4: rows [1 1 -1 -1], [1 -1 -1 -1], [1 1 1 1], [-1 1 1 -1]
    const cfg = Int8Array.of(1, 1, -1, -1, 1, -1, -1, -1, 1, 1, 1, 1, -1, 1, 1, -1);
    expect([...blockAverage(cfg, [4, 4], 2).data]).toEqual([0.5, -1, 0.5, 0.5]);
    expect([...blockAverage(cfg, [4, 4], 4).data]).toEqual([0.125]);
    expect([...blockAverage(cfg, [16], 4).data]).toEqual([0, -0.5, 1, 0]);
    // rectangular 2 x 4 with b = 2
    expect([...blockAverage(Int8Array.of(1, 1, 1, -1, 1, 1, -1, -1), [2, 4], 2).data]).toEqual([1, -0.5]);
  });

  it('majority rule outputs only +-1, agrees with the sign of the block sum, is reproducible', () => {
    const configs = randomSpins(20 * 64, 1);
    const a = blockMajority(configs, [8, 8], 2, createRng(7));
    const b = blockMajority(configs, [8, 8], 2, createRng(7));
    expect(a.data).toEqual(b.data);
    const avg = blockAverage(configs, [8, 8], 2).data;
    let ties = 0;
    let plus = 0;
    for (let i = 0; i < a.data.length; i++) {
      expect(Math.abs(a.data[i]!)).toBe(1);
      if (avg[i] !== 0) expect(a.data[i]).toBe(Math.sign(avg[i]!));
      else {
        ties++;
        if (a.data[i] === 1) plus++;
      }
    }
    // ties (3/8 of blocks for random spins) are broken by a fair coin
    expect(ties).toBeGreaterThan(50);
    expect(Math.abs(plus / ties - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / ties));
    // odd blocks never tie: no draws from the rng
    const rng = createRng(3);
    const state = JSON.stringify(rng.save());
    blockMajority(randomSpins(81, 2), [9, 9], 3, rng);
    expect(JSON.stringify(rng.save())).toBe(state);
  });

  it('decimation keeps the first site of each block and the input type', () => {
    const cfg = Int8Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const d = blockDecimate(cfg, [4, 4], 2);
    expect(d.data).toBeInstanceOf(Int8Array);
    expect([...d.data]).toEqual([cfg[0], cfg[2], cfg[8], cfg[10]]);
    expect([...blockDecimate(Float64Array.of(1, 2, 3, 4, 5, 6), [6], 3).data]).toEqual([1, 4]);
  });

  it('bad input: block size not dividing L, mismatched shapes, empty ensembles', () => {
    expect(() => blockAverage(new Int8Array(36), [6, 6], 4)).toThrow(DomainError);
    expect(() => blockAverage(new Int8Array(36), [6, 6], 4)).toThrow(
      /blockAverage: b: expected a block size dividing shape\[0\] = 6, received 4/,
    );
    expect(() => blockMajority(new Int8Array(35), [6, 6], 2, createRng(1))).toThrow(ShapeError);
    expect(() => blockDecimate(new Int8Array(0), [6], 2)).toThrow(/blockDecimate: configs/);
    expect(() => blockAverage(new Int8Array(8), [2, 2, 2], 2)).toThrow(/blockAverage: shape/);
    expect(() => blockAverage(new Int8Array(8), [8], 0)).toThrow(/blockAverage: b/);
  });
});

describe('momentum-shell RG', () => {
  it('full band (cutoff 1) is the identity for any L, 1D and 2D', () => {
    for (const shape of [[6, 10], [8, 8], [7], [16]]) {
      const N = shape.reduce((a, b) => a * b, 1);
      const configs = randomSpins(3 * N, N);
      const out = momentumShellRg(configs, shape, { cutoff: 1 });
      expect(out.shape).toEqual(shape);
      for (let i = 0; i < configs.length; i++) expect(out.data[i]).toBeCloseTo(configs[i]!, 12);
    }
  });

  it('cutoff 0 gives the magnetisation; a low plane wave passes and a high one is removed', () => {
    const cfg = randomSpins(60, 4);
    const m = cfg.reduce((a, b) => a + b, 0) / 60;
    const out = momentumShellRg(cfg, [6, 10], { cutoff: 0 });
    for (const v of out.data) expect(v).toBeCloseTo(m, 13);
    const L = 12;
    const low = Float64Array.from({ length: L * L }, (_, i) => Math.cos((2 * Math.PI * (i % L)) / L));
    const high = Float64Array.from({ length: L * L }, (_, i) =>
      Math.cos((2 * Math.PI * 5 * Math.floor(i / L)) / L),
    );
    const mixed = low.map((v, i) => v + high[i]!);
    const filtered = momentumShellRg(mixed, [L, L], { cutoff: 0.5 });
    for (let i = 0; i < L * L; i++) expect(filtered.data[i]).toBeCloseTo(low[i]!, 12);
    // rescale by 2: the low wave sampled on the 6 x 6 lattice
    const coarse = momentumShellRg(mixed, [L, L], { cutoff: 0.5, rescale: 2 });
    expect(coarse.shape).toEqual([6, 6]);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 6; x++) expect(coarse.data[y * 6 + x]).toBeCloseTo(low[2 * y * L + 2 * x]!, 12);
  });

  it('bad input: cutoff out of range, rescale not dividing L or too wide a cutoff', () => {
    const cfg = new Int8Array(64).fill(1);
    expect(() => momentumShellRg(cfg, [8, 8], { cutoff: 1.2 })).toThrow(/momentumShellRg: options.cutoff/);
    expect(() => momentumShellRg(cfg, [8, 8], { cutoff: -0.1 })).toThrow(DomainError);
    expect(() => momentumShellRg(cfg, [8, 8], { cutoff: 0.5, rescale: 3 })).toThrow(/options.rescale/);
    expect(() => momentumShellRg(cfg, [8, 8], { cutoff: 0.8, rescale: 2 })).toThrow(/at most 1\/rescale/);
    expect(() => momentumShellRg(cfg, [8, 7], { cutoff: 0.5 })).toThrow(ShapeError);
  });
});
