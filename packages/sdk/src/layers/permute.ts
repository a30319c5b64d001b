import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { PERMUTE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Permute}. */
export interface PermuteArgs extends LayerArgs {
  /** The order of the sample's axes, numbered from 1 as Keras does (the batch axis stays first): `[2, 1]` swaps two axes. */
  dims: readonly number[];
}

/** The kernels take up to 5 axes, the batch axis included. */
const MAX_SAMPLE_RANK = 4;

/**
 * Reorders the axes of each sample, e.g. `[steps, features]` to `[features, steps]` with
 * `dims: [2, 1]`. Its gradient is the inverse permutation.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [10, 64] });
 * km.layers.permute({ dims: [2, 1] }).apply(x).shape; // [64, 10]
 * ```
 */
export class Permute extends Layer {
  readonly className = 'Permute';
  readonly dims: readonly number[];
  #inputShape: Shape = [];

  constructor(args: PermuteArgs) {
    super(args, 'Permute');
    const dims = args.dims;
    const isPermutation = Array.isArray(dims) && dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!isPermutation) {
      throw new Error(`Permute layer '${this.name}': dims must list the sample's axes 1..rank, each once, in their new order (the batch axis is not counted). Received: dims=${JSON.stringify(dims)}. E.g. dims: [2, 1] swaps the two axes of [steps, features].`);
    }
    if (dims.length > MAX_SAMPLE_RANK) {
      throw new Error(`Permute layer '${this.name}' permutes up to ${MAX_SAMPLE_RANK} sample axes. Received: dims=${JSON.stringify(dims)}. Reshape to fewer axes first.`);
    }
    this.dims = [...dims];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = singleInput(this, inputShapes);
    if (input.length !== this.dims.length) {
      throw new Error(`Permute layer '${this.name}' with dims [${this.dims.join(', ')}] expects samples of ${this.dims.length} axes, but received ${formatShape(input)}. Give dims one entry per axis of the input (batch excluded).`);
    }
    return this.dims.map((d) => input[d - 1]);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.computeOutputShape(inputShapes);
    this.#inputShape = [...inputShapes[0]];
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.transpose(ctx.inputs[0], ctx.output, [ctx.batch, ...this.#inputShape], [0, ...this.dims]);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const inverse = this.dims.map((_, axis) => this.dims.indexOf(axis + 1) + 1);
    const outputShape = this.dims.map((d) => this.#inputShape[d - 1]);
    ctx.backend.transpose(ctx.outputGrad, dx, [ctx.batch, ...outputShape], [0, ...inverse]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

registerBuiltinLayer('Permute', (config) => new Permute(config as unknown as PermuteArgs));

/** Reorders the sample's axes (numbered from 1). @example `km.layers.permute({ dims: [2, 1] })` */
export function permute(args: PermuteArgs): Permute {
  checkRequiredOptions(args, PERMUTE_OPTIONS, 'km.layers.permute');
  return new Permute(args);
}
