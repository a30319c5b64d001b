import type { Backend, BufferId } from '../backend/backend.js';
import { LearningRateSchedule } from './schedules/schedule.js';
import { shapeSize, type Tensor } from '../tensor.js';
import { applyGradients, minimize, variableGrads, type Differentiable, type NamedGradients } from './minimize.js';
import { accumulateGradients, GRADIENT_ACCUMULATOR, gradientAccumulationSteps, takeMeanGradients, type GradientAccumulationArgs } from './gradient_accumulation.js';
import { slotShape, type AllocatedSlot, type StateSlot } from './state_slots.js';
import { sameWeights, StateLayouts, type OptimizedWeight, type StateLayout } from './state_layouts.js';
import { UnchangedWeights } from './unchanged_weights.js';
import { emaSettings, WeightAverage, type EmaArgs, type EmaSettings } from './weight_average.js';
import { namedState, readNamedTensors, setNamedState, type NamedTensor, type NamedTensorLike, type StateHolders } from './named_state.js';
import type { StateOwner } from '../io/optimizer_weights.js';

export type { OptimizedWeight } from './state_layouts.js';
export type { NamedTensor, NamedTensorLike } from './named_state.js';

/** Options every optimizer accepts, as in Keras 3. At most one of the clipping options may be set. */
export interface OptimizerArgs extends EmaArgs, GradientAccumulationArgs {
  /** A number, or a schedule from `km.optimizers.schedules` evaluated at each step. */
  learningRate?: number | LearningRateSchedule;
  /** Clip each weight's gradient to this L2 norm. */
  clipnorm?: number;
  /** Clip every gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Scale all gradients together so their joint L2 norm is at most this. */
  globalClipnorm?: number;
  /** Decoupled weight decay: `p −= p·weightDecay·lr` before each update (AdamW defaults it to 0.004). */
  weightDecay?: number;
}

/**
 * An optimizer updates the model's flat parameter buffer from its flat gradient buffer in one
 * sweep. State (moments, velocities) lives in backend buffers allocated on `attach` from the
 * slots the optimizer declares (`declareSlots`).
 * Each step clips the gradients, applies weight decay, then the subclass's update rule.
 */
export abstract class Optimizer {
  /** Keras class name, e.g. `'Adam'`. */
  abstract readonly className: string;
  /** Number of updates applied so far. */
  iterations = 0;
  /** Batches whose gradients wait in the accumulator for the next update (0 without `gradientAccumulationSteps`). */
  accumulatedBatches = 0;
  /** Batches summed per update, or null when every batch updates. */
  readonly gradientAccumulationSteps: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly weightDecay: number;
  /** The weights' moving-average settings, or null without `useEma`. */
  readonly ema: EmaSettings | null;
  #average: WeightAverage | null = null;
  /** The parameter buffer of the latest update, which `finalizeVariableValues` writes the average into. */
  #params: BufferId = 0;
  #learningRate: number | LearningRateSchedule;
  /** Per-weight views of a buffer, by buffer (views are not free on every backend, so they are made once per layout switch). */
  #views = new Map<BufferId, BufferId[]>();
  #size = 0;
  /** The per-weight state, and the layout the updates use: the trainable weights in parameter-buffer order. */
  #state = new StateLayouts();
  /** The weights the latest `apply` left unchanged, ready for the next step that leaves the same ones. */
  #unchanged: UnchangedWeights | null = null;
  /** Whether `detach` freed all the state (its model disposed, or compiled with another optimizer), until the next `attach`. */
  #released = false;
  /** The frozen layers' weights of the model laid out last: `setWeights` may set their state aside. */
  #frozen: readonly OptimizedWeight[] = [];

