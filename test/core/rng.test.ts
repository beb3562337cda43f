import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DomainError, StateError } from '../../src/core/errors.js';
import {
  createRng,
  deriveRng,
  permutation,
  type Rng,
  randomInt,
  restoreRng,
  splitRng,
} from '../../src/core/rng.js';

describe('rng', () => {
  it('same seed gives the same stream, seed 0 is a real seed', () => {
    const a = createRng(0);
    const b = createRng(0);
    const c = createRng(1);
    const xs = Array.from({ length: 10 }, () => a.uniform());
    expect(Array.from({ length: 10 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.uniform())).not.toEqual(xs);
  });

  it('save/restore resumes the identical stream including the cached normal', () => {
    const rng = createRng('resume');
    rng.normal(); // leaves a spare
    const state = JSON.parse(JSON.stringify(rng.save()));
    const expected = [rng.normal(), rng.uniform(), rng.uint32(), rng.normal(), rng.int(17)];
    const resumed = restoreRng(state);
    expect([
      resumed.normal(),
      resumed.uniform(),
      resumed.uint32(),
      resumed.normal(),
      resumed.int(17),
    ]).toEqual(expected);
  });

  it('derived streams differ by path and are reproducible', () => {
    const a = deriveRng(7, 'T', 3).uniform();
    expect(deriveRng(7, 'T', 3).uniform()).toBe(a);
    expect(deriveRng(7, 'T', 4).uniform()).not.toBe(a);
    expect(deriveRng(8, 'T', 3).uniform()).not.toBe(a);
    expect(splitRng(createRng(1)).uniform()).toBe(splitRng(createRng(1)).uniform());
  });

  it('moments of uniform and normal variates are right (within 5 sigma)', () => {
    const rng = createRng(123);
    const n = 200_000;
    const u = rng.fillUniform(new Float64Array(n));
    const z = rng.fillNormal(new Float64Array(n));
    const mu = u.reduce((s, x) => s + x, 0) / n;
    const mz = z.reduce((s, x) => s + x, 0) / n;
    const vz = z.reduce((s, x) => s + x * x, 0) / n - mz * mz;
    expect(Math.abs(mu - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(mz)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(vz - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    for (const x of u) expect(x >= 0 && x < 1).toBe(true);
  });

  it('int and permutation are uniform and valid', () => {
    const rng = createRng(5);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[randomInt(rng, 6)]++;
    // chi-square with 5 dof; 99.99% quantile is 25.7
    const chi2 = counts.reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(25.7);
    const p = Array.from(permutation(rng, 50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('bad seeds and states give typed errors', () => {
    expect(() => createRng(1.5)).toThrow(DomainError);
    expect(() => createRng('')).toThrow(/createRng: seed: expected an integer or a non-empty string/);
    expect(() => restoreRng({ algorithm: 'arc4' } as never)).toThrow(StateError);
    expect(() => randomInt(createRng(1), 0)).toThrow(/randomInt: n/);
  });
});

describe('alea step', () => {
  it("is seedrandom's alea bit for bit (uniform, uint32, uniform53 interleaved; derived and restored streams)", () => {
    type Prng = (() => number) & { int32(): number; double(): number };
    const reference = (seed: string) => seedrandom.alea(seed) as unknown as Prng;
    const pairs: [Rng, Prng][] = [
      [createRng(42), reference('n:42')],
      [createRng('abc'), reference('s:abc')],
      [deriveRng(7, 'temperature', 3), reference(JSON.stringify(['n:7', 'temperature', 3]))],
    ];
    for (const [ours, theirs] of pairs) {
      for (let i = 0; i < 3000; i++) {
        const kind = i % 3;
        if (kind === 0) expect(ours.uniform()).toBe(theirs());
        else if (kind === 1) expect(ours.uint32()).toBe(theirs.int32() >>> 0);
        else expect(ours.uniform53()).toBe(theirs.double());
      }
      const resumed = restoreRng(ours.save());
      const buffer = ours.fillUniform(new Float64Array(100));
      for (let i = 0; i < 100; i++) expect(buffer[i]).toBe(theirs());
      for (let i = 0; i < 100; i++) expect(resumed.uniform()).toBe(buffer[i]);
    }
  });
});
