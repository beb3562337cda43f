/**
 * Ensembles to and from bytes: the checksummed container of `data/ensembleFile.ts` (configurations,
 * energies, magnetisations and the metadata needed to rebuild the model), and `.npy` for the
 * configurations alone (int8, shape [samples, ...lattice shape], C order) so Python users can
 * `numpy.load` them. Browser-safe; the Node file wrappers are in `ensembleFiles.ts`.
 * @module
 */
import { FormatError } from '../core/errors.js';
import { domainError } from '../core/validate.js';
import { decodeEnsembleFile, encodeEnsembleFile } from '../data/ensembleFile.js';
import { decodeNpy, encodeNpy } from '../data/npy.js';
import { createIsing2D } from '../lattice/ising2d.js';
import { createLongRangeChain } from '../lattice/longRangeChain.js';
import { modelShape, modelSites } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import type { Ensemble } from './ensemble.js';

/** The `metadata.format` tag of an ensemble written by {@link encodeEnsemble}. */
export const ENSEMBLE_FORMAT = 'coarsegrain-sampling-ensemble';

function modelMetadata(model: LatticeModel): Record<string, unknown> {
  return model.kind === 'ising2d'
    ? { kind: 'ising2d', L: model.L, J: model.J, h: model.h }
    : { kind: 'lrchain', N: model.N, sigma: model.sigma, J: model.J, h: model.h };
}

function checkEnsemble(ensemble: Ensemble, fn: string): void {
  if (
    ensemble === null ||
    typeof ensemble !== 'object' ||
    !(ensemble.configs instanceof Int8Array) ||
    !(ensemble.energy instanceof Float64Array) ||
    !(ensemble.magnetization instanceof Float64Array)
  ) {
    throw domainError(`${fn}: ensemble`, 'an Ensemble (from sampleEnsemble)', ensemble);
  }
}

/**
 * Encode an ensemble into the container format (arrays `configs` int8 [samples, ...shape], `energy` and
 * `magnetization` float64 [samples]; metadata: format, model parameters, temperature, sampler, thin,
 * burnIn). The round trip through {@link decodeEnsemble} is exact. O(samples * sites).
 * @throws DomainError if `ensemble` is not an Ensemble.
 */
export function encodeEnsemble(ensemble: Ensemble): Uint8Array {
  checkEnsemble(ensemble, 'encodeEnsemble');
  return encodeEnsembleFile({
    metadata: {
      format: ENSEMBLE_FORMAT,
      model: modelMetadata(ensemble.model),
      temperature: ensemble.temperature,
      sampler: ensemble.sampler,
      thin: ensemble.thin,
      burnIn: ensemble.burnIn,
    },
    arrays: { configs: ensemble.configs, energy: ensemble.energy, magnetization: ensemble.magnetization },
    shapes: { configs: ensemble.shape },
  });
}

function formatError(part: string, expected: string, received: unknown): FormatError {
  return new FormatError(
    `decodeEnsemble: ${part}: expected ${expected}, received ${JSON.stringify(received)?.slice(0, 80)}`,
  );
}

/**
 * Decode an ensemble written by {@link encodeEnsemble}, rebuilding the model from its parameters.
 * @throws FormatError for a truncated, half-written or corrupt file (from the container's end marker and
 * CRC-32), or a container that does not hold a valid ensemble (missing arrays, wrong types or lengths,
 * bad model parameters).
 */
export function decodeEnsemble(bytes: Uint8Array): Ensemble {
  const file = decodeEnsembleFile(bytes);
  const meta = file.metadata as Record<string, unknown>;
  if (meta.format !== ENSEMBLE_FORMAT)
    throw formatError('metadata.format', `'${ENSEMBLE_FORMAT}'`, meta.format);
  const m = meta.model as Record<string, number | string> | undefined;
  let model: LatticeModel;
  try {
    if (m?.kind === 'ising2d')
      model = createIsing2D({ L: m.L as number, J: m.J as number, h: m.h as number });
    else if (m?.kind === 'lrchain') {
      model = createLongRangeChain({
        N: m.N as number,
        sigma: m.sigma as number,
        J: m.J as number,
        h: m.h as number,
      });
    } else throw formatError('metadata.model.kind', "'ising2d' or 'lrchain'", m?.kind);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw formatError('metadata.model', 'valid model parameters', m);
  }
  const { configs, energy, magnetization } = file.arrays;
  if (!(configs instanceof Int8Array)) throw formatError('arrays.configs', 'int8', file.shapes.configs);
  if (!(energy instanceof Float64Array)) throw formatError('arrays.energy', 'float64', null);
  if (!(magnetization instanceof Float64Array)) throw formatError('arrays.magnetization', 'float64', null);
  const sites = modelSites(model);
  const samples = energy.length;
  const shape = [samples, ...modelShape(model)];
  const stored = file.shapes.configs!;
  if (
    stored.length !== shape.length ||
    stored.some((s, k) => s !== shape[k]) ||
    configs.length !== samples * sites
  ) {
    throw formatError('arrays.configs shape', `[${shape.join(', ')}]`, stored);
  }
  if (magnetization.length !== samples)
    throw formatError('arrays.magnetization length', String(samples), magnetization.length);
  const temperature = meta.temperature;
  if (typeof temperature !== 'number' || !(temperature > 0))
    throw formatError('metadata.temperature', 'T > 0', temperature);
  const thin = meta.thin;
  const burnIn = meta.burnIn;
  if (!Number.isInteger(thin) || !Number.isInteger(burnIn))
    throw formatError('metadata.thin/burnIn', 'integers', [thin, burnIn]);
  return {
    model,
    temperature,
    sampler: String(meta.sampler),
    thin: thin as number,
    burnIn: burnIn as number,
    configs,
    shape,
    energy,
    magnetization,
  };
}

/**
 * The configurations as a `.npy` file: int8 (`|i1`), shape [samples, ...lattice shape], C order.
 * In Python: `numpy.load(path)`. O(samples * sites).
 * @throws DomainError if `ensemble` is not an Ensemble.
 */
export function ensembleToNpy(ensemble: Ensemble): Uint8Array {
  checkEnsemble(ensemble, 'ensembleToNpy');
  return encodeNpy(ensemble.configs, ensemble.shape);
}

/**
 * Read configurations back from `.npy` bytes (any int8 array of +-1 with at least 2 dimensions).
 * @throws FormatError for a corrupt or truncated file, another dtype, or values other than +-1.
 */
export function configsFromNpy(bytes: Uint8Array): { configs: Int8Array; shape: number[] } {
  const array = decodeNpy(bytes);
  if (!(array.data instanceof Int8Array)) {
    throw new FormatError(`configsFromNpy: dtype: expected int8, received ${array.dtype}`);
  }
  if (array.shape.length < 2) {
    throw new FormatError(
      `configsFromNpy: shape: expected [samples, ...lattice], received [${array.shape.join(', ')}]`,
    );
  }
  const data = array.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 1 && data[i] !== -1) {
      throw new FormatError(`configsFromNpy: data[${i}]: expected a spin +1 or -1, received ${data[i]}`);
    }
  }
  return { configs: data, shape: [...array.shape] };
}
