import type { WindowGeometry } from '../backend/backend.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** Padding modes of convolution and pooling layers. */
export type PaddingMode = 'valid' | 'same';

/** A window geometry for one sample; the batch size is filled in per pass. */
export type SampleGeometry = Omit<WindowGeometry, 'batch'>;

/** Reads an int or a pair of positive ints (Keras accepts both for sizes, strides, dilations). */
export function pairOf(value: number | readonly number[] | undefined, fallback: number, what: string, layer: string): [number, number] {
  const pair = value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [...value];
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`Layer '${layer}': ${what} must be a positive integer or a pair of them. Received: ${what}=${JSON.stringify(value)}.`);
  }
  return pair as [number, number];
}

/** Validates a padding mode. */
export function paddingOf(value: string | undefined, layer: string): PaddingMode {
  const padding = value ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') {
    throw new Error(`Layer '${layer}': padding must be 'valid' or 'same'. Received: padding=${JSON.stringify(value)}.`);
  }
  return padding;
}

/** Rejects data formats other than channelsLast, which is all the kernels implement. */
export function checkChannelsLast(value: string | undefined, layer: string, layout: 'NHWC' | 'NDHWC' = 'NHWC'): void {
  if (value !== undefined && value !== 'channelsLast' && value !== 'channels_last') {
    const axes = layout === 'NHWC' ? 'height, width' : 'depth, height, width';
    throw new Error(`Layer '${layer}': only dataFormat 'channelsLast' (${layout}) is supported. Received: dataFormat=${JSON.stringify(value)}. Transpose the data to [n, ${axes}, channels].`);
  }
}

/** Where an image's channels are: last (`[h, w, c]`, NHWC) or first (`[c, h, w]`, NCHW). */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** Validates the dataFormat of a layer that takes both; Keras' `channels_first` spelling is read too. */
export function dataFormatOf(value: unknown, layer: string): DataFormat {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'channels_first') return 'channelsFirst';
  throw new Error(`Layer '${layer}': dataFormat must be 'channelsLast' ([n, ..., channels]) or 'channelsFirst' ([n, channels, ...]). Received: dataFormat=${JSON.stringify(value)}.`);
}

/** The window options a convolution takes, as Keras spells them. */
export interface ConvWindowArgs {
  /** Window height and width (one number for a square window). */
  kernelSize: number | [number, number];
  /** Step between windows along height and width (default 1; one number for both). */
  strides?: number | [number, number];
  /** 'valid' (the default: windows only where they fit) or 'same' (zero-padded so the output is input / strides, rounded up). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number, number];
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
}

/** A convolution's validated window: sizes as pairs, the padding mode, the data format. */
export interface ConvWindow {
  kernelSize: [number, number];
  strides: [number, number];
  padding: PaddingMode;
  dilationRate: [number, number];
  dataFormat: DataFormat;
}

/**
 * Validates a convolution's window options; `className` names the layer type in errors (e.g.
 * 'Conv2D'). Layers that do not take `channelsFirst` refuse it.
 */
export function convWindowOf(args: ConvWindowArgs, className: string, layer: string, takesChannelsFirst = false): ConvWindow {
  if (!takesChannelsFirst) checkChannelsLast(args.dataFormat, layer);
  const window: ConvWindow = {
    kernelSize: pairOf(args.kernelSize, 0, 'kernelSize', layer),
    strides: pairOf(args.strides, 1, 'strides', layer),
    padding: paddingOf(args.padding, layer),
    dilationRate: pairOf(args.dilationRate, 1, 'dilationRate', layer),
    dataFormat: dataFormatOf(args.dataFormat, layer),
  };
  checkStridesWithDilation(window.strides, window.dilationRate, `${className} layer '${layer}'`);
  return window;
}

/** Keras' rule for convolutions: a window either steps by more than 1 or spreads its taps, not both. */
export function checkStridesWithDilation(strides: readonly number[], dilation: readonly number[], where: string): void {
  if (dilation.some((d) => d > 1) && strides.some((s) => s > 1)) {
    throw new Error(`${where}: strides above 1 cannot be combined with dilationRate above 1 (as in Keras). Received: strides=[${strides}], dilationRate=[${dilation}].`);
  }
}

/** Validates a convolution's number of output channels; `where` names the layer ("Conv2D layer 'conv2d'"). */
export function filtersOf(value: unknown, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new Error(`${where}: filters must be a positive integer. Received: filters=${JSON.stringify(value)}.`);
  }
  return value as number;
}

