import { describe, expect, it } from 'vitest';
import { createCovarianceAccumulator } from '../../src/core/covariance.js';
import { DomainError } from '../../src/core/errors.js';
import { fftPlan } from '../../src/core/fft.js';
import { createRng } from '../../src/core/rng.js';
import { checkLimit, MAX_ELEMENTS, MAX_WORK } from '../../src/core/validate.js';
import { runE6 } from '../../src/experiments/e6.js';
import { runE10 } from '../../src/experiments/e10.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import type { Ising2D } from '../../src/lattice/types.js';
import { createAutoencoder } from '../../src/models/autoencoder.js';
import { createRbm } from '../../src/models/init.js';
import { createMlp } from '../../src/models/mlp.js';
import { rbmFlow } from '../../src/models/rbmFlow.js';
import { sampleEnsemble } from '../../src/sampling/ensemble.js';

/** Every limit message names the size and the limit: "fn: what: expected at most <limit> <unit>, received <size> <unit>". */
const limitMessage = (fn: string) =>
  new RegExp(`^${fn}: .+: expected at most \\d+ [a-z -]+, received [\\d.e+]+ `);

describe('resource limits: oversized requests are refused before allocating (no RangeError, OOM or hang)', () => {
  it('checkLimit: the shared rule, its defaults and its message', () => {
    expect(MAX_ELEMENTS).toBe(2 ** 28);
    expect(MAX_WORK).toBe(2 ** 40);
    expect(checkLimit(MAX_ELEMENTS, 'f: n')).toBe(MAX_ELEMENTS);
    expect(() => checkLimit(MAX_ELEMENTS + 1, 'f: n')).toThrow(
      `f: n: expected at most ${MAX_ELEMENTS} elements, received ${MAX_ELEMENTS + 1} elements`,
    );
    expect(() => checkLimit(Number.NaN, 'f: n')).toThrow(DomainError);
    expect(() => checkLimit(1e300, 'f: n', 10, 'steps')).toThrow(
      'f: n: expected at most 10 steps, received 1e+300 steps',
    );
  });

  it('createIsing2D refuses L = 40000 (1.6e9 sites)', () => {
    expect(() => createIsing2D({ L: 40000 })).toThrow(limitMessage('createIsing2D'));
  });

  it('sampleEnsemble refuses L = 40000 even for a hand-made model (samples x sites)', () => {
    const model: Ising2D = { kind: 'ising2d', L: 40000, J: 1, h: 0 };
    expect(() => sampleEnsemble(model, { temperature: 2, samples: 1, rng: createRng(1) })).toThrow(
      limitMessage('sampleEnsemble'),
    );
  });

  it('sampleEnsemble refuses a run of more than MAX_WORK spin updates', () => {
    expect(() =>
      sampleEnsemble(createIsing2D({ L: 64 }), {
        temperature: 2,
        samples: 10,
        thin: 1e10,
        rng: createRng(1),
      }),
    ).toThrow(
      /sampleEnsemble: \(burnIn \+ samples x thin\) x sites: expected at most 1099511627776 spin updates/,
    );
  });

  it('rbmFlow refuses 1e12 steps (memory of record "all", and work of record "last")', () => {
    const rbm = createRbm({ nVisible: 4, nHidden: 2, rng: createRng(1) });
    const v0 = Float64Array.of(1, -1, 1, -1);
    expect(() => rbmFlow(rbm, v0, 1e12, { rng: createRng(2) })).toThrow(limitMessage('rbmFlow'));
    expect(() => rbmFlow(rbm, v0, 1e12, { rng: createRng(2), record: 'last' })).toThrow(
      /rbmFlow: steps x rows x nVisible x nHidden: expected at most \d+ multiply-adds/,
    );
  });

  it('createAutoencoder [1e6, 1e6], createMlp and createRbm refuse 1e12 weights', () => {
    expect(() => createAutoencoder({ layers: [1e6, 1e6], rng: createRng(1) })).toThrow(
      limitMessage('createAutoencoder'),
    );
    expect(() => createMlp({ layers: [1e6, 1e6], rng: createRng(1) })).toThrow(limitMessage('createMlp'));
    expect(() => createRbm({ nVisible: 1e6, nHidden: 1e6, rng: createRng(1) })).toThrow(
      limitMessage('createRbm'),
    );
  });

  it('fftPlan(2^31) and createCovarianceAccumulator(1e6) are refused', () => {
    expect(() => fftPlan(2 ** 31)).toThrow(limitMessage('fftPlan'));
    expect(() => createCovarianceAccumulator(1e6)).toThrow(limitMessage('createCovarianceAccumulator'));
  });

  it('runE6 with N = 1e6 and runE10 with plantedD = 1e6 are refused at validation, before any work', async () => {
    expect(() => runE6({ N: 1e6 })).toThrow(limitMessage('runE6'));
    await expect(runE10({ plantedD: 1e6 })).rejects.toThrow(
      /runE10: config\.plantedSamples x plantedD: expected at most/,
    );
  });
});
