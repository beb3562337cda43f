/**
 * The typed-array constructors that the library's file formats and task codec store by name
 * (`'Float64Array'`, ...): one table, so a format and the codec cannot disagree on what they accept.
 * @module
 */

/** The constructors by name: Float64/32, Int32/16/8, Uint32/16/8 and Uint8Clamped arrays. */
export const TYPED_ARRAY_CONSTRUCTORS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;

/** The name of a stored typed-array type, e.g. `'Float64Array'`. */
export type TypedArrayName = keyof typeof TYPED_ARRAY_CONSTRUCTORS;

/** One of the constructors in `TYPED_ARRAY_CONSTRUCTORS`. */
export type TypedArrayConstructor = (typeof TYPED_ARRAY_CONSTRUCTORS)[TypedArrayName];
