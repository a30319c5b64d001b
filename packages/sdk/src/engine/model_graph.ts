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
 */
export class ModelGraph {
  readonly #build: (sample: InputSample | null) => Graph | null;
  readonly #onBuilt: (graph: Graph) => void;
  /** The graph as built (traced at the probe size on unknown dimensions). */
  #traced: Graph | null = null;
  /** The graph the latest call runs: the traced one, or one reshaped for that call's data. */
  #graph: Graph | null = null;
  /** Graphs reshaped for data, by their input shapes, least recently used first. */
  readonly #reshaped = new Map<string, Graph>();

  /**
   * @param build Builds the graph, given what the data says about the inputs when known; null when it cannot be built yet.
   * @param onBuilt Called with each graph once built, and with each graph a call switches to (a compiled model lays its outputs over it).
   */
  constructor(build: (sample: InputSample | null) => Graph | null, onBuilt: (graph: Graph) => void) {
    this.#build = build;
    this.#onBuilt = onBuilt;
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
   */
  ensure(sample: InputSample): Graph {
    if (!this.#graph) this.#use(this.#build(sample)!);
    const traced = this.#traced!;
    if (!traced.hasUnknownDims) return this.#graph!;
    const shapes = sample.shapes;
    const fits = shapes.length === traced.inputShapes.length && shapes.every((s, k) => s.every((d) => d !== null) && fitsUnknown(s as number[], traced.inputShapes[k], traced.inputUnknownAxes[k]));
    // Data that does not fit keeps the graph, whose input check names the mismatch.
    if (fits) this.#switchTo(this.#reshapedFor(shapes as number[][]));
    this.#graph!.bind();
    return this.#graph!;
  }

  /** Forgets the graph: the layers changed. */
  drop(): void {
    this.#traced = null;
    this.#graph = null;
    this.#reshaped.clear();
  }

  #use(graph: Graph | null): void {
    if (!graph) return;
    this.#traced = graph;
    this.#graph = graph;
    this.#onBuilt(graph);
  }

  #switchTo(graph: Graph): void {
    if (graph === this.#graph) return;
    this.#graph = graph;
    this.#onBuilt(graph);
  }

  #reshapedFor(shapes: readonly number[][]): Graph {
    const key = JSON.stringify(shapes);
    const known = this.#reshaped.get(key);
    if (known) {
      this.#reshaped.delete(key);
      this.#reshaped.set(key, known);
      return known;
    }
    const graph = this.#traced!.withInputShapes(shapes);
    this.#reshaped.set(key, graph);
    if (this.#reshaped.size > MAX_RESHAPED) this.#reshaped.delete(this.#reshaped.keys().next().value!);
    return graph;
  }
}
