import { describe, expect, it } from 'vitest';
import { type GemmKernelFunction, gemmKernel } from '../../src/core/gemm.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/tensor.js';
import {
  ACTIVATIONS,
  type Activation,
  activationBackwardBlockKernel,
  activationBackwardKernel,
  activationBlockKernel,
  activationKernel,
} from '../../src/models/activation.js';
import { autoencoderOps, createAutoencoder } from '../../src/models/autoencoder.js';
import {
  type DenseEpilogue,
  denseEpilogue,
  denseEpiloguePartKernel,
  gemmEpilogueFor,
} from '../../src/models/denseEpilogue.js';
import { allocFloat } from '../../src/models/denseLayer.js';
import { type LossKind, lossScale, stackLossKernel } from '../../src/models/denseLoss.js';
import { createDenseWorkspace, type DenseOp } from '../../src/models/denseStack.js';
import { denseTrainStepKernel } from '../../src/models/denseStep.js';
import { createMlp, mlpOps } from '../../src/models/mlp.js';
import {
  adamRangeKernel,
  createOptimizer,
  type OptimizerConfig,
  optimizerStepAllKernel,
} from '../../src/models/optim.js';
import { mismatches } from '../parallel/pools.js';

type DType = 'float32' | 'float64';
const alloc = (dtype: DType, n: number): FloatArray => allocFloat(dtype, n);

/** n values: normal with a spread of scales, and the special values an activation must get right. */
function testValues(rng: Rng, n: number, dtype: DType): FloatArray {
  const special = [
    0,
    -0,
    1e-300,
    -1e-300,
    36,
    -36,
    710,
    -710,
    745,
    -746,
    1e308,
    -1e308,
    Infinity,
    -Infinity,
    NaN,
  ];
  const z = alloc(dtype, n);
  for (let i = 0; i < n; i++) z[i] = i < special.length ? special[i]! : rng.normal() * 4 ** (i % 4);
  return z;
}

describe('activation block kernels', () => {
  it('give each element of a block the bits of the whole-matrix kernels, and leave the rest alone', () => {
    const rows = 7;
    const cols = 13;
    const rng = createRng(5);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const act of ACTIVATIONS) {
        const z = testValues(rng, rows * cols, dtype);
        const whole = alloc(dtype, rows * cols);
        activationKernel(act, z, whole, rows, cols);
        const dy = testValues(rng, rows * cols, dtype);
        const wholeBack = alloc(dtype, rows * cols);
        activationBackwardKernel(act, whole, dy, wholeBack, rows, cols);
        // tiles of the matrix (whole rows for softmax), each computed alone on its own copy
        const cuts = act === 'softmax' ? [0, cols] : [0, 5, 8, cols];
        const y = alloc(dtype, rows * cols).fill(-7);
        const back = alloc(dtype, rows * cols).fill(-7);
        for (const [r0, r1] of [
          [0, 3],
          [3, rows],
        ] as const) {
          for (let c = 0; c + 1 < cuts.length; c++) {
            activationBlockKernel(act, z, y, 0, cols, r0, r1, cuts[c]!, cuts[c + 1]!);
            activationBackwardBlockKernel(act, whole, dy, back, 0, cols, r0, r1, cuts[c]!, cuts[c + 1]!);
          }
        }
        expect(mismatches(y, whole)).toBe(0);
        expect(mismatches(back, wholeBack)).toBe(0);
        // an inner block leaves the rest of the matrix as it was
        const part = alloc(dtype, rows * cols).fill(-7);
        activationBlockKernel(act, z, part, 0, cols, 2, 4, 0, cols);
        for (let i = 0; i < rows * cols; i++) {
          const inside = i >= 2 * cols && i < 4 * cols;
          expect(Object.is(part[i], inside ? whole[i] : dtype === 'float32' ? Math.fround(-7) : -7)).toBe(
            true,
          );
        }
      }
    }
  });

  it('computes the sigmoid with the bits of 1/(1+e^-z) for z >= 0 and e^z/(1+e^z) below, at special values too', () => {
    const rng = createRng(6);
    for (const dtype of ['float64', 'float32'] as const) {
      const z = testValues(rng, 500, dtype);
      const y = alloc(dtype, z.length);
      activationKernel('sigmoid', z, y, 1, z.length);
      const expected = alloc(dtype, z.length);
      for (let i = 0; i < z.length; i++) {
        const v = z[i]!;
        expected[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      expect(mismatches(y, expected)).toBe(0);
      expect(Object.is(y[0], 0.5) && Object.is(y[1], 0.5)).toBe(true); // +0 and -0
      expect([y[12], y[13]]).toEqual([1, 0]); // +-Infinity
      expect(y[14]).toBeNaN();
    }
  });
});

