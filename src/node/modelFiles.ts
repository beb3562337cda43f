/**
 * File helpers for model serialisation (Node only). `node:fs` is imported dynamically inside the
 * functions, so bundling this module for a browser does not pull in Node built-ins.
 * @module
 */
import { checkPath, fileError } from '../core/validate.js';
import { deserializeModel, modelFromJson, modelToJson, serializeModel } from '../models/serialize.js';
import { writeFileAtomic } from './files.js';

/**
 * Write a model (or checkpoint) to `path`: JSON (see modelToJson) when the path ends in `.json`, the
 * compact binary format otherwise. Written to a temporary file and renamed, so a crash never leaves a
 * half-written file at `path`, and a failed write leaves no temporary file behind.
 * @throws as serializeModel; DomainError for an empty path; FileError naming the path and the cause
 * (missing folder, a directory at `path`, no permission).
 * @example
 * ```ts
 * import { createRbm, createRng } from 'coarsegrain';
 * import { saveModel } from 'coarsegrain/node';
 * const rbm = createRbm({ nVisible: 64, nHidden: 16, rng: createRng(1) });
 * await saveModel('rbm.cgmodel', rbm); // compact binary; 'rbm.json' would write JSON
 * ```
 */
export async function saveModel(path: string, model: unknown): Promise<void> {
  checkPath(path, 'saveModel: path');
  const data = path.toLowerCase().endsWith('.json')
    ? new TextEncoder().encode(modelToJson(model))
    : serializeModel(model);
  await writeFileAtomic(path, data, 'saveModel');
}

/**
 * Read a model written by {@link saveModel} (JSON for `.json`, binary otherwise).
 * @throws FormatError / StateError as deserializeModel and modelFromJson; DomainError for an empty path;
 * FileError naming the path and the cause (missing file, a directory, no permission).
 * @example
 * ```ts
 * import type { Rbm } from 'coarsegrain';
 * import { loadModel } from 'coarsegrain/node';
 * const rbm = await loadModel<Rbm<Float64Array>>('rbm.cgmodel'); // JSON when the path ends in .json
 * ```
 */
export async function loadModel<T = unknown>(path: string): Promise<T> {
  checkPath(path, 'loadModel: path');
  const fs = await import('node:fs/promises');
  let buf: Uint8Array;
  try {
    buf = await fs.readFile(path);
  } catch (e) {
    throw fileError('loadModel', 'path', path, 'a readable model file', e);
  }
  if (path.toLowerCase().endsWith('.json')) return modelFromJson<T>(new TextDecoder().decode(buf));
  return deserializeModel<T>(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}
