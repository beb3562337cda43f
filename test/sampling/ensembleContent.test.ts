import { describe, expect, it } from 'vitest';
import { DomainError, FormatError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { encodeEnsembleFile } from '../../src/data/ensembleFile.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { type Ensemble, sampleEnsemble } from '../../src/sampling/ensemble.js';
import { decodeEnsemble, ENSEMBLE_FORMAT, encodeEnsemble } from '../../src/sampling/ensembleIO.js';

const ensemble = sampleEnsemble(createIsing2D({ L: 4 }), {
  temperature: 2.5,
  samples: 6,
  burnIn: 10,
  rng: createRng(3),
  sampler: 'metropolis',
});

/** A container as encodeEnsemble writes it, with `change` applied to the metadata and arrays. */
function container(change: { meta?: Record<string, unknown>; configs?: Int8Array; energy?: Float64Array }) {
  return encodeEnsembleFile({
    metadata: {
      format: ENSEMBLE_FORMAT,
      model: { kind: 'ising2d', L: 4, J: 1, h: 0 },
      temperature: 2.5,
      sampler: 'metropolis',
      thin: 1,
      burnIn: 10,
      ...change.meta,
    },
    arrays: {
      configs: change.configs ?? ensemble.configs,
      energy: change.energy ?? ensemble.energy,
      magnetization: ensemble.magnetization,
    },
    shapes: { configs: ensemble.shape },
  });
}

describe('ensemble containers: content is checked on decode and on encode', () => {
  it('round-trips a valid ensemble exactly', () => {
    const back = decodeEnsemble(encodeEnsemble(ensemble));
    expect(back.configs).toEqual(ensemble.configs);
    expect(back.energy).toEqual(ensemble.energy);
    expect(back).toMatchObject({ temperature: 2.5, sampler: 'metropolis', thin: 1, burnIn: 10 });
  });

  it('refuses spins of 0 or 7, naming the first bad index', () => {
    for (const bad of [0, 7]) {
      const configs = ensemble.configs.slice();
      configs[37] = bad;
      expect(() => decodeEnsemble(container({ configs }))).toThrow(
        `decodeEnsemble: arrays.configs[37]: expected a spin +1 or -1, received ${bad}`,
      );
    }
  });

  it('refuses NaN energies, thin = -3, T = -1 and sampler "bogus"', () => {
    const energy = ensemble.energy.slice();
    energy[2] = Number.NaN;
    expect(() => decodeEnsemble(container({ energy }))).toThrow(
      /arrays\.energy\[2\]: expected a finite number/,
    );
    expect(() => decodeEnsemble(container({ meta: { thin: -3 } }))).toThrow(
      'decodeEnsemble: metadata.thin: expected an integer >= 1, received -3',
    );
    expect(() => decodeEnsemble(container({ meta: { temperature: -1 } }))).toThrow(FormatError);
    expect(() => decodeEnsemble(container({ meta: { sampler: 'bogus' } }))).toThrow(
      /metadata\.sampler: expected one of metropolis, heatbath, wolff, swendsen-wang, received "bogus"/,
    );
  });

  it('refuses to encode what the decoder would refuse', () => {
    const bad: Ensemble = { ...ensemble, temperature: -1 };
    expect(() => encodeEnsemble(bad)).toThrow(DomainError);
    expect(() => encodeEnsemble(bad)).toThrow(
      'encodeEnsemble: ensemble.temperature: expected a finite T > 0, received -1',
    );
    const configs = ensemble.configs.slice();
    configs[0] = 0;
    expect(() => encodeEnsemble({ ...ensemble, configs })).toThrow(/ensemble\.configs\[0\]: expected a spin/);
  });
});
