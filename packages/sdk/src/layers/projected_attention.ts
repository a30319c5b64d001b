import type { Constraint } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import { LayerRandom } from './layer_random.js';
import { checkBooleanOption } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape } from './layer_shapes.js';
import type { Backend, BufferId } from '../backend/backend.js';
import { kernelBiasConfig, kernelBiasOptions, type KernelBiasArgs, type KernelBiasOptions } from './weight_options.js';
import { attentionInputShapes } from './attention_inputs.js';
import { attentionBackward, attentionForward, AttentionWorkspace, causalTerm, type AttentionBuffers, type AttentionDims } from './attention_pass.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { shapeSize, type Tensor } from '../tensor.js';

/** Options that MultiHeadAttention and GroupedQueryAttention share, with Keras 3's names and defaults. */
export interface ProjectedAttentionArgs extends LayerArgs, KernelBiasArgs {
  /** Dropout rate on the attention weights while training, in [0, 1) (default 0). */
  dropout?: number;
  /** Whether the projections add biases (default true). */
  useBias?: boolean;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerSpec;
  /** Default zeros. */
  biasInitializer?: InitializerSpec;
  /**
   * Each query step attends only to value steps at or before it (a decoder's causal mask). Keras
   * takes `use_causal_mask` at call time; kerasm takes it here, so every call of the layer uses it.
   */
  useCausalMask?: boolean;
  /** Seed of the attention dropout's masks; by default they draw from `km.utils.setRandomSeed`'s generator. */
  seed?: number | null;
  /**
   * Whether `apply` also returns the attention weights: `[output, scores]`, scores
   * `[heads, querySteps, valueSteps]` per sample (the softmax weights before dropout, as Keras
   * returns them). Keras takes `return_attention_scores` at call time; kerasm takes it here, as
   * `useCausalMask` (default false).
   */
  returnAttentionScores?: boolean;
}

/** The head sizes a layer derives from its options and the call's feature sizes. */
export type AttentionHeads = Pick<AttentionDims, 'heads' | 'keyValueHeads' | 'keyDim' | 'valueDim' | 'outputDim'>;

/** `value` as a positive integer option, or an error naming it and showing `example`. */
export function positiveOption(value: unknown, name: string, where: string, example: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new Error(`${where}: ${name} must be a positive integer. Received: ${name}=${JSON.stringify(value)}. For example ${example}.`);
  }
  return value as number;
}

/**
 * Attention with learned query, key, value and output projections over `[query, value, key?]`
 * sequences (Keras' `attention_mask` a keyword input): what MultiHeadAttention and
 * GroupedQueryAttention share. A subclass supplies its head sizes and its own options' config; the
 * weights (`query`, `key`, `value`, `attention_output`, kernel and bias each), masks, dropout and
 * both passes are the same (`attention_pass.ts`).
 */
export abstract class ProjectedAttention extends Layer {
  readonly dropout: number;
  readonly useBias: boolean;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  readonly seed: number | undefined;
  readonly options: KernelBiasOptions;
  /** The layer named in errors, e.g. `MultiHeadAttention layer 'mha'`. */
  protected readonly where: string;
  readonly #kernelInitializerSpec: InitializerSpec;
  readonly #biasInitializerSpec: InitializerSpec;
  readonly #kernelInitializer: Initializer;
  readonly #biasInitializer: Initializer;
  readonly #random: LayerRandom;
  #dims: AttentionDims | null = null;
  #causalTerm: Float32Array | null = null;

