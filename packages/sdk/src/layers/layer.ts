import type { Regularizer } from '../regularizers/regularizers.js';
import type { Constraint } from '../constraints/constraints.js';
import { getInitializer, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import { applyLayer, FIXED_SAMPLE_SHAPE_FIX, layerCalls, type SymbolicCall, type SymbolicTensor } from '../engine/symbolic.js';
import { checkWeightList, drawInitialWeights, readLayerWeights, writeLayerWeights } from '../engine/weight_homes.js';
import { weightOrder } from '../engine/params.js';
import { sameShape, Tensor } from '../tensor.js';
import { applyConcrete, explicitMasks, releaseApplied, symbolicTraining, type LayerApplyArgs } from '../engine/concrete_apply.js';
import { keywordTensors } from '../engine/keyword_inputs.js';
import type { Backend, BufferId } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, WeightSpec } from './layer_context.js';
import { uniqueLayerName } from './layer_names.js';
import { LayerWeight, layerWeights } from './layer_weight.js';
import { LAYER } from './layer_options.js';

/** A shape without the batch dimension. */
export type Shape = readonly number[];

/** Options every layer accepts. */
export interface LayerArgs {
  /** A unique name; defaults to the class name in snake case with a counter (`dense_1`). */
  name?: string;
  /** Shape of one input sample (no batch dimension); required on the first layer of a model. */
  inputShape?: readonly number[];
  /** Shape of the input with a leading batch dimension (`null` for any batch size). */
  batchInputShape?: readonly (number | null)[];
  /**
   * The batch size, with `inputShape`: `{ inputShape: [3], batchSize: 4 }` is
   * `{ batchInputShape: [4, 3] }`, as in tfjs. Only a stateful recurrent layer needs one (it keeps
   * each sample's states from batch to batch, so every batch must have this many samples); other
   * models take any batch size.
   */
  batchSize?: number;
  /**
   * tfjs' dtype of the input a Sequential model's first layer declares with `inputShape`:
   * `'int32'` for the ids an Embedding reads, as `km.input({ shape, dtype: 'int32' })` declares
   * them (kerasm feeds them as float32 either way). Unlike tfjs, it leaves the layer's own dtype
   * (its weights, its config) float32. Default `'float32'`.
   */
  inputDType?: 'float32' | 'int32';
  /** Whether the layer's weights are updated by training (default true). */
  trainable?: boolean;
  /** Element type of the layer's weights and outputs; kerasm computes in `'float32'` only. */
  dtype?: 'float32';
  /**
   * Initial values of the layer's weights, set when it is built, in the order and shapes
   * `getWeights()` returns them (tfjs' `weights` option); a list of the wrong length or shapes is
   * an error naming the weight. Not part of `getConfig()`, as in tfjs.
   *
   * @example
   * ```ts
   * // A pretrained embedding matrix of 1000 words by 50 values, kept fixed.
   * km.layers.embedding({ inputDim: 1000, outputDim: 50, weights: [km.tensor(matrix)], trainable: false });
   * ```
   */
  weights?: readonly Tensor[];
}

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
  /** Declared input shape (no batch dimension), when given. */
  readonly declaredInputShape: Shape | undefined;
  /** Declared batch size (`batchSize`, or a number as `batchInputShape[0]`), when given. */
  readonly declaredBatchSize: number | undefined;
  /** The dtype of the model input the layer declares (`inputDType`), when given. */
  readonly declaredInputDType: 'float32' | 'int32' | undefined;
  #weights: WeightSpec[] = [];
  /** The `weights` option's values, until the layer is built. */
  #initialWeights: readonly Tensor[] | undefined;
  #builtFor: readonly Shape[] | null = null;
  #trainable = true;
  /** The layers whose weights `addInnerWeights` made this layer's own. */
  readonly #innerLayers = new Set<Layer>();

  constructor(args: LayerArgs, className: string) {
    if (typeof className !== 'string' || className === '') throw missingClassNameError(new.target.name);
    if (typeof (this as { computeMask?: unknown }).computeMask === 'function') throw computeMaskError(new.target.name);
    this.name = args.name ?? uniqueLayerName(className);
    this.trainable = args.trainable ?? true;
    if (args.inputShape && args.batchInputShape) {
      throw new Error(`Layer '${this.name}': give inputShape or batchInputShape, not both.`);
    }
    if (args.dtype !== undefined && args.dtype !== 'float32') {
      throw new Error(`Layer '${this.name}': kerasm computes in float32 only. Received: dtype=${JSON.stringify(args.dtype)}. Remove dtype or set it to 'float32'.`);
    }
    const batchSize = args.batchSize ?? args.batchInputShape?.[0] ?? undefined;
    if (batchSize !== undefined) {
      if (!Number.isInteger(batchSize) || (batchSize as number) < 1) {
        throw new Error(`Layer '${this.name}': the batch size must be a positive integer. Received: batchSize=${JSON.stringify(batchSize)}. Give batchSize: 32, or batchInputShape: [32, ...inputShape].`);
      }
      if (args.batchSize !== undefined && args.batchInputShape?.[0] != null && args.batchInputShape[0] !== args.batchSize) {
        throw new Error(`Layer '${this.name}': batchSize ${args.batchSize} and batchInputShape[0] ${args.batchInputShape[0]} disagree. Give one of them.`);
      }
      this.declaredBatchSize = batchSize as number;
    }
    for (const key of ['inputShape', 'batchInputShape'] as const) {
      const given: unknown = args[key];
      if (given !== undefined && given !== null && !Array.isArray(given)) {
        throw new Error(`Layer '${this.name}': ${key} is a list of dimensions${key === 'batchInputShape' ? ' with the batch size (or null) first' : ' without the batch'}, such as ${key === 'inputShape' ? `[${JSON.stringify(given)}]` : `[null, ${JSON.stringify(given)}]`}. Received: ${key}=${JSON.stringify(given)}.`);
      }
    }
    const shape = args.inputShape ?? args.batchInputShape?.slice(1);
    if (shape) {
      if (!shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
        const unknown = shape.some((d) => d === null || d === undefined);
        const fix = unknown ? ` ${FIXED_SAMPLE_SHAPE_FIX}` : '';
        throw new Error(`Layer '${this.name}': input shape dimensions must be positive integers. Received: inputShape=${JSON.stringify(shape)}.${fix}`);
      }
      this.declaredInputShape = shape as Shape;
    }
    if (args.inputDType !== undefined) {
      if (args.inputDType !== 'float32' && args.inputDType !== 'int32') {
        throw new Error(`Layer '${this.name}': inputDType must be 'float32' or 'int32' (ids for an Embedding), the dtypes of kerasm's inputs. Received: inputDType=${JSON.stringify(args.inputDType)}.`);
      }
      this.declaredInputDType = args.inputDType;
    }
    if (args.weights !== undefined) this.#initialWeights = initialWeightsOf(args.weights, this.name);
    const own = Object.entries(args).filter(([key, value]) => !Object.hasOwn(LAYER, key) && value !== undefined);
    constructedWith.set(this, { options: Object.fromEntries(own) });
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
      throw new Error(`Layer '${this.name}': trainable must be true or false. Received: trainable=${JSON.stringify(value)}.`);
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
      throw new Error(
        `Layer '${this.name}' (${this.className}) is not built yet, so it has no weights to set (received ${weights.length} tensor${weights.length === 1 ? '' : 's'}). ` +
          `Build it first: put it in a model whose input shape is known (or call layer.apply(km.input({ shape }))), then call setWeights.`,
      );
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
    if (builtFor === null) {
      // The fields the constructor set, before build adds its own (see constructedState).
      const record = constructedWith.get(this);
      if (record && !record.fields) record.fields = Object.fromEntries(Object.entries(this));
      this.build(inputShapes);
      try {
        checkNoHeldLayers(this, this.#innerLayers);
      } catch (error) {
        this.#weights = [];
        throw error;
      }
      const initial = this.#initialWeights;
      if (initial) {
        try {
          checkWeightList(weightOrder([this]).map((e) => e.spec), initial, `Layer '${this.name}' (${this.className})`, 'its weights option');
        } catch (error) {
          this.#weights = []; // unbuilt again, so the error leaves the layer as it was
          throw error;
        }
      }
      this.#builtFor = inputShapes.map((s) => [...s]);
      if (initial) {
        this.setWeights(initial);
        this.#initialWeights = undefined;
      } else drawInitialWeights(this);
      return;
    }
    const same = builtFor.length === inputShapes.length && builtFor.every((s, k) => sameShape(s, inputShapes[k]));
    if (!same) {
      const list = (shapes: readonly Shape[]) => shapes.map(formatShape).join(' and ');
      throw new Error(
        `Layer '${this.name}' (${this.className}) was built for input shape ${list(builtFor)}, but this call gives it ${list(inputShapes)}. ` +
          `A layer applied several times (a shared layer) keeps one set of weights, so every call must receive the shape it was built for. ` +
          `Give this input its own ${this.className} layer, or bring it to ${list(builtFor)} first.`,
      );
    }
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
    const resolved = this.#initializerFor(name, initializer);
    // A getter, so that changing `layer.trainable` later reaches every reader of the spec.
    const isTrainable = () => trainable && this.trainable;
    this.#weights.push({
      name: `${this.name}/${name}`, shape: [...shape], initializer: resolved,
      get trainable() {
        return isTrainable();
      },
    });
  }

  #initializerFor(weight: string, spec: InitializerSpec): Initializer {
    try {
      return getInitializer(spec);
    } catch (error) {
      throw new Error(`Layer '${this.name}': addWeight('${weight}') takes an initializer name (e.g. 'glorotUniform', 'random_normal', 'zeros'), a config ({ className: 'RandomNormal', config: { stddev: 0.05 } }) or a function (shape, random) => Float32Array. ${(error as Error).message}`);
    }
  }

  /**
   * Declares the weights of `inner`, a layer this one runs (built already), as its own: a wrapper
   * (Bidirectional, TimeDistributed) owns its sub-layers' weights, so the model stores, trains and
   * saves them under the wrapper, named `<this name>/<scope>/<weight>` as tfjs names them (no
   * scope: `<this name>/<weight>`). Each stays trainable only while both layers are.
   */
  protected addInnerWeights(inner: Layer, scope: string): void {
    this.#innerLayers.add(inner);
    for (const spec of inner.weightSpecs) {
      const own = spec.name.slice(inner.name.length + 1);
      const isTrainable = () => spec.trainable && this.trainable;
      this.#weights.push({
        name: [this.name, scope, own].filter((part) => part !== '').join('/'), shape: spec.shape, initializer: spec.initializer,
        get trainable() {
          return isTrainable();
        },
      });
    }
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
    const { masks, others } = explicitMasks(this, options);
    const { tensors: keywordInputs, rest } = keywordTensors(this, others);
    const list: readonly unknown[] = [...(Array.isArray(inputs) ? inputs : [inputs]), ...keywordInputs, ...masks];
    // A layer with several outputs gives a list (the overloads of the subclasses that have them say so).
    type One = SymbolicTensor & Tensor<'float32'>;
    if (list.some((x) => x instanceof Tensor)) return applyConcrete(this, list, rest, masks.length) as One;
    return applyLayer(this, list as readonly SymbolicTensor[], { training: symbolicTraining(this, rest), masks: masks.length }) as One;
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
    return this.getOutputAt(this.#onlyCall('output'));
  }

  /**
   * The shape of one sample of the layer's output, as tfjs' `outputShape` without its leading null
   * (`[10]` for a Dense of 10 units), or a list of them for a layer with several outputs per call (an
   * RNN with returnState). A shared layer's calls all have the same shapes, as it is built for one.
   */
  get outputShape(): Shape | Shape[] {
    return this.#firstCallShapes('output', () => this.getOutputsAt(0));
  }

  /**
   * The shape of one sample of the layer's input (Keras' `input_shape`, without the batch), or a list
   * of them for a layer called on several tensors (a merge).
   */
  get inputShape(): Shape | Shape[] {
    return this.#firstCallShapes('input', () => [this.getInputAt(0)].flat());
  }

  /** The shapes of the `tensors` of the layer's first call, one shape for one tensor; every call has the same, since a layer is built for one. */
  #firstCallShapes(what: 'input' | 'output', tensors: () => readonly SymbolicTensor[]): Shape | Shape[] {
    if (layerCalls(this).length === 0) this.#onlyCall(what); // throws, saying how to call it
    const shapes = tensors().map((t) => [...t.shape]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** The symbolic input of the layer's one call: one tensor, or a list for a layer called on several (a merge). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.getInputAt(this.#onlyCall('input'));
  }

  /** The symbolic input of the layer's call number `nodeIndex`, for a layer called several times. */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const inbound = [...this.#call(nodeIndex).inbound];
    return inbound.length === 1 ? inbound[0] : inbound;
  }

  /**
   * The symbolic output of the layer's call number `nodeIndex` (0 for the first), for a layer called
   * several times; a layer with several outputs (an RNN with returnState) has {@link getOutputsAt}.
   */
  getOutputAt(nodeIndex: number): SymbolicTensor {
    const { outputs } = this.#call(nodeIndex);
    if (outputs.length > 1) {
      throw new Error(`Layer '${this.name}' (${this.className}) has ${outputs.length} outputs per call, so it has no single output. Use layer.getOutputsAt(${nodeIndex}), or the list its apply returned (const [output, ...states] = layer.apply(x)).`);
    }
    return outputs[0];
  }

  /** Every symbolic output of the layer's call number `nodeIndex`: one for most layers, `[output, ...states]` for an RNN with returnState. */
  getOutputsAt(nodeIndex: number): SymbolicTensor[] {
    return [...this.#call(nodeIndex).outputs];
  }

  #call(nodeIndex: number): SymbolicCall {
    const list = layerCalls(this);
    if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= list.length) {
      throw new Error(`Layer '${this.name}' has ${list.length} output${list.length === 1 ? '' : 's'} (one per call), so getOutputAt(${nodeIndex}) is out of range.`);
    }
    return list[nodeIndex];
  }

  /** The index of the layer's only call; throws naming the fix when it has none or several. */
  #onlyCall(what: 'input' | 'output'): number {
    const count = layerCalls(this).length;
    if (count === 0) {
      throw new Error(`Layer '${this.name}' has not been called yet, so it has no ${what}. Put it in a model whose input shape is known, or apply it: layer.apply(km.input({ shape })).`);
    }
    if (count > 1) {
      const getter = what === 'output' ? 'getOutputAt' : 'getInputAt';
      throw new Error(`Layer '${this.name}' is called ${count} times (a shared layer), so it has ${count} ${what}s, one per call. Pick one with layer.${getter}(i), i from 0 to ${count - 1}.`);
    }
    return 0;
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

