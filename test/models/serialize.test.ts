import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../src/core/base64.js';
import { crc32 } from '../../src/core/crc32.js';
import { DomainError, FormatError, StateError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import {
  type Autoencoder,
  type AutoencoderCheckpoint,
  createAutoencoder,
  resumeAutoencoderTraining,
  trainAutoencoder,
} from '../../src/models/autoencoder.js';
import { createRbm } from '../../src/models/init.js';
import {
  createMlp,
  type Mlp,
  type MlpCheckpoint,
  resumeMlpTraining,
  trainMlp,
} from '../../src/models/mlp.js';
import { type RbmCheckpoint, resumeTraining, trainRbm } from '../../src/models/rbmTrain.js';
import { deserializeModel, modelFromJson, modelToJson, serializeModel } from '../../src/models/serialize.js';
import type { Rbm } from '../../src/models/types.js';
import { loadModel, saveModel } from '../../src/node/modelFiles.js';
import { batch } from './batch.js';

/** Deep equality where typed arrays must have the same class and identical bytes, numbers compare with Object.is. */
function bitEqual(a: unknown, b: unknown, path = 'root'): void {
  if (ArrayBuffer.isView(a)) {
    expect(b?.constructor, path).toBe(a.constructor);
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(
      (b as ArrayBufferView).buffer,
      (b as ArrayBufferView).byteOffset,
      (b as ArrayBufferView).byteLength,
    );
    expect(y.length, path).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) throw new Error(`${path}: byte ${i} differs`);
    return;
  }
  if (typeof a === 'number') {
    expect(Object.is(a, b), `${path}: ${a} vs ${b}`).toBe(true);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b), path).toBe(true);
    expect((b as unknown[]).length, path).toBe(a.length);
    a.forEach((v, i) => {
      bitEqual(v, (b as unknown[])[i], `${path}[${i}]`);
    });
    return;
  }
  if (a !== null && typeof a === 'object') {
    expect(Object.keys(b as object).sort(), path).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a))
      bitEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(b, path).toBe(a);
}

const rbm: Rbm = {
  kind: 'rbm',
  version: 1,
  visibleUnits: 'spin',
  hiddenUnits: 'spin',
  nVisible: 3,
  nHidden: 2,
  weights: Float64Array.of(0.1, -0.2, 1e-310, Number.MAX_VALUE, -0, 0.3),
  visibleBias: Float64Array.of(1, 2, 3),
  hiddenBias: Float64Array.of(Math.PI, -Math.E),
};

function models(): [string, unknown][] {
  const ae32 = createAutoencoder({
    layers: [7, 5, 3],
    activations: 'sigmoid',
    dtype: 'float32',
    rng: createRng(1),
  });
  const ae64 = createAutoencoder({ layers: [7, 3], activations: 'tanh', tied: true, rng: createRng(2) });
  ae64.biases[0]![1] = Number.NaN;
  const mlp: Mlp = createMlp({ layers: [4, 6, 3], rng: createRng(3) });
  const odd = {
    kind: 'custom',
    specials: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.1 + 0.2, 5e-324],
    $weird: { $array: 'not an array', nested: [true, null, 'text'] },
    arrays: [
      new Int8Array([-1, 1, 1]),
      new Uint16Array([65535]),
      new Int32Array(0),
      new Float32Array([Number.NaN, 1e-45]),
    ],
  };
  return [
    ['float32 autoencoder', ae32],
    ['float64 tied autoencoder with a NaN', ae64],
    ['mlp', mlp],
    ['rbm', rbm],
    ['generic object with special numbers, $ keys and odd-length arrays', odd],
  ];
}

describe('binary and JSON round trips are bit-exact', () => {
  for (const [name, model] of models()) {
    it(`${name}: binary`, () => {
      const bytes = serializeModel(model);
      expect(bytes.length % 4).toBe(0);
      bitEqual(model, deserializeModel(bytes));
      expect(Array.from(serializeModel(deserializeModel(bytes)))).toEqual(Array.from(bytes));
    });
    it(`${name}: JSON`, () => {
      const text = modelToJson(model);
      bitEqual(model, modelFromJson(text));
      expect(modelToJson(modelFromJson(text))).toBe(text);
    });
  }

  it('a training checkpoint (model, Adam moments, rng state, history) round-trips and resumes bit-identically', () => {
    const data = createRng(4).fillUniform(new Float64Array(40 * 6));
    const ae = createAutoencoder({
      layers: [6, 3],
      activations: 'sigmoid',
      dtype: 'float32',
      rng: createRng(5),
    });
    const opts = {
      batchSize: 8,
      optimizer: { kind: 'adam' as const, learningRate: 0.01 },
      loss: 'bce' as const,
    };
    const straight = trainAutoencoder(ae, batch(data, ae.layers[0]!), {
      ...opts,
      epochs: 5,
      rng: createRng(6),
    });
    const part = trainAutoencoder(ae, batch(data, ae.layers[0]!), { ...opts, epochs: 2, rng: createRng(6) });
    for (const restored of [
      deserializeModel<AutoencoderCheckpoint<Float32Array>>(serializeModel(part.checkpoint)),
      modelFromJson<AutoencoderCheckpoint<Float32Array>>(modelToJson(part.checkpoint)),
    ]) {
      bitEqual(part.checkpoint, restored);
      const resumed = resumeAutoencoderTraining(restored, batch(data, restored.model.layers[0]!), {
        epochs: 5,
      });
      bitEqual(straight.model, resumed.model);
      bitEqual(straight.history, resumed.history);
    }
  });
});

