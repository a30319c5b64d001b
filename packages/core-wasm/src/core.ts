// Typed, allocation-free wrappers over the wasm kernels plus the JS heap that owns buffers.
import { Activation } from './activation.js';
import type { ResizeGeometry, ResizeGrid, ResizeInterpolation, WindowGeometry } from './geometry.js';
import { transformArgs, type ColorAdjustment, type ImageTransform } from './image_transform.js';
import type { PiecewiseLinear, PreluGeometry } from './parametric_activation.js';
import { KernelId } from './parallel_kernels.js';
import { resizeArgs, resizeGridArgs, convImageSizes, imageSizes, windowSize, convArgs, poolArgs } from './kernel_args.js';
import { ModelKernels } from './core_model_kernels.js';
export type { Flavor, GemmEpilogue } from './core_base.js';

/**
 * The loaded kernels over one linear memory. Buffers are byte offsets returned by
 * {@link Core.malloc}; element counts are in elements; offset 0 means "no buffer".
 *
 * @example
 * ```ts
 * const core = await loadCore();
 * const x = core.malloc(4 * 6);
 * core.f32().set([1, -2, 3, -4, 5, -6], x / 4);
 * core.activationForward(Activation.Relu, x, x, 2, 3);
 * ```
 */
export class Core extends ModelKernels {
  /** Σ x² over n floats (f64 accumulation across blocks). */
  sumSquares(ptr: number, n: number): number {
    return this.k.sumSquares(ptr, n);
  }

  /** Clamps n floats to [lo, hi] in place. */
  clipByValue(ptr: number, n: number, lo: number, hi: number): void {
    this.k.clipByValue(ptr, n, lo, hi);
  }

  /** Multiplies n floats by factor in place. */
  scale(ptr: number, n: number, factor: number): void {
    this.k.scale(ptr, n, factor);
  }

  /** ptr[i] = value for i < n. */
  fill(ptr: number, n: number, value: number): void {
    this.k.fill(ptr, n, value);
  }

  /** dst[i] = src[i] for i < n (ranges may overlap). */
  copy(dst: number, src: number, n: number): void {
    this.k.copy(dst, src, n);
  }

  /** Row i of dst (rowLen floats) = row indices[i] of src; indices is an i32 buffer. */
  gatherRows(dst: number, src: number, indices: number, count: number, rowLen: number): void {
    this.k.gatherRows(dst, src, indices, count, rowLen);
  }

  /** True when any of the n floats at ptr is NaN or ±Infinity. */
  hasNonFinite(ptr: number, n: number): boolean {
    return this.k.hasNonFinite(ptr, n) !== 0;
  }

  /** out[i] = a[i] + b[i]; out may alias a or b. */
  add(a: number, b: number, out: number, n: number): void {
    this.k.add(a, b, out, n);
  }

  /** out[i] = a[i] · b[i]; out may alias a or b. */
  mul(a: number, b: number, out: number, n: number): void {
    this.k.mul(a, b, out, n);
  }

  /** out[i] = ln(x[i]) (−∞ at 0, NaN below it); out may alias x. */
  log(x: number, out: number, n: number): void {
    this.k.logElements(x, out, n);
  }

  /** out[i] = atan2(y[i], x[i]), the angle of (x, y) in [−π, π]; out may alias either. */
  atan2(y: number, x: number, out: number, n: number): void {
    this.k.atan2Elements(y, x, out, n);
  }

