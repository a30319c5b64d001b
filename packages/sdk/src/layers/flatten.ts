import { registerLayer } from './registry.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';

/** Options of {@link Flatten}. */
export type FlattenArgs = LayerArgs;

/** Flattens each sample to one dimension (`[28, 28]` → `[784]`); no data moves. */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    super(args, 'Flatten');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return [singleInput(this, inputShapes).reduce((a, b) => a * b, 1)];
  }

  override get aliasesInput(): boolean {
    return true;
  }

  // Row-major storage is already flat: the plan gives this layer its input's buffers.
  forward(_ctx: ForwardContext): void {}
  backward(_ctx: BackwardContext): void {}
}

registerLayer('Flatten', (config) => new Flatten(config as FlattenArgs));
