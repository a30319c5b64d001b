// The loss terms layers add in their forward pass (`ForwardContext.addLoss`, Keras' `add_loss`):
// which node may add them now, the checks on each call, and reading the terms back for the loss.
import type { Backend, BufferId, Scalar } from '../backend/backend.js';

/** A buffer of the calling layer whose length the engine knows, to refuse one that is not a single float. */
export interface KnownBuffer {
  /** How the layer names it: `ctx.output`, `ctx.inputs[1]`, ... */
  readonly name: string;
  readonly id: BufferId;
  readonly length: number;
}

/** The loss terms of one forward pass: their buffers, and the nodes that added them (each once), in node order. */
export interface AddedTerms {
  readonly terms: readonly BufferId[];
  readonly nodes: readonly number[];
  /** The node that added each term. */
  readonly termNodes: readonly number[];
}

/**
 * The terms one pass context's forward passes add. `forwardPass` marks the node whose forward is
 * running, so that `addLoss` is refused anywhere else (in `backward`, after `forward` returned).
 */
export class AddedLosses implements AddedTerms {
  #running = -1;
  readonly #terms: BufferId[] = [];
  readonly #nodes: number[] = [];
  readonly #termNodes: number[] = [];

  /** Starts a forward pass: the last pass's terms are dropped. */
  begin(): void {
    this.#running = -1;
    this.#terms.length = 0;
    this.#nodes.length = 0;
    this.#termNodes.length = 0;
  }

  /** Node `index`'s forward runs from now until {@link leave}. */
  enter(index: number): void {
    this.#running = index;
  }

  leave(): void {
    this.#running = -1;
  }

  /** The buffers added in the last forward pass, in node order (the same array until the next pass). */
  get terms(): readonly BufferId[] {
    return this.#terms;
  }

  /** The nodes that added a term in the last forward pass. */
  get nodes(): readonly number[] {
    return this.#nodes;
  }

  /** The node that added each of {@link terms}. */
  get termNodes(): readonly number[] {
    return this.#termNodes;
  }

  /**
   * The `addLoss` of node `index`'s contexts. `known` lists the layer's buffers of known length;
   * it is called only when a term is added, and once per pass context.
   */
  adder(index: number, layerName: string, known: () => readonly KnownBuffer[]): (term: BufferId) => void {
    let buffers: readonly KnownBuffer[] | undefined;
    return (term: BufferId) => {
      const layer = `Layer '${layerName}'`;
      if (this.#running !== index) {
        throw new Error(
          `${layer}: ctx.addLoss was called outside the layer's forward pass (in backward, or after forward returned). ` +
            "Call it in forward(ctx), on the buffer holding this batch's loss term; backward adds the term's gradient to ctx.inputGrads itself.",
        );
      }
      if (this.#terms.includes(term)) {
        throw new Error(
          `${layer}: ctx.addLoss received the same buffer (${term}) twice in one forward pass. The engine reads each term after forward returns, so a buffer added twice counts its last value twice. ` +
            'Give each term a float of its own (backend.view(ctx.workspace, offset, 1) at another offset), or add them into one float first (backend.add(first, second, total, 1)).',
        );
      }
      if (!Number.isInteger(term) || term <= 0) {
        throw new Error(`${layer}: ctx.addLoss takes a backend buffer holding this batch's loss term; received ${String(term)}. Pass e.g. backend.view(ctx.workspace, offset, 1).`);
      }
      const wrong = (buffers ??= known()).find((b) => b.id === term && b.length !== 1);
      if (wrong) {
        throw new Error(
          `${layer}: ctx.addLoss takes a buffer of one float, this batch's loss term; received ${wrong.name}, which holds ${wrong.length} floats. ` +
            `Reduce it to one float of your workspace first, e.g. backend.columnSum(values, term, ${wrong.length}, 1, false) with term = backend.view(ctx.workspace, offset, 1).`,
        );
      }
      this.#terms.push(term);
      this.#termNodes.push(index);
      if (this.#nodes[this.#nodes.length - 1] !== index) this.#nodes.push(index);
    };
  }
}

/**
 * Each term's value: read at once on a backend whose buffers live on the host (wasm), else a
 * promise (the read is taken before the backward pass runs, so it sees the forward's value).
 */
export function readTerms(backend: Backend, terms: readonly BufferId[]): Scalar[] {
  return terms.map((id) => (backend.hostResident ? backend.read(id, 1, 'float32')[0] : backend.readAsync(id, 1, 'float32').then((values) => values[0])));
}
