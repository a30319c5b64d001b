// The arguments tfjs' convolution and pooling ops share, read and checked as tfjs takes them
// (strides, dilations, pad, dimRoundingMode, dataFormat), and the window geometry they give over an
// NHWC or NDHWC input: each spatial axis' output size and the padding before its first window.
import type { WindowGeometry } from '../backend/backend.js';
import { axisWindows } from '../layers/window.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { operand } from './operand.js';

/** How tfjs rounds an output size that a numeric or explicit pad leaves fractional (truncation without one). */
export type DimRoundingMode = 'floor' | 'round' | 'ceil';

/** tfjs' explicit padding: `[[0, 0], [top, bottom], [left, right], [0, 0]]` (NHWC order; NCHW puts the spatial pairs last). */
export type ExplicitPadding = readonly [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];

/** A convolution's or pool's padding as tfjs takes it: 'valid', 'same', a number of zeros on every side, or explicit pairs. */
export type ConvPad = 'valid' | 'same' | number | ExplicitPadding;

/** A size, stride or dilation: one positive integer for both spatial axes, or a [height, width] pair. */
export type SpatialPair = number | readonly [number, number];

/** A float32 operand of a convolution (tfjs refuses int32 ones too); `name` names it in errors. */
export function floatOperand(fn: string, name: string, x: Tensor | TensorLike): Tensor<'float32'> {
  const t = operand(fn, name, x);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes float32 tensors, as tfjs. Cast it first: km.cast(${name}, 'float32'). Received: ${name}.dtype='${t.dtype}'.`);
  return t as Tensor<'float32'>;
}

/** One positive integer per spatial axis from a number or a list of `axes` of them (tfjs' parseTupleParam). */
export function spatialSizes(fn: string, name: string, value: unknown, axes = 2): number[] {
  const sizes = typeof value === 'number' ? new Array<number>(axes).fill(value) : Array.isArray(value) ? [...(value as unknown[])] : [NaN];
  if (sizes.length !== axes || !sizes.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    const what = axes === 1 ? 'a positive integer' : `a positive integer or a list of ${axes} of them`;
    throw new Error(`${fn}: ${name} must be ${what}. Received: ${name}=${JSON.stringify(value)}.`);
  }
  return sizes as number[];
}

/** tfjs' rule: a window either steps by more than 1 or spreads its taps, not both. */
export function checkStridesOrDilations(fn: string, strides: readonly number[], dilations: readonly number[]): void {
  if (strides.some((s) => s > 1) && dilations.some((d) => d > 1)) {
    throw new Error(`${fn}: strides and dilations cannot both be above 1 (as in tfjs). Received: strides=[${strides}], dilations=[${dilations}]. Set one of them to 1.`);
  }
}

/** Whether data are NHWC (tfjs' default) or NCHW; `formats` are the spellings the op takes, channels last first. */
export function channelsFirst(fn: string, dataFormat: unknown, formats: readonly [string, string] = ['NHWC', 'NCHW']): boolean {
  if (dataFormat === undefined || dataFormat === formats[0]) return false;
  if (dataFormat === formats[1]) return true;
  throw new Error(`${fn}: dataFormat must be '${formats[0]}' or '${formats[1]}'. Received: dataFormat=${JSON.stringify(dataFormat)}.`);
}

/** An NCHW op's explicit pad in NHWC order, so that it can run on the transposed input; other pads are unchanged. */
export function padForChannelsLast(pad: ConvPad): ConvPad {
  return Array.isArray(pad) && pad.length === 4 ? [pad[0], pad[2], pad[3], pad[1]] as ExplicitPadding : pad;
}

/** The window options of one convolution or pool over an NHWC (or NDHWC) input. */
export interface WindowArgs {
  /** Filter (or pool window) height and width, or depth, height and width. */
  kernel: readonly number[];
  strides: number | readonly number[];
  dilations: number | readonly number[];
  pad: ConvPad;
  dimRoundingMode?: DimRoundingMode;
  /** Whether strides and dilations may both be above 1 (dilation2d's windows; no convolution's or pool's). */
  stridedDilations?: boolean;
}

/** The spatial [before, after] pairs of a checked pad over `axes` spatial axes, or null for 'valid' and 'same'. */
function padPairs(fn: string, pad: ConvPad, dimRoundingMode: DimRoundingMode | undefined, axes: number): [number, number][] | null {
  if (dimRoundingMode !== undefined && !['floor', 'round', 'ceil'].includes(dimRoundingMode)) {
    throw new Error(`${fn}: dimRoundingMode must be 'floor', 'round' or 'ceil' (or left out). Received: dimRoundingMode=${JSON.stringify(dimRoundingMode)}.`);
  }
  if (pad === 'valid' || pad === 'same') {
    if (dimRoundingMode !== undefined) throw new Error(`${fn}: dimRoundingMode applies to a numeric or explicit pad, as in tfjs. Received: pad='${pad}', dimRoundingMode='${dimRoundingMode}'. Drop dimRoundingMode, or give pad as a number.`);
    return null;
  }
  if (typeof pad === 'number' && Number.isInteger(pad) && pad >= 0) return Array.from({ length: axes }, (): [number, number] => [pad, pad]);
  if (axes === 3) throw new Error(`${fn}: pad must be 'valid', 'same' or a non-negative integer (tfjs' 3-D ops take no explicit pairs). Received: pad=${JSON.stringify(pad)}. Pad with km.pad first for other pads.`);
  const pairs = Array.isArray(pad) && pad.length === 4 && pad.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!pairs) {
    throw new Error(`${fn}: pad must be 'valid', 'same', a non-negative integer or explicit pairs [[0, 0], [top, bottom], [left, right], [0, 0]]. Received: pad=${JSON.stringify(pad)}.`);
  }
  const [batch, top, left, channels] = pad as ExplicitPadding;
  if (batch.some((v) => v !== 0) || channels.some((v) => v !== 0)) {
    throw new Error(`${fn}: an explicit pad pads the spatial axes only, so its batch and channel pairs must be [0, 0]. Received: pad=${JSON.stringify(pad)}. Pad other axes with km.pad first.`);
  }
  return [[top[0], top[1]], [left[0], left[1]]];
}