  constructor(args: ProjectedAttentionArgs, className: string) {
    super(args, className);
    const where = (this.where = `${className} layer '${this.name}'`);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`${where}: dropout must be a number in [0, 1). Received: dropout=${JSON.stringify(args.dropout)}.`);
    }
    this.dropout = rate;
    this.useBias = checkBooleanOption(args.useBias ?? true, 'useBias', where);
    this.useCausalMask = checkBooleanOption(args.useCausalMask ?? false, 'useCausalMask', where);
    this.returnAttentionScores = checkBooleanOption(args.returnAttentionScores ?? false, 'returnAttentionScores', where);
    this.#random = new LayerRandom(args.seed, where, this);
    this.seed = this.#random.seed;
    this.#kernelInitializerSpec = args.kernelInitializer ?? 'glorotUniform';
    this.#biasInitializerSpec = args.biasInitializer ?? 'zeros';
    this.#kernelInitializer = getInitializer(this.#kernelInitializerSpec, `${where} kernelInitializer`);
    this.#biasInitializer = getInitializer(this.#biasInitializerSpec, `${where} biasInitializer`);
    this.options = kernelBiasOptions(args, 'kernel', where);
  }

  /** The head sizes for a call with these `[steps, features]` shapes, with the layer's own checks. */
  protected abstract headSizes(query: Shape, value: Shape, key: Shape): AttentionHeads;

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    const { kernel, bias } = this.options;
    return PROJECTIONS.flatMap(() => (this.useBias ? [kernel.regularizer, bias.regularizer] : [kernel.regularizer]));
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    const { kernel, bias } = this.options;
    return PROJECTIONS.flatMap(() => (this.useBias ? [kernel.constraint, bias.constraint] : [kernel.constraint]));
  }

  // Padded value (and key) steps get no attention, as Keras' masks give; the query's mask passes on.
  override get supportsMasking(): boolean {
    return true;
  }

  override get readsInputMasks(): boolean {
    return true;
  }

  // Keras 3's query_mask, value_mask and key_mask, in input order.
  override get explicitMaskList(): readonly string[] {
    return ['queryMask', 'valueMask', 'keyMask'];
  }

  override get activityRegularizer(): Regularizer | null {
    return this.options.activityRegularizer;
  }

  // Keras' attention_mask, a keyword input: it follows [query, value, key] in the call's inputs.
  override get keywordInputs(): readonly string[] {
    return ['attentionMask'];
  }

  // Keras writes the mask in the call's kwargs; a key made explicit for it stays positional.
  override savedKeyword(slot: number, count: number): string | null {
    return slot === 3 && count === 4 ? 'attention_mask' : null;
  }

  /**
   * As {@link Layer.apply}; `{ attentionMask }` passes Keras' attention mask. With
   * `returnAttentionScores` it gives `[output, scores]`.
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor;
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: LayerApplyArgs): SymbolicTensor | Tensor<'float32'> {
    // A mask follows the positional inputs, so with one the key is made explicit: the inputs
    // are then [query, value, key, mask], never ambiguous between a key and a mask.
    if (Array.isArray(inputs) && inputs.length > 3) this.#refuseInputCount(inputs.length);
    const masked = options?.attentionMask !== undefined && options.attentionMask !== null;
    const list = Array.isArray(inputs) && masked && inputs.length === 2 ? [inputs[0], inputs[1], inputs[1]] : inputs;
    return super.apply(list as readonly SymbolicTensor[], options) as SymbolicTensor & Tensor<'float32'>;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const d = this.#dimsFor(inputShapes);
    return [d.querySteps, d.outputDim];
  }

  /** The output, then with returnAttentionScores the weights `[heads, querySteps, valueSteps]`. */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const d = this.#dimsFor(inputShapes);
    const output = [d.querySteps, d.outputDim];
    return this.returnAttentionScores ? [output, [d.heads, d.querySteps, d.valueSteps]] : [output];
  }

  // The weights depend on query, value and a key of its own shape, not on the mask, so one layer
  // serves calls with and without a mask (whose key is the value made explicit).
  protected override weightInputShapes(callShapes: readonly Shape[]): readonly Shape[] {
    const [query, value, key] = callShapes;
    const ownKey = key !== undefined && (key.length !== value.length || key.some((d, i) => d !== value[i]));
    return ownKey ? [query, value, key] : [query, value];
  }

  #refuseInputCount(count: number): never {
    throw new Error(
      `${this.where} takes [query, value] or [query, value, key] (and the keyword input attentionMask), but received ${count} input${count === 1 ? '' : 's'}. ` +
        `Call it as layer.apply([query, value]); for self-attention, layer.apply([x, x]); with a mask, layer.apply([query, value], { attentionMask }).`,
    );
  }

  /** The call's sizes from `[query, value]`, `[query, value, key]` or `[query, value, key, attentionMask]`, with the checks Keras makes. */
  #dimsFor(inputShapes: readonly Shape[]): AttentionDims {
    if (inputShapes.length < 2 || inputShapes.length > 4) this.#refuseInputCount(inputShapes.length);
    const rankFix = "Attention over other axes (Keras' attentionAxes) is not supported; reshape sequences to [steps, features].";
    const { query, value, key } = attentionInputShapes(inputShapes, this.where, rankFix);
    const mask = inputShapes[3];
    if (mask !== undefined && (mask.length !== 2 || mask[0] !== query[0] || mask[1] !== value[0])) {
      throw new Error(
        `${this.where}: attentionMask must have shape (None, ${query[0]}, ${value[0]}), [batch, querySteps, valueSteps] (1: attend, 0: not), but received ${formatShape(mask)}. ` +
          `Give one row per query step (${query[0]}) and one column per value step (${value[0]}).`,
      );
    }
    return { querySteps: query[0], valueSteps: value[0], queryFeatures: query[1], keyFeatures: key[1], valueFeatures: value[1], ...this.headSizes(query, value, key) };
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const d = (this.#dims = this.#dimsFor(inputShapes));
    const shapes: [string, Shape, Shape][] = [
      ['query', [d.queryFeatures, d.heads, d.keyDim], [d.heads, d.keyDim]],
      ['key', [d.keyFeatures, d.keyValueHeads, d.keyDim], [d.keyValueHeads, d.keyDim]],
      ['value', [d.valueFeatures, d.keyValueHeads, d.valueDim], [d.keyValueHeads, d.valueDim]],
      ['attention_output', [d.heads, d.valueDim, d.outputDim], [d.outputDim]],
    ];
    for (const [name, kernel, bias] of shapes) {
      this.addWeight(`${name}/kernel`, kernel, this.#kernelInitializer);
      if (this.useBias) this.addWeight(`${name}/bias`, bias, this.#biasInitializer);
    }
    if (this.useCausalMask) {
      this.#causalTerm = causalTerm(d.querySteps, d.valueSteps);
    }
  }

  override workspaceSize(batch: number): number {
    return AttentionWorkspace.size(this.#built(), batch, this.dropout > 0, this.useCausalMask);
  }

  #built(): AttentionDims {
    if (!this.#dims) throw new Error(`${this.where} is not built yet.`);
    return this.#dims;
  }

  #workspace(ctx: ForwardContext): AttentionWorkspace {
    return this.#regions(ctx.backend, ctx.workspace, ctx.batch);
  }

  #regions(backend: Backend, workspace: BufferId, batch: number): AttentionWorkspace {
    return new AttentionWorkspace(backend, workspace, this.#built(), batch, this.dropout > 0, this.useCausalMask);
  }

  /** The causal mask's term, the same for every pass of a batch size. */
  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    if (this.#causalTerm) backend.write(this.#regions(backend, workspace, batch).causal, this.#causalTerm);
  }

  /** Kernels and biases in the order `build` added them, biases 0 without `useBias`. */
  #split(buffers: readonly number[]): { kernels: [number, number, number, number]; biases: [number, number, number, number] } {
    const step = this.useBias ? 2 : 1;
    const at = (p: number, k: number) => (k < step ? buffers[p * step + k] : 0);
    return {
      kernels: [at(0, 0), at(1, 0), at(2, 0), at(3, 0)],
      biases: [at(0, 1), at(1, 1), at(2, 1), at(3, 1)],
    };
  }

  /** The call's inputs, `[query, value, key?, attentionMask?]` (a call with a mask always has its key), and their masks. */
  #buffers(ctx: ForwardContext): AttentionBuffers {
    const [query, value] = ctx.inputs;
    const [queryMask, valueMask, keyMask] = ctx.inputMasks;
    const keyGiven = ctx.inputs.length >= 3;
    return {
      query, value, key: keyGiven ? ctx.inputs[2] : value, keyMasks: [valueMask, keyGiven ? keyMask : 0], queryMask, attentionMask: ctx.inputs[3] ?? 0,
      ...this.#split(ctx.weights),
    };
  }

  forward(ctx: ForwardContext): void {
    const w = this.#workspace(ctx);
    const dropping = ctx.training && this.dropout > 0;
    const seed = dropping ? this.#random.kernelSeed() : null;
    attentionForward(ctx.backend, this.#built(), ctx.batch, this.#buffers(ctx), w, ctx.output, ctx.outputs[1] ?? 0, seed, this.dropout);
  }

  backward(ctx: BackwardContext): void {
    const [query, value] = ctx.inputGrads;
    const keyGiven = ctx.inputs.length >= 3;
    // A frozen layer only passes the gradient on: no projection's weight gradients.
    const weightGrads = ctx.weightGradsNeeded ? ctx.weightGrads : ctx.weightGrads.map(() => 0);
    const grads = { ...this.#split(weightGrads), query, value, key: keyGiven ? ctx.inputGrads[2] : value, keyIsValue: !keyGiven };
    // The mask is cast to booleans in Keras: no gradient reaches it.
    const maskGrad = ctx.inputGrads[3] ?? 0;
    if (maskGrad) ctx.backend.fill(maskGrad, ctx.batch * shapeSize(this.#maskShape()), 0);
    attentionBackward(ctx.backend, this.#built(), ctx.batch, this.#buffers(ctx), this.#workspace(ctx), ctx.outputGrad, ctx.outputGrads[1] ?? 0, grads, ctx.training && this.dropout > 0);
  }

  #maskShape(): Shape {
    const d = this.#built();
    return [d.querySteps, d.valueSteps];
  }

  /** The shared options' config (Keras' names in camelCase), for a subclass's `getConfig`. */
  protected sharedConfig(): Record<string, unknown> {
    const init = (spec: InitializerSpec, key: string) => initializerConfig(spec, `${this.where} ${key}`);
    return {
      dropout: this.dropout, useBias: this.useBias, useCausalMask: this.useCausalMask, returnAttentionScores: this.returnAttentionScores, seed: this.seed ?? null,
      kernelInitializer: init(this.#kernelInitializerSpec, 'kernelInitializer'), biasInitializer: init(this.#biasInitializerSpec, 'biasInitializer'),
      ...kernelBiasConfig('kernel', this.options),
    };
  }
}

const PROJECTIONS = ['query', 'key', 'value', 'attention_output'] as const;
