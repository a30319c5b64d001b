import { ChannelsLastBody, channelsLastShape, shapeInFormat } from './channel_axis.js';
import { Layer, singleInput, type LayerArgs, type Shape } from './layer.js';
import { checkChannelsLast, dataFormatOf, imageShape, sequenceShape, type DataFormat } from './window.js';

/**
 * A layer over `[height, width, channels]` images whose arithmetic the 1-D layers reuse on a
 * sequence seen as an image of height 1: `imageOf` reads the input as a channels-last image,
 * `shapeOf` writes an image size back as an output shape in the layer's data format. The 1-D
 * layers override the two hooks under them, `sampleImage` and `sampleShape`.
 *
 * A layer that takes `dataFormat: 'channelsFirst'` runs its channels-last kernels through `body`,
 * which transposes the input and output around them; the others refuse it.
 */
export abstract class ImageLayer extends Layer {
  readonly dataFormat: DataFormat;
  #body: ChannelsLastBody | null = null;

  constructor(args: LayerArgs & { dataFormat?: string }, className: string, takesChannelsFirst = false) {
    super(args, className);
    if (!takesChannelsFirst) checkChannelsLast(args.dataFormat, this.name);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
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

  /** Call from `build`: sets up `body` for the input and output shapes. */
  protected buildBody(inputShapes: readonly Shape[]): void {
    this.#body = ChannelsLastBody.of(this.dataFormat, singleInput(this, inputShapes), this.computeOutputShape(inputShapes), `${this.className} layer '${this.name}'`);
  }

  /** How the channels-last kernels run on this layer's data format (no scratch for channelsLast). */
  protected get body(): ChannelsLastBody {
    if (!this.#body) throw new Error(`kerasm internal error: ${this.className} layer '${this.name}' runs before buildBody.`);
    return this.#body;
  }

  /** The channels-first scratch; layers with a workspace of their own add theirs. */
  override workspaceSize(batch: number): number {
    return this.#body?.scratchSize(batch) ?? 0;
  }
}

/** `[steps, channels]` as an image of height 1, for the 1-D forms of image layers. */
export function sequenceAsImage(input: Shape, layer: string, className: string): [number, number, number] {
  const [steps, channels] = sequenceShape(input, layer, className);
  return [1, steps, channels];
}
