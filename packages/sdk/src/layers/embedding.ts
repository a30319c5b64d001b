import type { Constraint, ConstraintSpec } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import { getRegularizer, regularizerConfig, type Regularizer, type RegularizerSpec } from '../regularizers/regularizers.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { weightOptions, weightOptionsConfig, type WeightOptions } from './weight_options.js';
import { shapeSize } from '../tensor.js';
import type { LayerWeight } from './layer_weight.js';
import { BUILT_IN_COMPUTE_MASKS, maskOfValues } from './compute_mask.js';
import type { Tensor } from '../tensor.js';
import { EMBEDDING_OPTIONS, checkRequiredOptions } from './layer_options.js';
import { LayerLora, type EnableLoraOptions, type Lora, type LoraArgs, type LoraLayer } from './lora.js';
import type { BufferId } from '../backend/backend.js';

/** Options of {@link Embedding}, with Keras' defaults. */
export interface EmbeddingArgs extends LayerArgs, LoraArgs {
  /** Size of the vocabulary: indices run from 0 to inputDim − 1. */
  inputDim: number;
  /** Length of each embedding vector. */
  outputDim: number;
  /** Initializer of the `[inputDim, outputDim]` table (default uniform in [-0.05, 0.05], as Keras). */
  embeddingsInitializer?: InitializerSpec;
  /** Penalty on the table, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  embeddingsRegularizer?: RegularizerSpec;
  /** Penalty on the layer's output, added to the loss. */
  activityRegularizer?: RegularizerSpec;
  /** Applied to the table after each optimizer step. */
  embeddingsConstraint?: ConstraintSpec;
  /** Length of each input sequence, as TensorFlow.js configs give it; sets the input shape `[inputLength]` on a first layer. */
  inputLength?: number | readonly number[] | null;
  /**
   * Whether index 0 is padding (default false): the layer then makes a mask (steps whose id is not 0)
   * that the layers after it honour, as Keras' mask_zero. The vocabulary's real ids then start at 1,
   * so inputDim must count the 0 too (vocabulary size + 1).
   */
  maskZero?: boolean | null;
}

const DEFAULT_INITIALIZER: InitializerSpec = { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } };

/** A positive integer option, or the error that names it. */
function positiveInt(value: unknown, what: string, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`${where}: ${what} must be a positive integer. Received: ${what}=${JSON.stringify(value)}.`);
  return value as number;
}

