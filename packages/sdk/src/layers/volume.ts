import { channelsLastShape, shapeInFormat } from './channel_axis.js';
import { FormattedLayer } from './formatted_layer.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';
import { axisWindows, dataFormatOf, paddingOf, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';

// The 3-D layers run the 2-D kernels over a geometry with a depth axis (core-wasm's im2col and
// pooling take one): a volume [depth, height, width, channels] is a stack of images.

/** Sizes along depth, height and width. */
export type Triple = [number, number, number];

/** Reads an int or a triple of positive ints (Keras accepts both for 3-D sizes, strides, dilations). */
export function tripleOf(value: number | readonly number[] | undefined, fallback: number, what: string, where: string): Triple {
  const triple = value === undefined || value === null ? [fallback, fallback, fallback] : typeof value === 'number' ? [value, value, value] : [...value];
  if (triple.length !== 3 || !triple.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`${where}: ${what} must be a positive integer or a list of three (depth, height, width). Received: ${what}=${JSON.stringify(value)}.`);
  }
  return triple as Triple;
}

/** Checks a [depth, height, width, channels] input shape. */
export function volumeShape(shape: Shape, layer: string, className: string): [number, number, number, number] {
  if (shape.length !== 4) {
    const fix = shape.length === 3 ? ` Add a channels axis, e.g. km.layers.reshape({ targetShape: [${[...shape, 1].join(', ')}] }).` : ' Give each sample as [depth (frames), height, width, channels].';
    throw new Error(`${className} layer '${layer}' expects inputs of shape (None, depth, height, width, channels), but received ${formatShape(shape)}.${fix}`);
  }
  return shape as [number, number, number, number];
}

/** The window geometry of a 3-D convolution or pooling over one volume, as TensorFlow pads it. */
export function volumeGeometry(input: [number, number, number, number], kernel: Triple, strides: Triple, dilation: Triple, padding: PaddingMode, layer: string): SampleGeometry {
  const [inD, inH, inW, channels] = input;
  const { out, pad } = axisWindows([inD, inH, inW], kernel, strides, dilation, padding, input, layer);
  return {
    inD, inH, inW, channels, kD: kernel[0], kH: kernel[1], kW: kernel[2],
    strideD: strides[0], strideH: strides[1], strideW: strides[2], dilationD: dilation[0], dilationH: dilation[1], dilationW: dilation[2],
    padFront: pad[0], padTop: pad[1], padLeft: pad[2], outD: out[0], outH: out[1], outW: out[2],
  };
}

/** The geometry of one window over the whole volume (global pooling). */
export function wholeVolumeGeometry([inD, inH, inW, channels]: [number, number, number, number]): SampleGeometry {
  return volumeGeometry([inD, inH, inW, channels], [inD, inH, inW], [1, 1, 1], [1, 1, 1], 'valid', '');
}

/** The window options of a 3-D convolution or pooling, as Keras spells them. */
export interface VolumeWindowArgs {
  /** Step between windows along depth, height and width (one number for all three; the default is the layer's). */
  strides?: number | Triple;
  /** 'valid' (the default: windows only where they fit) or 'same' (zero-padded so the output is input / strides, rounded up). */
  padding?: PaddingMode;
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
}

/** Validates strides (default `fallback`), padding and data format of a 3-D window. */
export function volumeWindowOf(args: VolumeWindowArgs, fallback: Triple, where: string, layer: string): { strides: Triple; padding: PaddingMode; dataFormat: DataFormat } {
  const strides = args.strides === undefined || args.strides === null ? fallback : tripleOf(args.strides, 1, 'strides', where);
  return { strides, padding: paddingOf(args.padding, layer), dataFormat: dataFormatOf(args.dataFormat, layer) };
}

/**
 * A layer over `[depth, height, width, channels]` volumes, or `[channels, depth, height, width]`
 * with `dataFormat: 'channelsFirst'`: `volumeOf` reads the input channels-last, `shapeOf` writes an
 * output in the layer's format, and `body` runs the channels-last kernels on it.
 */
export abstract class VolumeLayer extends FormattedLayer {
  constructor(args: LayerArgs & { dataFormat?: string }, className: string) {
    super(args, className, true, 'NDHWC');
  }

  /** The input as a channels-last volume [depth, height, width, channels]. */
  protected volumeOf(input: Shape): [number, number, number, number] {
    return volumeShape(channelsLastShape(this.dataFormat, input), this.name, this.className);
  }

  /** The output shape of a channels-last volume of this size, in the layer's data format. */
  protected shapeOf(d: number, h: number, w: number, c: number): Shape {
    return shapeInFormat(this.dataFormat, [d, h, w, c]);
  }
}