/** The `weights` option, checked to be a list of km.Tensor; their shapes are checked when the layer is built. */
function initialWeightsOf(weights: unknown, layer: string): readonly Tensor[] {
  const bad = Array.isArray(weights) ? weights.findIndex((w) => !(w instanceof Tensor)) : -1;
  if (!Array.isArray(weights) || bad >= 0) {
    const received = Array.isArray(weights) ? `item ${bad} is ${describeValue(weights[bad])}` : describeValue(weights);
    throw new Error(`Layer '${layer}': weights takes a list of km.Tensor, one per weight in the order getWeights() returns them, e.g. weights: [km.tensor(matrix)] for an Embedding. Received: ${received}.`);
  }
  return [...weights];
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return Array.isArray(value) ? 'an array (wrap it: km.tensor(values))' : `a ${value.constructor?.name ?? 'object'}`;
}

/** A tfjs-style custom layer calls `super(args)` alone, and computes in `call()`, which kerasm never runs. */
function missingClassNameError(subclass: string): Error {
  return new Error(
    `${subclass} calls super(args) without its class name: kerasm's Layer takes super(args, '${subclass}'), the name saved files record (tfjs' static className). ` +
      `It computes in forward(ctx) and backward(ctx) with the backend's kernels, not in tfjs' call() with tensor ops; docs/CUSTOM_LAYERS.md shows a whole custom layer.`,
  );
}