  constructor(className: string, args: OptimizerArgs, defaultLearningRate: number) {
    const lr = args.learningRate ?? defaultLearningRate;
    if (!(lr instanceof LearningRateSchedule) && (!(typeof lr === 'number' && lr >= 0) || !Number.isFinite(lr))) {
      throw new Error(`${className}: learningRate must be a finite number ≥ 0 or a schedule from km.optimizers.schedules. Received: learningRate=${String(lr)}.`);
    }
    this.#learningRate = lr;
    const positiveOrNull = (name: 'clipnorm' | 'clipvalue' | 'globalClipnorm'): number | null => {
      const value = args[name];
      if (value === undefined || value === null) return null;
      if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
        throw new Error(`${className}: ${name} must be a positive finite number. Received: ${name}=${String(value)}.`);
      }
      return value;
    };
    this.clipnorm = positiveOrNull('clipnorm');
    this.clipvalue = positiveOrNull('clipvalue');
    this.globalClipnorm = positiveOrNull('globalClipnorm');
    const set = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((n) => this[n] !== null);
    if (set.length > 1) {
      throw new Error(`${className}: only one of clipnorm, clipvalue and globalClipnorm can be set. Received: ${set.map((n) => `${n}=${this[n]}`).join(', ')}. Keep one.`);
    }
    this.weightDecay = checkRange(className, 'weightDecay', args.weightDecay ?? 0, 0, Infinity);
    this.ema = emaSettings(className, args);
    this.gradientAccumulationSteps = gradientAccumulationSteps(className, args);
  }

  /**
   * Batches applied so far, whether they updated or were accumulated: Keras 3's internal iteration
   * count, which learning-rate schedules follow and saving keeps. Without accumulation, `iterations`.
   */
  get batchesApplied(): number {
    return this.iterations * (this.gradientAccumulationSteps ?? 1) + this.accumulatedBatches;
  }

  set batchesApplied(count: number) {
    const steps = this.gradientAccumulationSteps ?? 1;
    this.iterations = Math.floor(count / steps);
    this.accumulatedBatches = count % steps;
  }

  /** The learning rate of the next update (a schedule is evaluated at `batchesApplied`, as Keras 3 does). */
  get learningRate(): number {
    const lr = this.#learningRate;
    return lr instanceof LearningRateSchedule ? lr.at(this.batchesApplied) : lr;
  }

  /** Sets a constant learning rate (as ReduceLROnPlateau does); not allowed when a schedule drives it. */
  set learningRate(value: number) {
    if (this.#learningRate instanceof LearningRateSchedule) {
      throw new Error(`${this.className}: the learning rate follows a ${this.#learningRate.className} schedule and cannot be set. Received: learningRate=${value}. Create the optimizer with a number to change it during training.`);
    }
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new Error(`${this.className}: learningRate must be a finite number ≥ 0. Received: learningRate=${value}.`);
    }
    this.#learningRate = value;
  }

  /**
   * TensorFlow.js' `optimizer.setLearningRate(x)`: the same as assigning `optimizer.learningRate = x`.
   * @example `model.optimizer.setLearningRate(0.001)`
   */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** TensorFlow.js' `getClassName()`: the Keras class name, {@link Optimizer.className} (`'Adam'`). */
  getClassName(): string {
    return this.className;
  }

  /** The schedule driving the learning rate, or null for a constant. */
  get schedule(): LearningRateSchedule | null {
    return this.#learningRate instanceof LearningRateSchedule ? this.#learningRate : null;
  }

  /**
   * Lays the state out for the model's trainable weights on `backend`, in parameter-buffer order;
   * the model calls it before each use. State is kept per weight, as in Keras and tfjs: when the
   * layout changes (a layer's `trainable` flipped, another model shares this optimizer, the model
   * moved backends) each weight keeps its moments, a weight that left the layout keeps them aside
   * until it returns, and `iterations` goes on. A new weight starts from the slots' initial values.
   * The previous layout is kept, so models taking turns on one optimizer switch without allocating,
   * copying only the state of the weights both train.
   *
   * @param frozen The weights of the model's frozen layers, which get no state here; `setWeights`
   *   sets aside the state a list gives for them, for when they train.
   */
  attach(backend: Backend, weights: readonly OptimizedWeight[], frozen: readonly OptimizedWeight[] = []): void {
    this.#frozen = frozen;
    const previous = this.#state.backend;
    if (previous === backend && sameWeights(this.#layout?.weights ?? [], weights)) return;
    if (previous) {
      this.#releaseAverage(previous);
      if (previous !== backend) this.#releaseUnchanged(previous);
    } else {
      this.iterations = 0;
      this.accumulatedBatches = 0;
    }
    this.#released = false;
    const layout = this.#state.use(backend, this.#declaredSlots(), weights);
    this.#views.clear();
    this.#size = layout.sizes.reduce((n, size) => n + size, 0);
    // After a new layout the average restarts from the weights: a weight new to it has none.
    if (this.ema) this.#average = new WeightAverage(backend, this.#size, previous !== null);
  }

  #declaredSlots(): StateSlot[] {
    return [...this.declareSlots(), ...(this.gradientAccumulationSteps ? [GRADIENT_ACCUMULATOR] : [])];
  }

  /**
   * The state set aside for a weight outside the layout (a frozen layer's, or another model's), by
   * slot name, each buffer on the attached backend; empty when there is none. Saving writes it, so
   * a layer frozen when the model is saved resumes its moments once unfrozen after loading.
   */
  setAsideState(key: object): ReadonlyMap<string, BufferId> {
    return this.#state.setAsideState(key);
  }

  /** Sets `values` aside as slot `name`'s state for a weight outside the layout (restoring a saved frozen layer's). */
  setAside(weight: OptimizedWeight, name: string, values: Float32Array): void {
    const backend = this.#state.backend;
    if (!backend) throw new Error(`${this.className} is not attached to a model; compile the model with it first.`);
    this.#state.setAside(backend, weight, name, values);
  }

  /** The layout the updates use, or null when none is attached. */
  get #layout(): StateLayout | null {
    return this.#state.current;
  }

  #releaseUnchanged(backend: Backend): void {
    this.#unchanged?.free(backend);
    this.#unchanged = null;
  }

  /** What keeps `keys` unchanged in the current layout over `params`: made on first use, then reused while neither changes. */
  #unchangedFor(backend: Backend, params: BufferId, keys: ReadonlySet<object>): UnchangedWeights {
    const layout = this.#layout!;
    if (this.#unchanged?.matches(layout, params, keys)) return this.#unchanged;
    this.#unchanged?.free(backend);
    return (this.#unchanged = new UnchangedWeights(backend, layout, params, keys));
  }

  #releaseAverage(backend: Backend): void {
    this.#average?.free(backend);
    this.#average = null;
    this.#params = 0;
  }

  /**
   * Frees the state of the weights keyed by `keys` (all of it without): their model was disposed
   * or recompiled with another optimizer. Another model's state (an optimizer shared between
   * models) stays; when none is left, a later `attach` starts afresh, `iterations` at 0.
   */
  detach(keys?: readonly object[]): void {
    const backend = this.#state.backend;
    if (!backend) return;
    this.#state.detach(keys);
    this.#frozen = keys ? this.#frozen.filter((w) => !keys.includes(w.key)) : [];
    // What kept another layout's weights unchanged may point into state just freed.
    if (this.#unchanged && this.#unchanged.layout !== this.#layout) this.#releaseUnchanged(backend);
    if (this.#layout) return;
    this.#released = this.#state.backend === null;
    this.#releaseAverage(backend);
    this.#size = 0;
    this.#views.clear();
  }

  /**
   * Applies one batch's gradients: clip them (in place), decay the weights, run the update rule.
   * With `gradientAccumulationSteps` N, a batch other than every N-th only adds its gradients to
   * the accumulator, and the N-th updates with the mean of the N.
   *
   * @param unchanged The weights (by the keys they were laid out with) that no loss term reaches,
   *   which Keras 3 gives no gradient: their values and state stay as they were (no update, no
   *   weight decay), as Keras' `apply` drops variables without a gradient. `iterations` still counts
   *   the step. The model passes the same set object while its compile and layout stay, so the
   *   ranges to keep are found once.
   */
  apply(params: BufferId, grads: BufferId, unchanged?: ReadonlySet<object>): void {
    const backend = this.#state.backend;
    if (!backend) throw new Error(`${this.className} is not attached to a model; compile the model with it first.`);
    const kept = unchanged && unchanged.size > 0 ? this.#unchangedFor(backend, params, unchanged) : null;
    kept?.save(backend);
    // Keras 3 blends the moving average after every batch, counting the updates made before it.
    const averageStep = this.iterations + 1;
    const steps = this.gradientAccumulationSteps;
    if (steps && this.accumulatedBatches + 1 < steps) {
      accumulateGradients(backend, this.slot(GRADIENT_ACCUMULATOR.name), grads, this.#size);
      this.accumulatedBatches++;
    } else {
      const lr = this.learningRate;
      if (steps) takeMeanGradients(backend, this.slot(GRADIENT_ACCUMULATOR.name), grads, this.#size, steps);
      this.accumulatedBatches = 0;
      this.#clip(backend, grads);
      if (this.weightDecay > 0) backend.scale(params, this.#size, 1 - lr * this.weightDecay);
      this.iterations++;
      this.update(backend, params, grads, this.#size, lr);
    }
    kept?.restore(backend);
    if (this.#average) {
      this.#average.update(backend, params, averageStep, this.ema!);
      this.#params = params;
    }
  }

  /**
   * With `useEma`, writes the weights' moving average into them, as Keras 3 does at the end of
   * `fit`; otherwise, or before any update, does nothing.
   *
   * @example
   * ```ts
   * const optimizer = km.optimizers.adam({ useEma: true, emaMomentum: 0.9 });
   * model.compile({ optimizer, loss: 'mse' });
   * await model.fit(x, y, { epochs: 3 }); // the model now holds the averaged weights
   * ```
   */
  finalizeVariableValues(): void {
    const backend = this.#state.backend;
    if (this.#average && this.#params && backend) this.#average.overwrite(backend, this.#params);
  }

  /**
   * With `useEma`, exchanges the weights and their moving average, so that the model holds the
   * average until the next swap (`km.callbacks.swapEmaWeights` swaps around validation). Returns
   * false, changing nothing, without `useEma` or before the first update.
   */
  swapAverageWeights(): boolean {
    const backend = this.#state.backend;
    if (!this.#average || !this.#params || !backend) return false;
    this.#average.swap(backend, this.#params);
    return true;
  }

  /** The moving average's buffer (Keras' `average` state), when `useEma` is on and the optimizer is attached. */
  averageSlot(): { readonly name: string; readonly id: BufferId } | null {
    return this.#average ? { name: 'average', id: this.#average.id } : null;
  }

  #clip(backend: Backend, grads: BufferId): void {
    if (this.clipvalue !== null) backend.clipByValue(grads, this.#size, -this.clipvalue, this.clipvalue);
    if (this.globalClipnorm !== null) backend.clipByNorm(grads, this.#size, this.globalClipnorm);
    if (this.clipnorm !== null) {
      const views = this.weightViews(backend, grads);
      this.weightSizes.forEach((length, i) => backend.clipByNorm(views[i], length, this.clipnorm!));
    }
  }

  /** Sizes of the trainable weights, in the order they lie in the parameter buffer. */
  protected get weightSizes(): readonly number[] {
    return this.#layout?.sizes ?? [];
  }

  /** Shapes of the trainable weights, in the same order. */
  protected get weightShapes(): readonly (readonly number[])[] {
    return (this.#layout?.weights ?? []).map((w) => w.shape);
  }

  /**
   * One view per weight of `buffer`, laid out by `lengths` (default: the weights' sizes, as in the
   * parameter buffer), made once per buffer until the next `attach`.
   */
  protected weightViews(backend: Backend, buffer: BufferId, lengths: readonly number[] = this.weightSizes): BufferId[] {
    let ids = this.#views.get(buffer);
    if (!ids) {
      let offset = 0;
      ids = lengths.map((length) => {
        const id = backend.view(buffer, offset, length);
        offset += length;
        return id;
      });
      this.#views.set(buffer, ids);
    }
    return ids;
  }

  /**
   * The optimizer's state as named flat buffers laid out like the parameters (Adam: `m`, `v`), in
   * a fixed order; serialization saves and restores them with `iterations`. Empty until `attach`.
   */
  stateSlots(): readonly AllocatedSlot[] {
    return this.#layout?.slots ?? [];
  }

  /**
   * TensorFlow.js' `optimizer.getWeights()`: the state as named tensors, in tfjs' names and order.
   * First `'iter'` (int32 scalar, the updates applied; with `gradientAccumulationSteps`, the batches),
   * then each state (Adam: all the `m`, then all the `v`) of every weight the optimizer keeps state
   * for, named `'<weight>/<state>'`: the trainable weights of the model it was laid out for last,
   * then the weights of layers frozen since they trained (a GAN's discriminator outside its own
   * step), whose state it keeps aside for when they train again. That is the list tfjs gives, which
   * holds every variable it has state for, and the optimizer weights `model.save(..., {
   * includeOptimizer: true })` writes. An optimizer shared by several models lists the weights of
   * all of them. Before the first update, as in tfjs, the list is `[iter]` alone; so it is for an
   * optimizer no model has used yet. The tensors are copies.
   *
   * Throws when two of those weights have one name (a nested model with a layer named like one
   * outside it), as `model.save` does, and when the state was freed with its model.
   *
   * @example
   * ```ts
   * await model.fit(x, y, { epochs: 2 });
   * const state = await model.optimizer!.getWeights(); // [{ name: 'iter', tensor }, { name: 'dense/kernel/m', tensor }, ...]
   * // ... later, or in a twin model with the same layer names:
   * await model.optimizer!.setWeights(state);
   * ```
   */
  async getWeights(): Promise<NamedTensor[]> {
    return namedState(this, this.#state.backend, this.#stateHolders(), this.#released);
  }

  /**
   * TensorFlow.js' `optimizer.setWeights(list)`: restores state that `getWeights()` returned, from
   * kerasm or from a tfjs optimizer of the same kind that trained a model with the same weight
   * names (its tensors may be tfjs tensors). Entries pair with the state by name; the list must hold
   * `'iter'` and every state `getWeights()` lists (a frozen layer's too), with the same shapes and
   * finite values, or only `'iter'` at 0 (tfjs' list before its first update), which restarts the
   * state from its initial values. Anything else is an error naming the entry, and leaves the state
   * as it was. A tfjs model made after another with the same layer names lists its state under its
   * variables' session-unique names (`base/kernel_1/m`): such an entry pairs with the state it can
   * only mean (`base/kernel/m`), and two entries that would name one state are refused.
   *
   * The optimizer must be laid out for a model first: compile the model with it and build it
   * (`fit`, `predict` or `model.getWeights()`); before that it throws, saying so. The list may also
   * hold the state of a layer frozen since the model was built (a tfjs list from a model where it
   * trained): it is set aside, untouched while the layer is frozen, and the layer continues from it
   * once unfrozen, as when loading a saved model. Each such weight takes every state or none.
   *
   * @example
   * ```ts
   * model.compile({ optimizer: km.optimizers.adam(0.01), loss: 'mse' });
   * model.getWeights(); // builds the model, laying the optimizer's state out
   * await model.optimizer!.setWeights(await tfjsModel.optimizer.getWeights());
   * ```
   */
  async setWeights(weightValues: readonly NamedTensorLike[]): Promise<void> {
    const call = `${this.className}.setWeights`;
    const entries = await readNamedTensors(weightValues, call);
    // Read after the await: the layout is the one the entries are written into.
    setNamedState(this, this.#state.backend, this.#stateHolders(), this.#released, entries, call);
  }

  /** The weights with state, named, as `getWeights` lists their state: the current layout's, then those set aside; null without state. */
  #stateHolders(): StateHolders | null {
    if (!this.#state.backend) return null;
    const laidOut = this.#layout?.weights ?? [];
    const inLayout = new Set(laidOut.map((w) => w.key));
    const named = ({ key, shape }: OptimizedWeight): StateOwner => {
      if (typeof key.name !== 'string') throw new Error(`${this.className}: its state is laid out for weights that have no names, so it cannot be listed by name. Use it through a model (model.compile({ optimizer })).`);
      return { name: key.name, shape, key };
    };
    const setAside = this.#state.weights.filter((w) => !inLayout.has(w.key));
    const withState = new Set(setAside.map((w) => w.key));
    return { laidOut: laidOut.map(named), setAside: setAside.map(named), frozen: this.#frozen.filter((w) => !withState.has(w.key) && !inLayout.has(w.key)).map(named) };
  }

  /** The state buffers this optimizer keeps, in saving order; `attach` allocates them (default: none). */
  declareSlots(): readonly StateSlot[] {
    return [];
  }

  /** The buffer of the declared slot `name` (0 for a slot that is not kept). */
  protected slot(name: string): BufferId {
    return this.#layout?.slots.find((s) => s.name === name)?.id ?? 0;
  }

  /** One view per weight of the declared slot `name`, each as long as the slot's shape for that weight. */
  protected slotViews(backend: Backend, name: string): BufferId[] {
    const slot = this.#layout?.slots.find((s) => s.name === name);
    if (!slot?.id) throw new Error(`${this.className} keeps no state slot '${name}'.`);
    return this.weightViews(backend, slot.id, this.#layout!.weights.map((w) => shapeSize(slotShape(slot, w.shape))));
  }

  /** The update rule; `lr` is the step's learning rate and `iterations` already counts this step. */
  protected abstract update(backend: Backend, params: BufferId, grads: BufferId, size: number, lr: number): void;

  /**
   * One step down the gradient of `f`'s scalar cost with respect to the trainable variables
   * (`km.variable`) and the weights of the models `f` applies to data, or `varList`
   * (`model.trainableWeights`), as tfjs' `optimizer.minimize`; returns the cost with `returnCost`.
   * @example
   * ```ts
   * const [a, b] = [km.variable(km.scalar(0)), km.variable(km.scalar(0))];
   * const optimizer = km.train.sgd(0.1);
   * for (let i = 0; i < 100; i++) optimizer.minimize(() => a.mul(xs).add(b).sub(ys).square().mean());
   * // A model's training step, written out:
   * optimizer.minimize(() => km.losses.softmaxCrossEntropy(labels, model.apply(images, { training: true })));
   * ```
   */
  minimize(f: () => Tensor, returnCost = false, varList?: readonly Differentiable[]): Tensor | null {
    return minimize(this, f, returnCost, varList);
  }

  /** The cost of `f` and its gradients by variable name, as tfjs' `optimizer.computeGradients` (the same as `km.variableGrads`). */
  computeGradients(f: () => Tensor, varList?: readonly Differentiable[]): { value: Tensor; grads: NamedGradients } {
    return variableGrads(f, varList);
  }

  /** Steps the variables and model weights named in `gradients` by this optimizer's rule, as tfjs' `optimizer.applyGradients`. */
  applyGradients(gradients: NamedGradients | readonly { name: string; tensor: Tensor }[]): void {
    applyGradients(this, gradients);
  }

  /** Plain-data configuration. */
  getConfig(): Record<string, unknown> {
    const lr = this.#learningRate;
    const config: Record<string, unknown> = {
      learningRate: lr instanceof LearningRateSchedule ? { className: lr.className, config: lr.getConfig() } : lr,
    };
    if (this.clipnorm !== null) config.clipnorm = this.clipnorm;
    if (this.clipvalue !== null) config.clipvalue = this.clipvalue;
    if (this.globalClipnorm !== null) config.globalClipnorm = this.globalClipnorm;
    if (this.weightDecay > 0) config.weightDecay = this.weightDecay;
    if (this.ema) Object.assign(config, { useEma: true, emaMomentum: this.ema.momentum, emaOverwriteFrequency: this.ema.overwriteFrequency });
    if (this.gradientAccumulationSteps) config.gradientAccumulationSteps = this.gradientAccumulationSteps;
    return config;
  }
}

/** Checks a hyper-parameter lies in [low, high) and names it in the error. */
export function checkRange(className: string, name: string, value: number, low: number, high: number): number {
  if (!(value >= low && value < high)) {
    throw new Error(`${className}: ${name} must be in [${low}, ${high}). Received: ${name}=${value}.`);
  }
  return value;
}
