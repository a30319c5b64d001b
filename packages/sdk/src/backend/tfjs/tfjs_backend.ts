import type * as tfc from '@tensorflow/tfjs-core';
import type { BinaryFocalOptions, CategoricalFocalOptions, OverlapCoefficients } from '../backend.js';
import { binaryFocalTerms, categoricalFocalTerms, overlapTerms } from './focal_loss_ops.js';
import { weighted, weightedSum } from './loss_weight_ops.js';
import { ctcLossTensors, IMPOSSIBLE_SUM } from './ctc_ops.js';
import type { Backend, BufferId, ColorAdjustment, FusableActivation, GroupNormGeometry, ImageTransform, ResizeGeometry, ResizeGrid, ResizeInterpolation } from '../backend.js';
import { flipImagesTensor, resizeGradTensor, resizeOnGridGradTensor, resizeOnGridTensor, resizeTensor } from './image_ops.js';
import { transformImagesGradTensor, transformImagesTensor, transformSizes } from './transform_ops.js';
import { adjustImagesGradTensor, adjustImagesTensor } from './color_adjust_ops.js';
import { autoContrastGradTensor, autoContrastTensor } from './auto_contrast_ops.js';
import { equalizeImagesTensor } from './equalize_ops.js';
import { posterizeImagesTensor } from './posterize_ops.js';
import { hsvAdjustImagesTensor } from './hsv_adjust_ops.js';
import { solarizeImagesGradTensor, solarizeImagesTensor } from './solarize_ops.js';
import { batchNormGradTensors, batchNormInferTensor, batchNormTrainTensors } from './batch_norm_ops.js';
import { layerNormBackwardTensors, layerNormForwardTensors, rmsNormBackwardTensors, rmsNormForwardTensors } from './layer_norm_ops.js';
import { groupedTensor, groupNormBackwardTensors, groupNormForwardTensors } from './group_norm_ops.js';
import { dropoutMaskValues } from './window_ops.js';
import { normalNoiseValues, routeToFirstMatchTensors } from './shape_ops.js';
import { scatterRows, tableRows } from './embedding_ops.js';
import { lossWeightsTensor } from './loss_weight_ops.js';
import { maskFromValuesTensor, maskedMeanStepsGradTensor, maskedMeanStepsTensor, maskSelectRowsGradTensors, maskSelectRowsTensor } from './mask_ops.js';
import { gruGatesBackwardTensors, gruGatesForwardTensors, gruOutputBackwardTensors, gruOutputForwardTensors, gruResetAfterBackwardTensors, gruResetAfterForwardTensors, lstmCellBackwardTensors, lstmCellForwardTensors } from './recurrent_ops.js';
import { TfjsCoreKernels } from './tfjs_core_kernels.js';
import { groupedMatMulTensor } from './batch_matmul_ops.js';

/**
 * kerasm's Backend on TensorFlow.js: every kernel is a few tfjs ops on whatever tfjs backend is
 * active (webgl, webgpu, wasm, cpu, node), and buffers stay on that device between steps.
 */
