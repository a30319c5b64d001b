// The views one time step of a recurrent layer works on, shared by the driver and the cells.
import type { BufferId } from '../backend/backend.js';

/** The buffers of one time step, views into the layer's workspace. */
export interface RecurrentStep {
  /** The step's position in processing order (0 first). */
  readonly index: number;
  /** Rows of the cell's matrices: the batch, times the positions per sample (ConvLSTM2D's pixels). */
  readonly rows: number;
  /** `[rows, gates·units]`: x·W + b on entry to the forward step; the cell keeps what its backward pass needs here. */
  readonly z: BufferId;
  /** The previous hidden state `[rows, units]`, or 0 at the first step (a zero state). */
  readonly hPrev: BufferId;
  /** hPrev as it enters the recurrent product: with recurrentDropout while training, hPrev·mask; else hPrev itself. */
  readonly hPrevRecurrent: BufferId;
  readonly h: BufferId;
  /** The cell's own per-step buffers (`stateCount` of `[rows, units]`; LSTM: c and activation(c)). */
  readonly state: readonly BufferId[];
  /** The same buffers of the previous step, or 0s at the first step. */
  readonly statePrev: readonly BufferId[];
  /** The cell's scratch of `cellScratchSize(rows)` floats, shared by every step (0 if none). */
  readonly scratch: BufferId;
  /** The layer's bias weight, `biasShape(gates·units)` (0: useBias false). */
  readonly bias: BufferId;
}

/** What one step's backward pass reads and writes. */
export interface RecurrentStepGrad extends RecurrentStep {
  /** The gradient of h, complete (read only). */
  readonly dh: BufferId;
  /** The gradient of hPrev, to add into (it holds the output's gradient at that step); 0 at the first step. */
  readonly dhPrev: BufferId;
  /** Where the gradient of hPrevRecurrent goes, to add into: dhPrev itself unless recurrentDropout masks it on its way there. */
  readonly dhPrevRecurrent: BufferId;
  /** `carryCount` buffers of `[rows, units]` the cell carries back through time (LSTM: the gradient of c), zeroed before the last step. */
  readonly carry: readonly BufferId[];
  /** False when the layer is frozen: a cell that adds up weight gradients step by step (GRU) skips them. */
  readonly weightGradsNeeded: boolean;
}
