import type { Regularizer } from '../regularizers/regularizers.js';
import type { Constraint } from '../constraints/constraints.js';
import type { InitializerSpec } from '../initializers/initializers.js';
import { applyLayer, type SymbolicTensor } from '../engine/symbolic.js';
import type { SampleShape } from '../engine/unknown_dims.js';
import { checkNotWrapped, checkWeightList, drawInitialWeights, keepCopies, readLayerWeights, wrapInnerWeights, writeLayerWeights } from '../engine/weight_homes.js';
import { globalGenerator } from '../utils/random.js';
import { weightOrder } from '../engine/params.js';
import { sameShape, Tensor } from '../tensor.js';
import { applyConcrete, releaseApplied, symbolicTraining, type LayerApplyArgs } from '../engine/concrete_apply.js';
import { explicitMasks } from '../engine/explicit_mask_option.js';
import { layerLosses } from '../engine/layer_losses.js';
import { keywordTensors } from '../engine/keyword_inputs.js';
import type { Backend, BufferId } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, WeightSpec } from './layer_context.js';
import { checkLayerArgs, type LayerArgs } from './layer_args.js';
import { recordConstruction, recordFieldsBeforeBuild } from './constructed_state.js';
import { callAt, firstCallShapes, onlyCall, singleOutputAt } from './layer_calls.js';
import { buildCallShapes } from './layer_shapes.js';
import { builtForOtherShapesError, computeMaskError, heldLayerError, missingClassNameError, notBuiltError, trainableError } from './layer_errors.js';
import { uniqueLayerName } from './layer_names.js';
import { BUILT_IN_COMPUTE_MASKS } from './compute_mask.js';
import { LayerWeight, layerWeights } from './layer_weight.js';
import { innerWeightSpecs, weightInitializer, weightSpec } from './weight_specs.js';
import { buildFieldsOf, checkSameWeights, fieldsOf, resetBuildFields, type BuildFields } from './layer_rebind.js';

/** How many {@link Layer.rebind} calls are running: a built layer then builds again for new shapes instead of refusing them. */
let rebinding = 0;

/** A shape without the batch dimension. */
export type Shape = readonly number[];

export type { BackwardContext, ForwardContext, WeightSpec } from './layer_context.js';

/**
 * The base of every layer. Its lifecycle follows Keras: the constructor validates arguments,
 * `build(inputShape)` declares weights with `addWeight`, `computeOutputShape` infers shapes without
 * data, `forward`/`backward` run kernels on the backend, and `getConfig` returns the plain-data
 * configuration that serialization needs.
 */
export abstract class Layer {
  /** The Keras class name, e.g. `'Dense'`. */
  abstract readonly className: string;
  /**
   * The layer's name, unique in a model: the `name` option, else the class name in snake case and a
   * counter (`'dense_1'`). `model.getLayer(name)` finds it, and saved weights are keyed by it.
   */
  readonly name: string;
  /** Declared input shape (no batch dimension; null for a dimension of unknown size), when given. */
  readonly declaredInputShape: SampleShape | undefined;
  /** Declared batch size (`batchSize`, or a number as `batchInputShape[0]`), when given. */
  readonly declaredBatchSize: number | undefined;
  /** The dtype of the model input the layer declares (`inputDType`), when given. */
  readonly declaredInputDType: 'float32' | 'int32' | undefined;
  #weights: WeightSpec[] = [];
  /** The `weights` option's values, until the layer is built. */
  #initialWeights: readonly Tensor[] | undefined;
  #builtFor: readonly Shape[] | null = null;
  #trainable = true;
  /** Whether ensureBuilt is running `build` (see the constructor). */
  #building = false;
  /** The layers whose weights `addInnerWeights` made this layer's own, and where they start in its weights. */
  readonly #innerLayers = new Map<Layer, number>();
  /** What `build` derived from the input shapes, and the fields as they were before it: what {@link rebind} resets. */
  #buildFields: BuildFields | null = null;
  /** While `build` runs again for other input shapes ({@link rebind}), the weights it declares, to compare with the layer's. */
  #redeclared: WeightSpec[] | null = null;