describe('MLP checkpoints', () => {
  it('round-trip bit-exactly and resume bit-identically', () => {
    const rng = createRng(21);
    const x = rng.fillNormal(new Float64Array(50 * 5));
    const labels = new Int32Array(50).map((_, i) => (x[5 * i]! > 0 ? 1 : 0));
    const mlp = createMlp({ layers: [5, 6, 2], activations: 'relu', rng: createRng(22) });
    const opts = { batchSize: 16, optimizer: { kind: 'sgd' as const, learningRate: 0.1, momentum: 0.9 } };
    const straight = trainMlp(mlp, batch(x, mlp.layers[0]!), labels, {
      ...opts,
      epochs: 5,
      rng: createRng(23),
    });
    const part = trainMlp(mlp, batch(x, mlp.layers[0]!), labels, { ...opts, epochs: 3, rng: createRng(23) });
    const restored = deserializeModel<MlpCheckpoint>(serializeModel(part.checkpoint));
    bitEqual(part.checkpoint, restored);
    const resumed = resumeMlpTraining(restored, batch(x, restored.model.layers[0]!), labels, { epochs: 5 });
    bitEqual(straight.model, resumed.model);
    bitEqual(straight.history, resumed.history);
  });
});

describe('RBM checkpoints (persistent chains, optimiser moments, rng state)', () => {
  it('round-trip bit-exactly and resume bit-identically', () => {
    const rng = createRng(11);
    const data = new Float64Array(60 * 8).map(() => (rng.uniform() < 0.5 ? -1 : 1));
    const rbm = createRbm({ nVisible: 8, nHidden: 4, dtype: 'float32', rng: createRng(12) });
    const opts = { batchSize: 10, method: 'pcd' as const, persistentChains: 10, monitorSize: 0 };
    const straight = trainRbm(rbm, batch(data, rbm.nVisible), { ...opts, epochs: 4, rng: createRng(13) });
    const part = trainRbm(rbm, batch(data, rbm.nVisible), { ...opts, epochs: 2, rng: createRng(13) });
    expect(part.checkpoint.chains).toBeInstanceOf(Float32Array);
    const restored = deserializeModel<RbmCheckpoint<Float32Array>>(serializeModel(part.checkpoint));
    bitEqual(part.checkpoint, restored);
    bitEqual(part.checkpoint, modelFromJson(modelToJson(part.checkpoint)));
    const resumed = resumeTraining(restored, batch(data, restored.model.nVisible), { ...opts, epochs: 4 });
    bitEqual(straight.model, resumed.model);
  });
});

