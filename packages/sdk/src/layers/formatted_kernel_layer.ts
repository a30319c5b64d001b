import { ChannelsLastBody, channelsLastShape, checkChannelsFirstActivation, shapeInFormat } from './channel_axis.js';
import { KernelBiasLayer } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';
import type { DataFormat } from './window.js';

/**
 * A kernel-and-bias layer over images or volumes with Keras' `dataFormat` (the convolutions).
 * Subclasses write only the channels-last layer: its output shape, its weights, its workspace and
 * its passes. With 'channelsFirst' this class transposes the input channels-last into scratch after
 * that workspace, runs those passes, and transposes the output back; the weights are the same in
 * both formats, as in Keras.
 */
export abstract class FormattedKernelLayer extends KernelBiasLayer {
  abstract readonly dataFormat: DataFormat;
  #body: ChannelsLastBody | null = null;

  /** The output shape for a channels-last input shape. */
  protected abstract channelsLastOutputShape(input: Shape): Shape;

  /** Adds the weights for a channels-last input shape. */
  protected abstract buildChannelsLast(input: Shape): void;

  /** Floats of the channels-last passes' own workspace for a batch. */
  protected abstract channelsLastWorkspaceSize(batch: number): number;

  protected abstract forwardChannelsLast(ctx: ForwardContext): void;

  protected abstract backwardChannelsLast(ctx: BackwardContext): void;

  /** The input shape as the channels-last passes see it. */
  protected channelsLastInput(inputShapes: readonly Shape[]): Shape {
    return channelsLastShape(this.dataFormat, singleInput(this, inputShapes));
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    checkChannelsFirstActivation(this.dataFormat, this.activation, `${this.className} layer '${this.name}'`);
    return shapeInFormat(this.dataFormat, this.channelsLastOutputShape(this.channelsLastInput(inputShapes)));
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#body = ChannelsLastBody.of(this.dataFormat, singleInput(this, inputShapes), this.computeOutputShape(inputShapes), `${this.className} layer '${this.name}'`);
    this.buildChannelsLast(this.channelsLastInput(inputShapes));
  }

  /** The channels-last passes' workspace, then the channels-first scratch. */
  override workspaceSize(batch: number): number {
    return this.channelsLastWorkspaceSize(batch) + this.#body!.scratchSize(batch);
  }

  forward(ctx: ForwardContext): void {
    this.#body!.forward(ctx, this.channelsLastWorkspaceSize(ctx.batch), (c) => this.forwardChannelsLast(c));
  }

  backward(ctx: BackwardContext): void {
    this.#body!.backward(ctx, this.channelsLastWorkspaceSize(ctx.batch), (c) => this.backwardChannelsLast(c));
  }
}
