import { registerBuiltinLayer } from './registry.js';
import { ReinterpretLayer } from './reinterpret.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { dataFormatOf, type DataFormat } from './window.js';
import { checkOptions } from '../utils/options.js';
import { FLATTEN_OPTIONS } from './layer_options.js';

/** Options of {@link Flatten}. */
export interface FlattenArgs extends LayerArgs {
  /**
   * The layout of the input (default 'channelsLast'). With 'channelsFirst' a `[channels, ...]`
   * input is first put in channels-last order (`[..., channels]`), as tfjs and Keras do, so the
   * flat vector (and the Dense layer after it) is the same as for the channels-last model.
   */
  dataFormat?: DataFormat;
}

/**
 * Flattens each sample to one dimension (`[28, 28]` → `[784]`); no data moves, except with
 * `dataFormat: 'channelsFirst'`, where the channels axis is moved last first (one transpose of
 * `[channels, positions]` per sample, the spatial axes keeping their order).
 *
 * @example
 * ```ts
 * km.layers.flatten().apply(km.input({ shape: [28, 28] })).shape; // [784]
 * // [channels, height, width] feature maps, flattened in [height, width, channels] order:
 * km.layers.flatten({ dataFormat: 'channelsFirst' }).apply(km.input({ shape: [8, 7, 7] })).shape; // [392]
 * ```
 */
export class Flatten extends ReinterpretLayer {
  readonly className = 'Flatten';
  /** The dataFormat given, if any: tfjs saves it only then. */
  readonly dataFormat: DataFormat | undefined;
  #channels = 1;
  #positions = 1;

  constructor(args: FlattenArgs = {}) {
    super(args, 'Flatten');
    this.dataFormat = args.dataFormat === undefined || args.dataFormat === null ? undefined : dataFormatOf(args.dataFormat, this.name);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return [singleInput(this, inputShapes).reduce((a, b) => a * b, 1)];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    const input = singleInput(this, inputShapes);
    if (this.dataFormat !== 'channelsFirst' || input.length < 2) return;
    this.#channels = input[0];
    this.#positions = input.slice(1).reduce((a, b) => a * b, 1);
  }

  /** Whether moving the channels last changes the order in memory (it does not when either side is a single value). */
  get #transposes(): boolean {
    return this.#channels > 1 && this.#positions > 1;
  }

  override get aliasesInput(): boolean {
    return !this.#transposes;
  }

  override forward(ctx: ForwardContext): void {
    if (!this.#transposes) return super.forward(ctx);
    ctx.backend.transpose(ctx.inputs[0], ctx.output, [ctx.batch, this.#channels, this.#positions], [0, 2, 1]);
  }

  override backward(ctx: BackwardContext): void {
    if (!this.#transposes) return super.backward(ctx);
    if (ctx.inputGrads[0]) ctx.backend.transpose(ctx.outputGrad, ctx.inputGrads[0], [ctx.batch, this.#positions, this.#channels], [0, 2, 1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...(this.dataFormat === undefined ? {} : { dataFormat: this.dataFormat }) };
  }
}

registerBuiltinLayer('Flatten', (config) => new Flatten(config as FlattenArgs));

/**
 * Flattens each sample to one dimension; `dataFormat: 'channelsFirst'` moves the channels last first, as tfjs does.
 * @example `km.layers.flatten({ inputShape: [28, 28] })`
 */
export function flatten(args?: FlattenArgs): Flatten {
  checkOptions(args, FLATTEN_OPTIONS, 'km.layers.flatten');
  return new Flatten(args);
}
