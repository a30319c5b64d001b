// 2-D and 3-D convolution on flat channels-last arrays (NHWC, NDHWC), as im2col and a matrix
// product: the forward pass, and its adjoints with respect to the input (col2im of dy·Wᵀ) and to
// the filter (colsᵀ·dy). The transposed convolutions run the same three the other way round. Where
// the product is large and kerasm's WASM core is the active backend, all of it runs there (the
// columns never leave the core's memory); elsewhere these loops and the host's products.
import { depthAxis, type Backend, type BufferId, type FusableActivation, type WindowGeometry } from '../backend/backend.js';
import { coreFor, onCore, withScratch } from './core_kernels.js';
import { CORE_PRODUCTS, products } from './mat_mul.js';
import { inputLength, tapCount, windowCount, windowPixels } from './window_taps.js';

/** Every window of x as a row: [windows, taps·channels], zeros where a tap falls in the padding. */
export function im2col(x: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const c = g.channels;
  const pixels = windowPixels(g);
  const cols = new Float32Array(pixels.length * c);
  const source = x instanceof Float32Array ? x : Float32Array.from(x);
  for (let t = 0; t < pixels.length; t++) {
    const p = pixels[t];
    if (p >= 0) cols.set(source.subarray(p, p + c), t * c);
  }
  return cols;
}

/** The adjoint of {@link im2col}: each input position gets the sum of the column entries that read it, summed in double. */
export function col2im(cols: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const c = g.channels;
  const pixels = windowPixels(g);
  const sums = new Float64Array(inputLength(g));
  for (let t = 0; t < pixels.length; t++) {
    const p = pixels[t];
    if (p >= 0) for (let k = 0; k < c; k++) sums[p + k] += cols[t * c + k];
  }
  return Float32Array.from(sums);
}

/** The number of windows (output positions) and the length of one window's row for `g`. */
function matrixSizes(g: WindowGeometry): [number, number] {
  const taps = tapCount(g);
  return [windowCount(g), taps * g.channels];
}

/**
 * The active WASM core where a convolution's product (`windows`·`rowLength`·`filters`
 * multiply-adds) reaches the threshold from which {@link products} runs there; else null. On the
 * core the columns never come back to JavaScript: its im2col copies values (NaN and ±Infinity
 * included) as the one above, its col2im sums in float32 where the one above sums in double.
 */
function convCore(windows: number, rowLength: number, filters: number): Backend | null {
  return coreFor(windows * rowLength * filters, CORE_PRODUCTS);
}

/**
 * Floats of columns the core builds at a time (1 MiB, about a core's L2 cache): the product reads
 * them while they are still cached, and a large batch does not grow the core's memory (which never
 * shrinks) by all its columns at once. im2col and the product of x [8, 32, 32, 16] by a 3×3 filter
 * to 32 channels take 1.71 ms an image at a time, 1.85 ms all at once.
 */
const CORE_COLUMNS = 1 << 18;

/** A run of whole images of a batch: its geometry, where its input starts (in floats), its first window and its windows. */
interface BatchPart {
  geometry: WindowGeometry;
  input: number;
  window: number;
  windows: number;
}

/** The batch of `g` in runs of whole images whose columns (`rowLength` floats a window) fit CORE_COLUMNS, at least one image each. */
function batchParts(g: WindowGeometry, rowLength: number): BatchPart[] {
  const [perImage, image] = [windowCount(g) / g.batch, inputLength(g) / g.batch];
  const images = Math.max(1, Math.floor(CORE_COLUMNS / (perImage * rowLength)));
  const parts: BatchPart[] = [];
  for (let first = 0; first < g.batch; first += images) {
    const batch = Math.min(images, g.batch - first);
    parts.push({ geometry: { ...g, batch }, input: first * image, window: first * perImage, windows: batch * perImage });
  }
  return parts;
}

/** Runs `step` on `core` for each part of the batch, with a columns buffer that fits the largest, freed afterwards. */
function onParts(core: Backend, g: WindowGeometry, rowLength: number, step: (part: BatchPart, cols: BufferId) => void): void {
  const parts = batchParts(g, rowLength);
  withScratch(core, parts[0].windows * rowLength, (cols) => {
    for (const part of parts) step(part, cols);
  });
}

/** What a fused convolution adds to its output on the core: a bias (one value an output channel, or none) and an activation. */
export interface CoreTail {
  readonly bias: Float32Array | null;
  readonly activation: FusableActivation;
}

const NO_TAIL: CoreTail = { bias: null, activation: 'linear' };

/** y = conv(x, w): [batch, (outD,) outH, outW, filters] from x [batch, (inD,) inH, inW, channels] and w [(kD,) kH, kW, channels, filters]. */
export function convolve(x: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return convolveOnCore(x, w, g, filters, NO_TAIL) ?? products(im2col(x, g), w, 1, m, k, filters, false, false);
}