/** The arguments of `gemmKernel` for columns [c0, c1) of C of a product (as a column-split product forms them). */
function columnPart(
  args: Parameters<GemmKernelFunction>,
  c0: number,
  c1: number,
): Parameters<GemmKernelFunction> {
  const p = args.slice() as Parameters<GemmKernelFunction>;
  p[3] = c1 - c0;
  p[10] = args[10] + c0 * (args[1] ? args[11] : 1);
  p[14] = args[14] + c0;
  return p;
}

/** The arguments for rows [r0, r1) of C. */
function rowPart(
  args: Parameters<GemmKernelFunction>,
  r0: number,
  r1: number,
): Parameters<GemmKernelFunction> {
  const p = args.slice() as Parameters<GemmKernelFunction>;
  p[2] = r1 - r0;
  p[7] = args[7] + r0 * (args[0] ? 1 : args[8]);
  p[14] = args[14] + r0 * args[15];
  return p;
}

describe('denseEpiloguePartKernel', () => {
  it('gives, block by block, the bits of the product and its steps on the whole of C', () => {
    const rng = createRng(7);
    const m = 12;
    const n = 40;
    const k = 30;
    for (const dtype of ['float64', 'float32'] as const) {
      const a = rng.fillNormal(alloc(dtype, m * k));
      const b = rng.fillNormal(alloc(dtype, n * k)); // used transposed
      const bias = rng.fillNormal(alloc(dtype, n));
      const target = rng.fillUniform(alloc(dtype, m * n));
      const p0 = rng.fillNormal(alloc(dtype, m * n));
      const m10 = rng.fillNormal(new Float64Array(m * n));
      const m20 = rng.fillUniform(new Float64Array(m * n));
      /** A fresh set of outputs and the epilogue writing them (every kind of step). */
      const setup = () => {
        const o = {
          z: alloc(dtype, m * n),
          y: alloc(dtype, m * n),
          dz: alloc(dtype, m * n),
          sums: alloc(dtype, n).fill(99),
          p: p0.slice(),
          m1: m10.slice(),
          m2: m20.slice(),
        };
        const ep: DenseEpilogue = denseEpilogue(bias, [
          { kind: 'activation', activation: 'sigmoid', z: o.z, y: o.y },
          { kind: 'mseGradient', y: o.y, target, dz: o.dz, scale: 0.3 },
          { kind: 'activationBackward', activation: 'sigmoid', y: o.y, dz: o.dz },
          { kind: 'columnSums', m: o.dz, sums: o.sums },
          {
            kind: 'adam',
            p: o.p,
            g: o.dz,
            m1: o.m1,
            m2: o.m2,
            beta1: 0.9,
            beta2: 0.999,
            learningRate: 1e-2,
            epsilon: 1e-8,
            t: 3,
            tf: false,
          },
        ]);
        const args: Parameters<GemmKernelFunction> = [
          false,
          true,
          m,
          n,
          k,
          1,
          a,
          0,
          k,
          b,
          0,
          k,
          1,
          o.z,
          0,
          n,
        ];
        return { o, ep, args };
      };
      // reference: the same operations one after the other with the whole-matrix kernels
      const ref = setup().o;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) ref.z[i * n + j] = bias[j]!;
      gemmKernel(false, true, m, n, k, 1, a, 0, k, b, 0, k, 1, ref.z, 0, n);
      activationKernel('sigmoid', ref.z, ref.y, m, n);
      for (let i = 0; i < m * n; i++) ref.dz[i] = 2 * 0.3 * (ref.y[i]! - target[i]!);
      activationBackwardKernel('sigmoid', ref.y, ref.dz, ref.dz, m, n);
      ref.sums.fill(0);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) ref.sums[j]! += ref.dz[i * n + j]!;
      adamRangeKernel(ref.p, ref.dz, ref.m1, ref.m2, 0.9, 0.999, 1e-2, 1e-8, 3, false, 0, m * n);

      const whole = setup();
      gemmEpilogueFor(gemmKernel)(...whole.args, whole.ep);
      const cols = setup();
      for (const [c0, c1] of [
        [0, 16],
        [16, 24],
        [24, n],
      ] as const)
        denseEpiloguePartKernel(gemmKernel, columnPart(cols.args, c0, c1), cols.ep, 0, 0, m, c0, c1);
      for (const got of [whole.o, cols.o]) {
        for (const key of ['z', 'y', 'dz', 'sums', 'p', 'm1', 'm2'] as const)
          expect(mismatches(got[key], ref[key]), `${dtype} ${key}`).toBe(0);
      }
      // without the column sums the steps may also go by blocks of rows
      const rowsSetup = setup();
      const byRows = denseEpilogue(
        bias,
        rowsSetup.ep.steps.filter((s) => s.kind !== 'columnSums'),
      );
      expect([byRows.wholeRows, byRows.wholeColumns, rowsSetup.ep.wholeColumns]).toEqual([
        false,
        false,
        true,
      ]);
      for (const [r0, r1] of [
        [0, 4],
        [4, m],
      ] as const)
        denseEpiloguePartKernel(gemmKernel, rowPart(rowsSetup.args, r0, r1), byRows, 0, r0, r1, 0, n);
      for (const key of ['z', 'y', 'dz', 'p', 'm1', 'm2'] as const)
        expect(mismatches(rowsSetup.o[key], ref[key]), `${dtype} rows ${key}`).toBe(0);
    }
  });

  it('marks softmax steps as needing whole rows', () => {
    const y = new Float64Array(4);
    expect(denseEpilogue(null, [{ kind: 'activation', activation: 'softmax', z: y, y }]).wholeRows).toBe(
      true,
    );
    expect(
      denseEpilogue(null, [{ kind: 'activationBackward', activation: 'softmax', y, dz: y }]).wholeRows,
    ).toBe(true);
    expect(denseEpilogue(null, [{ kind: 'activation', activation: 'tanh', z: y, y }]).wholeRows).toBe(false);
  });
});

