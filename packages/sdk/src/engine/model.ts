import type { Backend } from '../backend/backend.js';
import { backend as activeBackend, ready } from '../backend/registry.js';
import type { History } from '../callbacks/history.js';
import type { Layer, WeightSpec } from '../layers/layer.js';
import type { SampleShape } from './unknown_dims.js';
import { layerWeights, type LayerWeight } from '../layers/layer_weight.js';
import { layerLosses, weightPenaltyLosses } from './layer_losses.js';
import type { LossName } from '../losses/losses.js';
import type { Optimizer } from '../optimizers/index.js';
import { Tensor } from '../tensor.js';
import { executeNamed } from './execute.js';
import type { Graph } from './graph.js';
import type { BatchPlan } from './plan.js';
import { summaryLines, type SummaryOptions } from './summary.js';
import { evaluate, fit } from './training.js';
import { predict } from './predict.js';
import { tapedApply } from './taped_apply.js';
import { checkNotInCall } from '../layers/running_calls.js';
import { taping } from '../ops/tape.js';
import { declaredInputDTypes } from './model_input_values.js';
import type { EvaluateResult, ModelEvaluateArgs, ModelFitArgs, ModelPredictArgs } from './training_args.js';
import { firstInput } from './validate_data.js';
import { declaredInputSample, inputSampleOf, type InputSample } from './input_sample.js';
import { trainingFlag } from './concrete_apply.js';
import { maskedGraph, maskedSymbolicInputs, modelInputMasks, predictWithMasks, type InputMasks, type ModelApplyArgs } from './model_input_masks.js';
import { findLayer } from './find_layer.js';
import { replayGraph } from './replay.js';
import { tracingMode } from './traced_mode.js';
import { TrainableWarnings } from './trainable_warnings.js';
import { SymbolicTensor, type CallOptions, type ModelApplication } from './symbolic.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { modelOutputs, outputNames, outputsOver, type LossSpec, type LossWeightsSpec, type MetricsSpec, type OutputSpec, type TensorsSpec } from './outputs.js';
import { Dataset } from '../data/dataset.js';
import type { ModelEvaluateDatasetArgs, ModelFitDatasetArgs } from './fit_dataset.js';
import { testOnBatch, trainOnBatch, type OnBatchResult, type TestOnBatchArgs, type TrainOnBatchArgs } from './on_batch.js';
import type { IOHandler, SaveResult } from '../io/types.js';
import { loadWeightsInto, type LoadWeightsOptions } from '../io/load_weights.js';
import { modelTopologyOf } from '../io/model_topology.js';
import { savedModelClassName } from '../io/layers_model_format.js';
import { checkedUserMetadata } from '../io/user_metadata.js';
import { saveModel, saveModelWeights, type SaveConfig, type SaveWeightsConfig } from '../io/save_model.js';
import { warnFreshOptimizerOnce } from '../io/fresh_optimizer.js';
import { ownStepsOf, stepsClassName, type StepLogs, type TrainingSteps } from './own_steps_of.js';
import type { StepData } from './step_data.js';
import { compiledLossOf } from './compute_loss.js';
import { compiledMetricsOf } from './compute_metrics.js';
import { runningFor } from './running_metrics.js';
import { add } from '../ops/arithmetic.js';
import { resetStatefulLayers } from './stateful.js';
import type { ModelCompileArgs } from './compile_args.js';
import { checkModelClass } from './model_subclassing.js';
import { buildSamples, checkBuildable, checkBuiltFor } from './model_build.js';
import { compiledOf, ModelCompilation } from './model_compilation.js';
import { ModelGraph } from './model_graph.js';
import { ModelLifetime } from './model_lifetime.js';
import { ModelRuntime, type Runtime } from './model_runtime.js';
import { trainingTargetOf, type TrainingTarget } from './training_target.js';
import type { AppliedOutputs, AppliedSymbolicOutputs, PredictResult, PredictReturn } from './output_types.js';

/** The loops that run a model's own trainStep and testStep, loaded by the models that define them (most apps' bundles leave them out). */
const ownStepLoops = () => import('./own_steps.js');

/** The loops that train and evaluate on a km.data dataset's batches, loaded by the first call given one. */
const datasetLoops = async () => ({ ...(await import('./fit_dataset.js')), ...(await import('./dataset_trainer.js')) });

export type { ModelCompileArgs } from './compile_args.js';

/** Inputs of `fit`, `evaluate` and `predict`: one tensor, a list in input order, or an object keyed by input name. */
export type ModelInputs = TensorsSpec;
/** Targets of `fit` and `evaluate`: one tensor, a list in output order, or an object keyed by output name (`model.outputNames`). */
export type ModelTargets = TensorsSpec;
/** What `predict` returns: one tensor, a list in output order, or for a model whose outputs are named (`km.model({ outputs: { ... } })`) an object keyed by those names. */
export type ModelOutputs = Tensor | Tensor[] | Record<string, Tensor>;

/**
 * A model: layers connected as a graph, trained with `compile` then `fit`. {@link Sequential} is
 * the common case.
 *
 * `Out` is what `predict` returns, as the factories type it from the outputs: `km.Tensor<'float32'>`
 * for `km.sequential` and a one-output `km.model`, a tuple for `outputs: [a, b]`, an object with the
 * same keys for named outputs. The default, {@link ModelOutputs}, is a model whose outputs are not
 * known to the compiler (`km.loadLayersModel`'s): its `predict` is typed a tensor unless told otherwise.
 *
 * @example
 * ```ts
 * const twoHeads = km.model({ inputs: x, outputs: [classes, value] }); // km.Functional<[km.Tensor<'float32'>, km.Tensor<'float32'>]>
 * const [probabilities, estimate] = twoHeads.predict(images);          // no cast
 * ```
 */
export abstract class LayersModel<Out extends ModelOutputs = ModelOutputs> {
  /** The model's name: the `name` option, else `'sequential_1'`, `'model_1'`, ...; a model nested in another is found by it. */
  readonly name: string;
  /** Set to true from a callback to stop `fit` after the current batch. */
  stopTraining = false;
  /**
   * Set to true from a callback's `onTestBatchEnd` to stop `evaluate` (or `fit`'s validation pass)
   * after the current batch, as Keras 3's `model.stop_evaluating`: the result is the loss and
   * metrics over the batches evaluated so far, and `onTestEnd` still runs with them. Each `evaluate`
   * and each validation pass sets it back to false before `onTestBegin`; it does not stop `fit`.
   *
   * @example
   * ```ts
   * // Evaluates only the first 10 batches.
   * const [loss] = await model.evaluate(x, y, {
   *   callbacks: { onTestBatchEnd: (batch: number) => { if (batch === 9) model.stopEvaluating = true; } },
   * });
   * ```
   */
  stopEvaluating = false;
  /**
   * Set to true from a callback's `onPredictBatchEnd` to stop `predict` after the current batch, as
   * Keras 3's `model.stop_predicting`: `predict` returns the outputs of the batches run so far (fewer
   * rows than `x`), and `onPredictEnd` still runs. Each `predict` sets it back to false before
   * `onPredictBegin`. With `verbose`, its line shows the full step count, as Keras 3's progress bar
   * (and a stopped `evaluate`'s) does.
   *
   * @example
   * ```ts
   * // Predicts for at most 50 ms: the rows of the batches that ran by then.
   * const deadline = performance.now() + 50;
   * const probabilities = model.predict(x, {
   *   batchSize: 64,
   *   callbacks: { onPredictBatchEnd: () => { if (performance.now() > deadline) model.stopPredicting = true; } },
   * });
   * console.log(probabilities.shape[0]); // a multiple of 64, or all of x's rows
   * ```
   */
  stopPredicting = false;
  protected graphLayers: Layer[];
  // Each part of the model's state is kept by its own module, which the methods below delegate to.
  readonly #compilation = new ModelCompilation(this);
  readonly #graph = new ModelGraph((sample) => this.buildGraph(sample), (graph) => this.#compilation.resolve(graph), () => this.trainingGraph());
  readonly #runtime = new ModelRuntime(this);
  readonly #lifetime = new ModelLifetime(this);
  readonly #trainableWarnings = new TrainableWarnings();
  #userMetadata: Record<string, unknown> | undefined;

