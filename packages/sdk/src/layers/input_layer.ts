import { input, setInputLayerOf, SymbolicTensor } from '../engine/symbolic.js';
import { shapeSize, type DType } from '../tensor.js';
import { optionNames } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { checkRequiredOptions } from './layer_options.js';

/** Options of {@link inputLayer}, tfjs' names for {@link input}'s. */
export interface InputLayerArgs {
  /** Shape of one sample, without the batch dimension; null for a dimension of any size. */
  inputShape?: readonly (number | null)[];
  /** The shape with the batch first, which must be null. */
  batchInputShape?: readonly (number | null)[];
  /** What the model is fed (default 'float32'); 'int32' for token ids into an Embedding. */
  dtype?: DType;
  /** The layer's name (default `input_1`, `input_2`, ...). */
  name?: string;
}

/** The InputLayer of each model input, made when first asked for, so a tensor has one for good. */
const inputLayers = new WeakMap<SymbolicTensor, InputLayer>();

/**
 * A model input as a layer, as Keras and tfjs list it in a functional model's `layers`: its name,
 * shape and dtype, and its `output`, the symbolic input itself. It has no weights, and is no step
 * of the model's graph: the model feeds the input's data straight to the layers that read it (an
 * input that is also a model output passes through it unchanged). `trainable` may be set, as on
 * any layer, and changes nothing.
 *
 * @example
 * ```ts
 * const title = km.input({ shape: [4], name: 'title' });
 * const model = km.model({ inputs: title, outputs: km.layers.dense({ units: 2 }).apply(title) });
 * model.layers[0].name;                     // 'title', an InputLayer
 * model.getLayer('title').output === title; // true
 * ```
 */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  /** The input's shape with the batch first: `[null, ...shape]`. */
  readonly batchInputShape: readonly (number | null)[];
  /** The dtype the input declares: 'int32' for token or class ids, else 'float32'. */
  readonly dtype: DType;
  /** Always false: kerasm's inputs are dense, as tfjs' are. */
  readonly sparse = false;
  readonly #tensor: SymbolicTensor;
  /** Floats per sample of the data it passes on: the input's size, or the size of this batch's data on unknown dimensions. */
  #sampleSize: number;

  /**
   * A new model input under tfjs' option names (what {@link inputLayer} makes), or the InputLayer
   * of a model input from `km.input` (better reached through {@link InputLayer.of}, which keeps one per input).
   */
  constructor(args: InputLayerArgs | SymbolicTensor) {
    const tensor = args instanceof SymbolicTensor ? args : newInput(args);
    if (tensor.source.kind !== 'input') throw new Error(`An InputLayer stands for a model input from km.input(...), but '${tensor.name}' is the output of layer '${tensor.name}'.`);
    super({ name: tensor.name, inputShape: tensor.shape }, 'InputLayer');
    // tfjs makes its InputLayers not trainable; they have no weights either way.
    this.trainable = false;
    this.batchInputShape = [null, ...tensor.shape];
    this.dtype = tensor.dtype;
    this.#sampleSize = shapeSize(tensor.tracedShape);
    this.#tensor = tensor;
    if (!inputLayers.has(tensor)) inputLayers.set(tensor, this);
  }

  /** The InputLayer of a model input (`km.input(...)`): the same object every time. */
  static of(tensor: SymbolicTensor): InputLayer {
    return inputLayers.get(tensor) ?? new InputLayer(tensor);
  }

  /** The model input: a model can start there (`km.model({ inputs: layer.output, ... })`), or end there, as Keras allows. */
  override get output(): SymbolicTensor {
    return this.#tensor;
  }

  /** The model input, as tfjs gives an InputLayer's input. */
  override get input(): SymbolicTensor {
    return this.#tensor;
  }

  override getOutputAt(nodeIndex: number): SymbolicTensor {
    return this.#only(nodeIndex, 'getOutputAt');
  }

  override getOutputsAt(nodeIndex: number): SymbolicTensor[] {
    return [this.#only(nodeIndex, 'getOutputsAt')];
  }

  override getInputAt(nodeIndex: number): SymbolicTensor {
    return this.#only(nodeIndex, 'getInputAt');
  }

  #only(nodeIndex: number, method: string): SymbolicTensor {
    if (nodeIndex !== 0) throw new Error(`InputLayer '${this.name}' has one output, the model input, so ${method}(${nodeIndex}) is out of range: use ${method}(0) or layer.output.`);
    return this.#tensor;
  }

  /** An InputLayer is not applied: its output is the input that layers are applied to. */
  override apply(): never {
    throw new Error(`InputLayer '${this.name}' is a model input, not a layer to apply. Apply the next layer to its output: layer.apply(model.getLayer('${this.name}').output).`);
  }

  computeOutputShape(inputShapes?: readonly Shape[]): Shape {
    return inputShapes?.[0] ?? this.#tensor.tracedShape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#sampleSize = shapeSize(inputShapes[0]);
  }

  /** A model input among the outputs passes through its InputLayer, which shares the input's data. */
  override get aliasesInput(): boolean {
    return true;
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * this.#sampleSize);
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], ctx.batch * this.#sampleSize);
  }

  /** tfjs' config: `{ batchInputShape, dtype, sparse, name }`, what a saved model's InputLayer entry holds. */
  override getConfig(): Record<string, unknown> {
    return { batchInputShape: [...this.batchInputShape], dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
}

setInputLayerOf((tensor) => InputLayer.of(tensor));

/**
 * tfjs' way to declare a model's input: the InputLayer of a new `km.input`, under tfjs' option
 * names. Put it first in `km.sequential([...])`, or start a functional model from its `output`;
 * a functional model built on that output lists this same layer in `layers`.
 *
 * @example `km.sequential([km.layers.inputLayer({ inputShape: [784] }), km.layers.dense({ units: 10 })])`
 */
export function inputLayer(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}

/** The model input {@link inputLayer}'s options describe, checked as `km.input` checks its own. */
function newInput(args: InputLayerArgs): SymbolicTensor {
  checkRequiredOptions(args, optionNames<InputLayerArgs>({ inputShape: true, batchInputShape: true, dtype: true, name: true }), 'km.layers.inputLayer');
  const { inputShape, batchInputShape, dtype, name } = args;
  return input({ ...(inputShape !== undefined && { shape: inputShape }), ...(batchInputShape !== undefined && { batchShape: batchInputShape }), ...(dtype !== undefined && { dtype }), ...(name !== undefined && { name }) });
}