/** inputLength as TensorFlow.js writes it (a number, a list or null), as a list of dimensions. */
function inputLengthOf(value: EmbeddingArgs['inputLength'], where: string): number[] | null {
  if (value === undefined || value === null) return null;
  const dims = typeof value === 'number' ? [value] : [...value];
  if (dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: inputLength must be a positive integer or a list of them. Received: inputLength=${JSON.stringify(value)}.`);
  }
  return dims;
}

/**
 * Turns integer indices (token ids) into dense vectors: row `i` of a trainable `[inputDim,
 * outputDim]` table for each index `i`, so `[batch, length]` becomes `[batch, length, outputDim]`.
 * Indices may be int32 or whole float32 values; fit, evaluate and predict reject an index outside
 * `[0, inputDim)` or a fraction before anything runs. The gradient sums into the table's rows
 * (repeated indices add up); indices get none. With `maskZero: true`, index 0 marks padding: the
 * layers after it skip those steps (recurrent layers carry their state over them,
 * GlobalAveragePooling1D averages the others). With LoRA (`loraRank`, or {@link Embedding.enableLora})
 * the table is frozen and the layer looks up rows of table + (loraAlpha / loraRank)·A·B, training
 * A `[inputDim, loraRank]` and B `[loraRank, outputDim]`.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.embedding({ inputDim: 10000, outputDim: 16, inputShape: [200] }),
 *   km.layers.globalAveragePooling1d(),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * // Sequences padded with 0 at the end, the padding masked:
 * const tagger = km.sequential([
 *   km.layers.embedding({ inputDim: 10001, outputDim: 16, inputShape: [200], maskZero: true }),
 *   km.layers.lstm({ units: 32 }),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * ```
 */
export class Embedding extends Layer implements LoraLayer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly inputLength: number[] | null;
  readonly maskZero: boolean;
  readonly #initializerSpec: InitializerSpec;
  readonly #initializer: Initializer;
  readonly #embeddings: WeightOptions;
  readonly #activityRegularizer: Regularizer | null;
  readonly #where: string;
  /** Indices per sample, set by build. */
  #perSample = 0;
  readonly #lora: LayerLora;

  constructor(args: EmbeddingArgs) {
    const inputLength = inputLengthOf(args.inputLength, `Embedding layer${args.name ? ` '${args.name}'` : ''}`);
    // tfjs' Embedding takes its input shape from inputLength when none is given.
    const shaped = args.inputShape === undefined && args.batchInputShape === undefined && inputLength ? { ...args, inputShape: inputLength } : args;
    super(shaped, 'Embedding');
    this.#where = `Embedding layer '${this.name}'`;
    this.inputDim = positiveInt(args.inputDim, 'inputDim', this.#where);
    this.outputDim = positiveInt(args.outputDim, 'outputDim', this.#where);
    this.inputLength = inputLength;
    const maskZero = args.maskZero ?? false;
    if (typeof maskZero !== 'boolean') {
      throw new Error(`${this.#where}: maskZero must be true or false. Received: maskZero=${JSON.stringify(args.maskZero)}. Set maskZero: true to treat index 0 as padding.`);
    }
    this.maskZero = maskZero;
    this.#initializerSpec = args.embeddingsInitializer ?? DEFAULT_INITIALIZER;
    this.#initializer = getInitializer(this.#initializerSpec, `${this.#where} embeddingsInitializer`);
    this.#embeddings = weightOptions(args, 'embeddings', this.#where);
    this.#activityRegularizer = getRegularizer(args.activityRegularizer, `${this.#where} activityRegularizer`);
    this.#lora = new LayerLora(this, args, this.#where, { option: 'embeddingsConstraint', constraint: this.#embeddings.constraint });
  }

  /** The LoRA settings (`rank`, `alpha`, `scale`), or null when LoRA is off. */
  get lora(): Lora | null {
    return this.#lora.settings;
  }

  /**
   * Enables LoRA with rank `rank`, before or after the layer is built (see {@link LoraLayer.enableLora}):
   * the table is frozen, and `lora_embeddings_a` `[inputDim, rank]` and `lora_embeddings_b` `[rank, outputDim]` train.
   *
   * @example `km.layers.embedding({ inputDim: 10000, outputDim: 64 }).enableLora(8, { loraAlpha: 16 })`
   */
  enableLora(rank: number, options: EnableLoraOptions = {}): void {
    this.#lora.enable(rank, options);
    this.redeclareWeights();
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    const expected = this.inputLength;
    if (expected && (expected.length !== shape.length || expected.some((d, i) => d !== shape[i]))) {
      throw new Error(`${this.#where} was given inputLength=${JSON.stringify(expected.length === 1 ? expected[0] : expected)}, but its input has shape (None, ${shape.join(', ')}). Make inputLength match the sequence length, or remove it.`);
    }
    return [...shape, this.outputDim];
  }

  /** The embedding matrix, `[inputDim, outputDim]` (tfjs' `layer.embeddings`); undefined until the layer is built. */
  get embeddings(): LayerWeight | undefined {
    return this.weightNamed('embeddings');
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#perSample = shapeSize(singleInput(this, inputShapes));
    this.addWeight('embeddings', [this.inputDim, this.outputDim], this.#initializer, this.lora === null);
    const table = this.lastDeclaredWeight;
    this.#lora.declareFactors(table, (name, shape, initializer) => {
      this.addWeight(name, shape, initializer);
      return this.lastDeclaredWeight;
    }, 'embeddings');
  }

  /** LoRA's workspace: A's rows for the batch's indices (their gradient in backward), then s and s·B. */
  override workspaceSize(batch: number): number {
    const lora = this.lora;
    return lora ? batch * this.#perSample * lora.rank + lora.scaledBFloats(this.outputDim) : 0;
  }

  #loraBuffers(ctx: ForwardContext, n: number): { aRows: BufferId; s: BufferId; sB: BufferId } {
    const { backend, workspace, weights } = ctx;
    const rows = n * this.lora!.rank;
    const { s, sB } = this.lora!.scaleB(backend, workspace, rows, weights[2], this.outputDim);
    return { aRows: backend.view(workspace, 0, rows), s, sB };
  }

  override get producesMask(): boolean {
    return this.maskZero;
  }

  /**
   * The mask this layer gives its output for `inputs` (Keras' `compute_mask`, tfjs' `computeMask`):
   * with maskZero, float32 of the ids' shape, 1 for a token and 0 for padding (id 0); null without
   * maskZero, as Keras returns None. It is read on the host, to look at a mask (Keras'
   * `output._keras_mask`); a model makes its own, and the result may be given back as
   * `apply(x, { mask })` to a layer after this one.
   *
   * @example
   * ```ts
   * const embedding = km.layers.embedding({ inputDim: 5000, outputDim: 16, maskZero: true });
   * embedding.computeMask(km.utils.padSequences([[711, 632, 71], [73, 8]], { padding: 'post' }))?.print();
   * // [[1, 1, 1], [1, 1, 0]]
   * ```
   */
  computeMask(inputs: Tensor, _mask?: Tensor | null): Tensor<'float32'> | null {
    return this.maskZero ? maskOfValues(inputs, 0, 0, this.#where) : null;
  }

  override get makesMaskFromValues(): boolean {
    return this.maskZero;
  }

  override get readsIndices(): boolean {
    return true;
  }

  override checkModelInput(values: Float32Array | Int32Array, perSample: number, what: string): void {
    const limit = this.inputDim;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isInteger(v) && v >= 0 && v < limit) continue;
      const at = `${what} holds ${v} at sample ${Math.floor(i / perSample)} (position ${i % perSample} of the sample)`;
      const fix = Number.isInteger(v) && v >= limit
        ? `Raise inputDim to at least ${v + 1}, or re-index the vocabulary so that every token id is below ${limit} (e.g. map rare tokens to one out-of-vocabulary id).`
        : `Re-index the vocabulary so that every token id is a whole number from 0 to ${limit - 1}.`;
      throw new Error(`${this.#where} reads ${what} as indices into its table of inputDim=${limit} rows, which must be whole numbers in [0, ${limit}), but ${at}. ${fix}`);
    }
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return [this.#embeddings.regularizer];
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return [this.#embeddings.constraint];
  }

  override get activityRegularizer(): Regularizer | null {
    return this.#activityRegularizer;
  }

  forward(ctx: ForwardContext): void {
    const n = ctx.batch * this.#perSample;
    ctx.backend.embeddingForward(ctx.inputs[0], ctx.weights[0], ctx.output, n, this.outputDim, this.inputDim);
    const lora = this.lora;
    if (lora) {
      // Rows of table + s·A·B are rows of the table plus A's rows times s·B.
      const { aRows, sB } = this.#loraBuffers(ctx, n);
      ctx.backend.embeddingForward(ctx.inputs[0], ctx.weights[1], aRows, n, lora.rank, this.inputDim);
      ctx.backend.matMul(aRows, sB, ctx.output, n, this.outputDim, lora.rank, false, false, true);
    }
    if (ctx.outputMask) ctx.backend.maskFromValues(ctx.inputs[0], ctx.outputMask, n, 1, 0);
  }

  backward(ctx: BackwardContext): void {
    const n = ctx.batch * this.#perSample;
    // Frozen, it only runs when a trainable layer feeds it (the planner skips a frozen embedding at the bottom).
    if (this.lora) this.#loraBackward(ctx, n);
    else if (ctx.weightGradsNeeded) ctx.backend.embeddingBackward(ctx.inputs[0], ctx.outputGrad, ctx.weightGrads[0], n, this.outputDim, this.inputDim);
    // Indices have no gradient; a layer upstream that asks for one gets zeros.
    if (ctx.inputGrads[0]) ctx.backend.fill(ctx.inputGrads[0], n, 0);
  }

  /**
   * The factors' gradients; the frozen table gets none. The output's gradient, scattered into the
   * rows the indices read, is the effective table's gradient dW; its products with B and A are
   * taken per index, before scattering: dA = scatter(dY·(s·B)ᵀ), dB = s·(A's rows)ᵀ·dY.
   */
  #loraBackward(ctx: BackwardContext, n: number): void {
    if (!ctx.weightGradsNeeded) return;
    const { backend, inputs, outputGrad, weightGrads } = ctx;
    const rank = this.lora!.rank;
    const { aRows, s, sB } = this.#loraBuffers(ctx, n);
    backend.matMul(aRows, outputGrad, weightGrads[2], rank, this.outputDim, n, true, false, false);
    backend.mul(weightGrads[2], s, weightGrads[2], rank * this.outputDim);
    // A's rows are read; their gradient takes their place.
    backend.matMul(outputGrad, sB, aRows, n, rank, this.outputDim, false, true, false);
    backend.embeddingBackward(inputs[0], aRows, weightGrads[1], n, rank, this.inputDim);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: initializerConfig(this.#initializerSpec, `${this.#where} embeddingsInitializer`),
      ...weightOptionsConfig('embeddings', this.#embeddings),
      activityRegularizer: regularizerConfig(this.#activityRegularizer),
      maskZero: this.maskZero,
      inputLength: this.inputLength === null ? null : this.inputLength.length === 1 ? this.inputLength[0] : this.inputLength,
      ...this.lora?.config(),
    };
  }
}

registerBuiltinLayer('Embedding', (config) => new Embedding(config as unknown as EmbeddingArgs));

BUILT_IN_COMPUTE_MASKS.add(Embedding.prototype.computeMask);

/**
 * Token ids to dense vectors: `[batch, length]` indices in `[0, inputDim)` become `[batch, length, outputDim]`.
 * @example `km.layers.embedding({ inputDim: 10000, outputDim: 16, inputShape: [200] })`
 */
export function embedding(args: EmbeddingArgs): Embedding {
  checkRequiredOptions(args, EMBEDDING_OPTIONS, 'km.layers.embedding');
  return new Embedding(args);
}
