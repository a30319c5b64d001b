import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { POSITION_EMBEDDING_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link PositionEmbedding}, as keras_nlp names them. */
export interface PositionEmbeddingArgs extends LayerArgs {
  /** The longest sequence the layer embeds (positive integer); inputs may be shorter. */
  sequenceLength: number;
  /** Initializer of the `[sequenceLength, features]` table (default glorotUniform, as keras_nlp). */
  initializer?: InitializerSpec;
}

/**
 * keras_nlp's `PositionEmbedding`: a trainable vector per position. For an input `[steps, features]`
 * it outputs the table's first `steps` rows, the same for every sample (the input's values are not
 * read), so that adding it to token embeddings tells attention where each token is.
 *
 * @example
 * ```ts
 * const tokens = km.input({ shape: [64] });
 * const embedded = km.layers.embedding({ inputDim: 20000, outputDim: 32 }).apply(tokens);
 * const positions = km.layers.positionEmbedding({ sequenceLength: 64 }).apply(embedded);
 * const x = km.layers.add().apply([embedded, positions]);
 * ```
 */
export class PositionEmbedding extends Layer {
  readonly className = 'PositionEmbedding';
  readonly sequenceLength: number;
  readonly #initializerSpec: InitializerSpec;
  readonly #initializer: Initializer;
  /** Values per sample: steps · features. */
  #size = 0;

  constructor(args: PositionEmbeddingArgs) {
    super(args, 'PositionEmbedding');
    if (!Number.isInteger(args.sequenceLength) || args.sequenceLength < 1) {
      throw new Error(`PositionEmbedding layer '${this.name}': sequenceLength must be a positive integer (the longest sequence to embed). Received: sequenceLength=${JSON.stringify(args.sequenceLength)}.`);
    }
    this.sequenceLength = args.sequenceLength;
    this.#initializerSpec = args.initializer ?? 'glorotUniform';
    this.#initializer = getInitializer(this.#initializerSpec, `PositionEmbedding layer '${this.name}' initializer`);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    if (shape.length !== 2) {
      throw new Error(`PositionEmbedding layer '${this.name}' takes sequences [batch, steps, features], but received shape ${formatShape(shape)}. Apply it to token embeddings, e.g. the output of km.layers.embedding.`);
    }
    if (shape[0] > this.sequenceLength) {
      throw new Error(`PositionEmbedding layer '${this.name}' embeds at most sequenceLength=${this.sequenceLength} positions, but received sequences of ${shape[0]} steps (shape ${formatShape(shape)}). Raise sequenceLength to at least ${shape[0]}.`);
    }
    return shape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [steps, features] = this.computeOutputShape(inputShapes);
    this.#size = steps * features;
    this.addWeight('embeddings', [this.sequenceLength, features], this.#initializer);
  }

  forward(ctx: ForwardContext): void {
    const { backend, output, batch } = ctx;
    backend.fill(output, batch * this.#size, 0);
    backend.biasAdd(output, backend.view(ctx.weights[0], 0, this.#size), batch, this.#size);
  }

  backward(ctx: BackwardContext): void {
    const { backend, batch } = ctx;
    const table = this.weightSpecs[0].shape;
    const rest = table[0] * table[1] - this.#size;
    if (ctx.weightGradsNeeded) {
      backend.columnSum(ctx.outputGrad, backend.view(ctx.weightGrads[0], 0, this.#size), batch, this.#size, false);
      if (rest > 0) backend.fill(backend.view(ctx.weightGrads[0], this.#size, rest), rest, 0);
    }
    if (ctx.inputGrads[0]) backend.fill(ctx.inputGrads[0], batch * this.#size, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength, initializer: initializerConfig(this.#initializerSpec, `PositionEmbedding layer '${this.name}' initializer`) };
  }
}

registerBuiltinLayer('PositionEmbedding', (config) => new PositionEmbedding(config as unknown as PositionEmbeddingArgs));

/**
 * keras_nlp's learned position embedding: the first `steps` rows of a trainable `[sequenceLength, features]`
 * table for every sample; add it to the token embeddings.
 * @example `km.layers.add().apply([x, km.layers.positionEmbedding({ sequenceLength: 64 }).apply(x)])`
 */
export function positionEmbedding(args: PositionEmbeddingArgs): PositionEmbedding {
  checkRequiredOptions(args, POSITION_EMBEDDING_OPTIONS, 'km.layers.positionEmbedding');
  return new PositionEmbedding(args);
}
