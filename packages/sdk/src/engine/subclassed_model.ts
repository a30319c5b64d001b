import { InputLayer } from '../layers/input_layer.js';
import type { Layer } from '../layers/layer.js';
import type { SampleShape } from './unknown_dims.js';
import { uniqueLayerName } from '../layers/layer_names.js';
import { describeValue } from '../ops/operand.js';
import { Tensor } from '../tensor.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { isPlainObject } from '../utils/plain_object.js';
import { computedIn, listedLayers, traceGraph } from './functional.js';
import type { Graph } from './graph.js';
import { entryLayers, graphEntries } from './graph_entries.js';
import { checkSavedBranches, traceModes, type ModeTraces } from './call_modes.js';
import type { IOHandler, SaveResult } from '../io/types.js';
import type { SaveConfig, SaveWeightsConfig } from '../io/save_model.js';
import type { InputSample } from './input_sample.js';
import { LayersModel, type ModelCompileArgs, type ModelOutputs } from './model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { tracesCall } from './model_subclassing.js';
import { input, SymbolicTensor, type CallOptions } from './symbolic.js';

/** Options of a {@link Model} subclass' `super(...)`. */
export interface ModelArgs {
  /** The model's name; default: the class name in snake case, numbered (`mlp`, `mlp_1`), as Keras names it. */
  name?: string;
}

/** What `call` receives besides its inputs. */
export interface ModelCallArgs {
  /**
   * The mode `call` is traced for, as Keras 3 passes it: true for the graph `fit`'s training steps
   * run (and `trainOnBatch`, and `this.apply(x, { training: true })` in a trainStep), false for the
   * graph every other pass runs (`predict`, `evaluate`, validation, `apply(x)`), which `save`,
   * `summary` and `layers` show. `call` is also traced with it undefined: where that graph runs as
   * the other two in their modes (`call` does not branch on it, and the layers given it, as
   * `this.dropout.apply(x, { training })`, follow each pass' mode), the model keeps that one graph,
   * as most do. A branch on it (`if (training) x = this.augment.apply(x)`, an auxiliary head) keeps
   * a training graph beside the inference one, over the same layers and weights.
   *
   * @example
   * ```ts
   * class Noisy extends km.Model {
   *   readonly noise = km.layers.gaussianNoise({ stddev: 0.1 });
   *   readonly dense = km.layers.dense({ units: 1 });
   *   call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
   *     if (training) x = this.noise.apply(x); // in fit's training steps only
   *     return this.dense.apply(x);
   *   }
   * }
   * ```
   */
  readonly training?: boolean;
}

/** What `call` takes: one symbolic input, a list of them, or an object keyed by input name, in the form of the model's data. */
export type ModelCallInputs = SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;

/**
 * Keras' model subclassing: a class that extends `km.Model` holds its layers as fields and
 * connects them in `call(inputs)`. kerasm calls `call` on symbolic inputs of the form, shapes and
 * dtypes of the first data given to `fit`, `evaluate`, `predict` or `apply` (or of `build`'s
 * shapes), once per mode (see {@link ModelCallArgs.training}), and traces the layer calls it makes
 * into a graph, as `km.model` does. From then on the model is that graph (a second one for fit's
 * training steps where `call` branches on `training`): it trains on the backend with each layer's
 * own backward pass, and `summary`, `getWeights`, `layers` and `save` see its layers in the order
 * `call` applies them. A saved subclass is its traced (inference) functional model:
 * `km.loadLayersModel` (and tfjs) load it as a functional model, with no need for the class.
 *
 * `call` computes with layers (`layer.apply`), including the merge layers (`km.layers.add()`,
 * `concatenate`) and `km.layers.lambda` for km ops. As in Keras, the data's form is `call`'s: one
 * tensor, a list, or an object keyed by input name (the names the traced inputs take).
 *
 * @example
 * ```ts
 * class MLP extends km.Model<km.Tensor<'float32'>> {
 *   readonly hidden = km.layers.dense({ units: 64, activation: 'relu' });
 *   readonly dropout = km.layers.dropout({ rate: 0.2 });
 *   readonly classes = km.layers.dense({ units: 10, activation: 'softmax' });
 *   call(x: km.SymbolicTensor): km.SymbolicTensor {
 *     return this.classes.apply(this.dropout.apply(this.hidden.apply(x)));
 *   }
 * }
 * const model = new MLP();
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 * await model.fit(images, labels, { epochs: 5 }); // traced for [784] inputs by the first batch
 * ```
 */
