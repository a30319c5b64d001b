import type { Graph } from './graph.js';
import type { InputSample } from './input_sample.js';

/**
 * A model's graph, built once the input shape is known (declared by its layers, given to `build`,
 * or read from the first data) and dropped when its layers change, to be built again over the new ones.
 */
export class ModelGraph {
  readonly #build: (sample: InputSample | null) => Graph | null;
  readonly #onBuilt: (graph: Graph) => void;
  #graph: Graph | null = null;

  /**
   * @param build Builds the graph, given what the data says about the inputs when known; null when it cannot be built yet.
   * @param onBuilt Called with each graph once built (a compiled model lays its outputs over it).
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
    if (!this.#graph) {
      this.#graph = this.#build(null);
      if (this.#graph) this.#onBuilt(this.#graph);
    }
    return this.#graph;
  }

  /** The graph, built now for inputs like `sample` if it was not built yet. */
  ensure(sample: InputSample): Graph {
    if (!this.#graph) {
      this.#graph = this.#build(sample)!;
      this.#onBuilt(this.#graph);
    }
    return this.#graph;
  }

  /** Forgets the graph: the layers changed. */
  drop(): void {
    this.#graph = null;
  }
}
