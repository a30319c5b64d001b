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

/** The shared part of 2-D pooling layers: argument checks, shapes and geometry. */
abstract class Pooling2D extends Layer {
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

  #sampleGeometry(inputShapes: readonly Shape[]): SampleGeometry {
    const input = imageShape(singleInput(this, inputShapes), this.name, this.className);
    return sampleGeometry(input, this.poolSize, this.strides, [1, 1], this.padding, this.name);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const g = this.#sampleGeometry(inputShapes);
    return [g.outH, g.outW, g.channels];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#geometry = this.#sampleGeometry(inputShapes);
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
  readonly className = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'MaxPooling2D');
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
  readonly className = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'AveragePooling2D');
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
