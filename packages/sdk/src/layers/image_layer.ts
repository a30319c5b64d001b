import { channelsLastShape, shapeInFormat } from './channel_axis.js';
import { FormattedLayer } from './formatted_layer.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { checkSequenceWindow, imageShape, sequenceShape, type PaddingMode } from './window.js';

/**
 * A layer over `[height, width, channels]` images whose arithmetic the 1-D layers reuse on a
 * sequence seen as an image of height 1: `imageOf` reads the input as a channels-last image,
 * `shapeOf` writes an image size back as an output shape in the layer's data format. The 1-D
 * layers override the two hooks under them, `sampleImage` and `sampleShape`.
 */
export abstract class ImageLayer extends FormattedLayer {
  constructor(args: LayerArgs & { dataFormat?: string }, className: string, takesChannelsFirst = false) {
    super(args, className, takesChannelsFirst, 'NHWC');
  }

  /** The input as a channels-last image [height, width, channels]. */
  protected imageOf(input: Shape): [number, number, number] {
    return this.sampleImage(channelsLastShape(this.dataFormat, input));
  }

  /** The output shape of an image of this size, in the layer's data format. */
  protected shapeOf(h: number, w: number, c: number): Shape {
    return shapeInFormat(this.dataFormat, this.sampleShape(h, w, c));
  }

  /** A channels-last input as an image. */
  protected sampleImage(input: Shape): [number, number, number] {
    return imageShape(input, this.name, this.className);
  }

  /** A channels-last output shape of an image of this size. */
  protected sampleShape(h: number, w: number, c: number): Shape {
    return [h, w, c];
  }
}

/** `[steps, channels]` as an image of height 1, for the 1-D forms of image layers. */
export function sequenceAsImage(input: Shape, layer: string, className: string): [number, number, number] {
  const [steps, channels] = sequenceShape(input, layer, className);
  return [1, steps, channels];
}

/** A 1-D convolution run as the 2-D one over images of height 1, whose window lies along the width. */
export interface ImageRowConvolution {
  readonly name: string;
  readonly className: string;
  readonly kernelSize: readonly number[];
  readonly dilationRate: readonly number[];
  readonly padding: PaddingMode;
}

/** {@link sequenceAsImage} for a 1-D convolution's input, once its window is checked to fit the steps. */
export function convolvedSequenceAsImage(input: Shape, layer: ImageRowConvolution): [number, number, number] {
  const image = sequenceAsImage(input, layer.name, layer.className);
  checkSequenceWindow(image[1], layer.kernelSize[1], layer.dilationRate[1], layer.padding, layer.name);
  return image;
}