/**
 * {@link convolve}, then `tail`'s bias and activation, on the active WASM core where the product is
 * large (the GEMM adds and activates as it writes each block); null where the host loops run it.
 */
export function convolveOnCore(x: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number, tail: CoreTail): Float32Array | null {
  const [m, k] = matrixSizes(g);
  const core = convCore(m, k, filters);
  if (core === null) return null;
  const product = (cols: BufferId, iw: BufferId, bias: BufferId, out: BufferId, rows: number): void => {
    if (tail === NO_TAIL) core.matMul(cols, iw, out, rows, filters, k, false, false, false);
    else core.matMulBiasActivation(cols, iw, bias, out, rows, filters, k, tail.activation);
  };
  return onCore(core, [x, w, ...(tail.bias ? [tail.bias] : [])], m * filters, ([ix, iw, ...rest]) => {
    const [bias, y] = tail.bias ? rest : [0, rest[0]];
    // A pointwise convolution's columns are x itself.
    if (isPointwise(g)) product(ix, iw, bias, y, m);
    else onParts(core, g, k, (p, cols) => {
      core.im2col(core.view(ix, p.input, inputLength(p.geometry)), cols, p.geometry);
      product(cols, iw, bias, core.view(y, p.window * filters, p.windows * filters), p.windows);
    });
  });
}

/** Whether every window of `g` is one input position, each read once, in order: a 1×1 kernel, stride 1, no padding. */
function isPointwise(g: WindowGeometry): boolean {
  const [inD, kD, strideD, , padFront, outD] = depthAxis(g);
  return g.kH === 1 && g.kW === 1 && kD === 1 && g.strideH === 1 && g.strideW === 1 && strideD === 1 && g.padTop === 0 && g.padLeft === 0 && padFront === 0 &&
    g.outH === g.inH && g.outW === g.inW && outD === inD && (g.groups ?? 1) === 1;
}

/**
 * The depthwise convolution y [rows, channels·multiplier] of x by w [taps, channels, multiplier],
 * then `tail`'s bias and activation, on the active WASM core where its multiply-adds reach
 * CORE_PRODUCTS (im2col and the depthwise kernel there, summed in float32); null where the host
 * loops run it.
 */
export function depthwiseOnCore(x: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, multiplier: number, tail: CoreTail = NO_TAIL): Float32Array | null {
  const [rows, rowLength] = matrixSizes(g);
  const [taps, width] = [tapCount(g), g.channels * multiplier];
  const core = coreFor(rows * rowLength * multiplier, CORE_PRODUCTS);
  if (core === null) return null;
  return onCore(core, [x, w, ...(tail.bias ? [tail.bias] : [])], rows * width, ([ix, iw, ...rest]) => onParts(core, g, rowLength, (p, cols) => {
    const [bias, y] = tail.bias ? rest : [0, rest[0]];
    const out = core.view(y, p.window * width, p.windows * width);
    core.im2col(core.view(ix, p.input, inputLength(p.geometry)), cols, p.geometry);
    core.depthwiseForward(cols, iw, out, p.windows, taps, g.channels, multiplier);
    if (tail.bias) core.biasAdd(out, bias, p.windows, width);
    if (tail.activation !== 'linear') core.activation(tail.activation, out, out, p.windows, width);
  }));
}

/** The cotangent of conv's input x from its output's, dy [batch, (outD,) outH, outW, filters]. */
export function convInputGradient(dy: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  const core = convCore(m, k, filters);
  if (core === null) return col2im(products(dy, w, 1, m, filters, k, false, true), g);
  return onCore(core, [dy, w], inputLength(g), ([idy, iw, dx]) => onParts(core, g, k, (p, cols) => {
    core.matMul(core.view(idy, p.window * filters, p.windows * filters), iw, cols, p.windows, k, filters, false, true, false);
    core.col2im(cols, core.view(dx, p.input, inputLength(p.geometry)), p.geometry);
  }));
}

/** The cotangent of conv's filter w [(kD,) kH, kW, channels, filters] from its output's (on the core, the parts of the batch add up there). */
export function convFilterGradient(x: ArrayLike<number>, dy: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  const core = convCore(m, k, filters);
  if (core === null) return products(im2col(x, g), dy, 1, k, m, filters, true, false);
  return onCore(core, [x, dy], k * filters, ([ix, idy, dw]) => onParts(core, g, k, (p, cols) => {
    core.im2col(core.view(ix, p.input, inputLength(p.geometry)), cols, p.geometry);
    core.matMul(cols, core.view(idy, p.window * filters, p.windows * filters), dw, k, filters, p.windows, true, false, p.window > 0);
  }));
}