/**
 * Validates a convolution's `groups` (Keras' grouped convolution, default 1): a positive integer
 * that divides `filters`; `where` names the layer.
 */
export function groupsOf(value: unknown, filters: number, where: string): number {
  const groups = value ?? 1;
  if (!Number.isInteger(groups) || (groups as number) < 1) {
    throw new Error(`${where}: groups must be a positive integer. Received: groups=${JSON.stringify(value)}.`);
  }
  if (filters % (groups as number) !== 0) {
    throw new Error(`${where}: the number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${filters}. Use a multiple of ${groups} for filters, or a groups value that divides ${filters}.`);
  }
  return groups as number;
}

/** Checks a [height, width, channels] input shape. */
export function imageShape(shape: Shape, layer: string, className: string): [number, number, number] {
  if (shape.length !== 3) {
    throw new Error(`${className} layer '${layer}' expects inputs of shape (None, height, width, channels), but received ${formatShape(shape)}. Add a channels axis, e.g. km.layers.reshape({ targetShape: [${[...shape, 1].join(', ')}] }).`);
  }
  return shape as [number, number, number];
}

/**
 * Output sizes and padding (before the first window) per axis, as TensorFlow computes them for
 * 'valid' and 'same'; throws when a 'valid' window does not fit. `input` is the sample's shape, for
 * the error.
 */
export function axisWindows(
  sizes: readonly number[], kernel: readonly number[], strides: readonly number[], dilation: readonly number[],
  padding: PaddingMode, input: Shape, layer: string,
): { out: number[]; pad: number[] } {
  const eff = sizes.map((_, a) => (kernel[a] - 1) * dilation[a] + 1);
  const out = sizes.map((size, a) => (padding === 'same' ? Math.ceil(size / strides[a]) : Math.floor((size - eff[a]) / strides[a]) + 1));
  if (out.some((o) => o < 1)) {
    throw new Error(`Layer '${layer}': the input ${formatShape(input)} is smaller than its ${eff.join('x')} window with 'valid' padding, so the output would be empty. Use padding: 'same', a smaller kernel or pool size, or a larger input.`);
  }
  const pad = sizes.map((size, a) => (padding === 'same' ? Math.floor(Math.max(0, (out[a] - 1) * strides[a] + eff[a] - size) / 2) : 0));
  return { out, pad };
}

/** Output size and padding split as TensorFlow computes them for 'valid' and 'same'. */
export function sampleGeometry(
  input: [number, number, number], kernel: [number, number], strides: [number, number], dilation: [number, number],
  padding: PaddingMode, layer: string,
): SampleGeometry {
  const [inH, inW, channels] = input;
  const { out, pad } = axisWindows([inH, inW], kernel, strides, dilation, padding, input, layer);
  return {
    inH, inW, channels, kH: kernel[0], kW: kernel[1], strideH: strides[0], strideW: strides[1],
    dilationH: dilation[0], dilationW: dilation[1], padTop: pad[0], padLeft: pad[1], outH: out[0], outW: out[1],
  };
}

// 1-D layers run as the 2-D ones over images of height 1: a sequence [steps, channels] is laid out
// exactly like an image [1, steps, channels], and Keras' Conv1D kernel [k, in, out] like [1, k, in, out].

/** Padding modes of 1-D convolutions: 'causal' pads only on the left, so output t sees inputs up to t. */
export type PaddingMode1D = PaddingMode | 'causal';

/** Reads an int or a list of one positive int (Keras and tfjs accept both for 1-D sizes). */
export function singleOf(value: number | readonly number[] | undefined, fallback: number, what: string, where: string): number {
  const single = value === undefined ? fallback : typeof value === 'number' ? value : value.length === 1 ? value[0] : NaN;
  if (!Number.isInteger(single) || single < 1) {
    throw new Error(`${where}: ${what} must be a positive integer or a list of one. Received: ${what}=${JSON.stringify(value)}.`);
  }
  return single;
}