interface StepCase {
  readonly name: string;
  readonly ops: DenseOp[];
  readonly weights: FloatArray[];
  readonly biases: FloatArray[];
  readonly loss: LossKind;
  readonly optimizer: OptimizerConfig;
  /** rows x nIn inputs and the targets (values rows x nOut, or labels). */
  readonly x: FloatArray;
  readonly target: FloatArray | Int32Array;
}

const ROWS = 24;

function stepCases(dtype: DType): StepCase[] {
  const rng = createRng(11);
  const cases: StepCase[] = [];
  const ae = (
    name: string,
    layers: number[],
    activations: Activation[] | 'sigmoid',
    tied: boolean,
    loss: LossKind,
    optimizer: OptimizerConfig,
  ) => {
    const model = createAutoencoder({
      layers,
      activations: activations as never,
      tied,
      dtype,
      rng: createRng(12),
    });
    const x = rng.fillUniform(alloc(dtype, ROWS * layers[0]!));
    cases.push({
      name,
      ops: autoencoderOps(model),
      weights: model.weights,
      biases: model.biases.map((b) => rng.fillNormal(b.slice())),
      loss,
      optimizer,
      x,
      target: x,
    });
  };
  const adam: OptimizerConfig = { kind: 'adam', learningRate: 1e-2 };
  ae('sigmoid autoencoder, mse', [20, 9], 'sigmoid', false, 'mse', adam);
  ae('sigmoid code, linear output, mse', [20, 9], ['sigmoid', 'linear'], false, 'mse', adam);
  ae('bce', [20, 9], 'sigmoid', false, 'bce', { ...adam, epsilonForm: 'tensorflow' });
  ae('tied, tanh/relu', [20, 9], ['tanh', 'relu'], true, 'mse', adam);
  ae('deep, tied', [20, 12, 5], ['relu', 'tanh', 'sigmoid', 'sigmoid'], true, 'mse', adam);
  ae('deep, Adam with weight decay', [20, 12, 5], 'sigmoid', false, 'mse', { ...adam, weightDecay: 1e-2 });
  ae('SGD with momentum', [20, 9], ['relu', 'linear'], false, 'mse', {
    kind: 'sgd',
    learningRate: 0.1,
    momentum: 0.9,
  });
  const mlp = createMlp({ layers: [20, 16, 4], activations: ['tanh'], dtype, rng: createRng(13) });
  const x = rng.fillNormal(alloc(dtype, ROWS * 20));
  cases.push({
    name: 'MLP, softmax cross-entropy',
    ops: mlpOps(mlp),
    weights: mlp.weights,
    biases: mlp.biases,
    loss: 'cross-entropy',
    optimizer: { ...adam, l1: 1e-3 },
    x,
    target: Int32Array.from({ length: ROWS }, (_, i) => i % 4),
  });
  return cases;
}

