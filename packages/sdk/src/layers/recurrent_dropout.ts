// dropout and recurrentDropout inside a recurrent layer: variational dropout (Gal & Ghahramani, 2016).
import type { Backend, BufferId } from '../backend/backend.js';
import { checkNumberOption } from '../utils/options.js';
import { LayerRandom } from './layer_random.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';

/** The sizes a recurrent layer's dropout works on: steps, input floats per step, state floats per sample. */
export interface DropoutShape {
  readonly steps: number;
  readonly features: number;
  readonly stateWidth: number;
}

function rateOf(value: unknown, option: string, where: string): number {
  if (value === undefined || value === null) return 0;
  return checkNumberOption(value, option, where, (r) => r >= 0 && r < 1, `a number in [0, 1) (the fraction of ${option === 'dropout' ? 'the inputs' : 'the previous hidden state'} to drop while training)`);
}

/**
 * A recurrent layer's two dropout rates: `dropout` on each step's input, `recurrentDropout` on the
 * previous hidden state where it enters the recurrent product. Each pass in training draws one mask
 * per sample for each (`[batch, features]`, `[batch, state]`), shared by every step and every gate,
 * scaled by 1/(1 − rate); at rates of 0, or outside training, nothing runs.
 */
export class RecurrentDropout {
  readonly rate: number;
  readonly recurrentRate: number;
  readonly random: LayerRandom;

  constructor(args: { dropout?: number | null; recurrentDropout?: number | null; seed?: number | null }, where: string, owner: object) {
    this.rate = rateOf(args.dropout, 'dropout', where);
    this.recurrentRate = rateOf(args.recurrentDropout, 'recurrentDropout', where);
    this.random = new LayerRandom(args.seed, where, owner);
  }

  /** The layer's `seed`, if it was given one. */
  get seed(): number | undefined {
    return this.random.seed;
  }

  /** Workspace floats per sample: the input mask, and the recurrent mask, every step's dropped hPrev and one step's gradient of it. */
  floatsPerSample(shape: DropoutShape): number {
    return (this.rate > 0 ? shape.features : 0) + (this.recurrentRate > 0 ? (shape.steps + 2) * shape.stateWidth : 0);
  }

  /** The pass over a batch, its masks `start` floats into the workspace; null when no dropout runs. */
  pass(backend: Backend, workspace: BufferId, start: number, batch: number, shape: DropoutShape, training: boolean): DropoutPass | null {
    if (!training || (this.rate === 0 && this.recurrentRate === 0)) return null;
    return new DropoutPass(this, backend, workspace, start, batch, shape);
  }
}

/** One batch's masks (views of the layer's workspace, kept from forward to backward) and what applies them. */
export class DropoutPass {
  readonly inputMask: BufferId;
  readonly recurrentMask: BufferId;
  readonly #dropped: BufferId;
  readonly #droppedGrad: BufferId;
  readonly #inputSize: number;
  readonly #stateSize: number;

  constructor(private readonly rates: RecurrentDropout, private readonly backend: Backend, workspace: BufferId, start: number, batch: number, private readonly shape: DropoutShape) {
    this.#inputSize = rates.rate > 0 ? batch * shape.features : 0;
    this.#stateSize = rates.recurrentRate > 0 ? batch * shape.stateWidth : 0;
    const sizes = [this.#inputSize, this.#stateSize, shape.steps * this.#stateSize, this.#stateSize];
    let offset = start;
    [this.inputMask, this.recurrentMask, this.#dropped, this.#droppedGrad] = sizes.map((size) => {
      const view = size > 0 ? backend.view(workspace, offset, size) : 0;
      offset += size;
      return view;
    });
  }

  /** Draws the masks (forward only), from the layer's seed or the generator Dropout draws from: the input mask first. */
  draw(): void {
    if (this.inputMask) this.backend.dropoutMask(this.inputMask, this.#inputSize, this.rates.rate, this.rates.random.kernelSeed());
    if (this.recurrentMask) this.backend.dropoutMask(this.recurrentMask, this.#stateSize, this.rates.recurrentRate, this.rates.random.kernelSeed());
  }

  /**
   * Multiplies every step of a time-major `[steps, batch, features]` buffer by the input mask: the
   * inputs before x·W, and (the mask being a constant factor) their gradients after dz·Wᵀ.
   */
  dropSteps(xs: BufferId): void {
    if (!this.inputMask) return;
    const n = this.#inputSize;
    for (let s = 0; s < this.shape.steps; s++) {
      const step = this.backend.view(xs, s * n, n);
      this.backend.mul(step, this.inputMask, step, n);
    }
  }

  #droppedAt(s: number): BufferId {
    return this.backend.view(this.#dropped, s * this.#stateSize, this.#stateSize);
  }

  /** The step with hPrev·mask as the recurrent product's input, kept for the backward pass and dU. */
  forwardStep(step: RecurrentStep): RecurrentStep {
    if (!this.recurrentMask || !step.hPrev) return step;
    const dropped = this.#droppedAt(step.index);
    this.backend.mul(step.hPrev, this.recurrentMask, dropped, this.#stateSize);
    return { ...step, hPrevRecurrent: dropped };
  }

  /** The backward step: the cell adds the recurrent product's input gradient into a zeroed buffer, which `finishStep` masks into dhPrev. */
  backwardStep(step: RecurrentStepGrad): RecurrentStepGrad {
    if (!this.recurrentMask || !step.hPrev) return step;
    this.backend.fill(this.#droppedGrad, this.#stateSize, 0);
    return { ...step, hPrevRecurrent: this.#droppedAt(step.index), dhPrevRecurrent: this.#droppedGrad };
  }

  finishStep(step: RecurrentStepGrad): void {
    if (step.dhPrevRecurrent !== this.#droppedGrad || !step.dhPrev) return;
    this.backend.mul(this.#droppedGrad, this.recurrentMask, this.#droppedGrad, this.#stateSize);
    this.backend.add(step.dhPrev, this.#droppedGrad, step.dhPrev, this.#stateSize);
  }

  /**
   * The recurrent product's inputs for dU, as the driver's hidden states `[steps, batch, state]` and
   * initial state: steps 1.. (from the dropped buffer's second step on) and step 0's (0: none).
   */
  kernelInputs(h: BufferId, h0: BufferId): [BufferId, BufferId] {
    if (!this.recurrentMask) return [h, h0];
    const rest = (this.shape.steps - 1) * this.#stateSize;
    return [rest > 0 ? this.backend.view(this.#dropped, this.#stateSize, rest) : h, h0 ? this.#droppedAt(0) : 0];
  }
}
