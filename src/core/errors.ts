/**
 * Typed errors. Every public function of coarsegrain that rejects its input throws a subclass of
 * {@link CoarseGrainError} whose message names the argument, the value received and what was expected.
 * @module
 */

/**
 * Base class of every error thrown by coarsegrain. `instanceof CoarseGrainError` catches them all.
 * @example
 * ```ts
 * import { CoarseGrainError, createIsing2D } from 'coarsegrain';
 * try {
 *   createIsing2D({ L: 0 }); // L must be an integer >= 2
 * } catch (e) {
 *   if (e instanceof CoarseGrainError) console.error(e.name, e.message); // DomainError createIsing2D: L: expected ...
 * }
 * ```
 */
export class CoarseGrainError extends Error {
  override name = 'CoarseGrainError';
}

/**
 * An array has the wrong length, rank or dimensions (e.g. a batch of 99 values where 100 were expected).
 * @example
 * ```ts
 * import { ShapeError, variance } from 'coarsegrain';
 * try {
 *   variance([1]); // the unbiased variance needs 2 values
 * } catch (e) {
 *   if (e instanceof ShapeError) console.error(e.message); // variance: x: expected at least 2 values, received 1
 * }
 * ```
 */
export class ShapeError extends CoarseGrainError {
  override name = 'ShapeError';
}

/**
 * A value lies outside its allowed domain (non-positive temperature, NaN, non-integer size, ...).
 * @example
 * ```ts
 * import { DomainError, createRng } from 'coarsegrain';
 * try {
 *   createRng(1.5);
 * } catch (e) {
 *   if (e instanceof DomainError) console.error(e.message); // createRng: seed: expected an integer or a non-empty string, received 1.5
 * }
 * ```
 */
export class DomainError extends CoarseGrainError {
  override name = 'DomainError';
}

/**
 * An object is in the wrong state for the call (bad checkpoint, unknown version, use after abort, ...).
 * @example
 * ```ts
 * import { StateError, createRng, restoreRng } from 'coarsegrain';
 * const state = createRng(1).save();
 * try {
 *   restoreRng({ ...state, version: 2 as 1 }); // a state from an unknown version
 * } catch (e) {
 *   if (e instanceof StateError) console.error(e.message);
 * }
 * ```
 */
export class StateError extends CoarseGrainError {
  override name = 'StateError';
}

/**
 * A file or buffer is corrupt, truncated or not of the expected format.
 * @example
 * ```ts
 * import { FormatError, decodeNpy } from 'coarsegrain';
 * try {
 *   decodeNpy(new Uint8Array(16)); // not an .npy file
 * } catch (e) {
 *   if (e instanceof FormatError) console.error(e.message); // decodeNpy: ... magic ...
 * }
 * ```
 */
export class FormatError extends CoarseGrainError {
  override name = 'FormatError';
}

/**
 * A file could not be read or written (missing file or folder, a directory where a file was expected,
 * no permission, disk full). The message names the function, the path and the cause in words; `path`
 * and `code` (the system code such as `'ENOENT'`, or undefined) are kept as fields, and the system
 * error as `cause`.
 * @example
 * ```ts
 * import { FileError } from 'coarsegrain';
 * import { loadEnsembleFile } from 'coarsegrain/node';
 * try {
 *   await loadEnsembleFile('missing.cgens');
 * } catch (e) {
 *   if (e instanceof FileError) console.error(e.path, e.code); // 'missing.cgens' 'ENOENT'
 * }
 * ```
 */
export class FileError extends CoarseGrainError {
  override name = 'FileError';
  /** The path that failed. */
  readonly path: string;
  /** The system error code (`'ENOENT'`, `'EISDIR'`, `'EACCES'`, ...), if any. */
  readonly code: string | undefined;
  constructor(message: string, path: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
    this.code = code;
  }
}

/**
 * Work was cancelled through an `AbortSignal`.
 * @example
 * ```ts
 * import { AbortError, createRng, createIsing2D, sampleEnsemble } from 'coarsegrain';
 * const controller = new AbortController();
 * controller.abort();
 * try {
 *   sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.27, samples: 10, rng: createRng(1), signal: controller.signal });
 * } catch (e) {
 *   if (e instanceof AbortError) console.error(e.message); // 'sampleEnsemble: aborted'
 * }
 * ```
 */
export class AbortError extends CoarseGrainError {
  override name = 'AbortError';
}

/**
 * Training produced NaN/Inf or exploding parameters. `lastGood` holds the last model (or state) that was
 * still finite, so the caller can inspect it or restart with a smaller learning rate.
 * @example
 * ```ts
 * import { DivergenceError, createRbm, createRng, matrix, trainRbm } from 'coarsegrain';
 * const rng = createRng(1);
 * const rbm = createRbm({ nVisible: 4, nHidden: 2, rng });
 * const data = matrix(Int8Array.of(1, -1, 1, -1, -1, 1, -1, 1), 2, 4); // 2 samples x 4 spins
 * try {
 *   trainRbm(rbm, data, { epochs: 2, batchSize: 2, optimizer: { kind: 'sgd', learningRate: 0.01 }, rng });
 * } catch (e) {
 *   // NaN/Inf or |W| above maxWeight: restart from the last finite model with a smaller rate
 *   if (e instanceof DivergenceError) console.error(e.message, e.lastGood);
 * }
 * ```
 */
export class DivergenceError<T = unknown> extends CoarseGrainError {
  override name = 'DivergenceError';
  /** The last finite model/state before divergence was detected. */
  readonly lastGood: T | undefined;
  constructor(message: string, lastGood?: T) {
    super(message);
    this.lastGood = lastGood;
  }
}
