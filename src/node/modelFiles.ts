/**
 * File helpers for model serialisation (Node only). `node:fs` is imported dynamically inside the
 * functions, so bundling this module for a browser does not pull in Node built-ins.
 * @module
 */
import { deserializeModel, modelFromJson, modelToJson, serializeModel } from '../models/serialize.js';

/**
 * Write a model (or checkpoint) to `path`: JSON (see modelToJson) when the path ends in `.json`, the
 * compact binary format otherwise. Written to a temporary file and renamed, so a crash never leaves a
 * half-written file at `path`.
 * @throws as serializeModel; Node fs errors for unwritable paths.
 */
export async function saveModel(path: string, model: unknown): Promise<void> {
  const fs = await import('node:fs/promises');
  const data = path.toLowerCase().endsWith('.json') ? modelToJson(model) : serializeModel(model);
  const tmp = `${path}.tmp-${process.pid}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, path);
}

/**
 * Read a model written by {@link saveModel} (JSON for `.json`, binary otherwise).
 * @throws FormatError / StateError as deserializeModel and modelFromJson; Node fs errors for missing files.
 */
export async function loadModel<T = unknown>(path: string): Promise<T> {
  const fs = await import('node:fs/promises');
  if (path.toLowerCase().endsWith('.json')) return modelFromJson<T>(await fs.readFile(path, 'utf8'));
  const buf = await fs.readFile(path);
  return deserializeModel<T>(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}
