import { ReinterpretLayer } from './reinterpret.js';
import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { RESHAPE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Reshape}. */
export interface ReshapeArgs extends LayerArgs {
  /** Shape of one output sample; one entry may be -1 (or null, as tfjs saves it) to infer it. */
  targetShape: readonly (number | null)[];
}

/** Gives each sample a new shape with the same number of values (`[28, 28]` → `[28, 28, 1]`); no data moves. */
export class Reshape extends ReinterpretLayer {
  readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args, 'Reshape');
    const target = Array.isArray(args.targetShape) ? args.targetShape.map((d) => (d === null ? -1 : d)) : args.targetShape;
    const ok = Array.isArray(target) && target.length > 0 && target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) && target.filter((d) => d === -1).length <= 1;
    if (!ok) {
      throw new Error(`Reshape layer '${this.name}': targetShape must be a list of positive integers with at most one -1. Received: targetShape=${JSON.stringify(target)}.`);
    }
    this.targetShape = [...target];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = singleInput(this, inputShapes);
    const size = input.reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const inferred = this.targetShape.includes(-1) ? size / known : known;
    if (!Number.isInteger(inferred) || (!this.targetShape.includes(-1) && known !== size)) {
      throw new Error(`Reshape layer '${this.name}' cannot reshape ${formatShape(input)} (${size} values per sample) to [${this.targetShape.join(', ')}]. The target must hold the same number of values.`);
    }
    return this.targetShape.map((d) => (d === -1 ? inferred : d));
  }

  override getConfig(): Record<string, unknown> {
    // -1, as Keras writes it: tfjs 4.22 saves null there but cannot load its own null back.
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

registerBuiltinLayer('Reshape', (config) => new Reshape(config as unknown as ReshapeArgs));

/** Gives each sample a new shape. @example `km.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] })` */
export function reshape(args: ReshapeArgs): Reshape {
  checkRequiredOptions(args, RESHAPE_OPTIONS, 'km.layers.reshape');
  return new Reshape(args);
}
