import { ChannelsLastBody } from './channel_axis.js';
import { Layer, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { checkChannelsLast, dataFormatOf, type DataFormat } from './window.js';

/**
 * A layer over images or volumes with Keras' `dataFormat`. One that takes 'channelsFirst' runs its
 * channels-last kernels through `body`, which transposes the input and output around them; the
 * others refuse it, naming the layout they need.
 */
export abstract class FormattedLayer extends Layer {
  readonly dataFormat: DataFormat;
  #body: ChannelsLastBody | null = null;

  constructor(args: LayerArgs & { dataFormat?: string }, className: string, takesChannelsFirst: boolean, layout: 'NHWC' | 'NDHWC') {
    super(args, className);
    if (!takesChannelsFirst) checkChannelsLast(args.dataFormat, this.name, layout);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
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
