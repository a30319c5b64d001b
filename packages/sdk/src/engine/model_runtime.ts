import type { Backend } from '../backend/backend.js';
import type { Layer } from '../layers/layer.js';
import { positions } from '../losses/targets.js';
import type { Optimizer } from '../optimizers/index.js';
import { sameWeights, type OptimizedWeight } from '../optimizers/state_layouts.js';
import { shapeSize } from '../tensor.js';
import { globalGenerator } from '../utils/random.js';
import type { Graph } from './graph.js';
import type { OutputSpec } from './outputs.js';
import { ParamStore } from './params.js';
import { BatchPlan, cachedPlan } from './plan.js';

/** A model's weights and batch buffers on one backend. */
export interface Runtime {
  readonly backend: Backend;
  readonly params: ParamStore;
  /** Batch plans by graph and batch size ({@link planKey}), least recently used first. */
  readonly plans: Map<string, BatchPlan>;
}

/** What a runtime reads from its model: the layers whose weights it lays out. */
export interface RuntimeModel {
  readonly name: string;
  readonly allLayers: readonly Layer[];
  readonly computedLayers: readonly Layer[];
}

/**
 * Plans kept per model. `fit` with validation uses at most four (the batch size and the remainders
 * of the training and validation sets); predicting on inputs of many sizes would otherwise keep a
 * plan, with activations for that many rows, per size.
 */
const MAX_PLANS = 8;

/**
 * A model's runtime on the active backend: its weights laid out in a {@link ParamStore} and its
 * batch plans, made again when the backend or the layout changes, and freed on release. A model
 * that flips a layer's `trainable` back and forth (a GAN step freezing its discriminator) keeps the
 * runtime of the other setting as a spare, so each flip swaps runtimes instead of laying the
 * weights and batch buffers out again; a layout changed once keeps no spare.
 */
export class ModelRuntime {
  readonly #model: RuntimeModel;
  #runtime: Runtime | null = null;
  /** The runtime of the other `trainable` setting, kept once the model toggles between two. */
  #spare: Runtime | null = null;
  /** The weights trained by the runtime released last for going stale: a new one training the same ones means the model toggles. */
  #lastStale: readonly OptimizedWeight[] | null = null;

  constructor(model: RuntimeModel) {
    this.#model = model;
  }

  /** The runtime made last, or null before the first or after {@link release}. */
  get current(): Runtime | null {
    return this.#runtime;
  }

  /** The runtime on `backend`, made anew when the model has none there or its weights' layout is stale; `optimizer` is laid out for its weights. */
  on(backend: Backend, optimizer: Optimizer | undefined): Runtime {
    // A new backend (km.setBackend), or a layer's `trainable` changed: the weights move to a new layout.
    if (this.#runtime?.backend !== backend || this.#runtime.params.isStale()) this.#relayout(backend);
    // Every call: an optimizer shared with another model may be laid out for that model's weights.
    optimizer?.attach(backend, this.#runtime!.params.trainableWeights(), this.#runtime!.params.frozenWeights());
    // Takes the latest values of layers another store holds (the spare's, after a swap).
    this.#runtime!.params.claim();
    return this.#runtime!;
  }

  #relayout(backend: Backend): void {
    const previous = this.#runtime;
    const spare = this.#spare;
    const sameBackend = previous?.backend === backend;
    if (sameBackend && spare && !spare.params.isStale()) {
      // `trainable` flipped back: the spare was laid out for it.
      this.#runtime = spare;
      this.#spare = previous;
      return;
    }
    // The new store takes the latest values of layers that have some (this model's previous
    // layout, another model sharing them), so it is made before the previous one is released.
    const model = this.#model;
    const params = new ParamStore(backend, model.allLayers, globalGenerator(), model.name, model.computedLayers);
    const toggling = sameBackend && this.#lastStale !== null && sameWeights(this.#lastStale, params.trainableWeights());
    this.#lastStale = sameBackend ? previous.params.trainableWeights() : null;
    if (spare) free(spare);
    this.#spare = null;
    if (toggling) this.#spare = previous;
    else if (previous) free(previous);
    this.#runtime = { backend, params, plans: new Map() };
  }

  /** Frees the weights and batch buffers; the next {@link on} makes them again. */
  release(): void {
    for (const runtime of [this.#runtime, this.#spare]) if (runtime) free(runtime);
    this.#runtime = null;
    this.#spare = null;
    this.#lastStale = null;
  }

  /** After compile: target buffers depend on the loss (labels or rows), so plans are remade for the new one, and `optimizer` is laid out for the weights. */
  recompiled(optimizer: Optimizer): void {
    const runtime = this.#runtime;
    if (!runtime) return;
    for (const kept of [runtime, this.#spare]) if (kept) releasePlans(kept);
    optimizer.attach(runtime.backend, runtime.params.trainableWeights(), runtime.params.frozenWeights());
  }

  /**
   * The plan for a batch size over `graph`, whose targets `outputs` (compile's, empty before it)
   * lay out, kept for the next batch of that size; only the most recently used few are kept.
   */
  plan(batch: number, graph: Graph, outputs: readonly OutputSpec[]): BatchPlan {
    const { plans, backend } = this.#runtime!;
    return cachedPlan(plans, planKey(graph, batch), backend, MAX_PLANS, () => {
      // Before compile (predict only) the targets are never read, so each output gets a placeholder row.
      const specs = outputs.length > 0 ? outputs : graph.outputs.map((_, k) => ({ loss: undefined, shape: graph.modelOutputShape(k) }));
      // Sparse targets hold one label per position (per sample for a [classes] output).
      const targetLengths = specs.map((o) => (o.loss?.sparseTargets ? positions(o.shape) : shapeSize(o.shape)));
      return new BatchPlan(backend, graph, batch, targetLengths, specs.map((o) => o.loss?.sparseTargets ?? false));
    });
  }
}

/** Each graph's number in plan keys: a model with dimensions of unknown size runs a graph per size of its data. */
const graphNumbers = new WeakMap<Graph, number>();
let graphCount = 0;

/** A plan's key: its graph's number and its batch size. */
function planKey(graph: Graph, batch: number): string {
  let number = graphNumbers.get(graph);
  if (number === undefined) graphNumbers.set(graph, (number = ++graphCount));
  return `${number}:${batch}`;
}

function releasePlans(runtime: Runtime): void {
  for (const plan of runtime.plans.values()) plan.release(runtime.backend);
  runtime.plans.clear();
}

function free(runtime: Runtime): void {
  releasePlans(runtime);
  runtime.params.release();
}