  constructor(layers: Layer[], name: string) {
    checkModelClass(new.target, this);
    this.graphLayers = layers;
    this.name = name;
  }

  /**
   * The layers in order, as Keras and tfjs list them: a model applied inside this one (a pretrained
   * base) is one entry, the model itself, so `model.getLayer('base').trainable = false` freezes all
   * of it. A functional model lists an InputLayer per input too, where Keras and tfjs do (usually
   * first). {@link allLayers} lists every layer that computes, nested models' included.
   */
  get layers(): readonly (Layer | LayersModel)[] {
    return this.graphLayers;
  }

  /**
   * Every layer the model computes with, once each, in order, the layers of models nested inside it
   * included (what `getWeights` and saving walk).
   *
   * @example
   * ```ts
   * for (const layer of model.allLayers) if (layer instanceof km.layers.BatchNormalization) layer.trainable = false;
   * ```
   */
  get allLayers(): readonly Layer[] {
    return this.graphLayers;
  }

  /**
   * @internal The layers a pass computes with, once each, in {@link allLayers}' order: all of them
   * but the layers of a model nested in this one whose outputs this model does not read (an unused
   * output head). Those keep their weights, which are saved and counted, but get no gradient, so
   * the optimizer keeps no state for them and leaves them untouched, as Keras skips a variable
   * whose gradient is None.
   */
  get computedLayers(): readonly Layer[] {
    const computed = new Set(this.graphLayers);
    return this.allLayers.filter((layer) => computed.has(layer));
  }

  /** The model's class name, as Keras gives it: 'Sequential' or 'Functional'. */
  abstract get className(): string;

  /**
   * The class name tfjs' `model.getClassName()` gives, which a saved model.json records:
   * 'Sequential', or tfjs' 'Model' for a functional model (whose {@link className} is Keras 3's
   * 'Functional').
   */
  getClassName(): string {
    return savedModelClassName(this);
  }

  /**
   * The model's configuration as Keras' `get_config()` and tfjs' `getConfig()` give it: the
   * `config` part of its topology (name, layers, and for a functional model its inputs and outputs).
   */
  getConfig(): Record<string, unknown> {
    return modelTopologyOf(this).config as Record<string, unknown>;
  }

  /** Whether the model is built: its input shape is known, so its layers have their weights. */
  get built(): boolean {
    return this.#graph.tryBuild() !== null;
  }

  /**
   * Builds the model for inputs of `inputShape`, the batch dimension first as Keras and tfjs write
   * it (`[null, 28, 28]`; a list of them for several inputs), so that a model whose first layer
   * declares no input shape has its weights before the first `fit` (for `summary`, `getWeights`,
   * `setWeights`, `save`). A model built already only checks that the shape is its own.
   *
   * @example
   * ```ts
   * const model = km.sequential([km.layers.dense({ units: 10, activation: 'softmax' })]);
   * model.build([null, 784]);
   * model.summary(); // 7,850 params
   * ```
   */
  build(inputShape: readonly (number | null)[] | readonly (readonly (number | null)[])[]): void {
    this.#lifetime.checkNotDisposed();
    const samples = buildSamples(inputShape, `Model '${this.name}'.build`);
    const graph = this.#graph.tryBuild();
    if (graph) return checkBuiltFor(this.name, graph, samples);
    this.checkBuildable(samples);
    this.#graph.ensure(declaredInputSample(samples));
  }

  /** The model's weights, trainable ones first, in `getWeights()` order (Keras' `model.weights`, tfjs' `model.weights`). */
  get weights(): LayerWeight[] {
    return layerWeights(this.allLayers);
  }

