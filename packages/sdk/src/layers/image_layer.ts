import { Layer, type Shape } from './layer.js';
import { imageShape, sequenceShape } from './window.js';

/**
 * A layer over `[height, width, channels]` images whose arithmetic the 1-D layers reuse on a
 * sequence seen as an image of height 1: `imageOf` reads the input as an image, `shapeOf` writes an
 * image size back as an output shape.
 */
export abstract class ImageLayer extends Layer {
  /** The input as an image [height, width, channels]. */
  protected imageOf(input: Shape): [number, number, number] {
    return imageShape(input, this.name, this.className);
  }

  /** The output shape of an image of this size. */
  protected shapeOf(h: number, w: number, c: number): Shape {
    return [h, w, c];
  }
}

/** `[steps, channels]` as an image of height 1, for the 1-D forms of image layers. */
export function sequenceAsImage(input: Shape, layer: string, className: string): [number, number, number] {
  const [steps, channels] = sequenceShape(input, layer, className);
  return [1, steps, channels];
}
