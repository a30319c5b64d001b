import type { WindowGeometry } from '../backend/backend.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { checkChannelsLast, imageShape, pairOf, paddingOf, sampleGeometry, type PaddingMode, type SampleGeometry } from './window.js';

/** Options of {@link MaxPooling2D} and {@link AveragePooling2D}, with Keras' defaults. */
export interface Pooling2DArgs extends LayerArgs {
  /** Window height and width (default 2). */
  poolSize?: number | [number, number];
  /** Step between windows (default: the pool size). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'; windows only count positions inside the input. */
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

/** The shared part of 2-D pooling layers (and of the 1-D ones, which run over images of height 1): argument checks, shapes and geometry. */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  #geometry: SampleGeometry | null = null;

  constructor(args: Pooling2DArgs, className: string) {
    super(args, className);
    this.poolSize = pairOf(args.poolSize, 2, 'poolSize', this.name);
    this.strides = args.strides === undefined || args.strides === null ? this.poolSize : pairOf(args.strides, 1, 'strides', this.name);
    this.padding = paddingOf(args.padding, this.name);
    checkChannelsLast(args.dataFormat, this.name);
  }

  /** The window over one sample of the given input shape; the 1-D layers see a sequence as an image of height 1. */
  protected sampleGeometry(input: Shape): SampleGeometry {
    return sampleGeometry(imageShape(input, this.name, this.className), this.poolSize, this.strides, [1, 1], this.padding, this.name);
  }

  /** The output shape for a window geometry: [outH, outW, channels]. */
  protected outputShapeOf(g: SampleGeometry): Shape {
    return [g.outH, g.outW, g.channels];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.outputShapeOf(this.sampleGeometry(singleInput(this, inputShapes)));
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#geometry = this.sampleGeometry(singleInput(this, inputShapes));
  }

  protected geometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: 'channelsLast' };
  }
}

/** Max over each window; the gradient goes to the window's first maximum, as in TensorFlow. */
export class MaxPooling2D extends Pooling2D {
  readonly className: string = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}, className = 'MaxPooling2D') {
    super(args, className);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.maxPool(ctx.inputs[0], ctx.output, this.geometry(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.maxPoolGrad(ctx.inputs[0], ctx.output, ctx.outputGrad, ctx.inputGrads[0], this.geometry(ctx.batch));
  }
}

/** Mean over each window's positions inside the input. */
export class AveragePooling2D extends Pooling2D {
  readonly className: string = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}, className = 'AveragePooling2D') {
    super(args, className);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.avgPool(ctx.inputs[0], ctx.output, this.geometry(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.avgPoolGrad(ctx.outputGrad, ctx.inputGrads[0], this.geometry(ctx.batch));
  }
}

registerLayer('MaxPooling2D', (config) => new MaxPooling2D(config as Pooling2DArgs));
registerLayer('AveragePooling2D', (config) => new AveragePooling2D(config as Pooling2DArgs));