export class TfjsBackend extends TfjsCoreKernels implements Backend {
  binaryFocalCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, o: BinaryFocalOptions, weights?: BufferId, repeat = 1): Promise<number> {
    return this.readScalar(() => {
      const w = weights ? this.store.get(weights) : null;
      const [loss, dLoss] = binaryFocalTerms(this.tf, this.store.get(this.prefix(p, n)), this.store.get(this.prefix(targets, n)), o);
      if (grad) this.store.set(this.prefix(grad, n), weighted(this.tf, this.tf.mul(dLoss, gradScale), w, repeat));
      return weightedSum(this.tf, loss, w, repeat);
    });
  }

  categoricalFocalCrossEntropy(p: BufferId, targets: BufferId, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, o: CategoricalFocalOptions, weights?: BufferId): Promise<number> {
    return this.readScalar(() => {
      const w = weights ? this.store.get(weights) : null;
      const [loss, dLoss, softmax] = categoricalFocalTerms(this.tf, this.matrix(p, rows, cols), this.matrix(targets, rows, cols), o);
      if (grad) this.store.set(grad, this.tf.reshape(weighted(this.tf, this.tf.mul(dLoss, gradScale), w, cols), [rows * cols]));
      if (softmax) this.store.set(probs, this.tf.reshape(softmax, [rows * cols]));
      return weightedSum(this.tf, loss, w, 1);
    });
  }

  overlapLoss(p: BufferId, targets: BufferId, grad: BufferId, groups: number, groupSize: number, gradScale: number, c: OverlapCoefficients, weights?: BufferId, repeat = 1): Promise<number> {
    return this.readScalar(() => {
      const tf = this.tf;
      const n = groups * groupSize;
      const [loss, dLoss] = overlapTerms(tf, this.matrix(p, groups, groupSize), this.matrix(targets, groups, groupSize), c);
      // Each group weighs the sum of its values' weights.
      const groupWeights = weights ? tf.sum(tf.reshape(weighted(tf, tf.ones([n]), this.store.get(this.prefix(weights, n / repeat)), repeat), [groups, groupSize]), 1) : null;
      if (grad) this.store.set(grad, tf.reshape(weighted(tf, tf.mul(dLoss, gradScale), groupWeights, groupSize), [n]));
      return weightedSum(tf, loss, groupWeights, 1);
    });
  }

  groupedMatMul(a: BufferId, b: BufferId, c: BufferId, groups: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    const size = m * groups * n;
    this.run(() => {
      const product = groupedMatMulTensor(this.tf, this.store.get(this.prefix(a, m * groups * k)), this.store.get(this.prefix(b, k * groups * n)), groups, m, n, k, transA, transB);
      this.store.set(this.prefix(c, size), accumulate ? this.tf.add(this.store.get(this.prefix(c, size)), product) : product);
    });
  }

  ctcLoss(logits: BufferId, labels: BufferId, grad: BufferId, batch: number, steps: number, classes: number, labelCap: number, blank: number, gradScale: number, weights?: BufferId): Promise<number> {
    return this.readScalar(() => {
      const tf = this.tf;
      const x = tf.reshape(this.store.get(this.prefix(logits, batch * steps * classes)), [batch, steps, classes]) as tfc.Tensor3D;
      const [loss, dLoss] = ctcLossTensors(tf, x, tf.reshape(this.store.get(this.prefix(labels, batch * labelCap)), [batch, labelCap]), blank);
      const sampleWeights = weights ? tf.sum(this.matrix(weights, batch, steps), 1) : null;
      if (grad) this.store.set(this.prefix(grad, batch * steps * classes), tf.reshape(weighted(tf, tf.mul(dLoss, gradScale), sampleWeights, steps * classes), [-1]));
      return weightedSum(tf, loss, sampleWeights, 1);
    }).then((sum) => (sum >= IMPOSSIBLE_SUM ? Infinity : sum));
  }

  transpose(x: BufferId, y: BufferId, dims: readonly number[], perm: readonly number[]): void {
    const n = dims.reduce((a, b) => a * b, 1);
    this.run(() => this.store.set(this.prefix(y, n), this.tf.reshape(this.tf.transpose(this.tf.reshape(this.store.get(this.prefix(x, n)), [...dims]), [...perm]), [n])));
  }

  minMax(takeMax: boolean, a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.run(() => {
      const [ta, tb] = [this.store.get(this.prefix(a, n)), this.store.get(this.prefix(b, n))];
      this.store.set(this.prefix(out, n), takeMax ? this.tf.maximum(ta, tb) : this.tf.minimum(ta, tb));
    });
  }

  routeToFirstMatch(x: BufferId, y: BufferId, pending: BufferId, dx: BufferId, n: number): void {
    const [pid, dxid] = [this.prefix(pending, n), this.prefix(dx, n)];
    this.run(() => {
      const routed = routeToFirstMatchTensors(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(y, n)), this.store.get(pid));
      this.store.set(dxid, routed.dx);
      this.store.set(pid, routed.pending);
    });
  }

  glu(x: BufferId, y: BufferId, rows: number, half: number): void {
    this.run(() => {
      const [a, b] = this.tf.split(this.matrix(x, rows, 2 * half), 2, 1);
      this.store.set(y, this.tf.mul(a, this.tf.sigmoid(b)));
    });
  }

  gluGrad(x: BufferId, dy: BufferId, dx: BufferId, rows: number, half: number): void {
    const tf = this.tf;
    this.run(() => {
      const [a, b] = tf.split(this.matrix(x, rows, 2 * half), 2, 1);
      const s = tf.sigmoid(b);
      const gs = tf.mul(this.matrix(dy, rows, half), s);
      this.store.set(dx, tf.concat([gs, tf.mul(tf.mul(gs, a), tf.sub(1, s))], 1));
    });
  }

  normalNoise(out: BufferId, n: number, mean: number, stddev: number, seed: number): void {
    this.store.set(this.prefix(out, n), this.tf.tensor1d(normalNoiseValues(n, mean, stddev, seed)));
  }

  dropoutMask(mask: BufferId, n: number, rate: number, seed: number): void {
    this.store.set(this.prefix(mask, n), this.tf.tensor1d(dropoutMaskValues(n, rate, seed)));
  }

  depthwiseForward(cols: BufferId, kernel: BufferId, out: BufferId, rows: number, taps: number, channels: number, multiplier: number): void {
    const tf = this.tf;
    this.run(() => {
      const windows = tf.reshape(this.store.get(cols), [rows, taps, channels, 1]);
      this.store.set(out, tf.sum(tf.mul(windows, tf.reshape(this.store.get(kernel), [taps, channels, multiplier])), 1));
    });
  }

  depthwiseBackward(cols: BufferId, kernel: BufferId, dy: BufferId, dCols: BufferId, dKernel: BufferId, rows: number, taps: number, channels: number, multiplier: number): void {
    const tf = this.tf;
    this.run(() => {
      const windows = tf.reshape(this.store.get(cols), [rows, taps, channels, 1]);
      const grad = tf.reshape(this.store.get(dy), [rows, 1, channels, multiplier]);
      const columnGrad = dCols ? tf.sum(tf.mul(grad, tf.reshape(this.store.get(kernel), [taps, channels, multiplier])), 3) : null;
      if (dKernel) this.store.set(dKernel, tf.sum(tf.mul(windows, grad), 0));
      if (columnGrad) this.store.set(dCols, columnGrad);
    });
  }

  embeddingForward(indices: BufferId, table: BufferId, out: BufferId, n: number, dim: number, inputDim: number): void {
    this.run(() => this.store.set(out, this.tf.gather(this.matrix(table, inputDim, dim), tableRows(this.tf, this.store.get(this.prefix(indices, n)), inputDim))));
  }

  embeddingBackward(indices: BufferId, dy: BufferId, dTable: BufferId, n: number, dim: number, inputDim: number): void {
    this.run(() => this.store.set(dTable, scatterRows(this.tf, this.store.get(this.prefix(indices, n)), this.matrix(dy, n, dim), inputDim)));
  }

  batchNormTrain(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number, momentum: number): void {
    this.run(() => {
      const out = batchNormTrainTensors(this.tf, this.matrix(x, rows, cols), this.optional(gamma), this.optional(beta), this.store.get(movingMean), this.store.get(movingVar), epsilon, momentum);
      this.store.set(y, out.y);
      this.store.set(mean, out.mean);
      this.store.set(invStd, out.invStd);
      this.store.set(movingMean, out.movingMean);
      this.store.set(movingVar, out.movingVar);
    });
  }

  batchNormInfer(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, _invStd: BufferId, rows: number, cols: number, epsilon: number): void {
    this.run(() => this.store.set(y, batchNormInferTensor(this.tf, this.matrix(x, rows, cols), this.optional(gamma), this.optional(beta), this.store.get(movingMean), this.store.get(movingVar), epsilon)));
  }

  batchNormGrad(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void {
    this.run(() => {
      const grads = batchNormGradTensors(this.tf, this.matrix(x, rows, cols), this.matrix(dy, rows, cols), this.optional(gamma), this.store.get(mean), this.store.get(invStd));
      if (dx) this.store.set(dx, grads.dx);
      if (dGamma) this.store.set(dGamma, grads.dGamma);
      if (dBeta) this.store.set(dBeta, grads.dBeta);
    });
  }

  layerNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number): void {
    this.run(() => {
      const out = layerNormForwardTensors(this.tf, this.matrix(x, rows, cols), this.optional(gamma), this.optional(beta), epsilon);
      this.store.set(y, out.y);
      this.store.set(mean, out.mean);
      this.store.set(invStd, out.invStd);
    });
  }

  layerNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void {
    this.run(() => {
      const grads = layerNormBackwardTensors(this.tf, this.matrix(x, rows, cols), this.matrix(dy, rows, cols), this.optional(gamma), this.matrix(mean, rows, 1), this.matrix(invStd, rows, 1));
      if (dx) this.store.set(dx, grads.dx);
      if (dGamma) this.store.set(dGamma, grads.dGamma);
      if (dBeta) this.store.set(dBeta, grads.dBeta);
    });
  }

  rmsNormForward(x: BufferId, y: BufferId, scale: BufferId, invRms: BufferId, rows: number, cols: number, epsilon: number): void {
    this.run(() => {
      const out = rmsNormForwardTensors(this.tf, this.matrix(x, rows, cols), this.optional(scale), epsilon);
      this.store.set(y, out.y);
      this.store.set(invRms, out.invRms);
    });
  }

  rmsNormBackward(x: BufferId, dy: BufferId, dx: BufferId, scale: BufferId, invRms: BufferId, dScale: BufferId, rows: number, cols: number): void {
    this.run(() => {
      const grads = rmsNormBackwardTensors(this.tf, this.matrix(x, rows, cols), this.matrix(dy, rows, cols), this.optional(scale), this.matrix(invRms, rows, 1));
      if (dx) this.store.set(dx, grads.dx);
      if (dScale) this.store.set(dScale, grads.dScale);
    });
  }

  groupNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, g: GroupNormGeometry, epsilon: number): void {
    this.run(() => {
      const out = groupNormForwardTensors(this.tf, groupedTensor(this.tf, this.store.get(x), g), this.optional(gamma), this.optional(beta), g, epsilon);
      this.store.set(y, out.y);
      this.store.set(mean, out.mean);
      this.store.set(invStd, out.invStd);
    });
  }

  groupNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, g: GroupNormGeometry): void {
    this.run(() => {
      const stats = [g.batch, 1, g.groups, 1];
      const grads = groupNormBackwardTensors(this.tf, groupedTensor(this.tf, this.store.get(x), g), groupedTensor(this.tf, this.store.get(dy), g), this.optional(gamma), this.tf.reshape(this.store.get(mean), stats), this.tf.reshape(this.store.get(invStd), stats), g);
      if (dx) this.store.set(dx, grads.dx);
      if (dGamma) this.store.set(dGamma, grads.dGamma);
      if (dBeta) this.store.set(dBeta, grads.dBeta);
    });
  }

  resize(interpolation: ResizeInterpolation, x: BufferId, y: BufferId, g: ResizeGeometry): void {
    const n = g.batch * g.inH * g.inW * g.channels;
    this.run(() => this.store.set(this.prefix(y, g.batch * g.outH * g.outW * g.channels), resizeTensor(this.tf, interpolation, this.store.get(this.prefix(x, n)), g)));
  }

  resizeGrad(interpolation: ResizeInterpolation, dy: BufferId, dx: BufferId, g: ResizeGeometry): void {
    const n = g.batch * g.outH * g.outW * g.channels;
    this.run(() => this.store.set(this.prefix(dx, g.batch * g.inH * g.inW * g.channels), resizeGradTensor(this.tf, interpolation, this.store.get(this.prefix(dy, n)), g)));
  }

  resizeOnGrid(interpolation: ResizeInterpolation, x: BufferId, y: BufferId, g: ResizeGrid): void {
    const n = g.batch * g.inH * g.inW * g.channels;
    this.run(() => this.store.set(this.prefix(y, g.batch * g.outH * g.outW * g.channels), resizeOnGridTensor(this.tf, interpolation, this.store.get(this.prefix(x, n)), g)));
  }

  resizeOnGridGrad(interpolation: ResizeInterpolation, dy: BufferId, dx: BufferId, g: ResizeGrid): void {
    const n = g.batch * g.outH * g.outW * g.channels;
    this.run(() => this.store.set(this.prefix(dx, g.batch * g.inH * g.inW * g.channels), resizeOnGridGradTensor(this.tf, interpolation, this.store.get(this.prefix(dy, n)), g)));
  }

  flipImages(x: BufferId, y: BufferId, flags: BufferId, batch: number, height: number, width: number, channels: number): void {
    const n = batch * height * width * channels;
    this.run(() => this.store.set(this.prefix(y, n), flipImagesTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(flags, batch)), [batch, height, width, channels])));
  }

  transformImages(x: BufferId, y: BufferId, transforms: BufferId, t: ImageTransform): void {
    const [n, out] = transformSizes(t);
    this.run(() => this.store.set(this.prefix(y, out), transformImagesTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(transforms, 8 * t.batch)), t)));
  }

  transformImagesGrad(dy: BufferId, dx: BufferId, transforms: BufferId, t: ImageTransform): void {
    const [n, out] = transformSizes(t);
    this.run(() => this.store.set(this.prefix(dx, n), transformImagesGradTensor(this.tf, this.store.get(this.prefix(dy, out)), this.store.get(this.prefix(transforms, 8 * t.batch)), t)));
  }

  adjustImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(y, n), adjustImagesTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(params, 2 * a.batch)), a)));
  }

  adjustImagesGrad(x: BufferId, dy: BufferId, dx: BufferId, params: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(dx, n), adjustImagesGradTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(dy, n)), this.store.get(this.prefix(params, 2 * a.batch)), a)));
  }

  solarizeImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(y, n), solarizeImagesTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(params, 2 * a.batch)), a)));
  }

  solarizeImagesGrad(x: BufferId, dy: BufferId, dx: BufferId, params: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(dx, n), solarizeImagesGradTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(dy, n)), this.store.get(this.prefix(params, 2 * a.batch)), a)));
  }

  posterizeImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(y, n), posterizeImagesTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(params, a.batch)), a)));
  }

  hsvAdjustImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment, hue: boolean): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(y, n), hsvAdjustImagesTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(params, 2 * a.batch)), a, hue)));
  }

  autoContrast(x: BufferId, y: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(y, n), autoContrastTensor(this.tf, this.store.get(this.prefix(x, n)), a)));
  }

  autoContrastGrad(x: BufferId, dy: BufferId, dx: BufferId, a: ColorAdjustment): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(dx, n), autoContrastGradTensor(this.tf, this.store.get(this.prefix(x, n)), this.store.get(this.prefix(dy, n)), a)));
  }

  equalizeImages(x: BufferId, y: BufferId, a: ColorAdjustment, bins: number): void {
    const n = a.batch * a.pixels * a.channels;
    this.run(() => this.store.set(this.prefix(y, n), equalizeImagesTensor(this.tf, this.store.get(this.prefix(x, n)), a, bins)));
  }

  l2Normalize(x: BufferId, y: BufferId, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.run(() => {
      const { tf } = this;
      const x3 = tf.reshape(this.store.get(x), [outer, reduce, inner]);
      this.store.set(y, tf.reshape(tf.mul(x3, tf.rsqrt(tf.maximum(tf.sum(tf.square(x3), 1, true), epsilon))), [outer * reduce * inner]));
    });
  }

  l2NormalizeGrad(x: BufferId, dy: BufferId, dx: BufferId, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.run(() => {
      const { tf } = this;
      const x3 = tf.reshape(this.store.get(x), [outer, reduce, inner]);
      const dy3 = tf.reshape(this.store.get(dy), [outer, reduce, inner]);
      const squares = tf.sum(tf.square(x3), 1, true);
      const s = tf.rsqrt(tf.maximum(squares, epsilon));
      // Where epsilon clamps the norm, the scale is a constant and only s·dy remains.
      const along = tf.where(tf.greater(squares, epsilon), tf.mul(tf.pow(s, 3), tf.sum(tf.mul(x3, dy3), 1, true)), tf.zerosLike(squares));
      this.store.set(dx, tf.reshape(tf.sub(tf.mul(s, dy3), tf.mul(along, x3)), [outer * reduce * inner]));
    });
  }

  maskFromValues(x: BufferId, mask: BufferId, rows: number, width: number, value: number): void {
    this.run(() => this.store.set(mask, maskFromValuesTensor(this.tf, this.matrix(x, rows, width), value)));
  }

  maskSelectRows(mask: BufferId, x: BufferId, prev: BufferId, rows: number, width: number): void {
    this.run(() => this.store.set(x, maskSelectRowsTensor(this.tf, this.matrix(mask, rows, 1), this.matrix(x, rows, width), prev ? this.matrix(prev, rows, width) : null)));
  }

  maskSelectRowsGrad(mask: BufferId, dx: BufferId, dPrev: BufferId, rows: number, width: number): void {
    this.run(() => {
      const out = maskSelectRowsGradTensors(this.tf, this.matrix(mask, rows, 1), this.matrix(dx, rows, width), dPrev ? this.matrix(dPrev, rows, width) : null);
      this.store.set(dx, out.dx);
      if (out.dPrev) this.store.set(dPrev, out.dPrev);
    });
  }

  maskedMeanSteps(x: BufferId, mask: BufferId, out: BufferId, batch: number, steps: number, channels: number): void {
    this.run(() => this.store.set(out, maskedMeanStepsTensor(this.tf, this.tf.reshape(this.store.get(x), [batch, steps, channels]), this.matrix(mask, batch, steps))));
  }

  maskedMeanStepsGrad(dy: BufferId, mask: BufferId, dx: BufferId, batch: number, steps: number, channels: number): void {
    this.run(() => this.store.set(dx, maskedMeanStepsGradTensor(this.tf, this.matrix(dy, batch, channels), this.matrix(mask, batch, steps))));
  }

  maskSum(mask: BufferId, n: number): Promise<number> {
    return this.readScalar(() => this.tf.sum(this.store.get(this.prefix(mask, n))));
  }

  lossWeights(mask: BufferId, weights: BufferId, repeat: number, out: BufferId, n: number, normalize = true): void {
    this.run(() => this.store.set(out, lossWeightsTensor(this.tf, mask ? this.store.get(this.prefix(mask, n)) : null, weights ? this.store.get(weights) : null, repeat, n, normalize)));
  }

  lstmCellForward(z: BufferId, cPrev: BufferId, c: BufferId, ac: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const out = lstmCellForwardTensors(this.tf, this.matrix(z, rows, 4 * units), cPrev ? this.matrix(cPrev, rows, units) : null, activation, recurrentActivation);
      this.store.set(z, out.gates);
      this.store.set(c, out.c);
      this.store.set(ac, out.ac);
      this.store.set(h, out.h);
    });
  }

  lstmCellBackward(z: BufferId, cPrev: BufferId, ac: BufferId, dh: BufferId, dc: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const m = (id: BufferId) => this.matrix(id, rows, units);
      const out = lstmCellBackwardTensors(this.tf, this.matrix(z, rows, 4 * units), cPrev ? m(cPrev) : null, m(ac), m(dh), m(dc), activation, recurrentActivation);
      this.store.set(z, out.dz);
      this.store.set(dc, out.dcPrev);
    });
  }

  gruGatesForward(z: BufferId, p: BufferId, hPrev: BufferId, rh: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const out = gruGatesForwardTensors(this.tf, this.matrix(z, rows, 3 * units), p ? this.matrix(p, rows, 2 * units) : null, hPrev ? this.matrix(hPrev, rows, units) : null, recurrentActivation);
      this.store.set(z, out.z);
      this.store.set(rh, out.rh);
    });
  }

  gruOutputForward(z: BufferId, q: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation): void {
    this.run(() => {
      const m = (id: BufferId) => (id ? this.matrix(id, rows, units) : null);
      const out = gruOutputForwardTensors(this.tf, this.matrix(z, rows, 3 * units), m(q), m(hPrev), activation);
      this.store.set(z, out.z);
      this.store.set(h, out.h);
    });
  }

  gruOutputBackward(z: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, dHh: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const m = (id: BufferId) => this.matrix(id, rows, units);
      const out = gruOutputBackwardTensors(this.tf, this.matrix(z, rows, 3 * units), hPrev ? m(hPrev) : null, m(dh), activation, recurrentActivation);
      this.store.set(z, out.z);
      this.store.set(dHh, out.dHh);
      if (dhPrev) this.store.set(dhPrev, this.tf.add(m(dhPrev), out.dhPrevPart));
    });
  }

  gruGatesBackward(z: BufferId, hPrev: BufferId, dRh: BufferId, dhPrev: BufferId, s: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const m = (id: BufferId) => (id ? this.matrix(id, rows, units) : null);
      const out = gruGatesBackwardTensors(this.tf, this.matrix(z, rows, 3 * units), m(hPrev), m(dRh), recurrentActivation);
      this.store.set(z, out.z);
      this.store.set(s, out.s);
      if (dhPrev && out.dhPrevPart) this.store.set(dhPrev, this.tf.add(this.matrix(dhPrev, rows, units), out.dhPrevPart));
    });
  }

  gruResetAfterForward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const out = gruResetAfterForwardTensors(this.tf, this.matrix(z, rows, 3 * units), this.matrix(inner, rows, 3 * units), this.optional(recurrentBias), hPrev ? this.matrix(hPrev, rows, units) : null, activation, recurrentActivation);
      this.store.set(z, out.z);
      this.store.set(h, out.h);
    });
  }

  gruResetAfterBackward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.run(() => {
      const m = (id: BufferId) => this.matrix(id, rows, units);
      const out = gruResetAfterBackwardTensors(this.tf, this.matrix(z, rows, 3 * units), this.matrix(inner, rows, 3 * units), this.optional(recurrentBias), hPrev ? m(hPrev) : null, m(dh), activation, recurrentActivation);
      this.store.set(z, out.dz);
      this.store.set(inner, out.dInner);
      if (dhPrev) this.store.set(dhPrev, this.tf.add(m(dhPrev), out.dhPrevPart));
    });
  }
}
