import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { FormattedLayer } from './formatted_layer.js';
import { channelsLastShape, shapeInFormat } from './channel_axis.js';
import type { PaddingMode, SampleGeometry } from './window.js';
import { windowBackward, windowForward, type WindowKernel } from './window_kernels.js';

/**
 * The shared part of the pooling layers of every rank, as Keras' BasePooling: shapes from the
 * window geometry over one sample, and `kernel` run over each window, with a channels-first input
 * and output transposed around it. Each rank reads its options and gives the two hooks.
 */
export abstract class Pooling extends FormattedLayer {
  /** The window and the step between windows, one value per spatial axis. */
  abstract readonly poolSize: readonly number[];
  abstract readonly strides: readonly number[];
  abstract readonly padding: PaddingMode;
  readonly #kernel: WindowKernel;
  #geometry: SampleGeometry | null = null;

  constructor(args: LayerArgs & { dataFormat?: string }, className: string, kernel: WindowKernel, layout: 'NHWC' | 'NDHWC') {
    super(args, className, true, layout);
    this.#kernel = kernel;
  }

  /** The window over one channels-last sample of the given shape. */
  protected abstract sampleGeometry(input: Shape): SampleGeometry;

  /** The channels-last output shape for a window geometry. */
  protected abstract outputShapeOf(g: SampleGeometry): Shape;

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = channelsLastShape(this.dataFormat, singleInput(this, inputShapes));
    return shapeInFormat(this.dataFormat, this.outputShapeOf(this.sampleGeometry(input)));
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#geometry = this.sampleGeometry(channelsLastShape(this.dataFormat, singleInput(this, inputShapes)));
    this.buildBody(inputShapes);
  }

  forward(ctx: ForwardContext): void {
    windowForward(this.#kernel, this.body, ctx, this.#geometry!);
  }

  backward(ctx: BackwardContext): void {
    windowBackward(this.#kernel, this.body, ctx, this.#geometry!);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: this.dataFormat };
  }
}
