/**
 * The loader interface: how code that reads real data sets (the experiments, your scripts) gets its files
 * without importing a Node built-in. `nodeLoaders` of `coarsegrain/node` reads files and folders; in a
 * browser, pass functions that fetch the bytes and decode them with this layer's codecs.
 * @module
 */
import { domainError } from '../core/validate.js';
import type { ImageFolderData, ImageFolderOptions } from './images.js';
import type { MnistData, MnistOptions } from './mnist.js';

/**
 * The file readers an experiment uses for real data sets (MNIST, image folders). Reading files is
 * Node-only, so the portable root entry never imports them: pass `nodeLoaders` from `coarsegrain/node`,
 * or your own functions (e.g. `fetch`-based ones in a browser).
 * @example
 * ```ts
 * import { runE8, type DataLoaders } from 'coarsegrain';
 * import { nodeLoaders } from 'coarsegrain/node';
 * await runE8({ preset: 'quick', mnistDir: 'data/mnist' }, { seed: 1, loaders: nodeLoaders });
 * const noImages: DataLoaders = { ...nodeLoaders, loadImageFolder: async () => { throw new Error('no image folders here'); } };
 * ```
 */
export interface DataLoaders {
  /** Read the MNIST IDX files of a folder (as `loadMnist` of `coarsegrain/node`). */
  readonly loadMnist: (dir: string, options?: MnistOptions) => Promise<MnistData>;
  /** Read a folder of PNG/JPEG images into one matrix (as `loadImageFolder` of `coarsegrain/node`). */
  readonly loadImageFolder: (dir: string, options?: ImageFolderOptions) => Promise<ImageFolderData>;
}

/**
 * The loaders of `options`, or a DomainError naming the data folder that needs them.
 * @param fn - calling function, e.g. 'runE8'; `field` the config field that holds the folder.
 */
export function requireLoaders(
  options: { readonly loaders?: DataLoaders },
  fn: string,
  field: string,
): DataLoaders {
  const loaders = options.loaders;
  if (
    loaders === undefined ||
    typeof loaders.loadMnist !== 'function' ||
    typeof loaders.loadImageFolder !== 'function'
  )
    throw domainError(
      `${fn}: options.loaders`,
      `file loaders to read config.${field} (pass nodeLoaders from 'coarsegrain/node')`,
      loaders,
    );
  return loaders;
}
