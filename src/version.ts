/** The library version, recorded in every experiment result and saved file. Kept equal to package.json. */
export const VERSION = '0.1.0';
