import { LayerRandom } from './layer_random.js';
import { checkBooleanOption } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';
import { causalTerm } from './attention_pass.js';
import { attentionInputShapes } from './attention_inputs.js';
import type { Backend, BufferId } from '../backend/backend.js';
import {
  scoreAttentionBackward, scoreAttentionForward, ScoreAttentionWorkspace,
  type ScoreAttentionBuffers, type ScoreAttentionDims, type ScoreFunction,
} from './score_attention_pass.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import { SymbolicTensor } from '../engine/symbolic.js';
import { Tensor } from '../tensor.js';

/** Options shared by {@link Attention} and {@link AdditiveAttention}, with Keras 3's names. */
export interface ScoreAttentionArgs extends LayerArgs {
  /** Dropout rate on the attention weights while training, in [0, 1) (default 0). */
  dropout?: number;
  /** Seed of the dropout's masks; by default they draw from `km.utils.setRandomSeed`'s generator. */
  seed?: number | null;
  /**
   * Each query step attends only to value steps at or before it (a decoder's causal mask). Keras
   * takes `use_causal_mask` at call time; kerasm takes it here, so every call of the layer uses it.
   */
  useCausalMask?: boolean;
  /**
   * Whether `apply` also returns the attention weights: `[output, scores]`, scores
   * `[querySteps, valueSteps]` per sample (the softmax weights after dropout, as Keras returns
   * them). Keras takes `return_attention_scores` at call time; kerasm takes it here (default false).
   */
  returnAttentionScores?: boolean;
}

/** What a weight of the layer is in the score function (see {@link ScoreFunction}), in `build` order. */
export type ScoreWeightRole = 'outer' | 'inner' | 'vector';

/**
 * The lifecycle shared by Keras' Attention and AdditiveAttention, which differ only in their score
 * function and its weights: inputs `[query, value]` or `[query, value, key]` (key defaults to
 * value), `[steps, features]` each, query and key of equal features; the output is
 * `[querySteps, valueFeatures]`. The value's padding mask keeps its padded steps out of the
 * softmax; the query's multiplies the output and passes on.
 */
export abstract class ScoreAttentionLayer extends Layer {
  readonly dropout: number;
  readonly seed: number | undefined;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  protected readonly where: string;
  readonly #random: LayerRandom;
  #dims: ScoreAttentionDims | null = null;
  #causalTerm: Float32Array | null = null;

