import type { Backend, BufferId } from '../backend/backend.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';
import { sameShape } from '../tensor.js';
import { Broadcast, broadcastShapes } from './merge_broadcast.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { LAYER_OPTIONS } from './layer_options.js';
import { mergeFactory } from './merge_factory.js';

/** Options of the merge layers. */
export type MergeArgs = LayerArgs;

/**
 * Elementwise merges: inputs of one shape, or of shapes that broadcast to one (Keras' and tfjs'
 * rules, see {@link broadcastShapes}). An input smaller than the output is repeated into the
 * workspace before `combine`, and its full-size gradient summed back after `combineGrad`, so the
 * subclasses see inputs of the output's size only.
 */
export abstract class ElementwiseMerge extends Layer {
  // Acts position by position, so the output keeps its inputs' mask (the AND of different ones).
  override get supportsMasking(): boolean {
    return true;
  }

  /** Floats per sample of the output. */
  protected size = 0;
  #outputShape: Shape = [];
  /** Per input: how it is repeated to the output's shape, or null when it has that shape. */
  #broadcasts: (Broadcast | null)[] = [];

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return broadcastShapes(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#outputShape = broadcastShapes(this, inputShapes);
    this.size = this.#outputShape.reduce((a, b) => a * b, 1);
    this.#broadcasts = inputShapes.map((shape) => (sameShape(shape, this.#outputShape) ? null : new Broadcast(shape, this.#outputShape)));
  }

  override checkInputMask(mask: Shape, input: Shape, source: Layer): void {
    if (!sameShape(input, this.#outputShape)) {
      throw new Error(`${this.className} layer '${this.name}' repeats its input of shape ${formatShape(input)} to ${formatShape(this.#outputShape)}, but that input carries the mask of layer '${source.name}' (${source.className}), whose steps ${formatShape(mask)} would not match the output's. Mask the full-size input instead, or consume the mask before the merge.`);
    }
  }

  /** Floats of workspace the merge itself needs, at the start of the workspace. */
  protected scratchSize(_batch: number): number {
    return 0;
  }

  override workspaceSize(batch: number): number {
    return this.scratchSize(batch) + this.#broadcasts.reduce((sum, plan) => sum + (plan?.workspaceSize(batch) ?? 0), 0);
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    this.#eachBroadcast(backend, workspace, batch, (plan, space) => plan.writeIndices(backend, space, batch));
  }

  /** Writes the merge of `ctx.inputs`, all of the output's size, into `ctx.output`. */
  protected abstract combine(ctx: ForwardContext): void;

  /** Writes the gradients of `ctx.inputs`, all of the output's size, into `ctx.inputGrads`. */
  protected abstract combineGrad(ctx: BackwardContext): void;

  forward(ctx: ForwardContext): void {
    if (!this.#broadcasts.some(Boolean)) return this.combine(ctx);
    const inputs: [number, ...number[]] = [...ctx.inputs];
    this.#eachBroadcast(ctx.backend, ctx.workspace, ctx.batch, (plan, space, k) => (inputs[k] = plan.repeat(ctx.backend, ctx.inputs[k], space, ctx.batch)));
    this.combine({ ...ctx, inputs });
  }

  backward(ctx: BackwardContext): void {
    if (!this.#broadcasts.some(Boolean)) return this.combineGrad(ctx);
    const b = ctx.backend;
    const inputs: [number, ...number[]] = [...ctx.inputs];
    const inputGrads: [number, ...number[]] = [...ctx.inputGrads];
    this.#eachBroadcast(b, ctx.workspace, ctx.batch, (plan, space, k) => {
      const { repeated, grad } = plan.regions(b, space, ctx.batch);
      inputs[k] = repeated;
      if (inputGrads[k]) inputGrads[k] = grad;
    });
    this.combineGrad({ ...ctx, inputs, inputGrads });
    this.#eachBroadcast(b, ctx.workspace, ctx.batch, (plan, space, k) => ctx.inputGrads[k] && plan.sumBack(b, space, ctx.inputGrads[k], ctx.batch));
  }

  #eachBroadcast(b: Backend, workspace: BufferId, batch: number, visit: (plan: Broadcast, space: BufferId, input: number) => void): void {
    let offset = this.scratchSize(batch);
    this.#broadcasts.forEach((plan, k) => {
      if (!plan) return;
      visit(plan, b.view(workspace, offset, plan.workspaceSize(batch)), k);
      offset += plan.workspaceSize(batch);
    });
  }
}

/** Sums its inputs elementwise (residual connections). */
export class Add extends ElementwiseMerge {
  readonly className = 'Add';

  constructor(args: MergeArgs = {}) {
    super(args, 'Add');
  }

  protected combine(ctx: ForwardContext): void {
    foldInputs(ctx, ctx.batch * this.size, 'add');
  }

  protected combineGrad(ctx: BackwardContext): void {
    for (const dx of ctx.inputGrads) if (dx) ctx.backend.copy(ctx.outputGrad, dx, ctx.batch * this.size);
  }
}

/**
 * Subtracts its second input from its first, elementwise (Keras' Subtract): exactly two inputs,
 * whose shapes broadcast as the other merges' do. The gradient is dy for the first input and −dy for
 * the second.
 *
 * @example
 * ```ts
 * const [a, b] = [km.input({ shape: [16] }), km.input({ shape: [16] })];
 * km.layers.subtract().apply([a, b]).shape; // [16]
 * ```
 */