/** A tfjs-style `computeMask(inputs, mask)` returns a tensor, which kerasm never asks for: the mask is a buffer the forward pass writes. */
function computeMaskError(subclass: string): Error {
  return new Error(
    `${subclass} defines computeMask, which kerasm never calls: a layer's mask is a buffer of one value per step that its forward pass writes, not a tensor a method returns. ` +
      `Declare \`get producesMask() { return true; }\` and \`get supportsMasking() { return true; }\`, then in forward(ctx) read the input's mask from ctx.inputMask (0 when it carries none) and write the output's into ctx.outputMask (1 keeps a step, 0 masks it). ` +
      `Rename the method if it is not meant as tfjs' computeMask. docs/CUSTOM_LAYERS.md (Masks) shows how.`,
  );
}

/** What each layer's constructor received beyond every layer's options, and its fields before build. */
const constructedWith = new WeakMap<Layer, { options: Record<string, unknown>; fields?: Record<string, unknown> }>();

/**
 * The options the layer's constructor received that are not every layer's ({@link LAYER}), and its
 * own enumerable fields as the constructor left them (before `build`; now, for a layer not built),
 * for the check that a saved config keeps what the layer was made with.
 */
export function constructedState(layer: Layer): { options: Record<string, unknown>; fields: Record<string, unknown> } {
  const record = constructedWith.get(layer);
  return { options: record?.options ?? {}, fields: record?.fields ?? Object.fromEntries(Object.entries(layer)) };
}