/**
 * The window geometry over an NHWC or NDHWC input of `shape` as tfjs' computeConv2DInfo (and
 * computeConv3DInfo, except that its 'same' pads are never negative here, as TensorFlow's) finds it: for
 * 'same', ⌈size / stride⌉ outputs with the padding split as TensorFlow does (the smaller half
 * before); for 'valid', the windows that fit; for a numeric or explicit pad, (size + pads − window) /
 * stride + 1 rounded by `dimRoundingMode` (truncated without one). Throws when an axis would have no
 * output.
 */
export function windowGeometry(fn: string, shape: readonly number[], args: WindowArgs): WindowGeometry {
  const sizes = shape.slice(1, -1);
  const axes = sizes.length === 3 ? 'depth, height and width' : 'height and width';
  if (args.kernel.some((k) => k < 1)) throw new Error(`${fn}: the filter's ${axes} must be at least 1. Received: [${args.kernel}].`);
  const strides = spatialSizes(fn, 'strides', args.strides, sizes.length);
  const dilations = spatialSizes(fn, 'dilations', args.dilations, sizes.length);
  if (args.stridedDilations !== true) checkStridesOrDilations(fn, strides, dilations);
  const pairs = padPairs(fn, args.pad, args.dimRoundingMode, sizes.length);
  const span = args.kernel.map((k, a) => (k - 1) * dilations[a] + 1);
  const noOutput = () => new Error(`${fn}: the input's spatial size [${sizes}] gives no output for a window of [${span}] (dilated) with pad ${JSON.stringify(args.pad)} and strides [${strides}]. ` +
    "Use pad 'same', a smaller filter or pool size, or a larger input.");
  if (pairs === null) {
    if (sizes.some((size, a) => size < (args.pad === 'same' ? 1 : span[a]))) throw noOutput();
    const { out, pad } = axisWindows(sizes, args.kernel, strides, dilations, args.pad as 'valid' | 'same', shape, fn);
    return geometry(shape, args.kernel, strides, dilations, pad, out);
  }
  const round = args.dimRoundingMode === undefined ? Math.trunc : { floor: Math.floor, round: Math.round, ceil: Math.ceil }[args.dimRoundingMode];
  const out = sizes.map((size, a) => round((size + pairs[a][0] + pairs[a][1] - span[a]) / strides[a] + 1));
  if (out.some((o) => !(o >= 1))) throw noOutput();
  return geometry(shape, args.kernel, strides, dilations, pairs.map((p) => p[0]), out);
}

/** The window geometry of an NHWC or NDHWC input of `shape` with `before` padding and `out` outputs per spatial axis. */
function geometry(shape: readonly number[], kernel: readonly number[], strides: number[], dilations: number[], before: number[], out: number[]): WindowGeometry {
  const [batch, channels] = [shape[0], shape[shape.length - 1]];
  const d = shape.length - 4;
  const image: WindowGeometry = {
    batch, inH: shape[1 + d], inW: shape[2 + d], channels, kH: kernel[d], kW: kernel[1 + d], strideH: strides[d], strideW: strides[1 + d],
    dilationH: dilations[d], dilationW: dilations[1 + d], padTop: before[d], padLeft: before[1 + d], outH: out[d], outW: out[1 + d],
  };
  if (d === 0) return image;
  return { ...image, inD: shape[1], kD: kernel[0], strideD: strides[0], dilationD: dilations[0], padFront: before[0], outD: out[0] };
}

/** Checks a tensor's rank against those an op takes; `what` names the layouts they mean. */
export function checkRank(fn: string, name: string, t: Tensor, ranks: readonly number[], what: string): void {
  if (!ranks.includes(t.rank)) {
    throw new Error(`${fn}: ${name} must be of rank ${ranks.join(' or ')} (${what}). Received: ${name}.shape=[${t.shape.join(', ')}]. Reshape or expandDims it to that layout.`);
  }
}

/** Checks that x's depth (along `xAxis`) is the filter's input depth (along `filterAxis`); `layout` names the filter's axes. */
export function checkInDepth(fn: string, x: Tensor, xAxis: number, filter: Tensor, filterAxis: number, layout: string): void {
  if (x.shape[xAxis] === filter.shape[filterAxis]) return;
  throw new Error(`${fn}: x's depth (${x.shape[xAxis]}) must equal the filter's input depth (filter.shape[${filterAxis}] = ${filter.shape[filterAxis]}); the filter is ${layout}. ` +
    `Received: x.shape=[${x.shape.join(', ')}], filter.shape=[${filter.shape.join(', ')}].`);
}
