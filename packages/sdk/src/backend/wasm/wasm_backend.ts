import type { Core } from '@kerasm/core-wasm';
import { ACTIVATION_CODES, INPUT_ACTIVATION_CODES, LOSS_CODES, ROW_LOSS_CODES } from './kernel_codes.js';
import { firstNonFiniteRow } from '../non_finite.js';
import { WasmOptimizerKernels } from './wasm_optimizer_kernels.js';
import type { BinaryFocalOptions, CategoricalFocalOptions, OverlapCoefficients } from '../backend.js';
import type { ColorAdjustment, ActivationKind, InputActivationKind, Backend, FusableActivation, BufferDType, BufferId, ElementwiseLossKind, GroupNormGeometry, ImageTransform, ParametricActivation, PreluGeometry, ResizeGeometry, ResizeGrid, ResizeInterpolation, RowwiseLossKind, WindowGeometry } from '../backend.js';

/** Rows up to this length are gathered element by element (measured: 10× faster for 1-value label rows; set() wins for 784-float images). */
const SHORT_ROW = 16;

/**
 * The default backend: kernels of the AssemblyScript SIMD core over one linear memory.
 * A buffer id is the byte address of its first element, so views are pointer arithmetic.
 */
export class WasmBackend extends WasmOptimizerKernels implements Backend {
  readonly name = 'wasm';
  readonly hostResident = true;
  readonly kernels: string;
  readonly #core: Core;
  // The tables of the kernels that need some (CTC's recursion, equalization's histogram), kept between calls so that a training step allocates nothing.
  #scratch = 0;
  #scratchBytes = 0;

  constructor(core: Core) {
    super(core);
    this.#core = core;
    this.kernels = `wasm-${core.flavor}`;
  }

  get threads(): number {
    return this.#core.threads;
  }

  stopThreads(): void {
    this.#core.dispose();
  }

  alloc(length: number, _dtype: BufferDType, zeroFill = true): BufferId {
    const ptr = this.#core.malloc(Math.max(1, length) * 4);
    if (zeroFill) this.#core.fill(ptr, Math.max(1, length), 0);
    return ptr;
  }

  free(id: BufferId): void {
    this.#core.free(id);
  }

  view(id: BufferId, offset: number, _length: number): BufferId {
    return id + offset * 4;
  }

  write(id: BufferId, values: Float32Array | Int32Array): void {
    const view = values instanceof Int32Array ? this.#core.i32() : this.#core.f32();
    view.set(values, id >>> 2);
  }

  read(id: BufferId, length: number, dtype: BufferDType): Float32Array | Int32Array {
    const start = id >>> 2;
    return dtype === 'int32'
      ? this.#core.i32().slice(start, start + length)
      : this.#core.f32().slice(start, start + length);
  }

  async readAsync(id: BufferId, length: number, dtype: BufferDType): Promise<Float32Array | Int32Array> {
    return this.read(id, length, dtype);
  }

