// Keras' Lambda layer: a function of km tensors used as a layer, run on the host as a CallLayer.
import type { Tensor } from '../tensor.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { CallLayer } from './call_layer.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { LAYER } from './layer_options.js';

/** Options of {@link Lambda}; `I` is what `fn` takes: a tensor, or a list for a layer applied to several (`km.Tensor[]`). */
export interface LambdaArgs<I extends Tensor | Tensor[] = Tensor> extends LayerArgs {
  /** The layer's computation: its input to its output, with the batch first, in km ops. */
  fn: (inputs: I) => Tensor;
  /** The output shape without the batch; found by running `fn` once on zeros when not given. */
  outputShape?: Shape;
}

/**
 * Keras' Lambda layer: `fn`, a function of km tensors, as a layer, differentiated by kerasm's
 * tape on the host (see {@link CallLayer}). It has no weights. A model holding one cannot be saved:
 * a file cannot hold the function (Keras saves Python bytecode, which its safe mode refuses to load).
 */
export class Lambda extends CallLayer {
  readonly className = 'Lambda';
  readonly fn: (inputs: Tensor | Tensor[]) => Tensor;
  readonly #outputShape: Shape | undefined;

  constructor(args: LambdaArgs<Tensor> | LambdaArgs<Tensor[]>) {
    const { fn, outputShape, ...rest } = args;
    super(rest, 'Lambda');
    if (typeof fn !== 'function') throw new Error(`Lambda layer '${this.name}': fn must be a function of km tensors, e.g. km.layers.lambda((x) => km.mul(x, 2)). Received: fn=${typeof fn}.`);
    this.fn = fn as (inputs: Tensor | Tensor[]) => Tensor;
    this.#outputShape = outputShape;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return this.fn(inputs);
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.#outputShape ?? super.computeOutputShape(inputShapes);
  }

  override getConfig(): never {
    throw new Error(
      `Layer '${this.name}' (Lambda) holds a function, which a model file cannot hold. To save the model, write the function as a ` +
        'km.layers.CallLayer subclass and register it with km.layers.registerLayer (docs/CUSTOM_LAYERS.md).',
    );
  }
}

const LAMBDA_OPTIONS = optionNames<LambdaArgs<Tensor>>({ ...LAYER, fn: true, outputShape: true });

/**
 * A layer computing `fn` (Keras' `Lambda`), given alone or with options.
 * @example `km.layers.lambda((x) => km.mul(x, 0.5))`, `km.layers.lambda({ fn: (inputs: km.Tensor[]) => km.concat(inputs, -1) })`
 */
export function lambda<I extends Tensor | Tensor[] = Tensor>(fnOrArgs: LambdaArgs<I>['fn'] | LambdaArgs<I>): Lambda {
  const args = (typeof fnOrArgs === 'function' ? { fn: fnOrArgs } : fnOrArgs) as LambdaArgs<Tensor>;
  checkOptions(args, LAMBDA_OPTIONS, 'km.layers.lambda');
  return new Lambda(args);
}
