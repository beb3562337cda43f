/**
 * One minibatch step of dense training with the element-wise work fused onto the matrix products (see
 * ./denseEpilogue.ts): the bias and activation of each layer on its forward product, the loss gradient,
 * the chain rule and the bias gradients on the products that produce them, and the plain Adam update of
 * each weight array on the product that completes its gradient. Bit-identical to the forward pass, loss,
 * backward pass and optimiser step run one after the other (`stackLossKernel` then `optimizerStepAllKernel`).
 * @module
 */
import type { FloatArray } from '../core/tensor.js';
import {
  type DenseEpilogueStep,
  denseEpilogue,
  epilogueStepsKernel,
  type GemmEpilogueFunction,
} from './denseEpilogue.js';
import { bceLossKernel, type LossKind, mseLossKernel, softmaxCrossEntropyKernel } from './denseLoss.js';
import type { DenseOp, DenseWorkspace } from './denseStack.js';
import {
  type AdamRangeFunction,
  learningRateKernel,
  type OptimizerState,
  optimizerStepKernel,
} from './optim.js';

/**
 * Unchecked training step on a batch already in `x` (rows x nIn) with its targets in `target` (rows x
 * nOut values, the input itself, or rows labels): forward pass, loss, and, when the batch loss is finite,
 * backward pass and one optimiser step of `params` = [...weights, ...biases] with gradients in
 * `ws.gradWeights` / `ws.gradBiases` (the gradient of `scale * loss`). Returns the batch's SUM loss (as
 * `stackLossKernel`); when it is not finite, the parameters and the optimiser are left untouched.
 * Writes `ws.outputs`, `ws.deltas` and the gradients as the separate passes do, and `ws.logits` except
 * for a linear output under squared error (computed in place in its output buffer).
 * Products through `fused` (e.g. `gemmEpilogueFor(ws.gemm)`); Adam steps not fused onto a product
 * through `adam`. Cost that of the passes plus the update; no allocation beyond the epilogues' small
 * descriptors.
 */