  gatherRows(dst: BufferId, src: Float32Array | Int32Array, indices: Int32Array, start: number, count: number, rowLength: number, checkFinite = false): number {
    const view = src instanceof Int32Array ? this.#core.i32() : this.#core.f32();
    let at = dst >>> 2;
    if (rowLength <= SHORT_ROW) {
      // Labels and other short rows: a subarray and a set() per row cost ten times the copy.
      for (let i = 0; i < count; i++) {
        const row = indices[start + i] * rowLength;
        for (let j = 0; j < rowLength; j++) view[at++] = src[row + j];
      }
    } else {
      for (let i = 0; i < count; i++) {
        const row = indices[start + i] * rowLength;
        view.set(src.subarray(row, row + rowLength), at);
        at += rowLength;
      }
    }
    if (!checkFinite || !this.#core.hasNonFinite(dst, count * rowLength)) return -1;
    return firstNonFiniteRow(src, indices, start, count, rowLength);
  }

  fill(id: BufferId, length: number, value: number): void {
    this.#core.fill(id, length, value);
  }

  memoryBytes(): number {
    return this.#core.allocatedBytes();
  }

  reservedBytes(): number {
    return this.#core.memory.buffer.byteLength;
  }

  matMul(a: BufferId, b: BufferId, c: BufferId, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    this.#core.gemm(transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate);
  }

  batchMatMul(a: BufferId, b: BufferId, c: BufferId, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    // A buffer id is a byte address, so each pair is the plain GEMM at an offset.
    for (let i = 0; i < batch; i++) this.matMul(a + i * m * k * 4, b + i * k * n * 4, c + i * m * n * 4, m, n, k, transA, transB, accumulate);
  }

  groupedMatMul(a: BufferId, b: BufferId, c: BufferId, groups: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    // Each group is the GEMM over column blocks at strides of the whole rows: no copies.
    const [aBlock, bBlock] = [transA ? m : k, transB ? k : n];
    for (let g = 0; g < groups; g++) {
      this.#core.gemm(transA, transB, m, n, k, a + 4 * g * aBlock, groups * aBlock, b + 4 * g * bBlock, groups * bBlock, c + 4 * g * n, groups * n, accumulate);
    }
  }

  matMulBiasActivation(a: BufferId, b: BufferId, bias: BufferId, c: BufferId, m: number, n: number, k: number, activation: FusableActivation): void {
    this.#core.gemm(false, false, m, n, k, a, k, b, n, c, n, false, { bias, activation: ACTIVATION_CODES[activation] });
  }

  biasAdd(x: BufferId, bias: BufferId, rows: number, cols: number): void {
    this.#core.biasAdd(x, bias, rows, cols);
  }

  columnSum(x: BufferId, out: BufferId, rows: number, cols: number, accumulate: boolean): void {
    this.#core.colSum(x, out, rows, cols, accumulate);
  }

  activation(kind: ActivationKind, x: BufferId, y: BufferId, rows: number, cols: number): void {
    this.#core.activationForward(ACTIVATION_CODES[kind], x, y, rows, cols);
  }

  activationGrad(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, rows: number, cols: number): void {
    this.#core.activationBackward(ACTIVATION_CODES[kind], y, dy, dx, rows, cols);
  }

  activationGradBias(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number, accumulate: boolean): void {
    this.#core.activationBackwardBias(ACTIVATION_CODES[kind], y, dy, dx, dBias, rows, cols, accumulate);
  }
  inputActivation(kind: InputActivationKind, x: BufferId, y: BufferId, n: number): void {
    this.#core.inputActivationForward(INPUT_ACTIVATION_CODES[kind], x, y, n);
  }

  inputActivationGrad(kind: InputActivationKind, x: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number): void {
    this.#core.inputActivationBackward(INPUT_ACTIVATION_CODES[kind], x, dy, dx, dBias, rows, cols);
  }

  glu(x: BufferId, y: BufferId, rows: number, half: number): void {
    this.#core.gluForward(x, y, rows, half);
  }

  gluGrad(x: BufferId, dy: BufferId, dx: BufferId, rows: number, half: number): void {
    this.#core.gluBackward(x, dy, dx, rows, half);
  }

  parametricActivation(f: ParametricActivation, x: BufferId, y: BufferId, n: number): void {
    if (f.kind === 'elu') this.#core.eluForward(x, y, n, f.alpha);
    else this.#core.piecewiseLinearForward(x, y, n, f);
  }

  parametricActivationGrad(f: ParametricActivation, x: BufferId, dy: BufferId, dx: BufferId, n: number): void {
    if (f.kind === 'elu') this.#core.eluBackward(x, dy, dx, n, f.alpha);
    else this.#core.piecewiseLinearBackward(x, dy, dx, n, f);
  }

  prelu(x: BufferId, alpha: BufferId, y: BufferId, g: PreluGeometry): void {
    this.#core.preluForward(x, alpha, y, g);
  }

  preluGrad(x: BufferId, alpha: BufferId, dy: BufferId, dx: BufferId, dAlpha: BufferId, g: PreluGeometry): void {
    this.#core.preluBackward(x, alpha, dy, dx, dAlpha, g);
  }


  softmaxCrossEntropy(logits: BufferId, targets: BufferId, sparse: boolean, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, weights: BufferId = 0): number {
    return sparse
      ? this.#core.softmaxCrossEntropySparse(logits, targets, probs, grad, rows, cols, gradScale, weights)
      : this.#core.softmaxCrossEntropyDense(logits, targets, probs, grad, rows, cols, gradScale, weights);
  }

  categoricalCrossEntropy(p: BufferId, targets: BufferId, sparse: boolean, grad: BufferId, rows: number, cols: number, gradScale: number, weights: BufferId = 0): number {
    return sparse
      ? this.#core.sparseCategoricalCrossEntropy(p, targets, grad, rows, cols, gradScale, weights)
      : this.#core.categoricalCrossEntropy(p, targets, grad, rows, cols, gradScale, weights);
  }

  binaryCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, weights: BufferId = 0, repeat = 1, labelSmoothing = 0): number {
    return this.#core.binaryCrossEntropy(p, targets, grad, n, gradScale, weights, repeat, labelSmoothing);
  }

