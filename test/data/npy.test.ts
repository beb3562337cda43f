import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { decodeNpy, encodeNpy } from '../../src/data/npy.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => Number.parseInt(h, 16)));
// Written by NumPy 2.4: np.save(f, np.arange(6, dtype='<f4').reshape(2, 3)) and np.array([-1, 1, -1], 'i1').
const NUMPY_F4 = hex(
  '934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000803f0000004000004040000080400000a040',
);
const NUMPY_I1 = hex(
  '934e554d5059010076007b276465736372273a20277c6931272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200aff01ff',
);

function replaceHeader(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = String.fromCharCode(...bytes.subarray(0, 128)).replace(from, to);
  const out = bytes.slice();
  for (let i = 0; i < 128; i++) out[i] = text.charCodeAt(i);
  return out;
}

describe('npy', () => {
  it('writes exactly the bytes NumPy writes, and reads them back', () => {
    expect(encodeNpy(new Float32Array([0, 1, 2, 3, 4, 5]), [2, 3])).toEqual(NUMPY_F4);
    expect(encodeNpy(new Int8Array([-1, 1, -1]), [3])).toEqual(NUMPY_I1);
    const a = decodeNpy(NUMPY_F4);
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(decodeNpy(NUMPY_I1).data).toEqual(new Int8Array([-1, 1, -1]));
  });

  it('round-trips every dtype bit-exactly, with the data at a multiple of 64', () => {
    const arrays = [
      new Float32Array([1.5, -0, Number.NaN, Infinity, 3.4e38, 1e-45]),
      new Float64Array([Math.PI, -1e-300, Number.MAX_VALUE, 5e-324, -0, Number.NaN]),
      new Int8Array([-128, 127, 0, 1, -1, 5]),
      new Uint8Array([0, 255, 1, 2, 3, 4]),
      new Int16Array([-32768, 32767, 0, 1, 2, 3]),
      new Uint16Array([65535, 0, 1, 2, 3, 4]),
      new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, 1, 2, 3]),
      new Uint32Array([2 ** 32 - 1, 0, 1, 2, 3, 4]),
    ];
    for (const data of arrays) {
      for (const shape of [[6], [2, 3], [3, 1, 2]]) {
        const bytes = encodeNpy(data, shape);
        const headerLength = bytes[8]! + 256 * bytes[9]!;
        expect((10 + headerLength) % 64).toBe(0);
        const back = decodeNpy(bytes);
        expect(back.shape).toEqual(shape);
        expect(back.data.constructor).toBe(data.constructor);
        expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(data.buffer));
      }
    }
  });

  it('handles 0-d scalars, empty arrays, views at an offset and Uint8ClampedArray', () => {
    expect(decodeNpy(encodeNpy(new Float64Array([7]), []))).toEqual({
      data: new Float64Array([7]),
      shape: [],
      dtype: 'float64',
    });
    expect(decodeNpy(encodeNpy(new Float32Array(0), [0, 3])).shape).toEqual([0, 3]);
    const big = new Float64Array([9, 8, 7, 6]);
    expect(Array.from(decodeNpy(encodeNpy(big.subarray(1, 3), [2])).data)).toEqual([8, 7]);
    expect(decodeNpy(encodeNpy(new Uint8ClampedArray([3, 4]), [2])).dtype).toBe('uint8');
    // An unaligned input buffer still decodes (the payload is copied).
    const shifted = new Uint8Array(NUMPY_F4.length + 1);
    shifted.set(NUMPY_F4, 1);
    expect(Array.from(decodeNpy(shifted.subarray(1)).data)).toEqual([0, 1, 2, 3, 4, 5]);
    // A Node Buffer (whose slice() is a view into a shared pool) still gives an independent copy.
    const fromBuffer = decodeNpy(Buffer.from(NUMPY_F4));
    expect(fromBuffer.data.buffer.byteLength).toBe(24);
    expect(Array.from(fromBuffer.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reads format 2.0 headers', () => {
    const v1 = encodeNpy(new Float64Array([1, 2]), [2]);
    const headerLength = v1[8]! + 256 * v1[9]!;
    const v2 = new Uint8Array(v1.length + 2);
    v2.set(v1.subarray(0, 8));
    v2[6] = 2;
    new DataView(v2.buffer).setUint32(8, headerLength, true);
    v2.set(v1.subarray(10), 12);
    expect(Array.from(decodeNpy(v2).data)).toEqual([1, 2]);
  });

  it('rejects corrupt, truncated and unsupported files with clear FormatErrors', () => {
    const bad = (bytes: Uint8Array, message: RegExp) => {
      expect(() => decodeNpy(bytes)).toThrow(FormatError);
      expect(() => decodeNpy(bytes)).toThrow(message);
    };
    bad(
      NUMPY_F4.subarray(0, NUMPY_F4.length - 1),
      /decodeNpy: payload: expected 24 bytes .* \(truncated file\), received 23/,
    );
    bad(NUMPY_F4.subarray(0, 60), /decodeNpy: header: expected 118 header bytes \(truncated file\)/);
    bad(NUMPY_F4.subarray(0, 4), /decodeNpy: magic: expected .*received only 4 bytes/);
    const trailing = new Uint8Array(NUMPY_F4.length + 4);
    trailing.set(NUMPY_F4);
    bad(trailing, /trailing bytes/);
    const notNpy = NUMPY_F4.slice();
    notNpy[1] = 0x50;
    bad(notNpy, /decodeNpy: magic/);
    bad(replaceHeader(NUMPY_F4, "'<f4'", "'>f4'"), /decodeNpy: dtype: expected .*received '>f4'/);
    bad(replaceHeader(NUMPY_F4, "'<f4'", "'<c8'"), /received '<c8'/);
    bad(
      replaceHeader(NUMPY_F4, 'False', 'True '),
      /decodeNpy: fortran_order: expected False \(C order\), received True/,
    );
    bad(replaceHeader(NUMPY_F4, "'shape'", "'shapx'"), /decodeNpy: header: expected a 'shape' tuple/);
    const v9 = NUMPY_F4.slice();
    v9[6] = 9;
    bad(v9, /decodeNpy: version: expected 1.0, 2.0 or 3.0, received 9.0/);
  });

  it('validates encodeNpy arguments', () => {
    expect(() => encodeNpy(new Float64Array(5), [2, 3])).toThrow(
      /encodeNpy: data: expected 6 elements for shape \[2, 3\], received length 5/,
    );
    expect(() => encodeNpy(new Float64Array(2), [-2])).toThrow(/encodeNpy: shape\[0\]/);
    expect(() => encodeNpy(new BigInt64Array(2) as never, [2])).toThrow(FormatError);
  });
});