  /** Row r of dst (stride dstStride) = row r of src (stride srcStride); strides and cols in floats. */
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, cols: number): void {
    this.k.copyRows(src, srcStride, dst, dstStride, rows, cols);
  }

  /** Every receptive field of x (NHWC or NDHWC) as one row of cols: [batch·outD·outH·outW, kD·kH·kW·channels]. */
  im2col(x: number, cols: number, g: WindowGeometry): void {
    const [inImage, colsImage] = convImageSizes(g);
    this.split(KernelId.Im2col, 'im2col', g.batch, colsImage, 1, (s, e) => [x + 4 * s * inImage, cols + 4 * s * colsImage, ...convArgs(g, e - s)]);
  }

  /** The adjoint of im2col: sums the rows of cols back into dx (overwritten). */
  col2im(cols: number, dx: number, g: WindowGeometry): void {
    // Each image's dx gets only its own rows of cols, in the same order whoever runs it.
    const [inImage, colsImage] = convImageSizes(g);
    this.split(KernelId.Col2im, 'col2im', g.batch, colsImage, 1, (s, e) => [cols + 4 * s * colsImage, dx + 4 * s * inImage, ...convArgs(g, e - s)]);
  }

  /** Max pooling over windows of inside positions (dilation must be 1). */
  maxPool(x: number, y: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.MaxPool, 'maxPool', g.batch, outImage * windowSize(g), 1, (s, e) => [x + 4 * s * inImage, y + 4 * s * outImage, ...poolArgs(g, e - s)]);
  }

  /** Routes dy to the first maximum of each window (overwrites dx). */
  maxPoolGrad(x: number, y: number, dy: number, dx: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.MaxPoolGrad, 'maxPoolGrad', g.batch, 2 * outImage * windowSize(g), 1, (s, e) =>
      [x + 4 * s * inImage, y + 4 * s * outImage, dy + 4 * s * outImage, dx + 4 * s * inImage, ...poolArgs(g, e - s)]);
  }

  /** Average pooling; each window averages its inside positions only. */
  avgPool(x: number, y: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.AvgPool, 'avgPool', g.batch, outImage * windowSize(g), 1, (s, e) => [x + 4 * s * inImage, y + 4 * s * outImage, ...poolArgs(g, e - s)]);
  }

  /** Spreads dy/count over each window's inside positions (overwrites dx). */
  avgPoolGrad(dy: number, dx: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.AvgPoolGrad, 'avgPoolGrad', g.batch, 2 * outImage * windowSize(g), 1, (s, e) => [dy + 4 * s * outImage, dx + 4 * s * inImage, ...poolArgs(g, e - s)]);
  }

  /** mask[i] = 0 with probability rate, else 1/(1 − rate), from a hash of (seed, i). */
  dropoutMask(mask: number, n: number, rate: number, seed: number): void {
    // The hash takes seed + (i + 1)·0x6d2b79f5 (mod 2³²): a range from s keeps its global index
    // by starting from seed + s·0x6d2b79f5. The hash is about 8 float moves' worth of work.
    this.split(KernelId.DropoutMask, 'dropoutMask', n, 8, 4, (s, e) => [mask + 4 * s, e - s, rate, (seed + Math.imul(s, 0x6d2b79f5)) >>> 0]);
  }

  /** out[i] = mean + stddev·z, z standard normal from the dropout hash of (seed, 2i) and (seed, 2i + 1). */
  normalNoise(out: number, n: number, mean: number, stddev: number, seed: number): void {
    this.k.normalNoise(out, n, mean, stddev, seed >>> 0);
  }

  /**
   * y = x with its axes permuted: `dims` is x's shape (at most 5 axes) and output axis k is input
   * axis perm[k], as tf.transpose takes it.
   */
  transpose(x: number, y: number, dims: readonly number[], perm: readonly number[]): void {
    if (dims.length > 5 || perm.length !== dims.length) throw new Error(`transpose takes up to 5 axes and a permutation of them. Received: dims=[${dims}], perm=[${perm}].`);
    const strides = dims.map((_, k) => dims.slice(k + 1).reduce((a, b) => a * b, 1));
    const pad = 5 - dims.length;
    const outDims = [...Array<number>(pad).fill(1), ...perm.map((p) => dims[p])];
    const outStrides = [...Array<number>(pad).fill(0), ...perm.map((p) => strides[p])];
    this.k.transpose(x, y, outDims[0], outDims[1], outDims[2], outDims[3], outDims[4], outStrides[0], outStrides[1], outStrides[2], outStrides[3], outStrides[4]);
  }

  /** out[i] = max(a[i], b[i]) (takeMax) or min(a[i], b[i]); out may alias a or b. */
  minMax(takeMax: boolean, a: number, b: number, out: number, n: number): void {
    this.k.minMax(takeMax, a, b, out, n);
  }

  /** dx = x == y ? pending : 0, then pending = 0 where x == y: in input order, a max's gradient goes to the first input equal to it. */
  routeToFirstMatch(x: number, y: number, pending: number, dx: number, n: number): void {
    this.k.routeToFirstMatch(x, y, pending, dx, n);
  }

  /** Depthwise product of im2col columns [rows, taps·channels] with a [taps, channels, multiplier] kernel. */
  depthwiseForward(cols: number, kernel: number, out: number, rows: number, taps: number, channels: number, multiplier: number): void {
    this.k.depthwiseForward(cols, kernel, out, rows, taps, channels, multiplier);
  }

  /** Kernel gradient (overwritten) and, when dCols is not 0, the columns' gradient (may alias cols). */
  depthwiseBackward(cols: number, kernel: number, dy: number, dCols: number, dKernel: number, rows: number, taps: number, channels: number, multiplier: number): void {
    this.k.depthwiseBackward(cols, kernel, dy, dCols, dKernel, rows, taps, channels, multiplier);
  }

  /**
   * Embedding lookup: out[i, :] = table[indices[i], :] for `n` indices stored as floats, rows of
   * `dim` floats. An index outside [0, inputDim) (or NaN) is clamped into it, so a bad index never
   * reads outside the table.
   */
  embeddingForward(indices: number, table: number, out: number, n: number, dim: number, inputDim: number): void {
    this.k.embeddingForward(indices, table, out, n, dim, inputDim);
  }

  /** The table's gradient: dTable (inputDim·dim floats) = 0, then dTable[indices[i], :] += dy[i, :]; indices are clamped as in embeddingForward. */
  embeddingBackward(indices: number, dy: number, dTable: number, n: number, dim: number, inputDim: number): void {
    this.k.embeddingBackward(indices, dy, dTable, n, dim, inputDim);
  }

  /** mask[r] = 1 when any of x[r, 0..width) differs from `value`, else 0: one float per step of a padded sequence. */
  maskFromValues(x: number, mask: number, rows: number, width: number, value: number): void {
    this.k.maskFromValues(x, mask, rows, width, value);
  }

  /** In place: rows r of x [rows, width] whose mask[r] is 0 become row r of prev (zeros when prev is 0). */
  maskSelectRows(mask: number, x: number, prev: number, rows: number, width: number): void {
    this.k.maskSelectRows(mask, x, prev, rows, width);
  }

  /** maskSelectRows' backward pass: rows whose mask is 0 add dx's row into dPrev (when not 0), then dx's row becomes 0. */
  maskSelectRowsGrad(mask: number, dx: number, dPrev: number, rows: number, width: number): void {
    this.k.maskSelectRowsGrad(mask, dx, dPrev, rows, width);
  }

  /** out [batch, channels] = the mean of x [batch, steps, channels] over each sequence's unmasked steps (mask [batch, steps]; 0 when all are masked). */
  maskedMeanSteps(x: number, mask: number, out: number, batch: number, steps: number, channels: number): void {
    this.k.maskedMeanSteps(x, mask, out, batch, steps, channels);
  }

  /** Its gradient: dx[b, s, :] = mask[b, s]·dy[b, :] / max(1, unmasked steps of b); overwrites dx. */
  maskedMeanStepsGrad(dy: number, mask: number, dx: number, batch: number, steps: number, channels: number): void {
    this.k.maskedMeanStepsGrad(dy, mask, dx, batch, steps, channels);
  }

  /** Σ mask over n steps: how many positions a masked loss or metric averages over. */
  maskSum(mask: number, n: number): number {
    return this.k.maskSum(mask, n);
  }

  /**
   * Weights of a masked, weighted mean loss over n positions (Keras' apply_mask): out[i] =
   * m[i]·w[i / repeat] / Σm (n without a mask), m and w 1 where mask or weights is 0; all 0 when
   * every position is masked. With `normalize` false, m[i]·w[i / repeat]: a weighted metric's weights.
   */
  lossWeights(mask: number, weights: number, repeat: number, out: number, n: number, normalize = true): void {
    this.k.lossWeights(mask, weights, repeat, out, n, normalize ? 1 : 0);
  }

  /**
   * One LSTM step over `rows` samples: z [rows, 4·units] (gate order i, f, c̃, o) holds the gates'
   * pre-activations and is replaced by the gates; writes c = f·cPrev + i·c̃, ac = activation(c) and
   * h = o·ac. cPrev 0 is a zero state. Activations are element-wise kinds (not Softmax).
   */
  lstmCellForward(z: number, cPrev: number, c: number, ac: number, h: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.lstmCellForward(z, cPrev, c, ac, h, rows, units, activation, recurrentActivation);
  }

  /**
   * Backward through one LSTM step: overwrites the gates in z with the gradient of their
   * pre-activations and dc (the gradient of c) with the gradient of cPrev, given dh.
   */
  lstmCellBackward(z: number, cPrev: number, ac: number, dh: number, dc: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.lstmCellBackward(z, cPrev, ac, dh, dc, rows, units, activation, recurrentActivation);
  }

  /**
   * GRU step (reset_after false), first half: z [rows, 3·units] holds x·W + b with blocks z, r, h̃;
   * the z and r blocks become recurrentActivation(z + p) (p = hPrev·U_zr [rows, 2·units], 0: none)
   * and rh = r⊙hPrev. hPrev 0 is a zero state.
   */
  gruGatesForward(z: number, p: number, hPrev: number, rh: number, rows: number, units: number, recurrentActivation: Activation): void {
    this.k.gruGatesForward(z, p, hPrev, rh, rows, units, recurrentActivation);
  }

  /** Second half: h̃ = activation(z_h + q) in place (q = rh·U_h [rows, units], 0: none), h = z⊙hPrev + (1 − z)⊙h̃. */
  gruOutputForward(z: number, q: number, hPrev: number, h: number, rows: number, units: number, activation: Activation): void {
    this.k.gruOutputForward(z, q, hPrev, h, rows, units, activation);
  }

  /** Backward through h: the z and h̃ blocks' pre-activation gradients (h̃'s also into dHh); dhPrev += dh⊙z when not 0. */
  gruOutputBackward(z: number, hPrev: number, dh: number, dhPrev: number, dHh: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.gruOutputBackward(z, hPrev, dh, dhPrev, dHh, rows, units, activation, recurrentActivation);
  }

  /** Backward through the gates given dRh (0: none): r's pre-activation gradient, both gate gradients into s [rows, 2·units], dhPrev += dRh⊙r. */
  gruGatesBackward(z: number, hPrev: number, dRh: number, dhPrev: number, s: number, rows: number, units: number, recurrentActivation: Activation): void {
    this.k.gruGatesBackward(z, hPrev, dRh, dhPrev, s, rows, units, recurrentActivation);
  }

  /**
   * GRU step in Keras' reset_after=True form: z [rows, 3·units] holds x·W + b_input (blocks z, r, h̃),
   * inner holds hPrev·U [rows, 3·units] (zeros at the first step); recurrentBias [3·units] (0: none)
   * is added to inner. z's blocks become the gates z, r, h̃ with h̃ = activation(z_h + r⊙(inner_h +
   * b_rh)), and h = z⊙hPrev + (1 − z)⊙h̃. hPrev 0 is a zero state.
   */
  gruResetAfterForward(z: number, inner: number, recurrentBias: number, hPrev: number, h: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.gruResetAfterForward(z, inner, recurrentBias, hPrev, h, rows, units, activation, recurrentActivation);
  }

  /**
   * Its backward pass from dh: z gets the gradient of x·W + b_input, inner the gradient of hPrev·U +
   * b_recurrent (in place), and dhPrev (when not 0) gets dh⊙z added; the caller adds inner·Uᵀ to it.
   */
  gruResetAfterBackward(z: number, inner: number, recurrentBias: number, hPrev: number, dh: number, dhPrev: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.gruResetAfterBackward(z, inner, recurrentBias, hPrev, dh, dhPrev, rows, units, activation, recurrentActivation);
  }

  /**
   * Batch normalization in training, per column of [rows, cols]: writes y, the batch mean and
   * 1/√(var + ε) (for batchNormGrad), and moves the moving statistics by `momentum`. gamma and
   * beta may be 0 (no scale, no offset).
   */
  batchNormTrain(x: number, y: number, gamma: number, beta: number, movingMean: number, movingVar: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number, momentum: number): void {
    this.k.batchNormTrain(x, y, gamma, beta, movingMean, movingVar, mean, invStd, rows, cols, epsilon, momentum);
  }

  /** Batch normalization with the moving statistics; `invStd` is `cols` floats of scratch. */
  batchNormInfer(x: number, y: number, gamma: number, beta: number, movingMean: number, movingVar: number, invStd: number, rows: number, cols: number, epsilon: number): void {
    this.k.batchNormInfer(x, y, gamma, beta, movingMean, movingVar, invStd, rows, cols, epsilon);
  }

  /** Gradients of batchNormTrain; dx, dGamma and dBeta may be 0 when not wanted. */
  batchNormGrad(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, rows: number, cols: number): void {
    this.k.batchNormGrad(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
  }

  /**
   * Layer normalization of each row of [rows, cols] (a sample's normalised axes): writes y, and the
   * row's mean and 1/√(var + ε) (`rows` floats each, for layerNormBackward). gamma and beta (`cols`
   * floats) may be 0 (no scale, no offset).
   */
  layerNormForward(x: number, y: number, gamma: number, beta: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number): void {
    this.k.layerNormForward(x, y, gamma, beta, mean, invStd, rows, cols, epsilon);
  }

  /** Gradients of layerNormForward; dx (which may alias dy), dGamma and dBeta may be 0 when not wanted. */
  layerNormBackward(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, rows: number, cols: number): void {
    this.k.layerNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
  }

  /**
   * RMS normalization of each row of [rows, cols]: y = x·invRms·scale with invRms = 1/√(mean(x²) + ε),
   * kept (`rows` floats) for rmsNormBackward. scale (`cols` floats) may be 0 (none).
   */
  rmsNormForward(x: number, y: number, scale: number, invRms: number, rows: number, cols: number, epsilon: number): void {
    this.k.rmsNormForward(x, y, scale, invRms, rows, cols, epsilon);
  }

  /** Gradients of rmsNormForward; dx (which may alias dy) and dScale may be 0 when not wanted. */
  rmsNormBackward(x: number, dy: number, dx: number, scale: number, invRms: number, dScale: number, rows: number, cols: number): void {
    this.k.rmsNormBackward(x, dy, dx, scale, invRms, dScale, rows, cols);
  }
  /**
   * L2 normalization along the middle axis of [outer, reduce, inner]: y = x / √max(Σx², ε), one norm
   * per (outer, inner) pair. y may alias x.
   */
  l2NormalizeForward(x: number, y: number, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.k.l2NormalizeForward(x, y, outer, reduce, inner, epsilon);
  }

  /** dx of l2NormalizeForward, from its input x; dx may alias dy. */
  l2NormalizeBackward(x: number, dy: number, dx: number, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.k.l2NormalizeBackward(x, dy, dx, outer, reduce, inner, epsilon);
  }

  /**
   * Group normalization of channels-last samples [batch, spatial, channels]: each sample's channels
   * split into `groups` equal runs, each normalised over its spatial × channels/groups values. Writes
   * y, and each (sample, group)'s mean and 1/√(var + ε) (`batch·groups` floats each, for
   * groupNormBackward). gamma and beta (`channels` floats) may be 0 (no scale, no offset).
   */
  groupNormForward(x: number, y: number, gamma: number, beta: number, mean: number, invStd: number, batch: number, spatial: number, channels: number, groups: number, epsilon: number): void {
    this.k.groupNormForward(x, y, gamma, beta, mean, invStd, batch, spatial, channels, groups, epsilon);
  }

  /** Gradients of groupNormForward; dx (which may alias dy), dGamma and dBeta may be 0 when not wanted. */
  groupNormBackward(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, batch: number, spatial: number, channels: number, groups: number): void {
    this.k.groupNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, batch, spatial, channels, groups);
  }

  /**
   * Resizes each image's crop window (see {@link ResizeGeometry}) with half-pixel centres, as
   * TensorFlow's resize ops (and so Keras' Resizing layer) do. y must not alias x.
   */
  resize(interpolation: ResizeInterpolation, x: number, y: number, g: ResizeGeometry): void {
    const kernel = interpolation === 'bilinear' ? this.k.resizeBilinear : this.k.resizeNearest;
    kernel(x, y, ...resizeArgs(g));
  }

  /**
   * Resizes as tf.image.resizeBilinear or resizeNearestNeighbor on the grid `g` names, to the bit of
   * tfjs' CPU kernels (coordinates and blends in f64, rounded once to float32; NaN stays NaN, with
   * any payload). Bilinear writes float32; nearest copies the input's 4-byte values, float32 or
   * int32. y must not alias x.
   */
  resizeOnGrid(interpolation: ResizeInterpolation, x: number, y: number, g: ResizeGrid): void {
    if (interpolation === 'nearest') {
      this.k.resizeNearestGrid(x, y, ...resizeGridArgs(g));
      return;
    }
    const scratch = this.malloc(this.k.resizeBilinearGridScratchBytes(g.outW, g.channels));
    try {
      this.k.resizeBilinearGrid(x, y, scratch, ...resizeGridArgs(g), Number(g.int32Input ?? false));
    } finally {
      this.free(scratch);
    }
  }

  /**
   * dx of {@link resizeOnGrid} (overwritten) from float32 dy, as kerasm's host loops compute it:
   * bilinear adds each output gradient into its four taps by their f64 weights, in output order,
   * rounding each sum to float32; nearest sums in f64 and rounds once.
   */
  resizeOnGridBackward(interpolation: ResizeInterpolation, dy: number, dx: number, g: ResizeGrid): void {
    const bilinear = interpolation === 'bilinear';
    const scratch = this.malloc(bilinear ? this.k.resizeBilinearGridScratchBytes(g.outW, g.channels) : this.k.resizeNearestGridBackwardScratchBytes(g.batch, g.inH, g.inW, g.channels));
    try {
      (bilinear ? this.k.resizeBilinearGridBackward : this.k.resizeNearestGridBackward)(dy, dx, scratch, ...resizeGridArgs(g));
    } finally {
      this.free(scratch);
    }
  }

  /** dx of {@link resize} (overwritten): each output gradient added into the pixels it read, by their weights. */
  resizeBackward(interpolation: ResizeInterpolation, dy: number, dx: number, g: ResizeGeometry): void {
    const kernel = interpolation === 'bilinear' ? this.k.resizeBilinearBackward : this.k.resizeNearestBackward;
    kernel(dy, dx, ...resizeArgs(g));
  }

  /**
   * Mirrors image b of an NHWC batch left-right where bit 0 of the float flags[b] is set and
   * top-bottom where bit 1 is; its own backward pass. y must not alias x.
   */
  flipImages(x: number, y: number, flags: number, batch: number, h: number, w: number, c: number): void {
    this.k.flipImages(x, y, flags, batch, h, w, c);
  }

  /** Samples each image through its 8-float projective transform (see {@link ImageTransform}); y must not alias x. */
  transformImages(x: number, y: number, transforms: number, t: ImageTransform): void {
    this.k.transformImages(x, y, transforms, ...transformArgs(t), t.fillValue);
  }

  /** dx of {@link transformImages} (overwritten): each output gradient added into the pixels it read, by their weights. */
  transformImagesBackward(dy: number, dx: number, transforms: number, t: ImageTransform): void {
    this.k.transformImagesBackward(dy, dx, transforms, ...transformArgs(t));
  }

  /** Per-image contrast and brightness (see {@link ColorAdjustment}); y may alias x. */
  adjustImages(x: number, y: number, params: number, a: ColorAdjustment): void {
    this.k.adjustImages(x, y, params, a.batch, a.pixels, a.channels, a.lo, a.hi);
  }

  /** dx of {@link adjustImages} from its input x (overwritten). */
  adjustImagesBackward(x: number, dy: number, dx: number, params: number, a: ColorAdjustment): void {
    this.k.adjustImagesBackward(x, dy, dx, params, a.batch, a.pixels, a.channels, a.lo, a.hi);
  }

  /** Keras' Solarization per image, params[b] = (addition, threshold) in [0, 255] units, over values in [a.lo, a.hi]; y may alias x. */
  solarizeImages(x: number, y: number, params: number, a: ColorAdjustment): void {
    this.k.solarizeImages(x, y, params, a.batch, a.pixels * a.channels, a.lo, a.hi);
  }

  /** dx of {@link solarizeImages} from its input x (overwritten): ±dy where the clip passed the value, else 0. */
  solarizeImagesBackward(x: number, dy: number, dx: number, params: number, a: ColorAdjustment): void {
    this.k.solarizeImagesBackward(x, dy, dx, params, a.batch, a.pixels * a.channels, a.lo, a.hi);
  }

  /** Keras' RandomPosterization per image, params[b] = the image's shift (8 − bits kept), over values in [a.lo, a.hi]; y may alias x. */
  posterizeImages(x: number, y: number, params: number, a: ColorAdjustment): void {
    this.k.posterizeImages(x, y, params, a.batch, a.pixels * a.channels, a.lo, a.hi);
  }

  /**
   * Keras' RandomHue (`hue`) or RandomSaturation per RGB image through HSV, params[b] = (hue delta,
   * saturation scale), over values in [a.lo, a.hi]: the hue turned, the values seen in [0, 1] and
   * clipped there; or the saturation scaled and clipped to [a.lo, a.hi] as Keras does. y may alias x.
   */
  hsvAdjustImages(x: number, y: number, params: number, a: ColorAdjustment, hue: boolean): void {
    this.k.hsvAdjustImages(x, y, params, a.batch, a.pixels, a.lo, a.hi, hue ? 1 : 0);
  }

  /** Keras' AutoContrast: each image's channels stretched over [a.lo, a.hi] (see {@link ColorAdjustment}; no parameters); y must not alias x. */
  autoContrast(x: number, y: number, a: ColorAdjustment): void {
    this.k.autoContrast(x, y, a.batch, a.pixels, a.channels, a.lo, a.hi);
  }

  /** dx of {@link autoContrast} from its input x (overwritten), through the channel bounds too. */
  autoContrastBackward(x: number, dy: number, dx: number, a: ColorAdjustment): void {
    this.k.autoContrastBackward(x, dy, dx, a.batch, a.pixels, a.channels, a.lo, a.hi);
  }

  /**
   * Keras' Equalization: each image's channels histogram-equalized over `bins` bins, values in
   * [a.lo, a.hi] (see {@link ColorAdjustment}); `table` is scratch of `bins` floats; y may alias x.
   */
  equalizeImages(x: number, y: number, table: number, a: ColorAdjustment, bins: number): void {
    this.k.equalizeImages(x, y, table, a.batch, a.pixels, a.channels, a.lo, a.hi, bins);
  }

  // The activation layers' kernels: their backward passes read the forward input x (dx may alias dy).

  /** y = clamp(x > t ? x : 0, lo, hi) − slope·max(t − x, 0) over n values (see {@link PiecewiseLinear}); y may alias x. */
  piecewiseLinearForward(x: number, y: number, n: number, p: PiecewiseLinear): void {
    this.k.piecewiseLinearForward(x, y, n, p.threshold, p.negativeSlope, p.lo, p.hi);
  }

  /** dx = dy·f'(x): 1 where x > t and lo ≤ x ≤ hi, plus the slope where x ≤ t. */
  piecewiseLinearBackward(x: number, dy: number, dx: number, n: number, p: PiecewiseLinear): void {
    this.k.piecewiseLinearBackward(x, dy, dx, n, p.threshold, p.negativeSlope, p.lo, p.hi);
  }

  /** y = x > 0 ? x : alpha·(eˣ − 1); y may alias x. */
  eluForward(x: number, y: number, n: number, alpha: number): void {
    this.k.eluForward(x, y, n, alpha);
  }

  /** dx = dy·(x > 0 ? 1 : alpha·eˣ). */
  eluBackward(x: number, dy: number, dx: number, n: number, alpha: number): void {
    this.k.eluBackward(x, dy, dx, n, alpha);
  }

  /** y = x < 0 ? alpha·x : x, alpha spread over the batch as {@link PreluGeometry} says; y may alias x. */
  preluForward(x: number, alpha: number, y: number, g: PreluGeometry): void {
    this.k.preluForward(x, alpha, y, g.batch, g.outer, g.shared, g.inner);
  }

  /** dx = x > 0 ? dy : alpha·dy (skipped when dx is 0) and dAlpha = Σ of dy·x where x ≤ 0 (overwritten). */
  preluBackward(x: number, alpha: number, dy: number, dx: number, dAlpha: number, g: PreluGeometry): void {
    this.k.preluBackward(x, alpha, dy, dx, dAlpha, g.batch, g.outer, g.shared, g.inner);
  }
}