  meanSquaredError(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, weights: BufferId = 0, repeat = 1): number {
    return this.#core.meanSquaredError(p, targets, grad, n, gradScale, weights, repeat);
  }

  elementwiseLoss(kind: ElementwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, param: number, weights: BufferId = 0, repeat = 1): number {
    return this.#core.elementwiseLoss(LOSS_CODES[kind], p, targets, grad, n, gradScale, param, weights, repeat);
  }

  rowwiseLoss(kind: RowwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, weights: BufferId = 0): number {
    return this.#core.rowwiseLoss(ROW_LOSS_CODES[kind], p, targets, grad, rows, cols, gradScale, weights);
  }

  binaryFocalCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, o: BinaryFocalOptions, weights: BufferId = 0, repeat = 1): number {
    return this.#core.binaryFocalCrossEntropy(p, targets, grad, n, gradScale, o.gamma, o.alpha, o.applyClassBalancing, o.labelSmoothing, o.fromLogits, weights, repeat);
  }

  categoricalFocalCrossEntropy(p: BufferId, targets: BufferId, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, o: CategoricalFocalOptions, weights: BufferId = 0): number {
    return this.#core.categoricalFocalCrossEntropy(p, targets, probs, grad, rows, cols, gradScale, o.alpha, o.gamma, o.labelSmoothing, o.fromLogits, weights);
  }

  overlapLoss(p: BufferId, targets: BufferId, grad: BufferId, groups: number, groupSize: number, gradScale: number, c: OverlapCoefficients, weights: BufferId = 0, repeat = 1): number {
    return this.#core.overlapLoss(p, targets, grad, groups, groupSize, gradScale, c.numerator, c.truePositives, c.targets, c.predictions, weights, repeat);
  }

  ctcLoss(logits: BufferId, labels: BufferId, grad: BufferId, batch: number, steps: number, classes: number, labelCap: number, blank: number, gradScale: number, weights: BufferId = 0): number {
    const scratch = this.#scratchOf(this.#core.ctcScratchBytes(steps, classes, labelCap));
    return this.#core.ctcLoss(logits, labels, grad, batch, steps, classes, labelCap, blank, gradScale, weights, scratch);
  }

  /** At least `bytes` of scratch, grown (never shrunk) as calls need more. */
  #scratchOf(bytes: number): number {
    if (bytes > this.#scratchBytes) {
      if (this.#scratch) this.#core.free(this.#scratch);
      [this.#scratch, this.#scratchBytes] = [this.#core.malloc(bytes), bytes];
    }
    return this.#scratch;
  }

  countArgmaxMatches(p: BufferId, targets: BufferId, sparse: boolean, rows: number, cols: number, weights: BufferId = 0): number {
    return sparse
      ? this.#core.countArgmaxMatchesSparse(p, targets, rows, cols, weights)
      : this.#core.countArgmaxMatchesDense(p, targets, rows, cols, weights);
  }

  countBinaryMatches(p: BufferId, targets: BufferId, n: number, threshold: number, weights: BufferId = 0, repeat = 1): number {
    return this.#core.countBinaryMatches(p, targets, n, threshold, weights, repeat);
  }

  add(a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.#core.add(a, b, out, n);
  }

  mul(a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.#core.mul(a, b, out, n);
  }

  log(a: BufferId, out: BufferId, n: number): void {
    this.#core.log(a, out, n);
  }

  atan2(y: BufferId, x: BufferId, out: BufferId, n: number): void {
    this.#core.atan2(y, x, out, n);
  }

  copy(src: BufferId, dst: BufferId, n: number): void {
    this.#core.copy(dst, src, n);
  }

  copyRows(src: BufferId, srcStride: number, dst: BufferId, dstStride: number, rows: number, cols: number): void {
    this.#core.copyRows(src, srcStride, dst, dstStride, rows, cols);
  }

  im2col(x: BufferId, cols: BufferId, g: WindowGeometry): void {
    this.#core.im2col(x, cols, g);
  }

  col2im(cols: BufferId, dx: BufferId, g: WindowGeometry): void {
    this.#core.col2im(cols, dx, g);
  }

  maxPool(x: BufferId, y: BufferId, g: WindowGeometry): void {
    this.#core.maxPool(x, y, g);
  }

  maxPoolGrad(x: BufferId, y: BufferId, dy: BufferId, dx: BufferId, g: WindowGeometry): void {
    this.#core.maxPoolGrad(x, y, dy, dx, g);
  }

  avgPool(x: BufferId, y: BufferId, g: WindowGeometry): void {
    this.#core.avgPool(x, y, g);
  }

  avgPoolGrad(dy: BufferId, dx: BufferId, g: WindowGeometry): void {
    this.#core.avgPoolGrad(dy, dx, g);
  }

  transpose(x: BufferId, y: BufferId, dims: readonly number[], perm: readonly number[]): void {
    this.#core.transpose(x, y, dims, perm);
  }

  minMax(takeMax: boolean, a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.#core.minMax(takeMax, a, b, out, n);
  }

  routeToFirstMatch(x: BufferId, y: BufferId, pending: BufferId, dx: BufferId, n: number): void {
    this.#core.routeToFirstMatch(x, y, pending, dx, n);
  }

  normalNoise(out: BufferId, n: number, mean: number, stddev: number, seed: number): void {
    this.#core.normalNoise(out, n, mean, stddev, seed);
  }

  dropoutMask(mask: BufferId, n: number, rate: number, seed: number): void {
    this.#core.dropoutMask(mask, n, rate, seed);
  }

  depthwiseForward(cols: BufferId, kernel: BufferId, out: BufferId, rows: number, taps: number, channels: number, multiplier: number): void {
    this.#core.depthwiseForward(cols, kernel, out, rows, taps, channels, multiplier);
  }

  depthwiseBackward(cols: BufferId, kernel: BufferId, dy: BufferId, dCols: BufferId, dKernel: BufferId, rows: number, taps: number, channels: number, multiplier: number): void {
    this.#core.depthwiseBackward(cols, kernel, dy, dCols, dKernel, rows, taps, channels, multiplier);
  }

  embeddingForward(indices: BufferId, table: BufferId, out: BufferId, n: number, dim: number, inputDim: number): void {
    this.#core.embeddingForward(indices, table, out, n, dim, inputDim);
  }

  embeddingBackward(indices: BufferId, dy: BufferId, dTable: BufferId, n: number, dim: number, inputDim: number): void {
    this.#core.embeddingBackward(indices, dy, dTable, n, dim, inputDim);
  }

  batchNormTrain(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number, momentum: number): void {
    this.#core.batchNormTrain(x, y, gamma, beta, movingMean, movingVar, mean, invStd, rows, cols, epsilon, momentum);
  }

  batchNormInfer(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number): void {
    this.#core.batchNormInfer(x, y, gamma, beta, movingMean, movingVar, invStd, rows, cols, epsilon);
  }

  batchNormGrad(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void {
    this.#core.batchNormGrad(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
  }

  resize(interpolation: ResizeInterpolation, x: BufferId, y: BufferId, g: ResizeGeometry): void {
    this.#core.resize(interpolation, x, y, g);
  }

  resizeGrad(interpolation: ResizeInterpolation, dy: BufferId, dx: BufferId, g: ResizeGeometry): void {
    this.#core.resizeBackward(interpolation, dy, dx, g);
  }

  resizeOnGrid(interpolation: ResizeInterpolation, x: BufferId, y: BufferId, g: ResizeGrid): void {
    this.#core.resizeOnGrid(interpolation, x, y, g);
  }

  resizeOnGridGrad(interpolation: ResizeInterpolation, dy: BufferId, dx: BufferId, g: ResizeGrid): void {
    this.#core.resizeOnGridBackward(interpolation, dy, dx, g);
  }

  flipImages(x: BufferId, y: BufferId, flags: BufferId, batch: number, height: number, width: number, channels: number): void {
    this.#core.flipImages(x, y, flags, batch, height, width, channels);
  }

  transformImages(x: BufferId, y: BufferId, transforms: BufferId, t: ImageTransform): void {
    this.#core.transformImages(x, y, transforms, t);
  }

  transformImagesGrad(dy: BufferId, dx: BufferId, transforms: BufferId, t: ImageTransform): void {
    this.#core.transformImagesBackward(dy, dx, transforms, t);
  }

  adjustImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void {
    this.#core.adjustImages(x, y, params, a);
  }

  adjustImagesGrad(x: BufferId, dy: BufferId, dx: BufferId, params: BufferId, a: ColorAdjustment): void {
    this.#core.adjustImagesBackward(x, dy, dx, params, a);
  }

  solarizeImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void {
    this.#core.solarizeImages(x, y, params, a);
  }

  solarizeImagesGrad(x: BufferId, dy: BufferId, dx: BufferId, params: BufferId, a: ColorAdjustment): void {
    this.#core.solarizeImagesBackward(x, dy, dx, params, a);
  }

  posterizeImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void {
    this.#core.posterizeImages(x, y, params, a);
  }

  hsvAdjustImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment, hue: boolean): void {
    this.#core.hsvAdjustImages(x, y, params, a, hue);
  }

  autoContrast(x: BufferId, y: BufferId, a: ColorAdjustment): void {
    this.#core.autoContrast(x, y, a);
  }

  autoContrastGrad(x: BufferId, dy: BufferId, dx: BufferId, a: ColorAdjustment): void {
    this.#core.autoContrastBackward(x, dy, dx, a);
  }

  equalizeImages(x: BufferId, y: BufferId, a: ColorAdjustment, bins: number): void {
    this.#core.equalizeImages(x, y, this.#scratchOf(4 * bins), a, bins);
  }

  l2Normalize(x: BufferId, y: BufferId, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.#core.l2NormalizeForward(x, y, outer, reduce, inner, epsilon);
  }

  l2NormalizeGrad(x: BufferId, dy: BufferId, dx: BufferId, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.#core.l2NormalizeBackward(x, dy, dx, outer, reduce, inner, epsilon);
  }

  layerNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number): void {
    this.#core.layerNormForward(x, y, gamma, beta, mean, invStd, rows, cols, epsilon);
  }

  layerNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void {
    this.#core.layerNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
  }

  rmsNormForward(x: BufferId, y: BufferId, scale: BufferId, invRms: BufferId, rows: number, cols: number, epsilon: number): void {
    this.#core.rmsNormForward(x, y, scale, invRms, rows, cols, epsilon);
  }

  rmsNormBackward(x: BufferId, dy: BufferId, dx: BufferId, scale: BufferId, invRms: BufferId, dScale: BufferId, rows: number, cols: number): void {
    this.#core.rmsNormBackward(x, dy, dx, scale, invRms, dScale, rows, cols);
  }

  groupNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, g: GroupNormGeometry, epsilon: number): void {
    this.#core.groupNormForward(x, y, gamma, beta, mean, invStd, g.batch, g.spatial, g.channels, g.groups, epsilon);
  }

  groupNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, g: GroupNormGeometry): void {
    this.#core.groupNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, g.batch, g.spatial, g.channels, g.groups);
  }

  maskFromValues(x: BufferId, mask: BufferId, rows: number, width: number, value: number): void {
    this.#core.maskFromValues(x, mask, rows, width, value);
  }

  maskSelectRows(mask: BufferId, x: BufferId, prev: BufferId, rows: number, width: number): void {
    this.#core.maskSelectRows(mask, x, prev, rows, width);
  }

  maskSelectRowsGrad(mask: BufferId, dx: BufferId, dPrev: BufferId, rows: number, width: number): void {
    this.#core.maskSelectRowsGrad(mask, dx, dPrev, rows, width);
  }

  maskedMeanSteps(x: BufferId, mask: BufferId, out: BufferId, batch: number, steps: number, channels: number): void {
    this.#core.maskedMeanSteps(x, mask, out, batch, steps, channels);
  }

  maskedMeanStepsGrad(dy: BufferId, mask: BufferId, dx: BufferId, batch: number, steps: number, channels: number): void {
    this.#core.maskedMeanStepsGrad(dy, mask, dx, batch, steps, channels);
  }

  maskSum(mask: BufferId, n: number): number {
    return this.#core.maskSum(mask, n);
  }

  lossWeights(mask: BufferId, weights: BufferId, repeat: number, out: BufferId, n: number, normalize = true): void {
    this.#core.lossWeights(mask, weights, repeat, out, n, normalize);
  }

  lstmCellForward(z: BufferId, cPrev: BufferId, c: BufferId, ac: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#core.lstmCellForward(z, cPrev, c, ac, h, rows, units, ACTIVATION_CODES[activation], ACTIVATION_CODES[recurrentActivation]);
  }

  lstmCellBackward(z: BufferId, cPrev: BufferId, ac: BufferId, dh: BufferId, dc: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#core.lstmCellBackward(z, cPrev, ac, dh, dc, rows, units, ACTIVATION_CODES[activation], ACTIVATION_CODES[recurrentActivation]);
  }

  gruGatesForward(z: BufferId, p: BufferId, hPrev: BufferId, rh: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void {
    this.#core.gruGatesForward(z, p, hPrev, rh, rows, units, ACTIVATION_CODES[recurrentActivation]);
  }

  gruOutputForward(z: BufferId, q: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation): void {
    this.#core.gruOutputForward(z, q, hPrev, h, rows, units, ACTIVATION_CODES[activation]);
  }

  gruOutputBackward(z: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, dHh: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#core.gruOutputBackward(z, hPrev, dh, dhPrev, dHh, rows, units, ACTIVATION_CODES[activation], ACTIVATION_CODES[recurrentActivation]);
  }

  gruGatesBackward(z: BufferId, hPrev: BufferId, dRh: BufferId, dhPrev: BufferId, s: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void {
    this.#core.gruGatesBackward(z, hPrev, dRh, dhPrev, s, rows, units, ACTIVATION_CODES[recurrentActivation]);
  }

  gruResetAfterForward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#core.gruResetAfterForward(z, inner, recurrentBias, hPrev, h, rows, units, ACTIVATION_CODES[activation], ACTIVATION_CODES[recurrentActivation]);
  }

  gruResetAfterBackward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#core.gruResetAfterBackward(z, inner, recurrentBias, hPrev, dh, dhPrev, rows, units, ACTIVATION_CODES[activation], ACTIVATION_CODES[recurrentActivation]);
  }
}
