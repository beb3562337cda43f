/** The data layer: byte-level codecs (npy, IDX, ensemble container, PNG/JPEG decode), image preprocessing and splits. Browser-safe: reading files and folders is in `coarsegrain/node`. */

export {
  type DecodedEnsembleFile,
  decodeEnsembleFile,
  type EnsembleArrayInfo,
  type EnsembleFileContents,
  encodeEnsembleFile,
} from './ensembleFile.js';
export { decodeIdx, decodeIdxAsync, encodeIdx, type IdxArray } from './idx.js';
export {
  centerCrop,
  extractPatches,
  type Image,
  type ImageFolderData,
  type ImageFolderOptions,
  normalizeRows,
  type Patches,
  type PixelNormalization,
  resizeImage,
  toGrayscale,
} from './images.js';
export type { DataLoaders } from './loaders.js';
export { type MnistData, type MnistNormalize, type MnistOptions, mnistFromIdx } from './mnist.js';
export { decodeNpy, encodeNpy, type NpyArray, type NpyDtype } from './npy.js';
export { gatherRows, minibatchIndices, type Split, trainTestSplit } from './split.js';