describe('corrupt input gives typed errors with clear messages', () => {
  const bytes = serializeModel(createAutoencoder({ layers: [5, 2], rng: createRng(1) }));

  it('truncated file', () => {
    expect(() => deserializeModel(bytes.subarray(0, bytes.length - 9))).toThrow(FormatError);
    expect(() => deserializeModel(bytes.subarray(0, bytes.length - 9))).toThrow(
      /^deserializeModel: bytes: expected the \d+ bytes the header declares, received \d+ \(truncated\)$/,
    );
    expect(() => deserializeModel(bytes.subarray(0, 12))).toThrow(/truncated/);
  });

  it('flipped byte anywhere after the preamble -> checksum mismatch', () => {
    for (const at of [30, bytes.length - 20, bytes.length - 2]) {
      const bad = bytes.slice();
      bad[at]! ^= 0x10;
      expect(() => deserializeModel(bad)).toThrow(/checksum mismatch .*the file is corrupt/);
    }
  });

  it('wrong magic, future version, trailing bytes', () => {
    const bad = bytes.slice();
    bad[0] = 0x50;
    expect(() => deserializeModel(bad)).toThrow(
      /^deserializeModel: bytes: expected a coarsegrain model file/,
    );
    expect(() => deserializeModel(new TextEncoder().encode('{"kind":"mlp"}'))).toThrow(FormatError);
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(8, 2, true);
    expect(() => deserializeModel(future)).toThrow(StateError);
    expect(() => deserializeModel(future)).toThrow(/format version 2 is not supported .*newer version/);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => deserializeModel(longer)).toThrow(/3 unexpected bytes after the declared end/);
  });

  it('JSON: not JSON, not a model, future version, malformed arrays', () => {
    expect(() => modelFromJson('{"format":')).toThrow(
      /^modelFromJson: text: expected valid JSON, received invalid JSON/,
    );
    expect(() => modelFromJson('{"format":"other"}')).toThrow(
      /^modelFromJson: text: expected a coarsegrain model \(format "coarsegrain-model"\), received format "other"$/,
    );
    expect(() => modelFromJson('{"format":"coarsegrain-model","version":9,"root":null}')).toThrow(StateError);
    const zeros3 = crc32(new Uint8Array(3));
    expect(() =>
      modelFromJson(
        `{"format":"coarsegrain-model","version":2,"root":{"$array":{"type":"Float64Array","base64":"AAAA","crc32":${zeros3}}}}`,
      ),
    ).toThrow(/3 bytes is not a whole number of Float64Array elements/);
    expect(() =>
      modelFromJson(
        '{"format":"coarsegrain-model","version":2,"root":{"$array":{"type":"Map","base64":"","crc32":0}}}',
      ),
    ).toThrow(/malformed array/);
    expect(() =>
      modelFromJson(
        '{"format":"coarsegrain-model","version":2,"root":{"$array":{"type":"Float64Array","base64":""}}}',
      ),
    ).toThrow(/malformed array \(expected \{ type, base64, crc32 \}\)/);
  });

  it('JSON: a flipped base64 character is caught by the CRC-32 of the weights', () => {
    const mlp = createMlp({ layers: [3, 2], rng: createRng(1) });
    const text = modelToJson(mlp);
    const at = text.indexOf('"base64":"') + 12;
    const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect(() => modelFromJson(flipped)).toThrow(FormatError);
    expect(() => modelFromJson(flipped)).toThrow(/checksum mismatch .*the file is corrupt/);
    expect(modelFromJson(text)).toEqual(mlp);
  });

  it('JSON: version 1 files (no checksum) are refused with a clear StateError', () => {
    expect(() => modelFromJson('{"format":"coarsegrain-model","version":1,"root":null}')).toThrow(
      /modelFromJson: version: expected JSON format version 2, received 1 \(version 1 stored no checksum/,
    );
  });

  it('JSON nested 100,000 deep is a FormatError, not a stack overflow; __proto__ keys stay plain data', () => {
    const deep = `{"format":"coarsegrain-model","version":2,"root":${'['.repeat(100000)}${']'.repeat(100000)}}`;
    expect(() => modelFromJson(deep)).toThrow(FormatError);
    let nested: unknown = 1;
    for (let i = 0; i < 100; i++) nested = [nested];
    expect(() => modelToJson({ kind: 'custom', nested })).toThrow(/at most 64 levels of nesting/);
    const proto = modelFromJson<Record<string, unknown>>(
      '{"format":"coarsegrain-model","version":2,"root":{"__proto__":{"polluted":1}}}',
    );
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('a structurally wrong model is refused on load and on save', () => {
    const mlp = createMlp({ layers: [3, 2], rng: createRng(1) });
    const broken = { ...mlp, weights: [new Float64Array(5)] };
    expect(() => serializeModel(broken)).toThrow(/serializeModel: model.weights\[0\]/);
    const text = modelToJson(mlp).replace('"layers":[3,2]', '"layers":[4,2]');
    expect(() => modelFromJson(text)).toThrow(
      /^modelFromJson: model: expected a valid model, received one that is not/,
    );
    const v2 = modelToJson(mlp).replace('"kind":"mlp","version":1', '"kind":"mlp","version":2');
    expect(() => modelFromJson<Autoencoder>(v2)).toThrow(StateError);
  });

  it('unsupported values are rejected naming their path', () => {
    expect(() => serializeModel({ a: [1, new Map()] })).toThrow(DomainError);
    expect(() => serializeModel({ a: [1, new Map()] })).toThrow(/serializeModel: model.a\[1\]/);
    expect(() => modelToJson({ f: () => 1 })).toThrow(/model.f/);
    expect(() => serializeModel({ big: new BigInt64Array(2) })).toThrow(/model.big/);
  });
});

describe('helpers', () => {
  it('base64 matches the RFC 4648 test vectors', () => {
    const enc = (s: string) => base64Encode(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
    expect(new TextDecoder().decode(base64Decode('Zm9vYmE='))).toBe('fooba');
    expect(() => base64Decode('Zm9v!A==')).toThrow(FormatError);
  });
});

describe('saveModel / loadModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-serialize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes binary or JSON by extension and reads back bit-exactly; corrupt files throw', async () => {
    const model = createAutoencoder({ layers: [6, 4, 2], dtype: 'float32', rng: createRng(9) });
    for (const name of ['model.cgm', 'model.json']) {
      const path = join(dir, name);
      await saveModel(path, model);
      bitEqual(model, await loadModel(path));
    }
    const raw = readFileSync(join(dir, 'model.cgm'));
    writeFileSync(join(dir, 'cut.cgm'), raw.subarray(0, raw.length - 100));
    await expect(loadModel(join(dir, 'cut.cgm'))).rejects.toThrow(FormatError);
    expect(readFileSync(join(dir, 'model.json'), 'utf8').startsWith('{"format":"coarsegrain-model"')).toBe(
      true,
    );
  });
});
