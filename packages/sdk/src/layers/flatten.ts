import { registerLayer } from './registry.js';
import { ReinterpretLayer } from './reinterpret.js';
import { singleInput, type LayerArgs, type Shape } from './layer.js';

/** Options of {@link Flatten}. */
export type FlattenArgs = LayerArgs;

/** Flattens each sample to one dimension (`[28, 28]` → `[784]`); no data moves. */
export class Flatten extends ReinterpretLayer {
  readonly className = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    super(args, 'Flatten');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return [singleInput(this, inputShapes).reduce((a, b) => a * b, 1)];
  }
}

registerLayer('Flatten', (config) => new Flatten(config as FlattenArgs));
