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
import { checkBytes, checkOneOf, checkOptions, checkPath, fileError, optionKeys } from '../core/validate.js';
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
 * @example
 * ```ts
 * import { readBytes } from 'coarsegrain/node';
 * const bytes = await readBytes('model.cgmodel'); // Uint8Array; a FileError names the path and the cause
 * ```
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
 * @example
 * ```ts
 * import { writeFileAtomic } from 'coarsegrain/node';
 * await writeFileAtomic('plot.svg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'));
 * // a crash never leaves a half-written plot.svg
 * ```
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  fn = 'writeFileAtomic',
): Promise<void> {
  checkPath(path, `${fn}: path`);
  checkBytes(bytes, `${fn}: bytes`);
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

/**
 * Write a C-order array as a `.npy` file (atomically). See {@link encodeNpy}.
 * @example
 * ```ts
 * import { saveNpy } from 'coarsegrain/node';
 * await saveNpy('weights.npy', new Float64Array(64 * 16), [64, 16]); // float64 (64, 16) for numpy.load
 * ```
 */
export async function saveNpy(path: string, data: TypedArray, shape: readonly number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape), 'saveNpy');
}

/**
 * Read a `.npy` file. See {@link decodeNpy}; the FormatError message gets the path appended.
 * @example
 * ```ts
 * import { loadNpy } from 'coarsegrain/node';
 * const { data, shape, dtype } = await loadNpy('configs.npy'); // e.g. written by numpy.save
 * ```
 */
export async function loadNpy(path: string): Promise<NpyArray> {
  const bytes = await readBytes(path, 'loadNpy');
  return withPath(path, () => decodeNpy(bytes));
}

/**
 * Save an ensemble container file atomically (temp file + rename). See {@link encodeEnsembleFile}.
 * @example
 * ```ts
 * import { saveEnsembleFile } from 'coarsegrain/node';
 * const spins = new Int8Array(10 * 64).fill(1); // 10 configurations of 8 x 8
 * await saveEnsembleFile('run.cgens', { metadata: { temperature: 2.5 }, arrays: { spins }, shapes: { spins: [10, 8, 8] } });
 * ```
 */
export async function saveEnsembleFile(path: string, contents: EnsembleFileContents): Promise<void> {
  await writeFileAtomic(path, encodeEnsembleFile(contents), 'saveEnsembleFile');
}

/**
 * Load an ensemble container file (arrays are fresh copies). See {@link decodeEnsembleFile}.
 * @example
 * ```ts
 * import { loadEnsembleFile } from 'coarsegrain/node';
 * const { metadata, arrays, shapes } = await loadEnsembleFile('run.cgens'); // written by saveEnsembleFile
 * // arrays.spins: a fresh Int8Array; shapes.spins: e.g. [samples, 16, 16]
 * ```
 */
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
 * @example
 * ```ts
 * import { loadIdx } from 'coarsegrain/node';
 * const labels = await loadIdx('data/mnist/t10k-labels-idx1-ubyte.gz'); // gzip or plain
 * // { data: Uint8Array(10000), shape: [10000], dtype: 'uint8' }
 * ```
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
 * @example
 * ```ts
 * import { loadMnist } from 'coarsegrain/node';
 * const { images, labels, n } = await loadMnist('data/mnist', { split: 'test', limit: 1000 });
 * // images: 1000 x 784 in [0, 1] (row-major 28 x 28), labels: Uint8Array of digits 0..9
 * ```
 */
export async function loadMnist(dir: string, options: MnistOptions = {}): Promise<MnistData> {
  checkPath(dir, 'loadMnist: dir');
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
