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
 */
export async function saveEnsemble(path: string, ensemble: Ensemble): Promise<void> {
  await writeFileAtomic(path, encodeEnsemble(ensemble), 'saveEnsemble');
}

/**
 * Load an ensemble saved by {@link saveEnsemble}.
 * @throws CoarseGrainError if the file cannot be read; FormatError (with the path) if it is truncated,
 * half-written, corrupt or not an ensemble.
 */
export async function loadEnsemble(path: string): Promise<Ensemble> {
  const bytes = await readBytes(path, 'loadEnsemble');
  return withPath(path, () => decodeEnsemble(bytes));
}

/** Save the configurations as `.npy` (int8 [samples, ...shape]) for `numpy.load`, atomically. */
export async function saveEnsembleNpy(path: string, ensemble: Ensemble): Promise<void> {
  await writeFileAtomic(path, ensembleToNpy(ensemble), 'saveEnsembleNpy');
}
