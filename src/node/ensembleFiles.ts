/**
 * Node-only file wrappers for ensembles (atomic writes through `files.ts`), entry `coarsegrain/node`.
 * The byte codecs they wrap are in `sampling/ensembleIO.ts` and run in browsers.
 * @module
 */

import type { Ensemble } from '../sampling/ensemble.js';
import { decodeEnsemble, encodeEnsemble, ensembleToNpy } from '../sampling/ensembleIO.js';
import { readBytes, withPath, writeFileAtomic } from './files.js';

/**
 * Save an ensemble to `path` in the checksummed container format (atomically: temp file + rename).
 * @throws DomainError for a bad ensemble; the system error if the file cannot be written.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble } from 'coarsegrain';
 * import { saveEnsemble } from 'coarsegrain/node';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.27, samples: 100, rng: createRng(1) });
 * await saveEnsemble('ising-L16-T2.27.cgens', ens); // atomic: a temporary file, then a rename
 * ```
 */
export async function saveEnsemble(path: string, ensemble: Ensemble): Promise<void> {
  await writeFileAtomic(path, encodeEnsemble(ensemble), 'saveEnsemble');
}

/**
 * Load an ensemble saved by {@link saveEnsemble}.
 * @throws CoarseGrainError if the file cannot be read; FormatError (with the path) if it is truncated,
 * half-written, corrupt or not an ensemble.
 * @example
 * ```ts
 * import { summarizeEnsemble } from 'coarsegrain';
 * import { loadEnsemble } from 'coarsegrain/node';
 * const ens = await loadEnsemble('ising-L16-T2.27.cgens'); // written by saveEnsemble
 * summarizeEnsemble(ens).energy; // { mean, error } per site, as before saving
 * ```
 */
export async function loadEnsemble(path: string): Promise<Ensemble> {
  const bytes = await readBytes(path, 'loadEnsemble');
  return withPath(path, () => decodeEnsemble(bytes));
}

/**
 * Save the configurations as `.npy` (int8 [samples, ...shape]) for `numpy.load`, atomically.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble } from 'coarsegrain';
 * import { saveEnsembleNpy } from 'coarsegrain/node';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.27, samples: 100, rng: createRng(1) });
 * await saveEnsembleNpy('configs.npy', ens); // int8 [100, 16, 16]; numpy.load('configs.npy') in Python
 * ```
 */
export async function saveEnsembleNpy(path: string, ensemble: Ensemble): Promise<void> {
  await writeFileAtomic(path, ensembleToNpy(ensemble), 'saveEnsembleNpy');
}
