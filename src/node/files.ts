/**
 * Node-only file wrappers around the browser-safe codecs of the data layer (`node:fs`, `node:path`).
 * Kept in one small module so a browser bundle that does not use them tree-shakes `node:*` away.
 * @module
 */
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DomainError, FormatError } from '../core/errors.js';
import type { TypedArray } from '../core/tensor.js';
import { checkOneOf, checkOptions, checkPath, fileError, optionKeys } from '../core/validate.js';
import {
  type DecodedEnsembleFile,
  decodeEnsembleFile,
  type EnsembleFileContents,
  encodeEnsembleFile,
} from '../data/ensembleFile.js';
import { decodeIdx, type IdxArray, isGzip } from '../data/idx.js';
import { type MnistData, type MnistOptions, mnistFromIdx } from '../data/mnist.js';
import { decodeNpy, encodeNpy, type NpyArray } from '../data/npy.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const MNIST_OPTIONS_KEYS = optionKeys<MnistOptions>({
  split: true,
  limit: true,
  normalize: true,
  dtype: true,
});

let tempCounter = 0;

/**
 * Read a whole file as bytes.
 * @throws CoarseGrainError naming `fn`, the argument and the path if the file cannot be read (missing,
 * a directory, no permission); the system error is kept as `cause`.
 */
export async function readBytes(path: string, fn = 'readBytes', arg = 'path'): Promise<Uint8Array> {
  checkPath(path, `${fn}: ${arg}`);
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw fileError(fn, arg, path, 'a readable file', e);
  }
}

/**
 * Write `bytes` to `path` atomically: write a temporary file beside it, flush it to disk, then rename it
 * over `path`. A crash leaves either the old file or the new one, never a half-written file at `path`;
 * after a failed write no temporary file is left behind either.
 * @param fn - The public function on whose behalf the write happens (named in errors).
 * @throws DomainError for an empty path; FileError naming `fn`, the path and the cause (missing folder,
 * a directory at `path`, no permission, disk full).
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  fn = 'writeFileAtomic',
): Promise<void> {
  checkPath(path, `${fn}: path`);
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'w');
  } catch (e) {
    throw fileError(fn, 'path', path, 'a writable file path', e);
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw fileError(fn, 'path', path, 'a writable file path', e);
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw fileError(fn, 'path', path, 'a writable file path', e);
  }
}

/** Write a C-order array as a `.npy` file (atomically). See {@link encodeNpy}. */
export async function saveNpy(path: string, data: TypedArray, shape: readonly number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape), 'saveNpy');
}

/** Read a `.npy` file. See {@link decodeNpy}; the FormatError message gets the path appended. */
export async function loadNpy(path: string): Promise<NpyArray> {
  const bytes = await readBytes(path, 'loadNpy');
  return withPath(path, () => decodeNpy(bytes));
}

/** Save an ensemble container file atomically (temp file + rename). See {@link encodeEnsembleFile}. */
export async function saveEnsembleFile(path: string, contents: EnsembleFileContents): Promise<void> {
  await writeFileAtomic(path, encodeEnsembleFile(contents), 'saveEnsembleFile');
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

/**
 * Read an IDX file, raw or gzip-compressed (detected by the magic 1f 8b, inflated with node:zlib).
 * @throws CoarseGrainError if the file cannot be read; FormatError (with the path) if it is corrupt,
 * truncated or not IDX. See {@link decodeIdx}.
 */
export async function loadIdx(path: string): Promise<IdxArray> {
  const bytes = await readBytes(path, 'loadIdx');
  return withPath(path, () => {
    let raw = bytes;
    if (isGzip(bytes)) {
      try {
        raw = gunzipSync(bytes);
      } catch (e) {
        throw new FormatError(
          `loadIdx: gzip: expected a complete gzip stream, received a corrupt or truncated one (${(e as Error).message})`,
        );
      }
    }
    return decodeIdx(raw);
  });
}

async function findFile(dir: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/**
 * Load MNIST from a folder holding the original IDX files (`t10k-images-idx3-ubyte[.gz]`,
 * `t10k-labels-idx1-ubyte[.gz]` for split 'test', `train-*` for 'train'; `.idx3-ubyte` spellings too).
 * @returns `{ images: n x 784 (Float64Array, or Float32Array with dtype 'float32'), labels, n, rows, cols }`.
 * @throws DomainError naming the missing file if the folder lacks it; FormatError (with the path) if a
 * file is corrupt, truncated or mislabelled. See {@link mnistFromIdx} for the options.
 * @example const { images, labels } = await loadMnist('../shared/data/mnist', { split: 'test', limit: 1000, normalize: 'binary' });
 */
export async function loadMnist(dir: string, options: MnistOptions = {}): Promise<MnistData> {
  options = checkOptions(options, 'loadMnist: options', MNIST_OPTIONS_KEYS);
  const split = checkOneOf(options.split ?? 'test', 'loadMnist: split', ['test', 'train'] as const);
  const prefix = split === 'test' ? 't10k' : 'train';
  const paths: string[] = [];
  for (const [kind, idx] of [
    ['images', 'idx3'],
    ['labels', 'idx1'],
  ] as const) {
    const base = [`${prefix}-${kind}-${idx}-ubyte`, `${prefix}-${kind}.${idx}-ubyte`];
    const path = await findFile(dir, [...base.map((b) => `${b}.gz`), ...base]);
    if (!path) {
      throw new DomainError(
        `loadMnist: dir: expected a folder containing ${base[0]}.gz or ${base[0]} (MNIST ${split} ${kind}), received ${JSON.stringify(dir)} without it`,
      );
    }
    paths.push(path);
  }
  const [images, labels] = await Promise.all(paths.map((p) => loadIdx(p)));
  return mnistFromIdx(images!, labels!, options);
}
