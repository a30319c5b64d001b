/**
 * Whether a model was disposed or is in a `fit`, with the errors for what either rules out: a
 * disposed model is never used again, and a training one keeps its layers and runs one `fit` at a time.
 */
export class ModelLifetime {
  readonly #model: { readonly name: string };
  #disposed = false;
  #fitting = false;

  constructor(model: { readonly name: string }) {
    this.#model = model;
  }

  /** Marks the model disposed: every later use throws. */
  dispose(): void {
    this.#disposed = true;
  }

  checkNotDisposed(): void {
    if (this.#disposed) throw new Error(`Model '${this.#model.name}' was disposed: its weights are freed. Build or load the model again (keep getWeights() copies made before dispose to restore them).`);
  }

  /** Before the layers change: not while `fit` runs. */
  checkNotFitting(): void {
    if (this.#fitting) throw new Error(`Model '${this.#model.name}' is training: its layers cannot change until fit() has finished. Await it (or set model.stopTraining = true) first.`);
  }

  /** Runs a `fit`, refusing to start one while another runs. */
  async runFit<T>(run: () => Promise<T>): Promise<T> {
    // Two fits would interleave their steps on one set of weights, optimizer state and batch buffers.
    if (this.#fitting) {
      throw new Error(`Model '${this.#model.name}' is already training: an earlier fit() has not finished. Await it, or end it with model.stopTraining = true, before calling fit() again.`);
    }
    this.#fitting = true;
    try {
      return await run();
    } finally {
      this.#fitting = false;
    }
  }
}
