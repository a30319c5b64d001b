import { registerLayer } from './registry.js';
import { copyBackward, copyForward } from './copy.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';

/** Options of {@link Flatten}. */
export type FlattenArgs = LayerArgs;

/** Flattens each sample to one dimension (`[28, 28]` → `[784]`); no data moves. */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    super(args, 'Flatten');
  }

  #size = 0;

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return [singleInput(this, inputShapes).reduce((a, b) => a * b, 1)];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#size = this.computeOutputShape(inputShapes)[0];
  }

  override get aliasesInput(): boolean {
    return true;
  }

  // Row-major storage is already flat: these copies run only where the plan cannot share buffers.
  forward(ctx: ForwardContext): void {
    copyForward(ctx, this.#size);
  }

  backward(ctx: BackwardContext): void {
    copyBackward(ctx, this.#size);
  }
}

registerLayer('Flatten', (config) => new Flatten(config as FlattenArgs));
