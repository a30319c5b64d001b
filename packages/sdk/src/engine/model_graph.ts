import type { Graph } from './graph.js';
import type { InputSample } from './input_sample.js';
import { fitsUnknown } from './unknown_dims.js';

/** How many graphs reshaped for other sizes of unknown dimensions a model keeps (the most recently used). */
const MAX_RESHAPED = 8;

/**
 * A model's graph, built once the input shape is known (declared by its layers, given to `build`,
 * or read from the first data) and dropped when its layers change, to be built again over the new ones.
 * A model input with dimensions of unknown size (Keras' None) gives a graph per size of the data:
 * the traced one, reshaped for each call's data, whose layers are bound to it while the call runs.
 * A km.Model whose `call` branches on `training` has a second graph, over the same layers, that
 * training steps run (reshaped likewise); every other pass runs the graph built.
 */
export class ModelGraph {
  readonly #build: (sample: InputSample | null) => Graph | null;
  readonly #onBuilt: (graph: Graph) => void;
  readonly #trainingGraph: () => Graph | null;
  /** The graph as built (traced at the probe size on unknown dimensions). */
  #traced: Graph | null = null;
  /** The graph training steps run as built: `#traced` itself unless the model's `call` branches on `training`. */
  #tracedForTraining: Graph | null = null;
  /** The graph the latest call runs: the traced one, or one reshaped for that call's data. */
  #graph: Graph | null = null;
  /** Graphs reshaped for data, by mode and input shapes, least recently used first. */
  readonly #reshaped = new Map<string, Graph>();

  /**
   * @param build Builds the graph, given what the data says about the inputs when known; null when it cannot be built yet.
   * @param onBuilt Called with each graph once built, and with each graph a call switches to (a compiled model lays its outputs over it).
   * @param trainingGraph Once built, the graph training steps run where it is another (a km.Model whose `call` branches on `training`); null: the one built.
   */
  constructor(build: (sample: InputSample | null) => Graph | null, onBuilt: (graph: Graph) => void, trainingGraph: () => Graph | null = () => null) {
    this.#build = build;
    this.#onBuilt = onBuilt;
    this.#trainingGraph = trainingGraph;
  }

  /** The graph built so far, or null; builds nothing. */
  get current(): Graph | null {
    return this.#graph;
  }

  /** The graph, built now if the input shape is known; null while it is not. */
  tryBuild(): Graph | null {
    if (!this.#graph) this.#use(this.#build(null));
    return this.#graph;
  }

  /**
   * The graph for inputs like `sample`, built now if it was not built yet; for a model with
   * dimensions of unknown size, reshaped to the sizes `sample` has, its layers bound to them.
   * `training`: the graph a training step runs, another one where the model's `call` branches on it.
   */
  ensure(sample: InputSample, training = false): Graph {
    if (!this.#graph) this.#use(this.#build(sample)!);
    if (training && this.#tracedForTraining !== this.#traced) return this.#trainingGraphFor(sample.shapes);
    const traced = this.#traced!;
    if (!traced.hasUnknownDims) return this.#graph!;
    // Data that does not fit keeps the graph, whose input check names the mismatch.
    if (fits(traced, sample.shapes)) this.#switchTo(this.#reshapedFor(traced, sample.shapes as number[][], ''));
    this.#graph!.bind();
    return this.#graph!;
  }

  /** Forgets the graph: the layers changed. */
  drop(): void {
    this.#traced = null;
    this.#tracedForTraining = null;
    this.#graph = null;
    this.#reshaped.clear();
  }

  #use(graph: Graph | null): void {
    if (!graph) return;
    this.#traced = graph;
    this.#tracedForTraining = this.#trainingGraph() ?? graph;
    this.#graph = graph;
    this.#onBuilt(graph);
  }

  /** The training graph for inputs of `shapes`; it leaves the graph other calls run, and the outputs compile laid over it, as they are. */
  #trainingGraphFor(shapes: InputSample['shapes']): Graph {
    const traced = this.#tracedForTraining!;
    if (!traced.hasUnknownDims) return traced;
    const graph = fits(traced, shapes) ? this.#reshapedFor(traced, shapes as number[][], 'training ') : traced;
    graph.bind();
    return graph;
  }

  #switchTo(graph: Graph): void {
    if (graph === this.#graph) return;
    this.#graph = graph;
    this.#onBuilt(graph);
  }

  #reshapedFor(traced: Graph, shapes: readonly number[][], mode: string): Graph {
    const key = mode + JSON.stringify(shapes);
    const known = this.#reshaped.get(key);
    if (known) {
      this.#reshaped.delete(key);
      this.#reshaped.set(key, known);
      return known;
    }
    const graph = traced.withInputShapes(shapes);
    this.#reshaped.set(key, graph);
    if (this.#reshaped.size > MAX_RESHAPED) this.#reshaped.delete(this.#reshaped.keys().next().value!);
    return graph;
  }
}

/** Whether data of `shapes` fits `traced`'s inputs, every dimension known and of the size traced where that is not unknown. */
function fits(traced: Graph, shapes: InputSample['shapes']): boolean {
  return shapes.length === traced.inputShapes.length && shapes.every((s, k) => s.every((d) => d !== null) && fitsUnknown(s as number[], traced.inputShapes[k], traced.inputUnknownAxes[k]));
}
