/**
 * The Node entry, `coarsegrain/node`: everything that reads or writes files (npy, IDX and MNIST
 * folders, image folders, ensemble and model files), PNG/JPEG decoding (pngjs needs Node's zlib), and
 * `nodeLoaders` for the experiments that read real data. The root entry `coarsegrain` imports no
 * Node built-in, directly or through a dependency; this one does.
 * @example
 * import { runE9 } from 'coarsegrain';
 * import { nodeLoaders } from 'coarsegrain/node';
 * const r = await runE9({ preset: 'quick', mnistDir: 'data/mnist' }, { seed: 1, loaders: nodeLoaders });
 * @packageDocumentation
 */
import type { DataLoaders } from '../data/loaders.js';
import { loadMnist } from './files.js';
import { loadImageFolder } from './imageFolder.js';

export { decodeImage } from './decodeImage.js';
export { loadEnsemble, saveEnsemble, saveEnsembleNpy } from './ensembleFiles.js';
export {
  loadEnsembleFile,
  loadIdx,
  loadMnist,
  loadNpy,
  readBytes,
  saveEnsembleFile,
  saveNpy,
  writeFileAtomic,
} from './files.js';
export { type ImageFolderData, type ImageFolderOptions, loadImageFolder } from './imageFolder.js';
export { loadModel, saveModel } from './modelFiles.js';
export type { DataLoaders };

/**
 * The file loaders of this entry, in the shape experiments take as `options.loaders`.
 * @example
 * ```ts
 * import { runE9 } from 'coarsegrain';
 * import { nodeLoaders } from 'coarsegrain/node';
 * // the experiments that read data sets take their loaders: the Node ones read files and folders
 * const r = await runE9({ preset: 'quick', datasets: ['mnist'], mnistDir: 'data/mnist' }, { seed: 1, loaders: nodeLoaders });
 * ```
 */
export const nodeLoaders: DataLoaders = { loadMnist, loadImageFolder };