/**
 * Keras tracks the layers a custom layer holds as attributes and makes their weights its own;
 * kerasm does not (only a wrapper's, through addInnerWeights), so they would silently not train or save.
 */
function checkNoHeldLayers(layer: Layer, inner: ReadonlySet<Layer>): void {
  if (inner.size > 0) return; // a wrapper manages the layers it runs
  for (const [key, value] of Object.entries(layer)) {
    // A model is checked by shape: engine/model imports this module.
    const held = (Array.isArray(value) ? value : [value]).find((v) => v instanceof Layer || (typeof v === 'object' && v !== null && 'allLayers' in v && 'predict' in v));
    if (!held) continue;
    const what = held instanceof Layer ? `the layer '${held.name}'` : `the model '${(held as { name: string }).name}'`;
    throw new Error(
      `Layer '${layer.name}' (${layer.className}) holds ${what} in its property '${key}', as a Keras layer holds the layers its call() runs. ` +
        `kerasm does not track layers held that way: their weights are not this layer's, so they would not train or save, and forward cannot run them. ` +
        `Build a layer made of layers as a functional model, km.model({ inputs, outputs }), which is used like a layer (docs/CUSTOM_LAYERS.md, "Layers made of layers").`,
    );
  }
}

/** Throws unless exactly one input is given; returns its shape. */
export function singleInput(layer: Layer, inputShapes: readonly Shape[]): Shape {
  if (!Array.isArray(inputShapes) || !inputShapes.every((shape) => Array.isArray(shape))) {
    // Keras' layer.build((None, 4)) passes one shape with its batch axis.
    const sample = Array.isArray(inputShapes) ? inputShapes.filter((d, k) => !(k === 0 && d === null)) : [];
    throw new Error(
      `Layer '${layer.name}' (${layer.className}): build and computeOutputShape take a list of input shapes, one per input, each without the batch axis, but received ${JSON.stringify(inputShapes)}. ` +
        `For Keras' layer.build((None, ${sample.join(', ')})) call layer.build([[${sample.join(', ')}]]), or apply the layer to km.input({ shape: [${sample.join(', ')}] }), which builds it.`,
    );
  }
  if (inputShapes.length !== 1) {
    throw new Error(`Layer '${layer.name}' (${layer.className}) takes one input, but received ${inputShapes.length}.`);
  }
  return inputShapes[0];
}

/** Formats a shape with Keras' `None` batch dimension, for messages and summaries. */
export function formatShape(shape: Shape): string {
  return `(None, ${shape.join(', ')})`;
}
