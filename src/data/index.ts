/**
 * The data layer: byte-level codecs (npy, IDX, ensemble container, images) that run in a browser, and
 * Node-only file wrappers in `files.ts` and `imageFolder.ts`. Depends on core only.
 * @module
 */

export * from './crc32.js';
export * from './ensembleFile.js';
export * from './files.js';
export * from './idx.js';
export * from './imageFolder.js';
export * from './images.js';
export * from './mnist.js';
export * from './npy.js';
export * from './split.js';
