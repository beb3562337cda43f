/**
 * Typed errors. Every public function of coarsegrain that rejects its input throws a subclass of
 * {@link CoarseGrainError} whose message names the argument, the value received and what was expected.
 * @module
 */

/** Base class of every error thrown by coarsegrain. `instanceof CoarseGrainError` catches them all. */
export class CoarseGrainError extends Error {
  override name = 'CoarseGrainError';
}

/** An array has the wrong length, rank or dimensions (e.g. a batch of 99 values where 100 were expected). */
export class ShapeError extends CoarseGrainError {
  override name = 'ShapeError';
}

/** A value lies outside its allowed domain (non-positive temperature, NaN, non-integer size, ...). */
export class DomainError extends CoarseGrainError {
  override name = 'DomainError';
}

/** An object is in the wrong state for the call (bad checkpoint, unknown version, use after abort, ...). */
export class StateError extends CoarseGrainError {
  override name = 'StateError';
}

/** A file or buffer is corrupt, truncated or not of the expected format. */
export class FormatError extends CoarseGrainError {
  override name = 'FormatError';
}

/**
 * A file could not be read or written (missing file or folder, a directory where a file was expected,
 * no permission, disk full). The message names the function, the path and the cause in words; `path`
 * and `code` (the system code such as `'ENOENT'`, or undefined) are kept as fields, and the system
 * error as `cause`.
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

/** Work was cancelled through an `AbortSignal`. */
export class AbortError extends CoarseGrainError {
  override name = 'AbortError';
}

/**
 * Training produced NaN/Inf or exploding parameters. `lastGood` holds the last model (or state) that was
 * still finite, so the caller can inspect it or restart with a smaller learning rate.
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
