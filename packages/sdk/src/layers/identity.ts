import { registerBuiltinLayer } from './registry.js';
import { ReinterpretLayer } from './reinterpret.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { checkOptions } from '../utils/options.js';
import { LAYER_OPTIONS } from './layer_options.js';

/** Options of {@link Identity}. */
export type IdentityArgs = LayerArgs;

/**
 * Passes its input on unchanged, mask included (Keras 3's Identity): a placeholder where an
 * architecture has an optional block, or a named tap on a tensor. No data moves: the plan shares
 * the input's buffers.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [10, 8] });
 * km.layers.identity().apply(x).shape; // [10, 8]
 * ```
 */
export class Identity extends ReinterpretLayer {
  readonly className = 'Identity';

  // Changes nothing, so a padded sequence's mask passes through it.
  override get supportsMasking(): boolean {
    return true;
  }

  constructor(args: IdentityArgs = {}) {
    super(args, 'Identity');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }
}

registerBuiltinLayer('Identity', (config) => new Identity(config as IdentityArgs));

/** Passes its input (and its mask) on unchanged. @example `km.layers.identity().apply(x)` */
export function identity(args?: IdentityArgs): Identity {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.identity');
  return new Identity(args);
}
