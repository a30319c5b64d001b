import type { Backend, BufferId } from '../backend/backend.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { REPEAT_VECTOR_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RepeatVector}. */
export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each sample's vector, a positive integer. */
  n: number;
}

/** dst[b, k, :] = src[b, :] for k < n: `batch` rows of `features` floats repeated n times each. */
export function repeatRows(backend: Backend, src: BufferId, dst: BufferId, batch: number, n: number, features: number): void {
  for (let k = 0; k < n; k++) backend.copyRows(src, features, backend.view(dst, k * features, 0), n * features, batch, features);
}

/**
 * Repeats each sample's vector n times: `[batch, features]` becomes `[batch, n, features]`, e.g. to
 * feed one encoding to every step of a recurrent decoder. Its gradient sums over the n copies.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [32] });
 * km.layers.repeatVector({ n: 10 }).apply(x).shape; // [10, 32]
 * ```
 */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  readonly n: number;
  #features = 0;

  constructor(args: RepeatVectorArgs) {
    super(args, 'RepeatVector');
    if (!Number.isInteger(args.n) || args.n < 1) {
      throw new Error(`RepeatVector layer '${this.name}': n must be a positive integer. Received: n=${JSON.stringify(args.n)}.`);
    }
    this.n = args.n;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = singleInput(this, inputShapes);
    if (input.length !== 1) {
      throw new Error(`RepeatVector layer '${this.name}' expects inputs of shape (None, features), but received ${formatShape(input)}. Flatten the input first (km.layers.flatten()).`);
    }
    return [this.n, input[0]];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#features = this.computeOutputShape(inputShapes)[1];
  }

  override workspaceSize(batch: number): number {
    return this.n > 1 ? batch * this.#features : 0;
  }

  forward(ctx: ForwardContext): void {
    repeatRows(ctx.backend, ctx.inputs[0], ctx.output, ctx.batch, this.n, this.#features);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const [b, f, n] = [ctx.backend, this.#features, this.n];
    b.copyRows(ctx.outputGrad, n * f, dx, f, ctx.batch, f);
    for (let k = 1; k < n; k++) {
      b.copyRows(b.view(ctx.outputGrad, k * f, 0), n * f, ctx.workspace, f, ctx.batch, f);
      b.add(dx, ctx.workspace, dx, ctx.batch * f);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

registerBuiltinLayer('RepeatVector', (config) => new RepeatVector(config as unknown as RepeatVectorArgs));

/** `[batch, f]` to `[batch, n, f]`. @example `km.layers.repeatVector({ n: 10 })` */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  checkRequiredOptions(args, REPEAT_VECTOR_OPTIONS, 'km.layers.repeatVector');
  return new RepeatVector(args);
}
