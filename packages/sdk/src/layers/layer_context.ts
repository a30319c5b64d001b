// What a layer works with: the weights it declares, and the buffers its forward and backward passes get.
import type { Backend, BufferId } from '../backend/backend.js';
import type { Initializer } from '../initializers/initializers.js';
import type { Shape } from './layer.js';

/** Buffers, one per input of a layer: never empty. */
export type BufferIds = readonly [BufferId, ...BufferId[]];

/** A weight a layer declares in `build`; the model allocates and initialises it. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: Shape;
  readonly initializer: Initializer;
  /** Whether the optimizer updates it: declared trainable and its layer's `trainable` is true now. */
  readonly trainable: boolean;
}

/** What a layer's forward pass reads and writes; buffers are backend ids, rows are batch entries. */
export interface ForwardContext {
  readonly backend: Backend;
  readonly batch: number;
  /**
   * One buffer per input, positional inputs then keyword ones. Every layer has at least one (an
   * InputLayer reads the model input), so `ctx.inputs[0]` is a `BufferId` under noUncheckedIndexedAccess.
   */
  readonly inputs: BufferIds;
  readonly output: BufferId;
  /**
   * Every output's buffer, `output` first: more than one only for a layer with several outputs
   * (`Layer.computeOutputShapes`, e.g. an RNN with returnState). Single-output layers use `output`.
   */
  readonly outputs: readonly BufferId[];
  /**
   * The mask of the first input, `[batch, steps]` floats (1: a real step, 0: padding), or 0 when the
   * input carries none; see `Layer.supportsMasking`.
   */
  readonly inputMask: BufferId;
  /** Every input's mask, in input order (0 where none); only a layer that `readsInputMasks` gets more than the first. */
  readonly inputMasks: readonly BufferId[];
  /** Where a layer that makes a mask (`Layer.producesMask`) writes it, `[batch, steps]`; 0 for other layers. */
  readonly outputMask: BufferId;
  /** The layer's scratch buffer of `workspaceSize(batch)` floats, kept from forward to backward; 0 if none. */
  readonly workspace: BufferId;
  /** One buffer per weight, in the order `build` added them. */
  readonly weights: readonly BufferId[];
  readonly training: boolean;
  /**
   * Set on the output layer when the loss fuses softmax with cross-entropy: the layer writes
   * logits and the loss applies the softmax.
   */
  readonly deferSoftmax: boolean;
  /**
   * Adds a loss term, Keras' `self.add_loss`: `term` is a buffer whose one float holds this
   * batch's term, which `fit` and `evaluate` add as it is to the batch's mean loss (the loss they
   * report, in training and evaluation alike). Several calls in one `forward` add several terms,
   * summed as Keras sums a layer's `add_loss` calls; each needs a float of its own in
   * `ctx.workspace`, since the engine reads them after `forward` returns. Never call it from
   * `backward`. A layer that adds terms declares `Layer.addsLosses` so that TimeDistributed runs it
   * once per step, as Keras 3 does. kerasm has no automatic differentiation, so
   * the engine adds only the value: the layer's `backward` adds the term's gradient into
   * `ctx.inputGrads` itself (and into `ctx.weightGrads` if the term reads its weights), at the scale
   * of the term as added (the gradient of a mean over the batch is divided by `ctx.batch`).
   *
   * @example
   * ```ts
   * // In forward: the term is the workspace's last float, after `n` floats of scratch.
   * const term = ctx.backend.view(ctx.workspace, n, 1);
   * ctx.backend.columnSum(perValue, term, n, 1, false); // Σ of the n per-value terms
   * ctx.addLoss(term);
   * ```
   */
  addLoss(term: BufferId): void;
}

/** What a layer's backward pass reads and writes. */
export interface BackwardContext extends ForwardContext {
  /** Gradient w.r.t. the output; the layer may overwrite it. */
  readonly outputGrad: BufferId;
  /** The gradient w.r.t. each output, `outputGrad` first (zeros for an output nothing reads). */
  readonly outputGrads: readonly BufferId[];
  /** Gradients w.r.t. each input to write, or 0 where nothing upstream needs one. */
  readonly inputGrads: BufferIds;
  /** One gradient buffer per weight, overwritten. */
  readonly weightGrads: readonly BufferId[];
  /**
   * False when every weight of the layer is frozen (`trainable = false`): nothing reads
   * `weightGrads`, so the layer may skip computing them and only pass the gradient on.
   */
  readonly weightGradsNeeded: boolean;
}
