import { factoryName, tfjsObjectError } from './foreign_values.js';
import { uniqueName } from '../layers/layer_names.js';
import { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
import { StringLayer } from '../layers/string_layer.js';
import { LayersModel } from './model.js';
import { Graph } from './graph.js';
import type { InputSample } from './input_sample.js';
import { applyLayer, input, layerOutputs, SymbolicTensor, type CallOptions, type ModelApplication } from './symbolic.js';
import type { ModelApplyArgs } from './model_input_masks.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { sameShape, type Tensor } from '../tensor.js';
import { probedShape, type SampleShape } from './unknown_dims.js';

/** Options of {@link sequential}. */
export interface SequentialArgs {
  /**
   * The layers in order; a Sequential model among them adds its layers, which it shares. The first
   * may be the model's input, `km.input({ shape })` (Keras 3's `keras.Input`) or tfjs'
   * `km.layers.inputLayer({ inputShape })`, in place of the first layer's `inputShape`.
   */
  layers?: (Layer | LayersModel | SymbolicTensor)[];
  name?: string;
}

/** A linear stack of layers, each feeding the next: one output, so `predict` returns one tensor. */
export class Sequential extends LayersModel<Tensor<'float32'>> {
  /** The symbolic input, then each layer's output, once the input shape is known (what `inputs`/`outputs` and `layer.output` give). */
  readonly #symbolic: SymbolicTensor[] = [];
  /** Per stacked layer, the stacked model it came from, if any. */
  readonly #vias: (ModelApplication | undefined)[] = [];
  /** The input given first, if any (`km.input`), which declares the input shape. */
  #input: SymbolicTensor | undefined;

  constructor(args: SequentialArgs = {}) {
    const name = args.name ?? uniqueName('sequential');
    super([], name);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /**
   * Appends a layer, or a model whose layers form a chain (a Sequential one), as Keras'
   * `Sequential([encoder, decoder])` stacks two models. A model's layers are shared with it, so
   * training this one trains it; `layers` lists the model, `allLayers` its layers. A model that
   * already has weights keeps them, and must be compiled again before training.
   */
  add(layer: Layer | LayersModel | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) return this.#declareInput(layer);
    // As in Keras 3, the input declares the shape and is not one of `layers` (tfjs lists it there when given).
    if (layer instanceof InputLayer) return this.#declareInput(layer.output);
    if (!(layer instanceof Layer) && !(layer instanceof LayersModel)) {
      throw tfjsObjectError('Sequential.add received a layer that', layer, 'layer', (className) => `km.layers.${factoryName(className)}({ ... }) with the same options`) ?? new Error(`Sequential.add expects a layer such as km.layers.dense({ units: 10 }); received ${layer === null ? 'null' : typeof layer}.`);
    }
    const chain = layer instanceof LayersModel ? chainedLayers(layer) : [layer];
    chain.forEach((inner) => this.#checkNew(inner));
    const declared = chain[0]?.declaredInputShape;
    if (this.#input && this.graphLayers.length === 0 && declared && !sameShape(declared, this.#input.shape)) {
      throw new Error(`Layer '${chain[0].name}' declares inputShape ${JSON.stringify(declared)}, but Sequential model '${this.name}' has input '${this.#input.name}' of shape ${JSON.stringify(this.#input.shape)}. Give the shape once: drop the layer's inputShape.`);
    }
    const via = layer instanceof LayersModel ? { model: layer } : undefined;
    const vias = chain.map(() => via);
    // Checked before anything changes, so a layer that does not fit leaves the model as it was.
    const shape = this.inputShape ?? (this.graphLayers.length === 0 ? this.#input?.shape ?? declaredShape(chain, vias) : undefined);
    if (shape) chainGraph([...this.graphLayers, ...chain], shape, [...this.#vias, ...vias], this.#input);
    this.changeLayers(() => {
      this.graphLayers.push(...chain);
      this.#vias.push(...vias);
    });
    // As in Keras, a model whose input shape is known builds each layer as it is added, so
    // `model.layers[i].setWeights(...)` and `countParams()` work before the first fit or predict.
    this.buildIfShapeKnown();
  }

  /**
   * Removes the last layer (or stacked model) and returns it, as Keras' and tfjs' `pop()`: the
   * usual way to take a classifier's head off before adding a new one. The other layers keep their
   * weights; a model that had weights must be compiled again before training.
   *
   * @example
   * ```ts
   * const base = await km.loadLayersModel('file://models/mnist') as km.Sequential;
   * base.pop();
   * base.add(km.layers.dense({ units: 3, activation: 'softmax' }));
   * ```
   */
  pop(): Layer | LayersModel {
    const last = this.layers.at(-1);
    if (!last) throw new Error(`Sequential model '${this.name}' has no layers to pop.`);
    const count = last instanceof Layer ? 1 : this.#vias.length - this.#vias.findIndex((via) => via?.model === last);
    this.changeLayers(() => {
      this.graphLayers.splice(-count);
      this.#vias.splice(-count);
      // The symbolic chain ends at the new last layer.
      this.#symbolic.splice(this.graphLayers.length + 1);
    });
    this.buildIfShapeKnown();
    return last;
  }

  #declareInput(given: SymbolicTensor): void {
    if (given.source.kind !== 'input') throw new Error(`Sequential model '${this.name}' takes layers, and an input from km.input({ shape }) first; '${given.name}' is a layer's output. Add the layer itself.`);
    if (this.graphLayers.length > 0 || this.#input) throw new Error(`Sequential model '${this.name}' takes its input (km.input or km.layers.inputLayer) first and once; it already has ${this.#input ? `input '${this.#input.name}'` : 'layers'}.`);
    this.#input = given;
  }

  #checkNew(layer: Layer): void {
    if (layer instanceof StringLayer) throw layer.graphError();
    if (this.graphLayers.includes(layer) || this.graphLayers.some((l) => l.name === layer.name)) {
      throw new Error(`Model '${this.name}' already has a layer named '${layer.name}'; layer names must be unique.`);
    }
  }

  /** What `add` received: each layer, and each stacked model once in place of its layers. */
  override get layers(): readonly (Layer | LayersModel)[] {
    return [...new Set(this.graphLayers.map((layer, i) => this.#vias[i]?.model ?? layer))];
  }

  /**
   * Every layer, each stacked model's in full: also those of a model nested in it whose outputs
   * the stack does not use, which keep their weights, as in Keras and tfjs (see
   * {@link LayersModel.computedLayers}).
   */
  override get allLayers(): readonly Layer[] {
    return [...new Set(this.layers.flatMap((entry) => (entry instanceof LayersModel ? entry.allLayers : [entry])))];
  }

  override get className(): string {
    return 'Sequential';
  }

  /**
   * Applies the model as a layer, as {@link LayersModel.apply} does. A Sequential model has one
   * output, so on a symbolic tensor this gives one `SymbolicTensor`, and on data one tensor.
   *
   * @example
   * ```ts
   * const encoder = km.sequential({ layers: [km.layers.dense({ units: 16, inputShape: [32] })] });
   * const code = encoder.apply(km.input({ shape: [32] })); // km.SymbolicTensor
   * ```
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): SymbolicTensor;
  override apply(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): Tensor<'float32'>;
  // A model's generic overloads (named outputs), which a Sequential model never has; kept so it stays a LayersModel.
  override apply<T extends Record<string, SymbolicTensor>>(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): T;
  override apply<T extends Record<string, Tensor>>(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): T;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: ModelApplyArgs): SymbolicTensor | Tensor<'float32'> {
    return super.apply(inputs as SymbolicTensor, options) as SymbolicTensor | Tensor<'float32'>;
  }

  /** Chains the layers on the input, which works before the input shape is known, as for a Keras Sequential block. */
  protected override applySymbolic(inputs: readonly SymbolicTensor[], options: CallOptions): SymbolicTensor[] {
    if (inputs.length !== 1) throw new Error(`Sequential model '${this.name}' takes one input, but apply received ${inputs.length}.`);
    if (this.graphLayers.length === 0) throw new Error(`Sequential model '${this.name}' has no layers to apply. Add some first.`);
    return [this.graphLayers.reduce((x, layer) => onlyOutput(applyLayer(layer, [x], options), layer), inputs[0])];
  }

  protected override buildGraph(sample: InputSample | null): Graph | null {
    if (this.graphLayers.length === 0) return null;
    const shape = this.#input?.shape ?? declaredShape(this.graphLayers, this.#vias) ?? sample?.shapes[0];
    if (!shape) return null;
    const graph = chainGraph(this.graphLayers, shape, this.#vias, this.#input);
    this.#traceSymbolic(graph);
    return graph;
  }

  protected override symbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null {
    const symbolic = this.#symbolic;
    return symbolic.length > 1 ? { inputs: [symbolic[0]], outputs: [symbolic[symbolic.length - 1]] } : null;
  }

  /** Extends the symbolic chain over layers added since it was last traced; each layer records the call. */
  #traceSymbolic(graph: Graph): void {
    const symbolic = this.#symbolic;
    const first = this.graphLayers[0];
    if (symbolic.length === 0) symbolic.push(this.#input ?? input({ shape: graph.shownInputShape(0), name: `${first.name}_input`, dtype: first.declaredInputDType ?? 'float32' }));
    // A stacked model's layers record their calls as made through it, so that they keep their own `output`.
    for (let i = symbolic.length - 1; i < graph.nodes.length; i++) {
      const { layer, outputShape, via, unknownAxes } = graph.nodes[i];
      symbolic.push(...layerOutputs(layer, [symbolic[i]], [outputShape], via ? { via } : {}, unknownAxes));
    }
  }
}

/**
 * Makes a {@link Sequential} model from a list of layers (or `{ layers, name }`).
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.flatten({ inputShape: [28, 28] }),
 *   km.layers.dense({ units: 64, activation: 'relu' }),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export function sequential(layersOrArgs: (Layer | LayersModel | SymbolicTensor)[] | SequentialArgs = {}): Sequential {
  // Keras' Sequential(layers, name=...) would lose its second argument silently.
  if (arguments.length > 1) {
    throw new Error(`km.sequential takes one argument: a list of layers, or { layers, name } as tfjs' does. Received ${arguments.length} arguments; for a name, write km.sequential({ layers: [...], name: 'classifier' }).`);
  }
  if (!Array.isArray(layersOrArgs)) checkOptions(layersOrArgs, optionNames<SequentialArgs>({ layers: true, name: true }), 'km.sequential');
  return new Sequential(Array.isArray(layersOrArgs) ? { layers: layersOrArgs } : layersOrArgs);
}

/** The input shape a stack declares: its first layer's, or that of the model it stacked first (a functional model's layers declare none). */
function declaredShape(layers: readonly Layer[], vias: readonly (ModelApplication | undefined)[]): SampleShape | undefined {
  return layers[0]?.declaredInputShape ?? vias[0]?.model.inputShape;
}

/**
 * The chain of `layers` on an input of `shape` (null: a dimension of unknown size, traced at the
 * probe size), named as the model's symbolic input is: `given`'s name, else its first layer's with `_input`.
 */
function chainGraph(layers: readonly Layer[], shape: SampleShape, vias: readonly (ModelApplication | undefined)[], given: SymbolicTensor | undefined): Graph {
  const probed = probedShape(shape);
  return Graph.chain(layers, probed.shape, vias, probed.unknownAxes, given?.name ?? `${layers[0].name}_input`);
}

/** A model's layers when each feeds only the next (any Sequential, or a functional chain); refuses a graph that branches. */
function chainedLayers(model: LayersModel): readonly Layer[] {
  if (model instanceof Sequential) return model.computedLayers;
  const [inputs, outputs] = [model.inputs, model.outputs];
  const chain: Layer[] = [];
  let t = outputs.length === 1 ? outputs[0] : null;
  while (t && t.source.kind === 'layer' && t.source.inbound.length === 1 && t.source.call.outputs.length === 1) {
    const { call } = t.source;
    // A Sequential model's calls all run in the pass's mode.
    if (call.training !== undefined) {
      throw new Error(`Model '${model.name}' cannot be added to a Sequential model: its layer '${call.layer.name}' was applied with { training: ${call.training} }, which a Sequential model cannot keep. Apply it in a functional model instead: km.model({ inputs, outputs: ${model.name}.apply(x) }).`);
    }
    chain.unshift(call.layer);
    t = t.source.inbound[0];
  }
  if (inputs.length !== 1 || t !== inputs[0]) {
    throw new Error(`Model '${model.name}' cannot be added to a Sequential model: its layers do not form a single chain from one input to one output. Apply it in a functional model instead: km.model({ inputs, outputs: ${model.name}.apply(x) }).`);
  }
  return chain;
}

function onlyOutput(output: SymbolicTensor | SymbolicTensor[], layer: Layer): SymbolicTensor {
  if (Array.isArray(output)) throw new Error(`Layer '${layer.name}' has ${output.length} outputs, so it cannot sit in a Sequential model.`);
  return output;
}
