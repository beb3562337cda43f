import { describe, expect, it } from 'vitest';
import { AbortError, DomainError, ShapeError } from '../../src/core/errors.js';
import type { Progress } from '../../src/core/progress.js';
import { createRng } from '../../src/core/rng.js';
import { enumerateIsing2D } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain, enumerateLongRangeChain } from '../../src/lattice/longRangeChain.js';
import {
  ensembleView,
  sampleEnsemble,
  sampleEnsembles,
  summarizeEnsemble,
} from '../../src/sampling/ensemble.js';
import type { ObservableSummary } from '../../src/sampling/observables.js';

type Exact = {
  energy: number;
  absMagnetization: number;
  magnetization2: number;
  specificHeat: number;
  susceptibility: number;
  binder: number;
};

function expectAgreement(summary: ObservableSummary, exact: Exact): void {
  for (const key of [
    'energy',
    'absMagnetization',
    'magnetization2',
    'specificHeat',
    'susceptibility',
  ] as const) {
    const { mean, error } = summary[key];
    expect(error, key).toBeGreaterThan(0);
    expect(Math.abs(mean - exact[key]) / error, `${key}: ${mean} +- ${error} vs ${exact[key]}`).toBeLessThan(
      4,
    );
  }
}

function withBinder(e: Omit<Exact, 'binder'> & { magnetization4: number }): Exact {
  return { ...e, binder: 1 - e.magnetization4 / (3 * e.magnetization2 ** 2) };
}

describe('sampleEnsemble', () => {
  it('long-range ring N = 12: summary agrees with exact enumeration (lr-cluster and lr-metropolis)', () => {
    const model = createLongRangeChain({ N: 12, sigma: 0.7 });
    const T = 3.2;
    const exact = enumerateLongRangeChain(model, T);
    for (const sampler of ['lr-cluster', 'lr-metropolis'] as const) {
      const ens = sampleEnsemble(model, {
        temperature: T,
        sampler,
        samples: 20_000,
        burnIn: 200,
        rng: createRng(8),
      });
      const s = summarizeEnsemble(ens);
      expectAgreement(s, exact);
      expect(Math.abs(s.binder.mean - exact.binder) / s.binder.error).toBeLessThan(4);
    }
  });

  it('2D Ising 4 x 4: summary agrees with exact enumeration (wolff at Tc-ish, metropolis above)', () => {
    const model = createIsing2D({ L: 4 });
    for (const [sampler, T] of [
      ['wolff', 2.27],
      ['metropolis', 3],
      ['swendsen-wang', 2],
    ] as const) {
      const exact = withBinder(enumerateIsing2D(4, T));
      const ens = sampleEnsemble(model, {
        temperature: T,
        sampler,
        samples: 20_000,
        burnIn: 200,
        rng: createRng(9),
      });
      expectAgreement(summarizeEnsemble(ens), exact);
    }
  });

  it('stores configurations [samples, ...shape] with consistent energy and magnetisation', () => {
    const model = createIsing2D({ L: 6 });
    const ens = sampleEnsemble(model, { temperature: 2.5, samples: 20, burnIn: 10, rng: createRng(1) });
    expect(ens.shape).toEqual([20, 6, 6]);
    expect(ens.configs.length).toBe(20 * 36);
    const view = ensembleView(ens);
    expect(view.shape).toEqual([20, 6, 6]);
    let m = 0;
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) m += view.get(7, y, x);
    expect(m / 36).toBe(ens.magnetization[7]);
    expect(ens.sampler).toBe('wolff');
  });

  it('same seed => identical ensemble; thin "auto" measures tau during burn-in', () => {
    const model = createLongRangeChain({ N: 32, sigma: 0.5 });
    const opts = {
      temperature: 4,
      sampler: 'lr-metropolis' as const,
      samples: 50,
      burnIn: 200,
      thin: 'auto' as const,
    };
    const a = sampleEnsemble(model, { ...opts, rng: createRng(3) });
    const b = sampleEnsemble(model, { ...opts, rng: createRng(3) });
    expect(Array.from(a.configs)).toEqual(Array.from(b.configs));
    expect(Array.from(a.energy)).toEqual(Array.from(b.energy));
    expect(a.thin).toBeGreaterThanOrEqual(1);
    expect(a.thin).toBe(b.thin);
  });

  it('reports progress per stage and can be aborted', () => {
    const model = createLongRangeChain({ N: 16, sigma: 1 });
    const stages = new Set<string>();
    let last: Progress | undefined;
    sampleEnsemble(model, {
      temperature: 2,
      samples: 30,
      burnIn: 40,
      rng: createRng(1),
      onProgress: (p) => {
        stages.add(p.stage);
        last = p;
      },
    });
    expect([...stages]).toEqual(['burn-in', 'sampling']);
    expect(last).toMatchObject({ stage: 'sampling', done: 30, total: 30 });
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      sampleEnsemble(model, { temperature: 2, samples: 30, rng: createRng(1), signal: controller.signal }),
    ).toThrow(AbortError);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const model = createLongRangeChain({ N: 8, sigma: 1 });
    const rng = createRng(1);
    expect(() => sampleEnsemble(model, { temperature: 0, samples: 10, rng })).toThrow(
      'sampleEnsemble: temperature: expected a finite number > 0, received 0',
    );
    expect(() => sampleEnsemble(model, { temperature: Number.NaN, samples: 10, rng })).toThrow(
      'sampleEnsemble: temperature: expected a finite number > 0, received NaN',
    );
    expect(() => sampleEnsemble(model, { temperature: 1, samples: 10, rng, sampler: 'wolff' })).toThrow(
      'sampleEnsemble: sampler: expected one of "lr-metropolis", "lr-cluster", received "wolff"',
    );
    expect(() => sampleEnsemble(model, { temperature: 1, samples: 0, rng })).toThrow(
      'sampleEnsemble: samples: expected an integer >= 1, received 0',
    );
    expect(() =>
      sampleEnsemble(model, { temperature: 1, samples: 10, rng, thin: 'auto', burnIn: 10 }),
    ).toThrow(DomainError);
    expect(() => sampleEnsemble(model, { temperature: 1, samples: 10, rng: {} as never })).toThrow(
      'sampleEnsemble: rng',
    );
    const tiny = sampleEnsemble(model, { temperature: 1, samples: 10, burnIn: 0, rng });
    expect(() => summarizeEnsemble(tiny)).toThrow(ShapeError);
  });
});

describe('sampleEnsembles', () => {
  it('gives each temperature its own stream: results do not depend on the grid order', () => {
    const model = createLongRangeChain({ N: 16, sigma: 0.5 });
    const opts = { samples: 20, burnIn: 10, sampler: 'lr-cluster' as const, seed: 42 };
    const [a1, a2] = sampleEnsembles(model, [3, 5], opts);
    const [b2, b1] = sampleEnsembles(model, [5, 3], opts);
    expect(Array.from(a1!.configs)).toEqual(Array.from(b1!.configs));
    expect(Array.from(a2!.configs)).toEqual(Array.from(b2!.configs));
    expect(Array.from(a1!.configs)).not.toEqual(Array.from(a2!.configs));
    expect(() => sampleEnsembles(model, [3, -1], opts)).toThrow('sampleEnsembles: temperatures[1]');
  });
});