  /** The weights training updates (Keras' `trainable_weights`, tfjs' `trainableWeights`). */
  get trainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** The weights training leaves alone (Keras' `non_trainable_weights`): moving statistics, frozen layers' weights. */
  get nonTrainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /**
   * Keras' `model.losses`: every layer's loss terms (nested models' layers included) as float32
   * scalar tensors on the host, as {@link Layer.losses} gives them: first the terms the last
   * training or evaluation batch added (activity penalties, `ctx.addLoss`), layer by layer, then
   * each regularized trainable weight's penalty from the current weights, layer by layer in weight
   * order. Their sum is what `fit` and `evaluate` add to a batch's data loss, so the layers of a
   * nested model's output head this model leaves unused, which training leaves out, are left out
   * here too. Empty before the model is built. (tfjs' equivalent is `model.calculateLosses()`.)
   *
   * @example
   * ```ts
   * const penalty = model.losses.reduce((sum, t) => sum + t.dataSync()[0], 0);
   * ```
   */
  get losses(): Tensor<'float32'>[] {
    this.#lifetime.checkNotDisposed();
    return layerLosses(this.computedLayers);
  }

  /** Every layer's weight specs (name, shape, trainable), layer by layer, nested models' layers included. */
  get weightSpecs(): readonly WeightSpec[] {
    return this.allLayers.flatMap((layer) => layer.weightSpecs);
  }

  /**
   * The model's symbolic inputs, as in TensorFlow.js: with a layer's `output`, they make a new model
   * over this one's layers (sharing their weights), such as a feature extractor for transfer learning.
   *
   * @example
   * ```ts
   * const features = km.model({ inputs: trained.inputs, outputs: trained.getLayer('hidden').output });
   * ```
   */
  get inputs(): SymbolicTensor[] {
    return [...this.#ends().inputs];
  }

  /**
   * The model's symbolic outputs, a list in output order (see {@link inputs}), as in tfjs and Keras 3;
   * for named outputs in the order of their keys (`model.outputNames`), where Keras 3 sorts the keys.
   */
  get outputs(): SymbolicTensor[] {
    return [...this.#ends().outputs];
  }

  /** The symbolic input, or the list of them for a model with several (tfjs' and Keras' `model.input`). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const inputs = this.inputs;
    return inputs.length === 1 ? inputs[0] : inputs;
  }

  /**
   * The symbolic output of a model with one (as `layer.output`); a model with several refuses, naming
   * `outputs`. So does a model with named outputs, even one: Keras 3's `model.output` is then the dict,
   * which the error shows how to build, where a bare tensor would leave `model.output.digit` undefined.
   */
  get output(): SymbolicTensor {
    const outputs = this.outputs;
    const keys = this.#graph.current?.outputKeys;
    if (keys) {
      const names = keys.map((key) => `'${key}'`).join(', ');
      throw new Error(`Model '${this.name}' has named outputs [${names}], so it has no single output (Keras 3's model.output is then the dict). Read them from model.outputs, in model.outputNames order: Object.fromEntries(model.outputNames.map((name, k) => [name, model.outputs[k]])).`);
    }
    if (outputs.length !== 1) throw new Error(`Model '${this.name}' has ${outputs.length} outputs; read them from model.outputs.`);
    return outputs[0];
  }

  /**
   * Uses the model as a layer, as tfjs' `model.apply` and Keras' `model(x)` do. On symbolic tensors
   * it makes each of its layer calls again on them and returns the new outputs (a list for a model
   * with several; for named outputs an object keyed by their names, as Keras 3 returns its dict), so
   * a larger model built on them holds this model's layers: they share their weights, and training
   * either model trains both. `{ training: false }` runs those calls in
   * inference mode in every pass, as Keras' `base(x, training=False)` does: a BatchNormalization
   * keeps normalizing with its moving statistics when the base is unfrozen to fine-tune it. A call
   * inside the model that fixed its own mode keeps it. On `km.Tensor` data it computes now, the
   * whole input as one batch, as `predict` does, or with `{ training: true }` as `fit` does
   * (Dropout drops, BatchNormalization uses and moves towards the batch statistics), as tfjs does;
   * it returns the same form. The types follow the outputs as for {@link predict}: a model whose
   * outputs the compiler does not know takes the form as a type, `apply<Record<string, km.Tensor>>(x)`.
   * `{ mask }` gives the inputs their masks (Keras' `model(x, mask=m)`), as if a Masking layer had
   * made them: see {@link ModelApplyArgs.mask}. Inside a gradient call (`optimizer.minimize`,
   * `km.variableGrads`, `km.grad`) the pass on data is differentiated: its weights and an input
   * computed from what the call differentiates get gradients, as tfjs' custom training loops need.
   *
   * @example
   * ```ts
   * const image = km.input({ shape: [28, 28, 1] });
   * base.trainable = false;                                  // base: a trained feature extractor
   * const features = base.apply(image, { training: false }); // BatchNormalization stays in inference mode
   * const head = km.layers.dense({ units: 10, activation: 'softmax' }).apply(features);
   * const classifier = km.model({ inputs: image, outputs: head });
   *
   * // A model with named outputs gives an object: pick the heads by name.
   * const heads = twoHeads.apply(image); // twoHeads = km.model({ inputs, outputs: { digit, parity } })
   * const digitOnly = km.model({ inputs: image, outputs: heads.digit });
   *
   * // A sequence encoder given the padding of its input: 1 keeps a step, 0 masks it.
   * const [tokens, keep] = [km.input({ shape: [20, 8] }), km.input({ shape: [20] })];
   * const encoded = encoder.apply(tokens, { mask: keep }); // encoder: km.sequential([km.layers.lstm(...), ...])
   * ```
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): AppliedSymbolicOutputs<Out>;
  apply(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): AppliedOutputs<Out>;
  // The two above are a Layer's too, so `model.layers[i].apply(x)` type-checks on either; generic ones must follow them.
  /** `apply` on symbolic tensors for a model with named outputs: an object keyed by their names. */
  apply<T extends Record<string, SymbolicTensor>>(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ModelApplyArgs): T;
  /** `apply` on data for a model with named outputs: an object keyed by their names. */
  apply<T extends Record<string, Tensor>>(inputs: Tensor | readonly Tensor[], options?: ModelApplyArgs): T;
  apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options: ModelApplyArgs = {}): ModelOutputs | SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor> {
    checkOptions(options, optionNames<ModelApplyArgs>({ training: true, mask: true }), `Model '${this.name}'.apply`);
    const training = trainingFlag(options.training, `Model '${this.name}'.apply`);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.some((x) => x instanceof Tensor)) {
      const batchSize = (list.find((x) => x instanceof Tensor) as Tensor).shape[0];
      const masks = this.#inputMasks(list, options.mask);
      if (masks) return modelOutputs(this.#graph.current, predictWithMasks(this.#ensureRuntime(activeBackend()), this.#graph.ensure(inputSampleOf(list), training === true), this.name, list as Tensor[], masks, training));
      const values = this.#predict(inputs as Tensor | Tensor[], { batchSize: Math.max(1, batchSize) }, training);
      return modelOutputs(this.#graph.current, Array.isArray(values) ? values : [values]);
    }
    const other = list.findIndex((x) => !(x instanceof SymbolicTensor));
    if (other >= 0) {
      const x = list[other];
      throw new Error(`Model '${this.name}'.apply expects symbolic tensors (from km.input or a layer's apply) or km.Tensor data, but input ${other} is ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}. Wrap values with km.tensor(values, shape).`);
    }
    const symbolic = list as SymbolicTensor[];
    const masks = this.#inputMasks(symbolic, options.mask);
    const via: ModelApplication = { model: this, ...(training !== undefined ? { training } : {}) };
    const outputs = this.applySymbolic(maskedSymbolicInputs(symbolic, masks, via), { training, via });
    via.ends = { inputs: symbolic, outputs, ...(masks ? { masks } : {}) };
    return modelOutputs(this.#graph.current, outputs);
  }

  /**
   * `apply`'s `mask` read for `inputs` (data builds the model for their shape), checked against the
   * layers that read each masked input, so a layer that takes no mask is named now, as the model's.
   */
  #inputMasks<T extends SymbolicTensor | Tensor>(inputs: readonly T[], mask: unknown): InputMasks<T> {
    if (mask === undefined || mask === null) return null;
    const graph = inputs[0] instanceof Tensor ? this.#graph.ensure(inputSampleOf(inputs)) : this.#graph.tryBuild();
    const masks = modelInputMasks(this.name, graph?.inputNames ?? inputs.map((_, k) => `input ${k}`), inputs, mask);
    if (masks && graph) maskedGraph(graph, masks.map((m) => m !== null), this.name);
    return masks;
  }

  /**
   * `apply` on symbolic tensors: the model's graph made again on them, as one application, its calls
   * in mode `training` where they fix none. In training mode (given, or that of the km.Model whose
   * call is traced) it is the graph training steps run ({@link trainingSymbolicEnds}).
   */
  protected applySymbolic(inputs: readonly SymbolicTensor[], { training, via }: CallOptions): SymbolicTensor[] {
    const ends = this.#ends();
    const trainingEnds = (training ?? tracingMode()) === true ? this.trainingSymbolicEnds() : null;
    return replayGraph(trainingEnds ?? ends, inputs, `Model '${this.name}'.apply`, { training, via: () => via });
  }

  /**
   * @internal The symbolic inputs and outputs training steps run where they are not the model's
   * own: a km.Model whose call branches on `training`, or a model that applies one without fixing
   * its mode. Null: the model's own serve training too.
   */
  trainingSymbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null {
    return null;
  }

  /**
   * Whether `fit` trains the model's layers: true when every layer is trainable. Setting it sets
   * `trainable` on every layer, so `base.trainable = false` freezes a model used inside another.
   * As with a layer's flag, it takes effect at the next training step, compiled or not (Keras and
   * tfjs read it when `compile` runs).
   */
  get trainable(): boolean {
    return this.allLayers.every((layer) => layer.trainable);
  }

  set trainable(value: boolean) {
    for (const layer of this.allLayers) layer.trainable = value;
  }

  /** The symbolic inputs and outputs, or null while the input shape is unknown. */
  protected symbolicEnds(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null {
    return null;
  }

  #ends(): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
    this.#graph.tryBuild();
    const ends = this.symbolicEnds();
    if (!ends) throw new Error(`Model '${this.name}' is not built yet, so it has no symbolic inputs or outputs: ${this.buildFix()}/predict first.`);
    return ends;
  }

  /** @internal Each output's compiled loss, weight and metrics, laid out for the built graph; empty before compile or build. */
  get compiledOutputs(): readonly OutputSpec[] {
    return this.#compilation.outputs;
  }

  /** The optimizer `compile` set (Keras' `model.optimizer`); undefined before `compile`. */
  get optimizer(): Optimizer | undefined {
    return this.#compilation.compiled?.optimizer;
  }

  /** The canonical (camelCase) name of the loss `compile` set (the first output's that has one, with several), or a custom loss' own name; undefined before `compile`. */
  get loss(): LossName | (string & {}) | undefined {
    return this.#compilation.lossName;
  }

  /** Shape of one input sample (no batch dimension), once the model is built. */
  get inputShape(): SampleShape | undefined {
    return this.#graph.tryBuild()?.shownInputShape(0);
  }

  /**
   * Shape of one sample of the output (no batch dimension, where tfjs puts a null), or a list of
   * them in output order for a model with several outputs; undefined until the model is built.
   */
  get outputShape(): SampleShape | SampleShape[] | undefined {
    if (!this.#graph.tryBuild()) return undefined;
    const shapes = this.outputs.map((output) => [...output.shape]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** The loss, loss weights and metrics as `compile` received them (a saved training config writes them back); undefined before `compile`, and for a model compiled without a loss. */
  get compileSpec(): { readonly loss: LossSpec; readonly lossWeights?: LossWeightsSpec; readonly metrics: MetricsSpec; readonly weightedMetrics?: MetricsSpec } | undefined {
    const compiled = this.#compilation.compiled;
    return compiled?.lossSpec ? { loss: compiled.lossSpec, lossWeights: compiled.lossWeights, metrics: compiled.metricsSpec, weightedMetrics: compiled.weightedMetricsSpec } : undefined;
  }

  /**
   * The names data for the model's inputs is keyed by in `fit`, `evaluate` and `predict` (tfjs'
   * `inputNames`), in input order, once the model is built.
   */
  get inputNames(): string[] {
    return [...this.#builtGraph('inputNames').inputNames];
  }

  /**
   * The names targets, losses, loss weights and metrics are keyed by for each output (tfjs'
   * `outputNames`), in output order, once the model is built: each output layer's name, or the keys
   * of outputs given as an object (Keras 3's dict outputs, `km.model({ inputs, outputs: { digit, parity } })`).
   */
  get outputNames(): string[] {
    return outputNames(this.#builtGraph('outputNames'));
  }

  #builtGraph(what: string): Graph {
    const graph = this.#graph.tryBuild();
    if (!graph) throw new Error(`Model '${this.name}' is not built yet, so it has no ${what}: ${this.buildFix()}/predict first.`);
    return graph;
  }

  /**
   * The names of the values `evaluate` returns, in its order, as tfjs' `metricsNames`: `'loss'`,
   * each output's loss on a model with several (`'class_loss'`), then `compile`'s metrics and
   * weighted metrics (`['loss', 'accuracy', 'weighted_accuracy']`), prefixed with the output's
   * name on a multi-output model once it is built. Empty before `compile`.
   *
   * @example
   * ```ts
   * const values = await model.evaluate(x, y);
   * model.metricsNames.forEach((name, i) => console.log(name, values[i]));
   * ```
   */
  get metricsNames(): readonly string[] {
    return this.#compilation.metricsNames;
  }

  /**
   * Saves the model in the TensorFlow.js LayersModel format (`model.json` plus binary weights),
   * which `km.loadLayersModel` and `tf.loadLayersModel` both read. Saving to disk is atomic.
   * Throws, naming both layers, when two weights would be saved under one name (two layers of one
   * name in different nested models): the format could not tell them apart on loading.
   *
   * @param destination A folder path or URL (`file://`, `indexeddb://`, `localstorage://`,
   *   `downloads://`, `http(s)://`), or a handler from `km.io`.
   * @example
   * ```ts
   * await model.save('file://out/mnist', { includeOptimizer: true });
   * const again = await km.loadLayersModel('file://out/mnist/model.json');
   * ```
   */
  async save(destination: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
    return saveModel(this, destination, config);
  }

  /**
   * The model's topology (no weights) as `model.json` holds it, as a JSON string: Keras' `to_json()`
   * and tfjs' `toJSON()`; with tfjs' `returnString` false, the object. `km.models.modelFromJSON`
   * builds a model from either.
   */
  toJSON(unused?: unknown, returnString?: true): string;
  toJSON(unused: unknown, returnString: false): Record<string, unknown>;
  toJSON(_unused?: unknown, returnString = true): string | Record<string, unknown> {
    const topology = modelTopologyOf(this);
    return returnString ? JSON.stringify(topology) : topology;
  }

  /**
   * Saves the weights only (Keras' `save_weights`): the LayersModel format with the topology that
   * names them, but no training config and no optimizer state. `loadWeights` reads them back into a
   * model of the same architecture; `km.loadLayersModel` loads them as an uncompiled model.
   *
   * @param destination As for {@link LayersModel.save}.
   * @param config `quantize`, as for {@link LayersModel.save}.
   * @example
   * ```ts
   * await model.saveWeights('file://out/weights');
   * await twin.loadWeights('file://out/weights/model.json');
   * ```
   */
  async saveWeights(destination: string | IOHandler, config: SaveWeightsConfig = {}): Promise<SaveResult> {
    return saveModelWeights(this, destination, config);
  }

  /**
   * Replaces the weights with those of a saved model (from `save`, `saveWeights`, tfjs or Keras'
   * converter) of the same architecture, as Keras' `load_weights` does. They pair by name when the
   * file names each of this model's weights, else by position, when the file holds as many of the
   * same shapes in the same order (an identical model built in the same program has other layer
   * names). Everything is checked before anything is replaced: on an error the model keeps its
   * weights. Optimizer state in the file is not read; load the model with `km.loadLayersModel` to
   * resume training exactly.
   *
   * With `{ skipMismatch: true }` (Keras' `skip_mismatch`) it loads what fits by name and leaves the
   * rest, such as a new classifier head, warning which weights it left.
   *
   * @param source As for `km.loadLayersModel`.
   * @example
   * ```ts
   * await model.loadWeights('file://pretrained', { skipMismatch: true }); // all but the new head
   * ```
   */
  async loadWeights(source: string | IOHandler, options: LoadWeightsOptions = {}): Promise<void> {
    await ready();
    this.#ensureRuntime(activeBackend());
    await loadWeightsInto(this, source, options);
  }

  /**
   * Keras' `train_step`, defined by a subclass that trains its own way (a GAN, a loss computed
   * from several calls): `fit(x, y)` runs it on each batch, `[x, y]` (or `[x, y, sampleWeight]`)
   * in the form fit was given, in fit's shuffled order (`fit(dataset)` on each `{ xs, ys }` batch),
   * and keeps the rest of fit: epochs, the
   * progress bar, callbacks, validation and History. It computes with km ops, applies the model
   * (`this.apply(x, { training: true })`) inside `km.variableGrads`, and steps the weights with
   * `this.optimizer.applyGradients(grads)`; the tensors it makes are freed when it returns, as in
   * `km.tidy`. It returns the values to log (numbers or one-value tensors); each epoch's logs are
   * their means over the batches, weighted by batch size, as fit's own are (Keras logs the last
   * batch's values and leaves means to metric trackers). A model that defines it may be compiled
   * with an optimizer alone.
   * @example
   * ```ts
   * class Regressor extends km.Model {
   *   readonly dense = km.layers.dense({ units: 1 });
   *   call(x: km.SymbolicTensor): km.SymbolicTensor {
   *     return this.dense.apply(x);
   *   }
   *   override trainStep([x, y]: km.StepData): km.StepLogs {
   *     const { value, grads } = km.variableGrads(() => km.losses.meanSquaredError(y as km.Tensor, this.apply(x as km.Tensor, { training: true })), this.trainableWeights);
   *     this.optimizer!.applyGradients(grads);
   *     return { loss: value };
   *   }
   * }
   * const model = new Regressor();
   * model.compile({ optimizer: 'adam' });
   * await model.fit(xs, ys, { epochs: 10, batchSize: 32 });
   * ```
   */
  trainStep?(data: StepData): StepLogs;

  /**
   * Keras' `test_step`: one batch of `evaluate` and of fit's validation, `[x, y]` as trainStep's,
   * returning the values to log without training (`this.apply(x)`). `evaluate` gives their means
   * over the batches. Without it, a model with a compiled loss validates and evaluates with that
   * loss and its metrics, as Keras' default does.
   */
  testStep?(data: StepData): StepLogs;

  /**
   * Keras 3's `compute_loss` for a {@link trainStep}: the compiled loss between the batch's targets
   * `y` and the model's outputs `yPred`, averaged over the batch as `fit` averages it (computed by
   * each loss' own kernels), plus the penalties of the model's regularized weights (not the activity
   * penalties and `ctx.addLoss` terms `model.losses` keeps, which are the last `fit` or `evaluate`
   * batch's). With several outputs, `y`
   * and `yPred` are lists in output order or objects keyed by output name (as fit's targets and the
   * model's outputs are), and the total is each output's loss times its compiled `lossWeights`
   * weight; an output compiled without a loss needs no targets. `sampleWeight` (trainStep's
   * `data[2]`: one weight per sample, or one per position) weighs each sample's loss as fit's
   * `sampleWeight` does. Inside `km.variableGrads` it is differentiated as `fit`'s step
   * differentiates it.
   * @example
   * ```ts
   * override trainStep([x, y, sampleWeight]: km.StepData): km.StepLogs {
   *   const { value, grads } = km.variableGrads(() => this.computeLoss(y, this.apply(x as km.Tensor, { training: true }), sampleWeight as km.Tensor | undefined), this.trainableWeights);
   *   this.optimizer!.applyGradients(grads);
   *   return { loss: value };
   * }
   * ```
   */
  computeLoss(y: TensorsSpec, yPred: TensorsSpec, sampleWeight?: Tensor): Tensor<'float32'> {
    const where = `${stepsClassName(this)}.computeLoss`;
    const outputs = this.compiledOutputs;
    if (!this.built || outputs.length === 0 || outputs.every((o) => o.loss === null)) {
      throw new Error(`${where} computes the loss compile was given, but ${stepsClassName(this)} ${this.loss === undefined ? 'was compiled without a loss' : 'is not built yet'}. Compile with one (model.compile({ optimizer: 'adam', loss: 'meanSquaredError' })), or compute the loss with km.losses in trainStep.`);
    }
    const value = compiledLossOf(where, outputs, y, yPred, sampleWeight);
    // The weight penalties only: model.losses' other terms are the last fit or evaluate batch's, not this one's.
    return weightPenaltyLosses(this.computedLayers).reduce<Tensor<'float32'>>((total, penalty) => add(total, penalty) as Tensor<'float32'>, value);
  }

  /**
   * Keras 3's `compute_metrics` for a {@link trainStep} or {@link testStep}: counts this batch in the
   * compiled metrics and returns their results so far, as numbers keyed by the names fit logs them
   * under (`accuracy`, or `<output>_accuracy` with several outputs; not the loss), computed by the
   * metrics' own code between the targets `y` and the outputs `yPred` (in the forms
   * {@link computeLoss} takes). `weightedMetrics` weigh each sample by `sampleWeight` (the step's
   * `data[2]`) when given. As in Keras, the metrics are reset at the start of each epoch and each
   * test pass (evaluate, validation), so each value is the metric over the epoch so far: the
   * weighted running mean for a mean metric, the count so far for auc, precision, recall or rmse.
   * A key the step returns that computeMetrics gave in that step is logged as the metric's latest
   * result, not averaged over the batches as the step's other values are. Metrics counted on the
   * host (auc, precision, recall, metrics of your own, ...) are NaN inside the step; the logs
   * get their result once counted. Called outside a step that fit or evaluate runs, it counts this
   * batch alone, and refuses those. Keras' mask of `yPred` is not applied; the values are not
   * differentiated.
   * @example
   * ```ts
   * override trainStep([x, y]: km.StepData): km.StepLogs {
   *   let metrics: Record<string, number> = {};
   *   const { value, grads } = km.variableGrads(() => {
   *     const yPred = this.apply(x as km.Tensor, { training: true });
   *     metrics = this.computeMetrics(y, yPred); // { accuracy } with metrics: ['accuracy']
   *     return this.computeLoss(y, yPred);
   *   }, this.trainableWeights);
   *   this.optimizer!.applyGradients(grads);
   *   return { loss: value, ...metrics };
   * }
   * ```
   */
  computeMetrics(y: TensorsSpec, yPred: TensorsSpec, sampleWeight?: Tensor): Record<string, number> {
    const where = `${stepsClassName(this)}.computeMetrics`;
    if (!this.built || this.compiledOutputs.length === 0) {
      throw new Error(`${where} computes the metrics compile was given, but ${stepsClassName(this)} is not ${this.optimizer ? 'built' : 'compiled'} yet. Compile it with its metrics (model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] })) and call it from trainStep or testStep.`);
    }
    return compiledMetricsOf(where, this.compiledOutputs, y, yPred, sampleWeight, runningFor(this));
  }

  /** Configures training. Throws on unknown names, listing the valid ones. */
  compile(args: ModelCompileArgs): void {
    this.#lifetime.checkNotDisposed();
    const compiled = compiledOf(args, ownStepsOf(this)?.train != null);
    this.#compilation.set(compiled);
    this.#trainableWarnings.compiled(this.allLayers);
    const graph = this.#graph.tryBuild();
    if (graph) this.#compilation.resolve(graph);
    this.#runtime.recompiled(compiled.optimizer);
  }

  /**
   * Trains for a number of epochs.
   *
   * @example
   * ```ts
   * const history = await model.fit(x, y, { epochs: 5, batchSize: 64, validationSplit: 0.1 });
   * history.history.loss; // one value per epoch
   * // Several inputs and outputs: lists in order, or objects keyed by input / output layer name.
   * const multi = await twoOutputModel.fit({ image, extra }, { class: labels, value: targets }, { epochs: 5 });
   * multi.history.class_loss;
   * ```
   */
  async fit(x: ModelInputs, y: ModelTargets, args?: ModelFitArgs): Promise<History>;
  /**
   * Trains on a dataset of `{ xs, ys }` batches (`km.data`), one full pass per epoch unless
   * `batchesPerEpoch` is given. A batch may carry `sampleWeight` too, one weight per sample (Keras'
   * `(x, y, sample_weight)` elements), weighing the loss and the weighted metrics.
   *
   * @example
   * ```ts
   * const ds = km.data.csv('examples/blobs-train.csv', { labelColumn: 'label' }).shuffle(1000, 1).batch(32);
   * await model.fit(ds, { epochs: 10 });
   * ```
   */
  async fit(dataset: Dataset<unknown>, args?: ModelFitDatasetArgs): Promise<History>;
  async fit(x: ModelInputs | Dataset<unknown>, y?: ModelTargets | ModelFitDatasetArgs, args: ModelFitArgs = {}): Promise<History> {
    return this.#lifetime.runFit(async () => {
      const own = ownStepsOf(this);
      const loops = own && (await ownStepLoops());
      // A model with testStep alone trains with the compiled loss, as Keras' default train_step does, and validates with it.
      const trained = own?.train ? (own as TrainingSteps) : null;
      if (x instanceof Dataset) {
        const datasetArgs = (y ?? {}) as ModelFitDatasetArgs;
        const loaded = await datasetLoops();
        const trainerFor = trained
          ? async (sample: InputSample) => (await this.#buildFor(sample), loops!.ownStepsTrainer(this, trained, datasetArgs.classWeight))
          : async (sample: InputSample) => {
              const planned = loaded.plannedTrainer(await this.#trainingTarget(sample, true), datasetArgs.classWeight);
              return own ? { ...planned, logNames: () => undefined, ...loops!.testStepValidators(this, own) } : planned;
            };
        return loaded.fitDataset(x, trainerFor, datasetArgs);
      }
      if (trained) {
        await this.#buildFor(inputSampleOf(x));
        return loops!.fitWithOwnSteps(this, trained, x, y as ModelTargets, args);
      }
      const target = await this.#trainingTarget(inputSampleOf(x), true);
      const ownValidation = own?.test ? loops!.testStepValidation(this, own.test, x, y as ModelTargets, args) : null;
      return fit(target, x, y as ModelTargets, args, ownValidation ?? undefined);
    });
  }

  /**
   * tfjs' name for `fit(dataset, args)`, so that tfjs code runs unchanged.
   *
   * @example
   * ```ts
   * await model.fitDataset(ds, { epochs: 10, validationData: validationDs });
   * ```
   */
  async fitDataset(dataset: Dataset<unknown>, args?: ModelFitDatasetArgs): Promise<History> {
    return this.fit(dataset, args);
  }

  /** tfjs' name for `evaluate(dataset, args)`. @example `const [loss, accuracy] = await model.evaluateDataset(ds)` */
  async evaluateDataset<A extends ModelEvaluateDatasetArgs = {}>(dataset: Dataset<unknown>, args?: A): Promise<EvaluateResult<A>> {
    return this.evaluate(dataset, args);
  }

  /**
   * Loss and metrics on the given data, `[loss, ...metrics]`, in compile order. With several
   * outputs: `[total loss, ...each output's loss, ...each output's metrics]`, as Keras orders them.
   * With `returnDict: true`, an object keyed by the names the logs use (`{ loss, accuracy }`).
   *
   * @example
   * ```ts
   * const [loss, classLoss, valueLoss, classAccuracy] = await model.evaluate([image, extra], [labels, targets]);
   * ```
   */
  async evaluate<A extends ModelEvaluateArgs = {}>(x: ModelInputs, y: ModelTargets, args?: A): Promise<EvaluateResult<A>>;
  /** Loss and metrics over the `{ xs, ys }` batches of a dataset (`km.data`), `[loss, ...metrics]` (or an object, as above). */
  async evaluate<A extends ModelEvaluateDatasetArgs = {}>(dataset: Dataset<unknown>, args?: A): Promise<EvaluateResult<A>>;
  async evaluate(x: ModelInputs | Dataset<unknown>, y?: ModelTargets | ModelEvaluateDatasetArgs, args: ModelEvaluateArgs = {}): Promise<number[] | Record<string, number>> {
    const test = ownStepsOf(this)?.test;
    if (test) {
      const loops = await ownStepLoops();
      if (x instanceof Dataset) return loops.evaluateDatasetWithTestStep(this, test, x, (y ?? {}) as ModelEvaluateDatasetArgs);
      await this.#buildFor(inputSampleOf(x));
      return loops.evaluateWithTestStep(this, test, x, y as ModelTargets, args);
    }
    if (x instanceof Dataset) return (await datasetLoops()).evaluateDataset(x, (sample) => this.#trainingTarget(sample), (y ?? {}) as ModelEvaluateDatasetArgs);
    const target = await this.#trainingTarget(inputSampleOf(x));
    return evaluate(target, x, y as ModelTargets, args);
  }

  /**
   * One optimizer step on all of `x` and `y` as a single batch (Keras' `train_on_batch`), without
   * shuffling or callbacks: for training loops `fit` does not fit, such as a GAN's alternating
   * steps. Returns the loss, or `[loss, ...metrics]` (in the order of `evaluate`) when the model
   * has metrics or several outputs, as TensorFlow.js does; with `returnDict: true`, `{ loss, ...metrics }`.
   * A model that defines {@link trainStep} runs it on the batch, as Keras does, and returns what it logs.
   *
   * @example
   * ```ts
   * const [loss, accuracy] = (await model.trainOnBatch(xBatch, yBatch)) as km.LossAndMetrics; // compiled with metrics
   * ```
   */
  async trainOnBatch<A extends TrainOnBatchArgs = {}>(x: ModelInputs, y: ModelTargets, args?: A): Promise<OnBatchResult<A>> {
    const own = ownStepsOf(this);
    if (own?.train) {
      await this.#buildFor(inputSampleOf(x));
      return (await (await ownStepLoops()).trainOnBatchWithOwnStep(this, own as TrainingSteps, x, y, args)) as OnBatchResult<A>;
    }
    return trainOnBatch(await this.#trainingTarget(inputSampleOf(x), true), x, y, args) as Promise<OnBatchResult<A>>;
  }

  /**
   * The loss and metrics of all of `x` and `y` as a single batch, without training (Keras'
   * `test_on_batch`): the loss alone, or `[loss, ...metrics]`, as {@link trainOnBatch} returns them.
   * A model that defines {@link testStep} runs it on the batch, as Keras does.
   *
   * @example
   * ```ts
   * const [loss, accuracy] = (await model.testOnBatch(xBatch, yBatch)) as km.LossAndMetrics; // compiled with metrics: ['accuracy']
   * ```
   */
  async testOnBatch<A extends TestOnBatchArgs = {}>(x: ModelInputs, y: ModelTargets, args?: A): Promise<OnBatchResult<A>> {
    const test = ownStepsOf(this)?.test;
    if (test) {
      await this.#buildFor(inputSampleOf(x));
      return (await (await ownStepLoops()).testOnBatchWithTestStep(this, test, x, y, args)) as OnBatchResult<A>;
    }
    return testOnBatch(await this.#trainingTarget(inputSampleOf(x)), x, y, args) as Promise<OnBatchResult<A>>;
  }

  /**
   * `predict` on all of `x` as a single batch (Keras' `predict_on_batch`).
   *
   * @example
   * ```ts
   * const probabilities = model.predictOnBatch(xBatch);
   * ```
   */
  predictOnBatch<T extends Tensor | Tensor[] | PredictResult<Out> = PredictResult<Out>>(x: ModelInputs): PredictReturn<Out, T>;
  /** `predict` on all of `x` as a single batch, for a model with named outputs: an object keyed by their names. */
  predictOnBatch<T extends Record<string, Tensor>>(x: ModelInputs): PredictReturn<Out, T>;
  predictOnBatch(x: ModelInputs): ModelOutputs {
    return this.predict<Tensor | Tensor[]>(x, { batchSize: Math.max(1, firstInput(x).shape[0]) });
  }

  /**
   * Sets the kept states of every stateful recurrent layer back to zero (Keras' and tfjs'
   * `reset_states`), so the next batch starts new sequences; layers that are not stateful are left alone.
   *
   * @example
   * ```ts
   * for (const chunk of chunks) model.predict(chunk, { batchSize: 4 }); // one long sequence, in chunks
   * model.resetStates(); // the next chunk starts a new sequence
   * ```
   */
  resetStates(): void {
    resetStatefulLayers(this.allLayers);
  }

  /**
   * A layer of the model by name, or by its position in `model.layers` (Keras' `get_layer`); a
   * model applied inside this one is found by its own name (its layers through it).
   *
   * @example
   * ```ts
   * const hidden = model.getLayer('dense');
   * const last = model.getLayer(undefined, model.layers.length - 1);
   * ```
   */
  getLayer(name?: string, index?: number): Layer | LayersModel {
    return findLayer(this.name, this.layers, name, index);
  }

  /**
   * The model's outputs for `x` (batch by batch, default 32): one tensor, or with several outputs a
   * list of them in output order; a model whose outputs were given as an object returns an object
   * keyed by their names, as Keras 3 does. The type follows the outputs `km.model` was given (a
   * tuple for `outputs: [a, b]`, the same keys for `outputs: { digit, parity }`); for a model whose
   * outputs the compiler does not know (`km.loadLayersModel`'s) it is a tensor unless given, as in
   * `predict<km.Tensor[]>(x)`. Synchronous: `await km.ready()` or a `fit` must have loaded the backend first.
   *
   * @example
   * ```ts
   * const probabilities = model.predict(x);
   * const [classes, values] = twoOutputModel.predict({ image, extra }); // km.model({ inputs, outputs: [classHead, valueHead] })
   * const { digit, parity } = namedOutputModel.predict(x);              // km.model({ inputs, outputs: { digit, parity } })
   * const [a, b] = loaded.predict<km.Tensor[]>(x);                      // loaded with km.loadLayersModel
   * ```
   */
  // The constraint predict always had, widened by `Out` alone: a call in another's argument
  // (`layer.apply(model.predict(x))`) infers `T` from that parameter and, where that fails, takes
  // the constraint, which must stay a type the parameter accepts (all of ModelOutputs is not).
  predict<T extends Tensor | Tensor[] | PredictResult<Out> = PredictResult<Out>>(x: ModelInputs, args?: ModelPredictArgs): PredictReturn<Out, T>;
  /** `predict` for a model whose outputs the compiler does not know, given the type of named outputs: `predict<Record<string, km.Tensor>>(x)`. */
  predict<T extends Record<string, Tensor>>(x: ModelInputs, args?: ModelPredictArgs): PredictReturn<Out, T>;
  predict(x: ModelInputs, args: ModelPredictArgs = {}): ModelOutputs {
    if (x instanceof Dataset) {
      throw new Error(
        `Model '${this.name}'.predict takes tensors and returns at once, so it cannot read a km.data dataset, which yields its batches asynchronously (fit and evaluate take one). ` +
          'Predict batch by batch: for await (const batch of dataset) model.predict(batch.xs), or collect the inputs into one tensor first.',
      );
    }
    // Keras 3's predict resets stop_predicting before on_predict_begin; apply on data (its __call__) leaves it.
    this.stopPredicting = false;
    const outputs = this.#predict(x, args, false);
    return modelOutputs(this.#graph.current!, Array.isArray(outputs) ? outputs : [outputs]);
  }

  /**
   * The values of inner tensors of the model for `x`, named after the layer that computes each
   * (`'hidden'`, or tfjs' scoped `'hidden/hidden'`), as tfjs' `model.execute`: one tensor for a
   * name, a list for a list. Handy to look at a hidden layer's activations without building a second model.
   * A model with named outputs also takes their names (`model.outputNames`, as `'digit'`), which come
   * before a layer's of the same name; the scoped `'layer/layer'` form always names the layer.
   *
   * @example
   * ```ts
   * const [hidden, probabilities] = model.execute(x, ['dense_1', 'dense_2']);
   * const [features, digit] = namedOutputModel.execute(x, ['hidden', 'digit']);
   * ```
   */
  execute(x: ModelInputs, outputs: string): Tensor<'float32'>;
  execute(x: ModelInputs, outputs: readonly string[]): Tensor<'float32'>[];
  execute(x: ModelInputs, outputs: string | readonly string[]): Tensor<'float32'> | Tensor<'float32'>[] {
    const graph = this.#graph.ensure(inputSampleOf(x));
    const runtime = this.#ensureRuntime(activeBackend());
    const values = executeNamed(runtime, graph, this.name, x, typeof outputs === 'string' ? [outputs] : outputs, {});
    return typeof outputs === 'string' ? values[0] : values;
  }

  /** `predict`, or with `training` a forward pass as `fit` makes (`apply(x, { training: true })`). */
  #predict(x: ModelInputs, args: ModelPredictArgs, training: boolean | undefined): Tensor | Tensor[] {
    const graph = this.#graph.ensure(inputSampleOf(x), training === true);
    checkNotInCall(`Model '${this.name}'`, () => this.trainableWeights.length > 0);
    const runtime = this.#ensureRuntime(activeBackend());
    // Inside km.variableGrads or optimizer.minimize, as one batch recorded for the gradient.
    const outputs = taping()
      ? tapedApply({ backend: runtime.backend, graph, params: runtime.params, where: `Model '${this.name}'` }, x, training, declaredInputDTypes(this))
      : predict({ ...runtime, graph, plan: this.#plans(graph), model: this }, x, args, training);
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  /**
   * Copies of the weights: trainable ones first, then non-trainable ones, each layer by layer
   * (kernel, then bias, for Dense). A layer this model shares with another model (built from the
   * same layer objects) has one set of weights, so this returns its latest values from either model.
   */
  getWeights(): Tensor<'float32'>[] {
    return this.#ensureRuntime(activeBackend()).params.getWeights();
  }

  /**
   * Replaces the weights; the list must match `getWeights()` in length and shapes. Every model
   * sharing one of these layers sees the new values.
   */
  setWeights(weights: readonly Tensor[]): void {
    this.#ensureRuntime(activeBackend()).params.setWeights(weights);
  }

  /**
   * Attaches JSON data that `save` writes into model.json and `loadLayersModel` gives back, as
   * tfjs' `setUserDefinedMetadata`: class names, a preprocessing recipe, a version. A plain object
   * (copied); undefined clears it. Over 1 MB it warns, as tfjs does.
   *
   * @example
   * ```ts
   * model.setUserDefinedMetadata({ labels: ['cat', 'dog'] });
   * await model.save('file://models/pets');
   * (await km.loadLayersModel('file://models/pets')).getUserDefinedMetadata(); // { labels: ['cat', 'dog'] }
   * ```
   */
  setUserDefinedMetadata(metadata: Record<string, unknown> | undefined): void {
    this.#userMetadata = checkedUserMetadata(metadata, this.name);
  }

  /** The data {@link setUserDefinedMetadata} attached, or that the loaded model.json held; undefined if none. */
  getUserDefinedMetadata(): Record<string, unknown> | undefined {
    return this.#userMetadata;
  }

  /** Total number of scalar weights. */
  countParams(): number {
    // Building the graph (possible once the input shape is known) builds the layers' weights.
    this.#graph.tryBuild();
    return this.allLayers.reduce((sum, l) => sum + l.countParams(), 0);
  }

  /**
   * Prints Keras' summary table: layers, output shapes, parameter counts. Takes tfjs' positional
   * arguments, or one object with Keras' options besides (`expandNested`, `showTrainable`,
   * `layerRange`).
   *
   * @example
   * ```ts
   * model.summary();
   * model.summary(80, [0.4, 0.7, 1], (line) => lines.push(line)); // as in tfjs
   * model.summary({ expandNested: true, showTrainable: true });    // a pretrained base's layers, framed
   * ```
   */
  summary(options?: SummaryOptions): void;
  summary(lineLength?: number, positions?: readonly number[], printFn?: (line: string) => void): void;
  summary(lineLength?: number | SummaryOptions, positions?: readonly number[], printFn?: (line: string) => void): void {
    if (typeof positions === 'function') throw new Error("summary: the second argument is the column positions, as in tfjs; give the print function third, summary(undefined, undefined, printFn), or as summary({ printFn }).");
    const options = typeof lineLength === 'object' ? lineLength : { lineLength, positions, printFn };
    const graph = this.#graph.tryBuild();
    if (!graph) throw new Error(`Model '${this.name}' is not built yet: ${this.buildFix()}/predict first, to see its summary.`);
    for (const line of summaryLines(this.name, graph, this.layers, options, (model) => model.#graph.tryBuild()!)) (options.printFn ?? console.log)(line);
  }

  /**
   * Frees the backend memory the model holds (weights, gradients, batch buffers and optimizer
   * state, and what `apply` on data and stateful layers allocated for its layers), as tfjs'
   * `model.dispose()` does. Without it that memory stays allocated after the model itself is
   * garbage-collected (wasm memory and device tensors are not collected): dispose models you
   * replace, as in tfjs. The model cannot be used afterwards: every later call throws.
   *
   * @example
   * ```ts
   * const weights = model.getWeights(); // copies, still valid after dispose
   * model.dispose();
   * ```
   */
  dispose(): void {
    this.#runtime.release();
    this.#compilation.detach();
    for (const layer of this.allLayers) layer.dispose();
    this.#lifetime.dispose();
  }

  /** Bytes of backend memory in use (for checking that training stops allocating). */
  memoryBytes(): number {
    return activeBackend().memoryBytes();
  }

  /** Builds the graph, and with it the layers' weights, if the input shape is known; else waits for the data. */
  protected buildIfShapeKnown(): void {
    this.#graph.tryBuild();
  }

  /**
   * Changes the layers (Sequential's add and pop) and drops the graph built over the old ones. A
   * model that has weights keeps every layer's values, the removed one's too, and must be compiled
   * again: its optimizer state and outputs were laid out for the old layers.
   */
  protected changeLayers(change: () => void): void {
    if (!this.#runtime.current) {
      change();
      this.#graph.drop();
      return;
    }
    this.#lifetime.checkNotDisposed();
    this.#lifetime.checkNotFitting();
    const kept = new Map(this.allLayers.map((layer) => [layer, layer.getWeights()]));
    this.#runtime.release();
    this.#compilation.clear();
    change();
    this.#graph.drop();
    // setWeights keeps copies, so these are freed (device tensors on a tfjs backend).
    for (const [layer, weights] of kept) {
      layer.setWeights(weights);
      weights.forEach((w) => w.dispose());
    }
  }

  /**
   * The model's graph, given what the first data (or `build`) says about the inputs when known;
   * null when it cannot be built yet. Sequential models chain their layers, functional models
   * return their traced graph, and a {@link Model} subclass traces its `call`.
   */
  protected abstract buildGraph(sample: InputSample | null): Graph | null;

  /**
   * Once built, the graph training steps run where it is not {@link buildGraph}'s: a {@link Model}
   * subclass whose `call` branches on `training`. Null: that one graph serves every pass.
   */
  protected trainingGraph(): Graph | null {
    return null;
  }

  /** How to build the model, for the errors of what needs it built; it ends where a call follows ("or call fit"). */
  protected buildFix(): string {
    return 'give the first layer an inputShape, call model.build([null, ...inputShape]), or call fit';
  }

  /** Throws unless the model, not built yet, can be built for inputs of `samples` (`build`'s shapes): a Sequential model's rule. */
  protected checkBuildable(samples: readonly SampleShape[]): void {
    checkBuildable(this.name, this.allLayers.length, samples);
  }

  /** The runtime on `backend`: the model's weights and batch plans there, laid out for its optimizer. */
  #ensureRuntime(backend: Backend): Runtime {
    this.#lifetime.checkNotDisposed();
    if (!this.#graph.tryBuild()) throw new Error(`Model '${this.name}' is not built yet: ${this.buildFix()} first.`);
    return this.#runtime.on(backend, this.#compilation.compiled?.optimizer);
  }

  /**
   * The batch plans of `graph`, whose targets `outputs` lay out (compile's for it, by default), with
   * its layers bound to it for each batch (a call made meanwhile may have run another size of an
   * unknown dimension).
   */
  #plans(graph: Graph, outputs = this.#compilation.outputs): (batch: number) => BatchPlan {
    return (batch) => {
      graph.bind();
      return this.#runtime.plan(batch, graph, outputs);
    };
  }

  /** Builds the model for data like `sample`, so that a step of its own sees its weights before it first applies the model. */
  async #buildFor(sample: InputSample): Promise<void> {
    await ready();
    this.#graph.ensure(sample);
  }

  /** What `fit`, `evaluate` and the on-batch calls run on; `training` for the two that update the weights. */
  async #trainingTarget(sample: InputSample, training = false): Promise<TrainingTarget> {
    if (!this.#compilation.compiled) {
      throw new Error(`Model '${this.name}' must be compiled before training or evaluation: call model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] }).`);
    }
    if (!this.#compilation.compiled.loss) {
      throw new Error(`Model '${this.name}' was compiled without a loss, which its trainStep computes; kerasm's own training and evaluation need one. Define testStep(data) for evaluate, or compile with a loss.`);
    }
    await ready();
    this.#graph.ensure(sample);
    const runtime = this.#ensureRuntime(activeBackend());
    const { optimizer } = this.#compilation.compiled;
    if (training) {
      this.#trainableWarnings.check(this.name, runtime.params);
      warnFreshOptimizerOnce(this, optimizer);
    }
    const { backend, params } = runtime;
    // A dataset's batches of other sizes on unknown dimensions run on the graph reshaped to them, and
    // the training steps of a km.Model whose call branches on `training` on its training graph,
    // each counting in the first target's metrics so that the epoch's results take every batch.
    const byGraph = new Map<Graph, TrainingTarget>();
    let first: TrainingTarget | undefined;
    const targetFor = (next: InputSample, mode: boolean): TrainingTarget => {
      // The inference graph first: compile's outputs follow the graph a call switches to.
      const inference = this.#graph.ensure(next);
      const graph = mode ? this.#graph.ensure(next, true) : inference;
      let known = byGraph.get(graph);
      if (!known) {
        const laid = graph === inference ? this.#compilation.outputs : outputsOver(graph, this.#compilation.outputs);
        const outputs = first ? laid.map((o, k) => ({ ...o, metrics: first!.outputs[k].metrics, weightedMetrics: first!.outputs[k].weightedMetrics })) : laid;
        known = trainingTargetOf(this, {
          backend, graph, params, outputs, optimizer, plan: this.#plans(graph, outputs),
          ...(graph.hasUnknownDims && { forInputs: (batch: InputSample) => targetFor(batch, mode) }),
          ...(graph !== inference && { inference: targetFor(next, false) }),
        });
        first ??= known;
        byGraph.set(graph, known);
      }
      return known;
    };
    return targetFor(sample, training);
  }
}