  constructor(args: ScoreAttentionArgs, className: string) {
    super(args, className);
    const where = (this.where = `${className} layer '${this.name}'`);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`${where}: dropout must be a number in [0, 1). Received: dropout=${JSON.stringify(args.dropout)}. Use e.g. dropout: 0.1, or 0 for none.`);
    }
    this.dropout = rate;
    this.#random = new LayerRandom(args.seed, where, this);
    this.seed = this.#random.seed;
    this.useCausalMask = checkBooleanOption(args.useCausalMask ?? false, 'useCausalMask', where);
    this.returnAttentionScores = checkBooleanOption(args.returnAttentionScores ?? false, 'returnAttentionScores', where);
  }

  /** The score function this layer computes. */
  protected abstract get scoreFunction(): ScoreFunction;

  /** The role of each weight `build` adds, in order. */
  protected abstract get weightRoles(): readonly ScoreWeightRole[];

  /** Adds the score function's weights for query (and key) vectors of `features` values. */
  protected abstract addScoreWeights(features: number): void;

  // The value's padding keeps its steps out of the softmax; the query's passes on, as Keras' compute_mask.
  override get supportsMasking(): boolean {
    return true;
  }

  override get readsInputMasks(): boolean {
    return true;
  }

  // Keras 3's Attention takes mask=[query_mask, value_mask] or a third entry, the key's, which its call
  // never reads (the key's steps are the value's, so the value mask covers them): accepted, ignored.
  override get explicitMaskList(): readonly string[] {
    return ['queryMask', 'valueMask', 'keyMask'];
  }

  /**
   * As {@link Layer.apply}; with `returnAttentionScores` it gives `[output, scores]`. `mask` is
   * `[queryMask, valueMask]` (null for an input given none), or with a third entry, a key mask, which
   * is taken and ignored, as Keras 3's Attention does: the value mask already masks the key's steps.
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor;
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: LayerApplyArgs): SymbolicTensor | Tensor<'float32'> {
    if (!Array.isArray(inputs)) this.#refuseInputs('one tensor, not a list');
    return super.apply(inputs as readonly SymbolicTensor[], this.#withoutUnreadKeyMask(inputs.length, options)) as SymbolicTensor & Tensor<'float32'>;
  }

  /**
   * `options` with a mask list checked for Keras' length (2 or 3), and without the key mask where
   * there is no key input: Keras 3 takes and ignores it then too, and here it would have no input
   * to go with. Anything but a tensor or null there stays, for the mask option's own error.
   */
  #withoutUnreadKeyMask(inputCount: number, options: LayerApplyArgs | undefined): LayerApplyArgs | undefined {
    const mask = options?.mask;
    if (!Array.isArray(mask)) return options;
    if (mask.length > 3) {
      throw new Error(
        `${this.where} takes a mask list of length 2 or 3, [queryMask, valueMask] or [queryMask, valueMask, keyMask] (Keras' "accepts mask list of length 2 or 3"), but received a list of ${mask.length}. ` +
          'Pass one entry per input, null for an input given no mask.',
      );
    }
    const keyMask: unknown = mask[2];
    const droppable = keyMask === null || keyMask === undefined || keyMask instanceof SymbolicTensor || keyMask instanceof Tensor;
    if (mask.length < 3 || inputCount > 2 || !droppable) return options;
    return { ...options, mask: mask.slice(0, 2) as LayerApplyArgs['mask'] };
  }

  #refuseInputs(received: string): never {
    throw new Error(
      `${this.where} takes a list [query, value] or [query, value, key], but received ${received}. ` +
        `Call it as layer.apply([query, value]); for self-attention, layer.apply([x, x]).`,
    );
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const d = this.#dimsFor(inputShapes);
    return [d.querySteps, d.valueFeatures];
  }

  /** The output, then with returnAttentionScores the weights `[querySteps, valueSteps]`. */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const d = this.#dimsFor(inputShapes);
    const output = [d.querySteps, d.valueFeatures];
    return this.returnAttentionScores ? [output, [d.querySteps, d.valueSteps]] : [output];
  }

  #dimsFor(inputShapes: readonly Shape[]): ScoreAttentionDims {
    if (inputShapes.length < 2 || inputShapes.length > 3) this.#refuseInputs(`${inputShapes.length} input${inputShapes.length === 1 ? '' : 's'}`);
    const rankFix = 'Reshape it to [batch, steps, features] (a single vector is one step: km.layers.reshape({ targetShape: [1, features] })).';
    const { query, value, key } = attentionInputShapes(inputShapes, this.where, rankFix);
    if (key[1] !== query[1]) {
      const keyName = inputShapes.length === 3 ? 'key' : 'value (the key, as no key is given)';
      throw new Error(
        `${this.where}: the ${this.scoreFunction.kind === 'dot' ? 'dot-product' : 'additive'} score needs query and key of the same features, but received query ${formatShape(query)} and ${keyName} ${formatShape(key)}. ` +
          `Project one of them first, e.g. km.layers.dense({ units: ${key[1]} }) on the query.`,
      );
    }
    return { querySteps: query[0], valueSteps: value[0], features: query[1], valueFeatures: value[1] };
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const d = (this.#dims = this.#dimsFor(inputShapes));
    this.addScoreWeights(d.features);
    if (this.useCausalMask) this.#causalTerm = causalTerm(d.querySteps, d.valueSteps);
  }

  override workspaceSize(batch: number): number {
    return ScoreAttentionWorkspace.size(this.#built(), batch, this.scoreFunction, this.dropout > 0, this.useCausalMask);
  }

  #built(): ScoreAttentionDims {
    if (!this.#dims) throw new Error(`${this.where} is not built yet.`);
    return this.#dims;
  }

  #workspace(ctx: ForwardContext): ScoreAttentionWorkspace {
    return this.#regions(ctx.backend, ctx.workspace, ctx.batch);
  }

  #regions(backend: Backend, workspace: BufferId, batch: number): ScoreAttentionWorkspace {
    return new ScoreAttentionWorkspace(backend, workspace, this.#built(), batch, this.scoreFunction, this.dropout > 0, this.useCausalMask);
  }

  /** The causal mask's term, the same for every pass of a batch size. */
  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    if (this.#causalTerm) backend.write(this.#regions(backend, workspace, batch).causal, this.#causalTerm);
  }

  /** The weight (or its gradient) of each role in `buffers`, 0 where the layer has none. */
  #byRole(buffers: readonly number[]): Record<ScoreWeightRole, number> {
    const roles = this.weightRoles;
    const at = (role: ScoreWeightRole) => (roles.includes(role) ? buffers[roles.indexOf(role)] : 0);
    return { outer: at('outer'), inner: at('inner'), vector: at('vector') };
  }

  #buffers(ctx: ForwardContext): ScoreAttentionBuffers {
    const [query, value, key] = ctx.inputs;
    const [queryMask, valueMask] = ctx.inputMasks;
    return { query, value, key: key ?? value, queryMask: queryMask ?? 0, valueMask: valueMask ?? 0, ...this.#byRole(ctx.weights) };
  }

  forward(ctx: ForwardContext): void {
    const w = this.#workspace(ctx);
    const dropping = ctx.training && this.dropout > 0;
    const seed = dropping ? this.#random.kernelSeed() : null;
    scoreAttentionForward(ctx.backend, this.#built(), ctx.batch, this.scoreFunction, this.#buffers(ctx), w, ctx.output, ctx.outputs[1] ?? 0, seed, this.dropout);
  }

  backward(ctx: BackwardContext): void {
    const [query, value] = ctx.inputGrads;
    const keyGiven = ctx.inputs.length === 3;
    const grads = { ...this.#byRole(ctx.weightGrads), query, value, key: keyGiven ? ctx.inputGrads[2] : value, keyIsValue: !keyGiven };
    scoreAttentionBackward(ctx.backend, this.#built(), ctx.batch, this.scoreFunction, this.#buffers(ctx), this.#workspace(ctx), ctx.outputGrad, ctx.outputGrads[1] ?? 0, grads, ctx.training && this.dropout > 0);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      dropout: this.dropout, seed: this.seed ?? null, useCausalMask: this.useCausalMask, returnAttentionScores: this.returnAttentionScores,
    };
  }
}
