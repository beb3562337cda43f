/**
 * Node-only file wrappers around the browser-safe codecs of the data layer (`node:fs`, `node:path`).
 * Kept in one small module so a browser bundle that does not use them tree-shakes `node:*` away.
 * @module
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { CoarseGrainError, FormatError } from '../core/errors.js';
import type { TypedArray } from '../core/tensor.js';
import {
  type DecodedEnsembleFile,
  decodeEnsembleFile,
  type EnsembleFileContents,
  encodeEnsembleFile,
} from './ensembleFile.js';
import { decodeNpy, encodeNpy, type NpyArray } from './npy.js';

let tempCounter = 0;

/**
 * Read a whole file as bytes.
 * @throws CoarseGrainError naming `fn`, the argument and the path if the file cannot be read (missing,
 * a directory, no permission); the system error is kept as `cause`.
 */
export async function readBytes(path: string, fn = 'readBytes', arg = 'path'): Promise<Uint8Array> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new CoarseGrainError(`${fn}: ${arg}: expected a file path, received ${JSON.stringify(path)}`);
  }
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (e as Error).message;
    throw new CoarseGrainError(
      `${fn}: ${arg}: expected a readable file, received ${JSON.stringify(path)} (${why})`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Write `bytes` to `path` atomically: write a temporary file beside it, flush it to disk, then rename it
 * over `path`. A crash leaves either the old file or the new one, never a half-written file at `path`.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** Write a C-order array as a `.npy` file (atomically). See {@link encodeNpy}. */
export async function saveNpy(path: string, data: TypedArray, shape: readonly number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape));
}

/** Read a `.npy` file. See {@link decodeNpy}; the FormatError message gets the path appended. */
export async function loadNpy(path: string): Promise<NpyArray> {
  const bytes = await readBytes(path, 'loadNpy');
  return withPath(path, () => decodeNpy(bytes));
}

/** Save an ensemble container file atomically (temp file + rename). See {@link encodeEnsembleFile}. */
export async function saveEnsembleFile(path: string, contents: EnsembleFileContents): Promise<void> {
  await writeFileAtomic(path, encodeEnsembleFile(contents));
}

/** Load an ensemble container file (arrays are fresh copies). See {@link decodeEnsembleFile}. */
export async function loadEnsembleFile(path: string): Promise<DecodedEnsembleFile> {
  const bytes = await readBytes(path, 'loadEnsembleFile');
  return withPath(path, () => decodeEnsembleFile(bytes, { copy: false }));
}

/** Run a decoder and append ` (in <path>)` to the message of a FormatError it throws. */
export function withPath<T>(path: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${e.message} (in ${path})`, { cause: e });
    throw e;
  }
}
