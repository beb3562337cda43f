import { describe, expect, it } from 'vitest';
import { AbortError, StateError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import type { LatticeModel } from '../../src/lattice/types.js';
import { createChainState, restoreChain, runChain, snapshotChain } from '../../src/sampling/chain.js';
import { createUpdater } from '../../src/sampling/registry.js';

const runs: { model: LatticeModel; sampler: string; beta: number }[] = [
  { model: createLongRangeChain({ N: 48, sigma: 0.5 }), sampler: 'lr-metropolis', beta: 1 / 4.5 },
  { model: createLongRangeChain({ N: 48, sigma: 0.5 }), sampler: 'lr-cluster', beta: 1 / 4.5 },
  { model: createIsing2D({ L: 8 }), sampler: 'metropolis', beta: 1 / 2.3 },
  { model: createIsing2D({ L: 8 }), sampler: 'wolff', beta: 1 / 2.3 },
  { model: createIsing2D({ L: 8 }), sampler: 'swendsen-wang', beta: 1 / 2.3 },
];

describe('checkpoint / resume', () => {
  for (const { model, sampler, beta } of runs) {
    it(`${sampler}: interrupted, saved to JSON and resumed == uninterrupted, bit for bit`, () => {
      const straight = createChainState(model, { rng: createRng(5) });
      runChain(createUpdater(model, sampler, beta), straight, 60);

      const first = createChainState(model, { rng: createRng(5) });
      runChain(createUpdater(model, sampler, beta), first, 25);
      const json = JSON.stringify(snapshotChain(first));
      const resumed = restoreChain(JSON.parse(json));
      expect(resumed.steps).toBe(25);
      runChain(createUpdater(model, sampler, beta), resumed, 35);

      expect(resumed.steps).toBe(60);
      expect(Array.from(resumed.spins)).toEqual(Array.from(straight.spins));
      expect(resumed.rng.uint32()).toBe(straight.rng.uint32());
    });
  }

  it('initial states: all up, or random from the rng', () => {
    const model = createLongRangeChain({ N: 100, sigma: 1 });
    expect(createChainState(model, { rng: createRng(1), init: 'up' }).spins.every((s) => s === 1)).toBe(true);
    const r = createChainState(model, { rng: createRng(1) }).spins;
    const up = r.filter((s) => s === 1).length;
    expect(up).toBeGreaterThan(30);
    expect(up).toBeLessThan(70);
    expect(Array.from(createChainState(model, { rng: createRng(1) }).spins)).toEqual(Array.from(r));
  });

  it('rejects bad snapshots and options with typed errors', () => {
    expect(() => restoreChain({ version: 2 } as never)).toThrow(StateError);
    const snap = snapshotChain(createChainState(createIsing2D({ L: 2 }), { rng: createRng(1) }));
    expect(() => restoreChain({ ...snap, spins: [1, 0, 1, 1] })).toThrow(
      'restoreChain: snapshot.spins[1]: expected +1 or -1, received 0',
    );
    expect(() => restoreChain({ ...snap, steps: -1 })).toThrow('restoreChain: snapshot.steps');
    expect(() =>
      createChainState(createIsing2D({ L: 2 }), { rng: createRng(1), init: 'down' as never }),
    ).toThrow('createChainState: options.init: expected one of "random", "up", received "down"');
    const model = createLongRangeChain({ N: 8, sigma: 1 });
    const state = createChainState(model, { rng: createRng(1) });
    expect(() => runChain(createUpdater(model, 'lr-metropolis', 1), state, 1.5)).toThrow('runChain: steps');
  });

  it('reports progress and stops on abort with a consistent state', () => {
    const model = createLongRangeChain({ N: 16, sigma: 1 });
    const state = createChainState(model, { rng: createRng(1) });
    const controller = new AbortController();
    const seen: number[] = [];
    expect(() =>
      runChain(createUpdater(model, 'lr-metropolis', 1), state, 1000, {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.done);
          if (p.done >= 300) controller.abort();
        },
      }),
    ).toThrow(AbortError);
    expect(state.steps).toBe(300);
    expect(seen[0]).toBe(10);
  });
});