describe('denseTrainStepKernel', () => {
  it('trains bit-identically to stackLossKernel followed by optimizerStepAllKernel', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const c of stepCases(dtype)) {
        const run = (fused: boolean) => {
          const weights = c.weights.map((w) => w.slice());
          const biases = c.biases.map((b) => b.slice());
          const sizes = [...weights, ...biases].map((p) => p.length);
          const regularized = [...weights.map(() => true), ...biases.map(() => false)];
          const opt = createOptimizer(c.optimizer, sizes, regularized);
          const ws = createDenseWorkspace(c.ops, weights, biases, ROWS, dtype);
          const losses: number[] = [];
          // three steps on two batch sizes (the last batch of an epoch is smaller)
          for (const rows of [ROWS, ROWS, 7]) {
            ws.input.set(c.x.subarray(0, rows * c.ops[0]!.nIn));
            const target = c.target === c.x ? ws.input : c.target;
            const scale = lossScale(c.loss, rows, c.ops[c.ops.length - 1]!.nOut);
            if (fused) {
              const fusedProduct = gemmEpilogueFor(gemmKernel);
              losses.push(
                denseTrainStepKernel(
                  c.ops,
                  weights,
                  biases,
                  ws.input,
                  target,
                  rows,
                  c.loss,
                  scale,
                  ws,
                  opt,
                  fusedProduct,
                  adamRangeKernel,
                ),
              );
            } else {
              losses.push(
                stackLossKernel(c.ops, weights, biases, ws.input, target, rows, c.loss, ws, true, scale),
              );
              optimizerStepAllKernel(opt, [...weights, ...biases], [...ws.gradWeights, ...ws.gradBiases]);
            }
          }
          return { weights, biases, opt, losses };
        };
        const plain = run(false);
        const fused = run(true);
        const label = `${dtype} ${c.name}`;
        expect(fused.losses, label).toEqual(plain.losses);
        expect(fused.opt.step, label).toBe(3);
        for (let j = 0; j < plain.weights.length; j++)
          expect(mismatches(fused.weights[j]!, plain.weights[j]!), `${label} weights ${j}`).toBe(0);
        for (let j = 0; j < plain.biases.length; j++)
          expect(mismatches(fused.biases[j]!, plain.biases[j]!), `${label} biases ${j}`).toBe(0);
        for (let j = 0; j < plain.opt.moments1.length; j++) {
          expect(mismatches(fused.opt.moments1[j]!, plain.opt.moments1[j]!), label).toBe(0);
          expect(mismatches(fused.opt.moments2[j]!, plain.opt.moments2[j]!), label).toBe(0);
        }
      }
    }
  });

  it('returns a non-finite loss without touching the parameters or the optimiser', () => {
    const c = stepCases('float64')[0]!;
    const weights = c.weights.map((w) => w.slice());
    const biases = c.biases.map((b) => b.slice());
    const before = [...weights, ...biases].map((p) => p.slice());
    const opt = createOptimizer(
      c.optimizer,
      [...weights, ...biases].map((p) => p.length),
    );
    const ws = createDenseWorkspace(c.ops, weights, biases, ROWS, 'float64');
    ws.input.set(c.x);
    const target = new Float64Array(ROWS * 20).fill(Number.POSITIVE_INFINITY);
    const loss = denseTrainStepKernel(
      c.ops,
      weights,
      biases,
      ws.input,
      target,
      ROWS,
      'mse',
      1,
      ws,
      opt,
      gemmEpilogueFor(),
      adamRangeKernel,
    );
    expect(loss).toBe(Number.POSITIVE_INFINITY);
    expect(opt.step).toBe(0);
    for (const [j, p] of [...weights, ...biases].entries()) expect(mismatches(p, before[j]!)).toBe(0);
    expect(opt.moments1.every((m) => m.every((v) => v === 0))).toBe(true);
  });
});