export abstract class Model<Out extends ModelOutputs = ModelOutputs> extends LayersModel<Out> {
  #traced: ModeTraces | null = null;

  constructor(args: ModelArgs = {}) {
    if (isPlainObject(args) && ('inputs' in args || 'outputs' in args)) {
      throw new Error(
        `${new.target.name} extends km.Model, whose call(inputs) connects its layers, so it takes no inputs and outputs. For Keras' CustomModel(inputs, outputs), ` +
          `a model of inputs and outputs with its own trainStep, extend km.Functional: class ${new.target.name} extends km.Functional { trainStep(data) { ... } }, then new ${new.target.name}({ inputs, outputs }).`,
      );
    }
    checkOptions(args, optionNames<ModelArgs>({ name: true }), `${new.target.name} (a km.Model)`);
    super([], args.name ?? uniqueLayerName(new.target.name));
    if (typeof (this as { call?: unknown }).call !== 'function') {
      throw new Error(`${new.target.name} extends km.Model but defines no call(inputs), which connects its layers: call(x) { return this.dense.apply(x); }.`);
    }
  }

  /**
   * Connects the model's layers: given symbolic inputs in the form of the model's data, returns
   * the outputs of the layers applied to them (one symbolic tensor, a list, or an object keyed by
   * output name). Runs when the model is built, once per mode (see {@link ModelCallArgs.training}).
   */
  abstract call(inputs: ModelCallInputs, args: ModelCallArgs): SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;

  /** As {@link LayersModel.compile}; a model that defines {@link LayersModel.trainStep} may give the optimizer alone. */
  override compile(args: ModelCompileArgs | { readonly optimizer: string | Optimizer }): void {
    super.compile(args as ModelCompileArgs);
  }

  /** The subclass' name (`'MLP'`), as Keras' `model.__class__.__name__`; saved, the model is functional. */
  override get className(): string {
    return this.constructor.name;
  }

  /**
   * The layers in the order `call` applies them, a model applied in it as one entry; then those its
   * call applies only when training (see {@link ModelCallArgs.training}). Empty until the model is built.
   */
  override get layers(): readonly (Layer | LayersModel)[] {
    const traced = this.#traced;
    if (!traced) return [];
    const listed = listedLayers(traced.inference.graph, traced.inference.ends.inputs).filter((entry) => !(entry instanceof InputLayer));
    const trainingOnly = traced.training ? graphEntries(traced.training.graph).map(({ entry }) => entry).filter((entry) => !listed.includes(entry)) : [];
    return [...listed, ...trainingOnly];
  }

  /** The layers training computes with: the training graph's, where call branches on `training`. */
  override get computedLayers(): readonly Layer[] {
    const traced = this.#traced;
    return traced ? computedIn((traced.training ?? traced.inference).graph, this.allLayers) : [];
  }

  /** The traced graph (the inference one, where call branches on `training`), as a functional model's `graph`; throws until the model is built. */
  get graph(): Graph {
    if (!this.built) throw new Error(`Model '${this.name}' (${this.className}) is not built yet, so call() has not been traced: ${this.buildFix()}/predict first.`);
    return this.#traced!.inference.graph;
  }

  protected override trainingGraph(): Graph | null {
    return this.#traced?.training?.graph ?? null;
  }

  protected override symbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null {
    return this.#traced?.inference.ends ?? null;
  }

