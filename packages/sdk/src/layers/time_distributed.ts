import type { Backend, BufferId } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape, lastStepOnlyHint, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { StepLoop } from './step_loop.js';
import { innerLayerFromConfig, SingleLayerWrapper, type WrapperArgs } from './wrapper.js';
import { TIME_DISTRIBUTED_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link TimeDistributed}. */
export type TimeDistributedArgs = WrapperArgs;

/**
 * Applies one layer, with one set of weights, to every step of `[steps, ...]` inputs (Keras'
 * TimeDistributed): `[steps, ...rest]` → `[steps, ...layer output of rest]`. A batch of
 * `[batch, steps, ...rest]` is, in row-major memory, already `[batch·steps, ...rest]`, so the inner
 * layer simply runs (and is planned) for `batch·steps` rows; its weights are the wrapper's, saved
 * as `time_distributed/kernel` as TensorFlow.js names them. A layer that couples the samples of a
 * batch in training (`couplesSamples`: BatchNormalization) runs once per step then, as tfjs' loop
 * over the steps does (see {@link StepLoop}), and a layer that adds loss terms (`addsLosses`) runs
 * once per step in every mode, as Keras 3 calls it, so each step adds its own terms.
 *
 * @example
 * ```ts
 * // A small CNN on each of 8 frames, then an LSTM over the frame features.
 * const model = km.sequential([
 *   km.layers.timeDistributed({ layer: km.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }), inputShape: [8, 28, 28, 1] }),
 *   km.layers.timeDistributed({ layer: km.layers.maxPooling2d({ poolSize: 2 }) }),
 *   km.layers.timeDistributed({ layer: km.layers.flatten() }),
 *   km.layers.lstm({ units: 32 }),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export class TimeDistributed extends SingleLayerWrapper {
  readonly className = 'TimeDistributed';
  #steps = 0;
  /** For a layer that couples the samples of a batch in training, or adds loss terms: runs it once per step then. */
  #loop: StepLoop | null = null;
  /** The one-pass path's `ctx.addLoss`: a layer adding terms there has not declared `addsLosses`. */
  readonly #refuseLoss = (): never => {
    throw new Error(
      `${this.where}: its layer '${this.layer.name}' added a loss term (ctx.addLoss) but does not declare addsLosses, so TimeDistributed ran it once on all batch·steps rows, ` +
        "where Keras 3 runs it once per step on the batch's samples and sums the steps' terms (a term averaged over the batch would come out divided by the number of steps). " +
        "Declare it in the layer's class: override get addsLosses(): boolean { return true; }",
    );
  };

  constructor(args: TimeDistributedArgs) {
    super(args, 'TimeDistributed');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    if (shape.length < 2) {
      throw new Error(`${this.where} applies its layer to each step of [steps, ...] inputs, so each sample needs at least 2 dimensions, but received inputs of shape ${formatShape(shape)}. ` +
        `Give it sequences, e.g. [steps, features] for a Dense or [steps, height, width, channels] for a Conv2D.${lastStepOnlyHint(shape, { repeat: false })}`);
    }
    return [shape[0], ...this.layer.computeOutputShape([shape.slice(1)])];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    this.computeOutputShape(inputShapes);
    this.#steps = shape[0];
    this.layer.ensureBuilt([shape.slice(1)]);
    const size = (dims: Shape) => dims.reduce((a, b) => a * b, 1);
    this.#loop = this.layer.couplesSamples || this.layer.addsLosses ? new StepLoop(this.layer, this.#steps, size(shape.slice(1)), size(this.layer.computeOutputShape([shape.slice(1)]))) : null;
    this.addInnerWeights(this.layer, '');
  }

  override workspaceSize(batch: number): number {
    return this.#loop ? this.#loop.workspaceSize(batch) : this.layer.workspaceSize(batch * this.#steps);
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    if (this.#loop) this.#loop.initWorkspace(backend, workspace, batch);
    else this.layer.initWorkspace(backend, workspace, batch * this.#steps);
  }

  // The wrapper's rows are the inner layer's rows, so an inner layer that only reinterprets its input (Flatten) lets the plan skip the wrapper too.
  override get aliasesInput(): boolean {
    return this.layer.aliasesInput;
  }

  // Each step runs alone, so a padded sequence's mask passes through; the inner layer, which sees
  // batch·steps rows of its own, never reads it.
  override get supportsMasking(): boolean {
    return true;
  }

  forward(ctx: ForwardContext): void {
    if (this.#perStep(ctx)) this.#loop!.forward(ctx, ctx.batch);
    else this.layer.forward({ ...ctx, batch: ctx.batch * this.#steps, workspace: this.#onePassWorkspace(ctx), inputMask: 0, inputMasks: [], addLoss: this.#refuseLoss });
  }

  backward(ctx: BackwardContext): void {
    if (this.#perStep(ctx)) this.#loop!.backward(ctx, ctx.batch);
    else this.layer.backward({ ...ctx, batch: ctx.batch * this.#steps, workspace: this.#onePassWorkspace(ctx), inputMask: 0, inputMasks: [] });
  }

  // Loss terms are per step in every mode, so fit, evaluate and predict run the layer alike; coupled samples only in training.
  #perStep(ctx: ForwardContext): boolean {
    return this.#loop !== null && (this.layer.addsLosses || !!ctx.training);
  }

  #onePassWorkspace(ctx: ForwardContext): BufferId {
    return this.#loop ? this.#loop.onePassWorkspace(ctx.backend, ctx.workspace, ctx.batch) : ctx.workspace;
  }
}

registerBuiltinLayer('TimeDistributed', (config) => {
  const { layer, ...rest } = config;
  return new TimeDistributed({ ...rest, layer: innerLayerFromConfig(layer, `TimeDistributed layer '${String(rest.name ?? '?')}'`) } as TimeDistributedArgs);
});

/**
 * Applies one layer (one set of weights) to every step of `[steps, ...]` inputs.
 * @example `km.layers.timeDistributed({ layer: km.layers.dense({ units: 8 }), inputShape: [10, 16] })`
 */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  checkRequiredOptions(args, TIME_DISTRIBUTED_OPTIONS, 'km.layers.timeDistributed');
  return new TimeDistributed(args);
}