  constructor(args: LayerArgs, className: string) {
    if (typeof className !== 'string' || className === '') throw missingClassNameError(new.target.name);
    const computeMask = (this as { computeMask?: unknown }).computeMask;
    if (typeof computeMask === 'function' && !BUILT_IN_COMPUTE_MASKS.has(computeMask)) throw computeMaskError(new.target.name);
    this.name = args.name ?? uniqueLayerName(className);
    this.trainable = args.trainable ?? true;
    const declared = checkLayerArgs(args, this.name);
    this.declaredInputShape = declared.inputShape;
    this.declaredBatchSize = declared.batchSize;
    this.declaredInputDType = declared.inputDType;
    this.#initialWeights = declared.initialWeights;
    recordConstruction(this, args);
    // Keras and tfjs users call layer.build(shape) themselves, but here `build` is the hook that
    // ensureBuilt runs; a call from outside goes through ensureBuilt, so the layer is built whole.
    const hook = this.build;
    Object.defineProperty(this, 'build', {
      configurable: true,
      writable: true,
      value: (shapes: readonly Shape[]) => (this.#building ? hook.call(this, shapes) : this.ensureBuilt(buildCallShapes(this, shapes))),
    });
  }

  /**
   * Whether training updates the layer's weights (Keras' `layer.trainable`). It may be changed at
   * any time, before or after `compile`: the model moves the weights between its trainable and
   * non-trainable lists (the order `getWeights()` uses) at the start of its next `fit`,
   * `evaluate`, `predict` or `getWeights`. The optimizer keeps each weight's state (moments,
   * velocities) through the change, so a layer frozen for some steps resumes its own when it is
   * unfrozen, as in Keras 3. Change it between calls to `fit`, not from a callback.
   *
   * @example
   * ```ts
   * base.trainable = false; // fine-tune only the layers after it
   * await model.fit(x, y, { epochs: 2 });
   * ```
   */
  get trainable(): boolean {
    return this.#trainable;
  }

  set trainable(value: boolean) {
    if (typeof value !== 'boolean') {
      throw trainableError(this.name, value);
    }
    this.#trainable = value;
  }

  /** The class name, as tfjs' `layer.getClassName()` gives it: `'Dense'` (the same as {@link className}). */
  getClassName(): string {
    return this.className;
  }

  /**
   * The weight the layer's `build` named `name` (`'kernel'`, `'moving_mean'`), for the getters that
   * give a layer's weights as tfjs' properties (`dense.kernel`); undefined before the layer is built
   * or when it has no such weight (a Dense without bias), as in tfjs.
   */
  protected weightNamed(name: string): LayerWeight | undefined {
    const spec = this.#weights.find((w) => w.name === `${this.name}/${name}`);
    return spec && new LayerWeight(this, spec);
  }

  /** Whether `build` has run. */
  get built(): boolean {
    return this.#builtFor !== null;
  }

  /** The weights this layer declared, in order. */
  get weightSpecs(): readonly WeightSpec[] {
    return this.#weights;
  }

  /** @internal The layers this one runs as its own (a wrapper's, declared by `addInnerWeights` in `build`); none before it is built. */
  get ownedLayers(): readonly Layer[] {
    return [...this.#innerLayers.keys()];
  }

  /**
   * Copies of the layer's weights, trainable ones first (Dense: kernel, then bias), as
   * TensorFlow.js' `layer.getWeights()` returns them; empty before the layer is built. A layer
   * used by several models has one set of weights, so this is what each of them computes with.
   *
   * @example
   * ```ts
   * const [kernel, bias] = model.layers[0].getWeights();
   * ```
   */
  getWeights(): Tensor<'float32'>[] {
    const weights = readLayerWeights(this);
    const specs = this.weightSpecs;
    return weightOrder([this]).map(({ spec }) => weights[specs.indexOf(spec)]);
  }

  /**
   * Replaces the layer's weights, in the order and shapes `getWeights()` returns, for every model
   * that holds the layer.
   *
   * @example
   * ```ts
   * const dense = model.layers[1];
   * dense.setWeights(dense.getWeights().map((w) => km.tensor(new Float32Array(w.size), w.shape)));
   * ```
   */
  setWeights(weights: readonly Tensor[]): void {
    const order = weightOrder([this]);
    if (!this.built && Array.isArray(weights) && weights.length > 0) {
      throw notBuiltError(this, weights.length);
    }
    checkWeightList(order.map((e) => e.spec), weights, `Layer '${this.name}'`);
    writeLayerWeights(this, this.weightSpecs.map((spec) => weights[order.findIndex((e) => e.spec === spec)]));
  }

  /** The layer's weights, trainable ones first (Keras' `layer.weights`, tfjs' `layer.weights`); empty before it is built. */
  get weights(): LayerWeight[] {
    return layerWeights([this]);
  }

  /** The weights training updates (Keras' `trainable_weights`): none while the layer is frozen. */
  get trainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** The weights training leaves alone (Keras' `non_trainable_weights`): moving statistics, or all of a frozen layer's. */
  get nonTrainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /**
   * Keras' `layer.losses`: the layer's loss terms as float32 scalar tensors (shape `[]`), read to
   * the host. First the terms its last training or evaluation batch added (its activity penalty,
   * and the terms its `forward` gave `ctx.addLoss`; none before the first batch, none from `predict`
   * or `apply`), then, in weight order, l1·Σ|w| + l2·Σw² of each trainable weight that has a
   * regularizer, computed from the current weights. Each is what training adds to that batch's
   * mean loss. Empty before the layer is built. Unlike tfjs' `layer.losses` (functions), these are values.
   *
   * @example
   * ```ts
   * const dense = km.layers.dense({ units: 4, kernelRegularizer: km.regularizers.l2(0.01) });
   * const model = km.sequential([km.layers.dense({ units: 8, inputShape: [3] }), dense]);
   * const [penalty] = dense.losses; // 0.01 * Σ kernel²
   * ```
   */
  get losses(): Tensor<'float32'>[] {
    return layerLosses([this]);
  }

  /**
   * Refuses tfjs' `layer.addLoss(() => tensor)`, which needs automatic differentiation that kerasm
   * does not have, with the way to add a loss term here: `ctx.addLoss(term)` in the layer's
   * `forward`, and the term's gradient added in its `backward` (docs/CUSTOM_LAYERS.md, "A layer
   * that adds a loss").
   */
  addLoss(_losses: unknown): never {
    throw new Error(
      `Layer '${this.name}': layer.addLoss(fn) is tfjs' form, whose loss function tfjs differentiates itself; kerasm has no automatic differentiation. ` +
        "Add the term from the layer's forward pass instead: write this batch's term into one float of ctx.workspace and call ctx.addLoss(term) in forward(ctx), " +
        "then add the term's gradient to ctx.inputGrads in backward(ctx). See docs/CUSTOM_LAYERS.md, 'A layer that adds a loss'.",
    );
  }

  /** Number of scalar parameters. */
  countParams(): number {
    return this.#weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  /**
   * Builds the layer for its input shapes once; later calls (a layer shared by several nodes)
   * throw unless they bring the same shapes, because the weights and whatever `build` derived from
   * the shapes serve every call.
   */
  ensureBuilt(callShapes: readonly Shape[]): void {
    const inputShapes = this.weightInputShapes(callShapes);
    const builtFor = this.#builtFor;
    if (builtFor !== null) {
      const same = builtFor.length === inputShapes.length && builtFor.every((s, k) => sameShape(s, inputShapes[k]));
      if (same) return;
      if (!rebinding) throw builtForOtherShapesError(this, builtFor, inputShapes);
      this.#buildAgain(inputShapes);
      return;
    }
    recordFieldsBeforeBuild(this); // the fields the constructor set, before build adds its own
    const before = fieldsOf(this);
    this.#building = true;
    try {
      this.build(inputShapes);
    } finally {
      this.#building = false;
    }
    this.#buildFields = buildFieldsOf(this, before);
    const initial = this.#initialWeights;
    try {
      checkNoHeldLayers(this, this.#innerLayers.size > 0);
      if (initial) checkWeightList(weightOrder([this]).map((e) => e.spec), initial, `Layer '${this.name}' (${this.className})`, 'its weights option');
    } catch (error) {
      this.#weights = []; // unbuilt again, so the error leaves the layer as it was
      throw error;
    }
    this.#builtFor = inputShapes.map((s) => [...s]);
    const inner = [...this.#innerLayers].map(([layer, start]) => ({ layer, start }));
    if (initial) {
      this.setWeights(initial);
      this.#initialWeights = undefined;
    } else drawInitialWeights(this, inner);
    wrapInnerWeights(this, inner);
  }

  /**
   * @internal Builds the layer for other input shapes with the weights it has, as for a model input
   * of unknown size (Keras' None) whose data brings a new size: `build` runs again over the fields
   * the constructor set, and must declare the same weights. The layers it runs are rebound with it.
   */
  rebind(callShapes: readonly Shape[]): void {
    rebinding++;
    try {
      this.ensureBuilt(callShapes);
    } finally {
      rebinding--;
    }
  }

  #buildAgain(inputShapes: readonly Shape[]): void {
    const fields = this.#buildFields!;
    const derived = fieldsOf(this);
    resetBuildFields(this, fields);
    this.#redeclared = [];
    this.#building = true;
    try {
      this.build(inputShapes);
      checkSameWeights(this, this.#weights, this.#redeclared, this.#builtFor!, inputShapes);
    } catch (error) {
      Object.assign(this, Object.fromEntries(derived));
      throw error;
    } finally {
      this.#building = false;
      this.#redeclared = null;
    }
    this.#builtFor = inputShapes.map((s) => [...s]);
  }

  /**
   * Runs `build` again for the shapes the layer was built for, where what it declares changed once
   * built (LoRA enabled on a trained Dense): a weight declared again under its name and shape keeps
   * its values, a new one is drawn by its initializer. The models holding the layer lay their
   * weights out anew at their next use. Not for a layer another one runs (a wrapper's).
   */
  protected redeclareWeights(): void {
    const builtFor = this.#builtFor;
    if (!builtFor) return;
    checkNotWrapped(this, `${this.className} layer '${this.name}', which declares other weights once built,`);
    const previous = new Map(this.#weights.map((spec, i) => [spec.name, i]));
    const values = readLayerWeights(this);
    const kept = this.#weights;
    resetBuildFields(this, this.#buildFields!);
    this.#weights = [];
    this.#building = true;
    try {
      this.build(builtFor);
    } catch (error) {
      this.#weights = kept;
      throw error;
    } finally {
      this.#building = false;
    }
    releaseApplied(this);
    keepCopies(this, this.#weights.map((spec) => {
      const k = previous.get(spec.name);
      return k !== undefined && sameShape(values[k].shape, spec.shape) ? values[k] : new Tensor(spec.initializer(spec.shape, globalGenerator()), spec.shape, 'float32');
    }));
  }

  /**
   * The input shapes a call's weights depend on, which `build` receives and every call of a shared
   * layer must repeat: all of them by default; an RNN's keyword inputs (its initial states) are left
   * out, so one RNN may be called with and without them, as in Keras.
   */
  protected weightInputShapes(callShapes: readonly Shape[]): readonly Shape[] {
    return callShapes;
  }

  /**
   * Declares a weight; call from `build`. `initializer` takes what layers' initializer options take:
   * a name (`'glorotUniform'`, Keras' `'random_normal'`), a config (`{ className, config }`), or a
   * function `(shape, random) => Float32Array`.
   *
   * @example `this.addWeight('kernel', [inputDim, this.units], 'glorotUniform');`
   */
  protected addWeight(name: string, shape: Shape, initializer: InitializerSpec, trainable = true): void {
    const resolved = weightInitializer(this.name, name, initializer);
    (this.#redeclared ?? this.#weights).push(weightSpec(`${this.name}/${name}`, [...shape], resolved, () => trainable && this.trainable));
  }

  /** The weight the latest {@link addWeight} declared: while `build` runs again ({@link rebind}), the layer's own weight in its place. */
  protected get lastDeclaredWeight(): WeightSpec {
    const k = (this.#redeclared ?? this.#weights).length - 1;
    return this.#weights[k] ?? this.#redeclared![k];
  }

  /**
   * Declares the weights of `inner`, a layer this one runs (built already), as its own: a wrapper
   * (Bidirectional, TimeDistributed) owns its sub-layers' weights, so the model stores, trains and
   * saves them under the wrapper, named `<this name>/<scope>/<weight>` as tfjs names them (no
   * scope: `<this name>/<weight>`). Each stays trainable only while both layers are. Once this layer
   * is built, `inner`'s weights are that part of its own: it starts from the values `inner` had,
   * and `inner.getWeights()` and `inner.setWeights` read and write there.
   */
  protected addInnerWeights(inner: Layer, scope: string): void {
    if (this.#redeclared) {
      this.#redeclared.push(...innerWeightSpecs(this, inner, scope));
      return;
    }
    checkNotWrapped(inner, `${this.className} layer '${this.name}'`);
    this.#innerLayers.set(inner, this.#weights.length);
    this.#weights.push(...innerWeightSpecs(this, inner, scope));
  }

  /** Declares weights for the given input shapes. Layers without weights keep the default. */
  protected build(_inputShapes: readonly Shape[]): void {}

  /**
   * The output shape for the given input shapes (no batch dimension), one per positional input and
   * then keyword input; throws on bad input shapes, saying what was received. Models call it to
   * infer shapes before any data flows (`layer.outputShape`, `model.summary()`).
   * @example
   * ```ts
   * // A one-input, Dense-like layer: the last axis becomes `units`.
   * computeOutputShape([shape]: readonly [km.layers.Shape]): km.layers.Shape {
   *   return [...shape.slice(0, -1), this.units];
   * }
   * ```
   */
  abstract computeOutputShape(inputShapes: readonly Shape[]): Shape;

  /**
   * Every output's shape, for a layer with several outputs (Keras' multi-output layers: an RNN with
   * returnState gives `[output, ...states]`). The engine plans a buffer and a gradient buffer per
   * output, passes them as `ctx.outputs` and `ctx.outputGrads`, and symbolic `apply` returns a list.
   * By default the one shape of `computeOutputShape`.
   */
  computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    return [this.computeOutputShape(inputShapes)];
  }

  /**
   * The keyword inputs `apply` takes besides its positional inputs (an RNN's `initialState`), as
   * tensors that become further inputs of the call: their tensors follow the positional ones in
   * `ctx.inputs`, and the layer's shape methods receive their shapes in that order. Empty by default.
   */
  get keywordInputs(): readonly string[] {
    return [];
  }

  /**
   * The Keras keyword by which a saved topology names input `slot` of a call with `count` inputs in
   * the call's kwargs (MultiHeadAttention's mask: `attention_mask`), or null for an input listed in
   * order: positional inputs, and keyword inputs tfjs lists after them (an RNN's initial states).
   */
  savedKeyword(_slot: number, _count: number): string | null {
    return null;
  }

  /**
   * Floats of scratch this layer needs for a batch (im2col columns, dropout masks), allocated once
   * per batch size and kept from the forward to the backward pass. Call after `build`.
   */
  workspaceSize(_batch: number): number {
    return 0;
  }

  /**
   * Writes what the workspace holds for every pass of a batch size (index tables, fixed masks),
   * once, when a batch plan allocates it, so that forward passes only read it.
   */
  initWorkspace(_backend: Backend, _workspace: BufferId, _batch: number): void {}

  /**
   * Frees the backend memory the layer holds itself, as tfjs' `layer.dispose()` does: what `apply`
   * on data allocated (batch buffers, and its weights when no model holds them) and a stateful
   * layer's kept states. A layer in a live model keeps its weights there: that model's `dispose()`
   * frees them, and calls this for each of its layers. Using a layer whose weights were freed is
   * an error until `setWeights` gives it some; a stateful layer starts again from zero states.
   *
   * @example
   * ```ts
   * const embedded = embed.apply(tokens); // a layer used on its own
   * embed.dispose();
   * ```
   */
  dispose(): void {
    releaseApplied(this);
    this.releaseKeptStates();
  }

  /** Frees a stateful layer's kept states (overridden by the recurrent layers). */
  protected releaseKeptStates(): void {}

  /**
   * Applies the layer, as TensorFlow.js' `layer.apply` and Keras' `layer(x)` do.
   *
   * On symbolic tensors (the functional API) it checks and infers shapes, builds the layer at its
   * first call, and returns the symbolic output. Applying the same layer again shares it: every
   * call uses its one set of weights (and must receive the input shape it was built for), and
   * training sums the weights' gradients over the calls. A layer with several outputs (an RNN with
   * returnState) returns a list, `[output, ...states]`. The second argument carries the layer's
   * keyword inputs ({@link keywordInputs}: an RNN's `initialState`), which join the call's inputs,
   * and `training`, which fixes the call's mode in any pass (Keras' `layer(x, training=False)`;
   * `{ training: true }` on a Dropout keeps it dropping in `predict`: Monte Carlo dropout).
   *
   * On `km.Tensor` data (a list of them for a merge layer) it computes now, on the active backend,
   * and returns a float32 tensor: the first dimension is the batch, a layer not built yet is built
   * from the rest of the shape (its weights drawn as a model would draw them), and it runs in
   * inference mode (Dropout passes through, BatchNormalization uses its moving statistics) unless
   * `{ training: true }` is given. It uses the weights the layer has in every model that holds it
   * (those `fit` trained, those `setWeights` wrote) and records no call: `layer.output` and the
   * models the layer is in are unchanged. Synchronous: `await km.ready()` (or a `fit`) must have
   * loaded the backend first.
   *
   * @example
   * ```ts
   * const x = km.input({ shape: [28, 28, 1] });
   * const y = km.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(x);
   * y.shape; // [26, 26, 8]
   * // A siamese network: one Dense embeds both inputs.
   * const embed = km.layers.dense({ units: 8, activation: 'relu' });
   * const [left, right] = [km.input({ shape: [16] }), km.input({ shape: [16] })];
   * const joined = km.layers.concatenate().apply([embed.apply(left), embed.apply(right)]);
   * // On data, computed now (a batch of 2 samples of 16 values):
   * const codes = embed.apply(km.tensor(new Float32Array(32), [2, 16]));
   * codes.shape; // [2, 8]
   * const summed = km.layers.add().apply([codes, codes]);
   * // Several outputs and a keyword input: a seq2seq encoder's states start the decoder.
   * const [, h, c] = km.layers.lstm({ units: 16, returnState: true }).apply(km.input({ shape: [10, 4] }));
   * const decoded = km.layers.lstm({ units: 16 }).apply(km.input({ shape: [5, 4] }), { initialState: [h, c] });
   * ```
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor;
  /**
   * Applies the layer to `km.Tensor` data now, on the active backend, in inference mode unless
   * `{ training: true }` is given, and returns a float32 tensor (see the symbolic overload).
   * @example `const codes = km.layers.dense({ units: 8 }).apply(km.tensor(new Float32Array(32), [2, 16]));`
   */
  apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: LayerApplyArgs): SymbolicTensor | Tensor<'float32'> {
    // Masks given explicitly (`{ mask }`) follow the inputs and keyword inputs.
    const { masks, maskedInputs, others } = explicitMasks(this, options);
    const { tensors: keywordInputs, rest } = keywordTensors(this, others);
    const list: readonly unknown[] = [...(Array.isArray(inputs) ? inputs : [inputs]), ...keywordInputs, ...masks];
    // A layer with several outputs gives a list (the overloads of the subclasses that have them say so).
    type One = SymbolicTensor & Tensor<'float32'>;
    if (list.some((x) => x instanceof Tensor)) return applyConcrete(this, list, rest, masks.length, maskedInputs) as One;
    return applyLayer(this, list as readonly SymbolicTensor[], { training: symbolicTraining(this, rest), masks: masks.length, maskedInputs }) as One;
  }

  /**
   * The symbolic output of the layer's one call (in a model or through `apply`), as in TensorFlow.js:
   * a model can end there, e.g. a feature extractor over a trained model's layers, which it shares.
   * A layer called several times has one output per call: use {@link getOutputAt}.
   *
   * @example
   * ```ts
   * const features = km.model({ inputs: trained.inputs, outputs: trained.getLayer('hidden').output });
   * ```
   */
  get output(): SymbolicTensor {
    return this.getOutputAt(onlyCall(this, 'output'));
  }

  /**
   * The shape of one sample of the layer's output, as tfjs' `outputShape` without its leading null
   * (`[10]` for a Dense of 10 units), or a list of them for a layer with several outputs per call (an
   * RNN with returnState). A shared layer's calls all have the same shapes, as it is built for one.
   */
  get outputShape(): SampleShape | SampleShape[] {
    return firstCallShapes(this, 'output', () => this.getOutputsAt(0));
  }

  /**
   * The shape of one sample of the layer's input (Keras' `input_shape`, without the batch), or a list
   * of them for a layer called on several tensors (a merge).
   */
  get inputShape(): SampleShape | SampleShape[] {
    return firstCallShapes(this, 'input', () => [this.getInputAt(0)].flat());
  }

  /** The symbolic input of the layer's one call: one tensor, or a list for a layer called on several (a merge). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.getInputAt(onlyCall(this, 'input'));
  }

  /** The symbolic input of the layer's call number `nodeIndex`, for a layer called several times. */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const inbound = [...callAt(this, nodeIndex).inbound];
    return inbound.length === 1 ? inbound[0] : inbound;
  }

  /**
   * The symbolic output of the layer's call number `nodeIndex` (0 for the first), for a layer called
   * several times; a layer with several outputs (an RNN with returnState) has {@link getOutputsAt}.
   */
  getOutputAt(nodeIndex: number): SymbolicTensor {
    return singleOutputAt(this, nodeIndex);
  }

  /** Every symbolic output of the layer's call number `nodeIndex`: one for most layers, `[output, ...states]` for an RNN with returnState. */
  getOutputsAt(nodeIndex: number): SymbolicTensor[] {
    return [...callAt(this, nodeIndex).outputs];
  }

  /**
   * Whether the output is the input's storage reinterpreted (Flatten, Reshape). The plan then
   * shares the input's buffers and skips the layer; where sharing is unsafe (fan-out) it runs the
   * layer, whose forward and backward copy.
   */
  get aliasesInput(): boolean {
    return false;
  }

  /** A penalty per weight in `build` order (null: none); layers with kernel/bias regularizers override it. */
  get weightRegularizers(): readonly (Regularizer | null)[] {
    return [];
  }

  /** A constraint per weight in `build` order (null: none), applied after each optimizer step. */
  get weightConstraints(): readonly (Constraint | null)[] {
    return [];
  }

  /** A penalty on the layer's output (Keras' activity regularizer), or null. */
  get activityRegularizer(): Regularizer | null {
    return null;
  }

  /**
   * Keras' `supports_masking`: whether the layer accepts an input that carries a mask (padded
   * sequences after `embedding({ maskZero: true })` or `masking()`). A model whose mask reaches a layer
   * without it is refused when it is built, naming the layer. Per-step layers (Dense, Dropout,
   * activations, LayerNormalization, noise, TimeDistributed) pass the mask on; recurrent layers,
   * Bidirectional and GlobalAveragePooling1D read it.
   */
  get supportsMasking(): boolean {
    return false;
  }

  /**
   * The mode of a call on data that gives none (`layer.apply(x)` or `model.apply(x)` without
   * `training`): false, inference, except for Keras 3's image augmentation layers, whose `call`
   * defaults to training so that `augment.apply(images)` augments. `predict` and `fit` set the mode.
   */
  get trainingByDefault(): boolean {
    return false;
  }

  /**
   * Whether the layer's training pass couples the samples of its batch (BatchNormalization's batch
   * statistics, a Dropout mask shared across the batch), so TimeDistributed runs it once per step,
   * as tfjs' and Keras 3's loop over the steps does, rather than on batch·steps rows at once.
   */
  get couplesSamples(): boolean {
    return false;
  }

  /**
   * Whether the layer's `forward` adds loss terms with `ctx.addLoss`, so TimeDistributed runs it
   * once per step, each step on its batch of samples, in every mode, as Keras 3 calls its layer once
   * per step and sums the terms (a term averaged over the batch then counts each step's mean). A
   * layer under TimeDistributed that adds a term without declaring it is refused at its first call.
   */
  get addsLosses(): boolean {
    return false;
  }

  /**
   * Whether the layer reads the masks of several inputs itself (MultiHeadAttention: the value's and
   * key's), so they need no merging; what it passes on is its first input's mask.
   */
  get readsInputMasks(): boolean {
    return false;
  }

  /** Throws, when the model is built, if the layer cannot read its input's mask (`mask`: its shape per sample, made by `source`). */
  checkInputMask(_mask: Shape, _input: Shape, _source: Layer): void {}

  /** Whether the layer makes a new mask in its forward pass, into `ctx.outputMask` (Embedding with maskZero, Masking). */
  get producesMask(): boolean {
    return false;
  }

  /**
   * Whether the layer makes its output's mask from its input's values alone (Masking, Embedding
   * with maskZero), so it refuses a mask given explicitly (`apply(x, { mask })`). A layer that makes
   * its mask from its input's mask (a custom one reading ctx.inputMask) takes one as that mask.
   */
  get makesMaskFromValues(): boolean {
    return false;
  }

  /**
   * The entries of the list a mask given explicitly must be, one per input, in input order (the
   * attention layers: `['queryMask', 'valueMask', 'keyMask']`, Keras' `mask=[query_mask, value_mask, key_mask]`; null in
   * it gives an input no mask); null for a layer that takes one mask, its input's.
   */
  get explicitMaskList(): readonly string[] | null {
    return null;
  }

  /** Whether its output carries its input's mask on (Keras' compute_mask returning it): by default, when it supports masking. */
  get passesMask(): boolean {
    return this.supportsMasking;
  }

  /** Whether the layer reads its input as integer indices (Embedding), so an int32 model input may feed it directly. */
  get readsIndices(): boolean {
    return false;
  }

  /**
   * Checks the host values of a model input that this layer reads directly, in fit, evaluate and
   * predict before any batch runs (`values` holds samples of `perSample` values; `what` names the
   * input, e.g. 'x'). Throws naming the sample, the value and the fix; Embedding checks its indices.
   */
  checkModelInput(_values: Float32Array | Int32Array, _perSample: number, _what: string): void {}

  /** The activation applied last, where the layer has one (Dense, Activation). */
  get outputActivation(): string {
    return 'linear';
  }

  /**
   * Computes a batch with the backend's kernels: write `ctx.output` from `ctx.inputs` and
   * `ctx.weights` (backend buffer ids holding `ctx.batch` samples row by row); `ctx.training` is the
   * mode. A custom layer implements it (docs/CUSTOM_LAYERS.md).
   * @example
   * ```ts
   * forward(ctx: km.layers.ForwardContext): void {
   *   ctx.backend.mul(ctx.inputs[0], ctx.inputs[0], ctx.output, ctx.batch * this.size); // y = x²
   * }
   * ```
   */
  abstract forward(ctx: ForwardContext): void;
  /**
   * Backpropagates a batch: from `ctx.outputGrad`, overwrite `ctx.weightGrads` and each non-zero
   * `ctx.inputGrads[k]` (0: nothing upstream needs it). The engine sums gradients where a tensor
   * feeds several layers, so only overwrite. State from `forward` belongs in `ctx.workspace`, not on
   * the layer, which the calls of a shared layer share.
   */
  abstract backward(ctx: BackwardContext): void;

  /** Plain-data configuration, Keras names in camelCase. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.declaredInputShape) {
      config.batchInputShape = [this.declaredBatchSize ?? null, ...this.declaredInputShape];
      config.dtype = 'float32';
    }
    return config;
  }
}

/**
 * Keras tracks the layers a custom layer holds as attributes and makes their weights its own;
 * kerasm does not (only a wrapper's, through addInnerWeights), so they would silently not train or save.
 */
function checkNoHeldLayers(layer: Layer, wraps: boolean): void {
  if (wraps) return; // a wrapper manages the layers it runs
  for (const [key, value] of Object.entries(layer)) {
    // A model is checked by shape: engine/model imports this module.
    const held = (Array.isArray(value) ? value : [value]).find((v) => v instanceof Layer || (typeof v === 'object' && v !== null && 'allLayers' in v && 'predict' in v));
    if (!held) continue;
    throw heldLayerError(layer, key, held instanceof Layer ? `the layer '${held.name}'` : `the model '${(held as { name: string }).name}'`);
  }
}
