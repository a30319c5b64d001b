// The raw wasm exports, typed. Pointers are byte offsets, counts are elements, bools are 0/1.

/** Exports of kernels-*.wasm (see assembly/index.ts). */
export interface KernelExports {
  heapBase(): number;
  gemmScratchBytes(): number;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    accumulate: number, scratch: number, bias: number, activation: number,
  ): void;
  fill(ptr: number, n: number, value: number): void;
  copy(dst: number, src: number, n: number): void;
  biasAdd(x: number, bias: number, rows: number, cols: number): void;
  colSum(x: number, out: number, rows: number, cols: number, accumulate: number): void;
  gatherRows(dst: number, src: number, indices: number, count: number, rowLen: number): void;
  hasNonFinite(ptr: number, n: number): number;
  activationForward(kind: number, x: number, y: number, rows: number, cols: number): void;
  activationBackward(kind: number, y: number, dy: number, dx: number, rows: number, cols: number): void;
  activationBackwardBias(kind: number, y: number, dy: number, dx: number, dBias: number, rows: number, cols: number, accumulate: number): void;
  inputActivationForward(kind: number, x: number, y: number, n: number): void;
  inputActivationBackward(kind: number, x: number, dy: number, dx: number, dBias: number, rows: number, cols: number): void;
  softmaxCrossEntropySparse(logits: number, labels: number, probs: number, dLogits: number, rows: number, cols: number, gradScale: number, weights: number): number;
  softmaxCrossEntropyDense(logits: number, targets: number, probs: number, dLogits: number, rows: number, cols: number, gradScale: number, weights: number): number;
  categoricalCrossEntropy(p: number, targets: number, dp: number, rows: number, cols: number, gradScale: number, weights: number): number;
  sparseCategoricalCrossEntropy(p: number, labels: number, dp: number, rows: number, cols: number, gradScale: number, weights: number): number;
  binaryCrossEntropy(p: number, targets: number, dp: number, n: number, gradScale: number, weights: number, repeat: number): number;
  meanSquaredError(p: number, targets: number, dp: number, n: number, gradScale: number, weights: number, repeat: number): number;
  countArgmaxMatchesSparse(p: number, labels: number, rows: number, cols: number, mask: number): number;
  countArgmaxMatchesDense(p: number, targets: number, rows: number, cols: number, mask: number): number;
  countBinaryMatches(p: number, targets: number, n: number, threshold: number, mask: number, repeat: number): number;
  adamUpdate(params: number, grads: number, m: number, v: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  sgdUpdate(params: number, grads: number, velocity: number, n: number, lr: number, momentum: number, nesterov: number): void;
  amsgradUpdate(params: number, grads: number, m: number, v: number, vHat: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  nadamUpdate(params: number, grads: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): void;
  adamaxUpdate(params: number, grads: number, m: number, u: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  adagradUpdate(params: number, grads: number, accum: number, n: number, lr: number, epsilon: number): void;
  rmspropUpdate(params: number, grads: number, velocity: number, avgGrad: number, mom: number, n: number, lr: number, rho: number, momentum: number, epsilon: number): void;
  adadeltaUpdate(params: number, grads: number, accumGrad: number, accumDelta: number, n: number, lr: number, rho: number, epsilon: number): void;
  lionUpdate(params: number, grads: number, m: number, n: number, lr: number, beta1: number, beta2: number): void;
  sumSquares(ptr: number, n: number): number;
  elementwiseLoss(kind: number, p: number, targets: number, dp: number, n: number, gradScale: number, param: number, weights: number, repeat: number): number;
  regularize(w: number, grad: number, n: number, l1: number, l2: number): number;
  normConstraint(w: number, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): void;
  rowwiseLoss(kind: number, p: number, targets: number, dp: number, rows: number, cols: number, gradScale: number, weights: number): number;
  clipByValue(ptr: number, n: number, lo: number, hi: number): void;
  scale(ptr: number, n: number, factor: number): void;
  add(a: number, b: number, out: number, n: number): void;
  mul(a: number, b: number, out: number, n: number): void;
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, cols: number): void;
  im2col(x: number, cols: number, ...geometry: number[]): void;
  col2im(cols: number, dx: number, ...geometry: number[]): void;
  maxPool(x: number, y: number, ...geometry: number[]): void;
  maxPoolGrad(x: number, y: number, dy: number, dx: number, ...geometry: number[]): void;
  avgPool(x: number, y: number, ...geometry: number[]): void;
  avgPoolGrad(dy: number, dx: number, ...geometry: number[]): void;
  dropoutMask(mask: number, n: number, rate: number, seed: number): void;
  normalNoise(out: number, n: number, mean: number, stddev: number, seed: number): void;
  transpose(x: number, y: number, d0: number, d1: number, d2: number, d3: number, d4: number, s0: number, s1: number, s2: number, s3: number, s4: number): void;
  minMax(takeMax: boolean, a: number, b: number, out: number, n: number): void;
  routeToFirstMatch(x: number, y: number, pending: number, dx: number, n: number): void;
  depthwiseForward(cols: number, kernel: number, out: number, rows: number, taps: number, channels: number, multiplier: number): void;
  depthwiseBackward(cols: number, kernel: number, dy: number, dCols: number, dKernel: number, rows: number, taps: number, channels: number, multiplier: number): void;
  embeddingForward(indices: number, table: number, out: number, n: number, dim: number, inputDim: number): void;
  embeddingBackward(indices: number, dy: number, dTable: number, n: number, dim: number, inputDim: number): void;
  maskFromValues(x: number, mask: number, rows: number, width: number, value: number): void;
  maskSelectRows(mask: number, x: number, prev: number, rows: number, width: number): void;
  maskSelectRowsGrad(mask: number, dx: number, dPrev: number, rows: number, width: number): void;
  maskedMeanSteps(x: number, mask: number, out: number, batch: number, steps: number, channels: number): void;
  maskedMeanStepsGrad(dy: number, mask: number, dx: number, batch: number, steps: number, channels: number): void;
  maskSum(mask: number, n: number): number;
  lossWeights(mask: number, weights: number, repeat: number, out: number, n: number): void;
  batchNormTrain(x: number, y: number, gamma: number, beta: number, movingMean: number, movingVar: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number, momentum: number): void;
  batchNormInfer(x: number, y: number, gamma: number, beta: number, movingMean: number, movingVar: number, invStd: number, rows: number, cols: number, epsilon: number): void;
  piecewiseLinearForward(x: number, y: number, n: number, threshold: number, slope: number, lo: number, hi: number): void;
  piecewiseLinearBackward(x: number, dy: number, dx: number, n: number, threshold: number, slope: number, lo: number, hi: number): void;
  eluForward(x: number, y: number, n: number, alpha: number): void;
  eluBackward(x: number, dy: number, dx: number, n: number, alpha: number): void;
  preluForward(x: number, alpha: number, y: number, batch: number, outer: number, shared: number, inner: number): void;
  preluBackward(x: number, alpha: number, dy: number, dx: number, dAlpha: number, batch: number, outer: number, shared: number, inner: number): void;
  batchNormGrad(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, rows: number, cols: number): void;
  layerNormForward(x: number, y: number, gamma: number, beta: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number): void;
  layerNormBackward(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, rows: number, cols: number): void;
  l2NormalizeForward(x: number, y: number, outer: number, reduce: number, inner: number, epsilon: number): void;
  l2NormalizeBackward(x: number, dy: number, dx: number, outer: number, reduce: number, inner: number, epsilon: number): void;
  lstmCellForward(z: number, cPrev: number, c: number, ac: number, h: number, rows: number, units: number, activation: number, recurrentActivation: number): void;
  lstmCellBackward(z: number, cPrev: number, ac: number, dh: number, dc: number, rows: number, units: number, activation: number, recurrentActivation: number): void;
  gruGatesForward(z: number, p: number, hPrev: number, rh: number, rows: number, units: number, recurrentActivation: number): void;
  gruOutputForward(z: number, q: number, hPrev: number, h: number, rows: number, units: number, activation: number): void;
  gruOutputBackward(z: number, hPrev: number, dh: number, dhPrev: number, dHh: number, rows: number, units: number, activation: number, recurrentActivation: number): void;
  gruGatesBackward(z: number, hPrev: number, dRh: number, dhPrev: number, s: number, rows: number, units: number, recurrentActivation: number): void;
  gruResetAfterForward(z: number, inner: number, recurrentBias: number, hPrev: number, h: number, rows: number, units: number, activation: number, recurrentActivation: number): void;
  gruResetAfterBackward(z: number, inner: number, recurrentBias: number, hPrev: number, dh: number, dhPrev: number, rows: number, units: number, activation: number, recurrentActivation: number): void;
  resizeBilinear(x: number, y: number, ...geometry: number[]): void;
  resizeBilinearBackward(dy: number, dx: number, ...geometry: number[]): void;
  resizeNearest(x: number, y: number, ...geometry: number[]): void;
  resizeNearestBackward(dy: number, dx: number, ...geometry: number[]): void;
  flipImages(x: number, y: number, flags: number, n: number, h: number, w: number, c: number): void;
}