export function denseTrainStepKernel(
  ops: readonly DenseOp[],
  weights: readonly FloatArray[],
  biases: readonly FloatArray[],
  x: FloatArray,
  target: FloatArray | ArrayLike<number>,
  rows: number,
  loss: LossKind,
  scale: number,
  ws: DenseWorkspace,
  optimizer: OptimizerState,
  fused: GemmEpilogueFunction,
  adam: AdamRangeFunction,
): number {
  const nOps = ops.length;
  const last = ops[nOps - 1]!;
  const lastDelta = ws.deltas[nOps - 1]!;
  // the loss gradient of an element-wise output goes onto the last forward product; softmax works on rows
  const lossOnProduct = last.activation !== 'softmax' && (loss === 'mse' || loss === 'bce');
  let input = x;
  for (let l = 0; l < nOps; l++) {
    const op = ops[l]!;
    const out = ws.outputs[l]!;
    // a linear output under squared error (no loss reads its logits) is computed in place
    const inPlace = l < nOps - 1 || (op.activation === 'linear' && loss === 'mse');
    const z = inPlace ? out : ws.logits;
    const steps: DenseEpilogueStep[] =
      z === out && op.activation === 'linear'
        ? []
        : [{ kind: 'activation', activation: op.activation, z, y: out }];
    if (l === nOps - 1 && lossOnProduct) {
      const t = target as FloatArray;
      if (loss === 'mse') {
        steps.push(
          { kind: 'mseGradient', y: out, target: t, dz: lastDelta, scale },
          { kind: 'activationBackward', activation: op.activation, y: out, dz: lastDelta },
        );
      } else steps.push({ kind: 'bceGradient', y: out, target: t, dz: lastDelta, scale });
      steps.push({ kind: 'columnSums', m: lastDelta, sums: ws.gradBiases[op.bias]! });
    }
    const w = weights[op.weight]!;
    const ep = denseEpilogue(biases[op.bias]!, steps);
    if (op.transposed)
      fused(false, true, rows, op.nOut, op.nIn, 1, input, 0, op.nIn, w, 0, op.nIn, 1, z, 0, op.nOut, ep);
    else fused(false, false, rows, op.nOut, op.nIn, 1, input, 0, op.nIn, w, 0, op.nOut, 1, z, 0, op.nOut, ep);
    input = out;
  }
  // the batch loss, summed here in element order (its gradient, for element-wise outputs, is already written)
  const y = ws.outputs[nOps - 1]!;
  const nOut = last.nOut;
  let sum: number;
  if (loss === 'mse')
    sum = mseLossKernel(
      y,
      target as FloatArray,
      rows,
      nOut,
      last.activation,
      lossOnProduct ? null : lastDelta,
      scale,
    );
  else if (loss === 'bce')
    sum = bceLossKernel(
      ws.logits,
      y,
      target as FloatArray,
      rows,
      nOut,
      lossOnProduct ? null : lastDelta,
      scale,
    );
  else sum = softmaxCrossEntropyKernel(ws.logits, y, target, rows, nOut, lastDelta, scale);
  if (!Number.isFinite(sum)) return sum;
  if (!lossOnProduct)
    epilogueStepsKernel(
      [{ kind: 'columnSums', m: lastDelta, sums: ws.gradBiases[last.bias]! }],
      0,
      nOut,
      0,
      rows,
      0,
      nOut,
    );

  const c = optimizer.config;
  const lr = learningRateKernel(c.learningRate, c.schedule, optimizer.step);
  const t = optimizer.step + 1;
  const plainAdam = (j: number): boolean =>
    c.kind === 'adam' && (!optimizer.regularized[j] || (c.weightDecay === 0 && c.l1 === 0));
  const stepped = new Uint8Array(weights.length);
  for (let l = nOps - 1; l >= 0; l--) {
    const op = ops[l]!;
    const w = weights[op.weight]!;
    const dz = ws.deltas[l]!;
    const layerInput = l === 0 ? x : ws.outputs[l - 1]!;
    // dx first: it reads this op's weights, which the weight-gradient product below may update
    if (l > 0) {
      const below = ops[l - 1]!;
      const dx = ws.deltas[l - 1]!;
      const ep = denseEpilogue(null, [
        { kind: 'activationBackward', activation: below.activation, y: ws.outputs[l - 1]!, dz: dx },
        { kind: 'columnSums', m: dx, sums: ws.gradBiases[below.bias]! },
      ]);
      if (op.transposed)
        fused(false, false, rows, op.nIn, op.nOut, 1, dz, 0, op.nOut, w, 0, op.nIn, 0, dx, 0, op.nIn, ep);
      else fused(false, true, rows, op.nIn, op.nOut, 1, dz, 0, op.nOut, w, 0, op.nOut, 0, dx, 0, op.nIn, ep);
    }
    // the weight gradient, added to for weights shared with a later op; the op of lowest index that uses
    // these weights completes their gradient, and no product of this step reads them after it: a plain
    // Adam step goes onto that product
    let accumulate = false;
    let complete = true;
    for (let m = 0; m < nOps; m++) {
      if (m > l && ops[m]!.weight === op.weight) accumulate = true;
      if (m < l && ops[m]!.weight === op.weight) complete = false;
    }
    const gW = ws.gradWeights[op.weight]!;
    const steps: DenseEpilogueStep[] = [];
    if (complete && plainAdam(op.weight)) {
      steps.push({
        kind: 'adam',
        p: w,
        g: gW,
        m1: optimizer.moments1[op.weight]!,
        m2: optimizer.moments2[op.weight]!,
        beta1: c.beta1,
        beta2: c.beta2,
        learningRate: lr,
        epsilon: c.epsilon,
        t,
        tf: c.epsilonForm === 'tensorflow',
      });
      stepped[op.weight] = 1;
    }
    const ep = denseEpilogue(null, steps);
    const beta = accumulate ? 1 : 0;
    if (op.transposed)
      fused(
        true,
        false,
        op.nOut,
        op.nIn,
        rows,
        1,
        dz,
        0,
        op.nOut,
        layerInput,
        0,
        op.nIn,
        beta,
        gW,
        0,
        op.nIn,
        ep,
      );
    else
      fused(
        true,
        false,
        op.nIn,
        op.nOut,
        rows,
        1,
        layerInput,
        0,
        op.nIn,
        dz,
        0,
        op.nOut,
        beta,
        gW,
        0,
        op.nOut,
        ep,
      );
  }
  // the updates not fused onto a product: biases, and weights under SGD or with a penalty
  const params = weights.length + biases.length;
  for (let j = 0; j < params; j++) {
    if (j < weights.length && stepped[j] === 1) continue;
    const p = j < weights.length ? weights[j]! : biases[j - weights.length]!;
    const g = j < weights.length ? ws.gradWeights[j]! : ws.gradBiases[j - weights.length]!;
    optimizerStepKernel(optimizer, j, p, g, lr, t, adam);
  }
  optimizer.step = t;
  return sum;
}
