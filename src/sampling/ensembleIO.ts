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
import { checkModel, modelShape, modelSites } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import type { Ensemble } from './ensemble.js';
import { samplerNames } from './registry.js';

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

/** A failed content check: which part, what was expected, what was found. */
interface ContentProblem {
  readonly part: string;
  readonly expected: string;
  readonly received: unknown;
}

/**
 * The one content rule shared by {@link encodeEnsemble} (which refuses to write what the decoder would
 * refuse) and {@link decodeEnsemble}: temperature finite > 0, a sampler of the model's registry, thin an
 * integer >= 1, burnIn an integer >= 0, at least one sample, spins +-1, energies finite, magnetisations
 * in [-1, 1]. Returns the first problem, or undefined. O(samples * sites).
 */
function ensembleContentProblem(
  model: LatticeModel,
  e: Pick<Ensemble, 'temperature' | 'sampler' | 'thin' | 'burnIn' | 'configs' | 'energy' | 'magnetization'>,
): ContentProblem | undefined {
  const { temperature, sampler, thin, burnIn, configs, energy, magnetization } = e;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || !(temperature > 0))
    return { part: 'temperature', expected: 'a finite T > 0', received: temperature };
  const names = samplerNames(model.kind) as readonly unknown[];
  if (!names.includes(sampler))
    return { part: 'sampler', expected: `one of ${names.join(', ')}`, received: sampler };
  if (!Number.isInteger(thin) || thin < 1)
    return { part: 'thin', expected: 'an integer >= 1', received: thin };
  if (!Number.isInteger(burnIn) || burnIn < 0)
    return { part: 'burnIn', expected: 'an integer >= 0', received: burnIn };
  const samples = energy.length;
  if (samples < 1) return { part: 'energy', expected: 'at least one sample', received: samples };
  if (configs.length !== samples * modelSites(model))
    return { part: 'configs', expected: `length ${samples * modelSites(model)}`, received: configs.length };
  if (magnetization.length !== samples)
    return { part: 'magnetization', expected: `length ${samples}`, received: magnetization.length };
  for (let i = 0; i < configs.length; i++)
    if (configs[i] !== 1 && configs[i] !== -1)
      return { part: `configs[${i}]`, expected: 'a spin +1 or -1', received: configs[i] };
  for (let i = 0; i < samples; i++)
    if (!Number.isFinite(energy[i]))
      return { part: `energy[${i}]`, expected: 'a finite number', received: energy[i] };
  for (let i = 0; i < samples; i++)
    if (!(Math.abs(magnetization[i]!) <= 1))
      return { part: `magnetization[${i}]`, expected: 'a number in [-1, 1]', received: magnetization[i] };
  return undefined;
}

/**
 * Encode an ensemble into the container format (arrays `configs` int8 [samples, ...shape], `energy` and
 * `magnetization` float64 [samples]; metadata: format, model parameters, temperature, sampler, thin,
 * burnIn). The round trip through {@link decodeEnsemble} is exact. O(samples * sites).
 * @throws DomainError if `ensemble` is not an Ensemble or holds what {@link decodeEnsemble} would refuse
 * (T <= 0 or not finite, an unknown sampler, thin < 1, spins other than +-1, non-finite energies, ...).
 * @example
 * ```ts
 * import { createIsing2D, createRng, encodeEnsemble, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 20, rng: createRng(1) });
 * const bytes = encodeEnsemble(ens); // Uint8Array: configs, energy, magnetization and the metadata
 * // in Node: saveEnsemble from 'coarsegrain/node' writes it to a file
 * ```
 */
export function encodeEnsemble(ensemble: Ensemble): Uint8Array {
  checkEnsemble(ensemble, 'encodeEnsemble');
  checkModel(ensemble.model, 'encodeEnsemble');
  const problem = ensembleContentProblem(ensemble.model, ensemble);
  if (problem)
    throw domainError(`encodeEnsemble: ensemble.${problem.part}`, problem.expected, problem.received);
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
 * bad model parameters), or content that is not a valid ensemble: T <= 0 or not finite, a sampler not
 * in the model's registry, thin < 1, burnIn < 0, no samples, spins other than +-1 (the first bad index
 * is named), non-finite energies, magnetisations outside [-1, 1].
 * @example
 * ```ts
 * import { createLongRangeChain, createRng, decodeEnsemble, encodeEnsemble, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createLongRangeChain({ N: 16, sigma: 0.5 }), { temperature: 5, samples: 20, rng: createRng(1) });
 * const copy = decodeEnsemble(encodeEnsemble(ens)); // the same model, temperature, configs and series
 * ```
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
  const content = {
    temperature: meta.temperature as number,
    sampler: meta.sampler as string,
    thin: meta.thin as number,
    burnIn: meta.burnIn as number,
    configs,
    energy,
    magnetization,
  };
  const problem = ensembleContentProblem(model, content);
  if (problem) {
    const where = /^(temperature|sampler|thin|burnIn)$/.test(problem.part) ? 'metadata' : 'arrays';
    throw formatError(`${where}.${problem.part}`, problem.expected, problem.received);
  }
  const { temperature, sampler, thin, burnIn } = content;
  return {
    model,
    temperature,
    sampler,
    thin,
    burnIn,
    configs,
    shape,
    energy,
    magnetization,
  };
}

/**
 * The configurations as a `.npy` file: int8 (`|i1`), shape [samples, ...lattice shape], C order.
 * In Python: `numpy.load(path)`. O(samples * sites). Not a root export: from the package,
 * `encodeNpy(ensemble.configs, ensemble.shape)` gives the same bytes (`saveEnsembleNpy` of
 * `coarsegrain/node` writes them to a file).
 * @throws DomainError if `ensemble` is not an Ensemble.
 * @example
 * ```ts
 * import { createIsing2D, createRng, ensembleToNpy, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 20, rng: createRng(1) });
 * const npy = ensembleToNpy(ens); // .npy bytes, int8, shape [20, 8, 8]; numpy.load reads them
 * ```
 */
export function ensembleToNpy(ensemble: Ensemble): Uint8Array {
  checkEnsemble(ensemble, 'ensembleToNpy');
  return encodeNpy(ensemble.configs, ensemble.shape);
}

/**
 * Read configurations back from `.npy` bytes (any int8 array of +-1 with at least 2 dimensions).
 * @throws FormatError for a corrupt or truncated file, another dtype, or values other than +-1.
 * @example
 * ```ts
 * import { configsFromNpy, createIsing2D, createRng, encodeNpy, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 4 }), { temperature: 2.5, samples: 16, rng: createRng(1) });
 * const { configs, shape } = configsFromNpy(encodeNpy(ens.configs, ens.shape)); // Int8Array(16 * 16), shape [16, 4, 4]
 * ```
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