  /**
   * Applied to symbolic tensors before it is built, the model is built for their shapes first, as
   * Keras builds a subclass at its first call. Its calls are made again on them from the trace of
   * the mode given, or else of the mode the km.Model whose call applies it is traced for: the
   * training trace for true, where call branches on `training`.
   */
  protected override applySymbolic(inputs: readonly SymbolicTensor[], options: CallOptions): SymbolicTensor[] {
    this.buildGraph({ shapes: inputs.map((t) => t.shape), dtypes: inputs.map((t) => t.dtype), names: null, list: inputs.length > 1 });
    return super.applySymbolic(inputs, options);
  }

  override trainingSymbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null {
    return this.#traced?.training?.ends ?? null;
  }

  /** As {@link LayersModel.save}; where call branches on `training`, the inference graph is saved, and a layer with weights applied only in training is refused. */
  override async save(destination: string | IOHandler, config?: SaveConfig): Promise<SaveResult> {
    if (this.#traced) checkSavedBranches(this, this.#traced.inference.graph, this.#traced.training?.graph ?? null, 'save');
    return super.save(destination, config);
  }

  /** As {@link LayersModel.saveWeights}, with {@link save}'s check of a call that branches on `training`. */
  override async saveWeights(destination: string | IOHandler, config?: SaveWeightsConfig): Promise<SaveResult> {
    if (this.#traced) checkSavedBranches(this, this.#traced.inference.graph, this.#traced.training?.graph ?? null, 'saveWeights');
    return super.saveWeights(destination, config);
  }

  protected override buildFix(): string {
    return 'call model.build([null, ...inputShape]) to trace call() for that shape, or call fit';
  }

  // Any number of inputs: call takes the form build gives it.
  protected override checkBuildable(_samples: readonly SampleShape[]): void {}

  protected override buildGraph(sample: InputSample | null): Graph | null {
    if (this.#traced) return this.#traced.inference.graph;
    if (!sample) return null;
    const inputs = sample.shapes.map((shape, k) => {
      const name = sample.names?.[k] ?? (sample.shapes.length === 1 ? `${this.name}_input` : `${this.name}_input_${k + 1}`);
      return input({ shape: [...shape], dtype: sample.dtypes[k], name });
    });
    const given = sample.names ? Object.fromEntries(sample.names.map((key, k) => [key, inputs[k]])) : sample.list ? inputs : inputs[0];
    const traced = traceModes(this, (training) => {
      const outputs = callOutputs(this, this.call(given, training === undefined ? {} : { training }));
      return { graph: traceGraph(inputs, outputs.tensors, outputs.keys), ends: { inputs, outputs: outputs.tensors } };
    });
    const layers = [traced.inference, ...(traced.training ? [traced.training] : [])].flatMap(({ graph }) => entryLayers(graph));
    this.graphLayers.push(...new Set(layers));
    this.#traced = traced;
    return traced.inference.graph;
  }
}
tracesCall(Model);

/** What `call` returned, as the functional API takes outputs: the tensors, and the keys of named ones. */
function callOutputs(model: Model, value: unknown): { tensors: SymbolicTensor[]; keys: string[] | null } {
  if (value instanceof SymbolicTensor) return { tensors: [value], keys: null };
  if (Array.isArray(value) && value.length > 0 && value.every((t) => t instanceof SymbolicTensor)) return { tensors: value, keys: null };
  if (isPlainObject(value) && Object.keys(value).length > 0 && Object.values(value).every((t) => t instanceof SymbolicTensor)) {
    return { tensors: Object.values(value) as SymbolicTensor[], keys: Object.keys(value) };
  }
  const data = value instanceof Tensor || (Array.isArray(value) && value.some((t) => t instanceof Tensor));
  const hint = data
    ? ' It returned data: call receives symbolic inputs, which only layers compute on; apply layers to them (km.layers.lambda((x) => ...) wraps km ops).'
    : value instanceof Promise
      ? ' call must not be async: it only connects layers.'
      : '';
  throw new Error(
    `${model.className}.call must return the outputs of the layers it applies: a symbolic tensor, a non-empty list of them, or an object of them keyed by output name. ` +
      `Received: ${Array.isArray(value) ? `a list of ${value.length}` : describeValue(value)}.${hint}`,
  );
}
