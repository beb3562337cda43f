/**
 * The library version, recorded in every experiment result and saved file. Kept equal to package.json.
 * @example
 * ```ts
 * import { VERSION } from 'coarsegrain';
 * const stamp = { library: 'coarsegrain', version: VERSION }; // version: '0.1.0'
 * ```
 */
export const VERSION = '0.1.0';