/** Validates a 1-D padding mode; 'causal' only where the layer supports it (Conv1D). */
export function padding1DOf(value: string | undefined, where: string, causal: boolean): PaddingMode1D {
  const padding = value ?? 'valid';
  const modes = causal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  if (!modes.includes(padding)) {
    throw new Error(`${where}: padding must be ${modes.map((m) => `'${m}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}. Received: padding=${JSON.stringify(value)}.`);
  }
  return padding as PaddingMode1D;
}

/** The window sizes of a 1-D layer that runs as its 2-D form over height-1 images (SeparableConv1D, DepthwiseConv1D). */
export interface Window1DSizes {
  /** Window length. */
  kernelSize: number | [number];
  /** Step between windows (default 1). */
  strides?: number | [number];
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number];
}

/** A 1-D window's options as Keras spells them. */
export interface Window1DArgs extends Window1DSizes {
  name?: string;
  padding?: string;
}

/** The 2-D window options of a 1-D window over a sequence seen as an image of height 1, checked ('valid' or 'same' padding). */
export function windowAsImageRow(args: Window1DArgs, className: string): { kernelSize: [number, number]; strides: [number, number]; dilationRate: [number, number]; padding: PaddingMode } {
  const where = `${className} layer${args.name ? ` '${args.name}'` : ''}`;
  return {
    kernelSize: [1, singleOf(args.kernelSize, 0, 'kernelSize', where)],
    strides: [1, singleOf(args.strides, 1, 'strides', where)],
    dilationRate: [1, singleOf(args.dilationRate, 1, 'dilationRate', where)],
    padding: padding1DOf(args.padding, where, false) as PaddingMode,
  };
}

/** A 1-D layer's window in its config, from the 2-D window over height-1 images it runs as: Keras writes 1-D sizes as lists of one. */
export function imageRowWindowConfig(w: { kernelSize: readonly number[]; strides: readonly number[]; dilationRate: readonly number[] }): Record<string, number[]> {
  return { kernelSize: [w.kernelSize[1]], strides: [w.strides[1]], dilationRate: [w.dilationRate[1]] };
}

/** Checks a [steps, channels] input shape. */
export function sequenceShape(shape: Shape, layer: string, className: string): [number, number] {
  if (shape.length !== 2) {
    const fix = shape.length === 1 ? ` Add a channels axis, e.g. km.layers.reshape({ targetShape: [${shape[0]}, 1] }), or put a km.layers.embedding first for token ids.` : '';
    throw new Error(`${className} layer '${layer}' expects inputs of shape (None, steps, channels), but received ${formatShape(shape)}.${fix}`);
  }
  return shape as [number, number];
}

/**
 * Throws when a 1-D layer's 'valid' window is longer than its sequence, in steps: the 1-D layers
 * run as 2-D ones over a [1, steps] image, whose own error would show that image.
 */
export function checkSequenceWindow(steps: number, kernel: number, dilation: number, padding: PaddingMode1D, layer: string): void {
  const window = (kernel - 1) * dilation + 1;
  if (padding !== 'valid' || steps >= window) return;
  throw new Error(`Layer '${layer}': its input has ${steps} step${steps === 1 ? '' : 's'}, fewer than its window of ${window} with 'valid' padding, so the output would be empty. ` +
    `Use padding: 'same', a smaller kernel or pool size, or longer sequences.`);
}

/** A 1-D window over [steps, channels] as the 2-D geometry of an image of height 1. */
export function sequenceGeometry(input: [number, number], kernel: number, stride: number, dilation: number, padding: PaddingMode1D, layer: string): SampleGeometry {
  const [steps, channels] = input;
  checkSequenceWindow(steps, kernel, dilation, padding, layer);
  if (padding !== 'causal') return sampleGeometry([1, steps, channels], [1, kernel], [1, stride], [1, dilation], padding, layer);
  // Causal: 'valid' over the sequence with (k − 1)·dilation zeros in front, which im2col reads as padding.
  const left = (kernel - 1) * dilation;
  return { ...sampleGeometry([1, steps + left, channels], [1, kernel], [1, stride], [1, dilation], 'valid', layer), inW: steps, padLeft: left };
}