export class Subtract extends ElementwiseMerge {
  readonly className = 'Subtract';

  constructor(args: MergeArgs = {}) {
    super(args, 'Subtract');
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    if (inputShapes.length !== 2) {
      throw new Error(`Subtract layer '${this.name}' takes exactly two inputs (it computes x0 − x1), but received ${inputShapes.length}: ${inputShapes.map(formatShape).join(', ')}. Call it as layer.apply([x0, x1]); for more inputs, add the ones to subtract after negating them.`);
    }
    return super.computeOutputShape(inputShapes);
  }

  protected combine(ctx: ForwardContext): void {
    const n = ctx.batch * this.size;
    ctx.backend.copy(ctx.inputs[1], ctx.output, n);
    ctx.backend.scale(ctx.output, n, -1);
    ctx.backend.add(ctx.inputs[0], ctx.output, ctx.output, n);
  }

  protected combineGrad(ctx: BackwardContext): void {
    const n = ctx.batch * this.size;
    const [dx0, dx1] = ctx.inputGrads;
    if (dx0) ctx.backend.copy(ctx.outputGrad, dx0, n);
    if (dx1) {
      ctx.backend.copy(ctx.outputGrad, dx1, n);
      ctx.backend.scale(dx1, n, -1);
    }
  }
}

/** Averages its inputs elementwise. */
export class Average extends ElementwiseMerge {
  readonly className = 'Average';

  constructor(args: MergeArgs = {}) {
    super(args, 'Average');
  }

  protected override scratchSize(batch: number): number {
    return batch * this.size;
  }

  protected combine(ctx: ForwardContext): void {
    const n = ctx.batch * this.size;
    foldInputs(ctx, n, 'add');
    scaleInPlace(ctx, ctx.output, n, 1 / ctx.inputs.length);
  }

  protected combineGrad(ctx: BackwardContext): void {
    const n = ctx.batch * this.size;
    scaleInPlace(ctx, ctx.outputGrad, n, 1 / ctx.inputs.length);
    for (const dx of ctx.inputGrads) if (dx) ctx.backend.copy(ctx.outputGrad, dx, n);
  }
}

/** The output as x0 ∘ x1 ∘ … of the inputs' `n` floats, for the elementwise backend op ∘. */
function foldInputs(ctx: ForwardContext, n: number, op: 'add' | 'mul'): void {
  ctx.backend[op](ctx.inputs[0], ctx.inputs[1], ctx.output, n);
  for (let k = 2; k < ctx.inputs.length; k++) ctx.backend[op](ctx.output, ctx.inputs[k], ctx.output, n);
}

/** x *= s, with the layer's workspace holding the constant. */
function scaleInPlace(ctx: ForwardContext, x: number, n: number, s: number): void {
  ctx.backend.fill(ctx.workspace, n, s);
  ctx.backend.mul(x, ctx.workspace, x, n);
}

/** Multiplies its inputs elementwise (gating). */
export class Multiply extends ElementwiseMerge {
  readonly className = 'Multiply';

  constructor(args: MergeArgs = {}) {
    super(args, 'Multiply');
  }

  protected override scratchSize(batch: number): number {
    return batch * this.size;
  }

  protected combine(ctx: ForwardContext): void {
    foldInputs(ctx, ctx.batch * this.size, 'mul');
  }

  protected combineGrad(ctx: BackwardContext): void {
    // d/dx_k = dy · Π_{j≠k} x_j, built in the workspace.
    const n = ctx.batch * this.size;
    ctx.inputGrads.forEach((dx, k) => {
      if (!dx) return;
      ctx.backend.copy(ctx.outputGrad, ctx.workspace, n);
      ctx.inputs.forEach((x, j) => j !== k && ctx.backend.mul(ctx.workspace, x, ctx.workspace, n));
      ctx.backend.copy(ctx.workspace, dx, n);
    });
  }
}

registerBuiltinLayer('Add', (config) => new Add(config as MergeArgs));
registerBuiltinLayer('Subtract', (config) => new Subtract(config as MergeArgs));
registerBuiltinLayer('Average', (config) => new Average(config as MergeArgs));
registerBuiltinLayer('Multiply', (config) => new Multiply(config as MergeArgs));

/** Sums inputs elementwise (residual connections). @example `km.layers.add().apply([a, b])` */
export const add = mergeFactory((args?: MergeArgs): Add => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.add');
  return new Add(args);
});

/** Averages inputs elementwise. @example `km.layers.average().apply([a, b])` */
export const average = mergeFactory((args?: MergeArgs): Average => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.average');
  return new Average(args);
});

/** Multiplies inputs elementwise. @example `km.layers.multiply().apply([a, b])` */
export const multiply = mergeFactory((args?: MergeArgs): Multiply => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.multiply');
  return new Multiply(args);
});

/** First input minus the second, elementwise (exactly two inputs of one shape). @example `km.layers.subtract().apply([a, b])` */
export const subtract = mergeFactory((args?: MergeArgs): Subtract => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.subtract');
  return new Subtract(args);
});
