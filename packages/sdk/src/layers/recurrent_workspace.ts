// Where a recurrent layer (layers/recurrent.ts) keeps each buffer of a batch in its workspace, and the views of them.
import type { Backend, BufferId } from '../backend/backend.js';
import type { RecurrentStep } from './recurrent_step.js';

/** The sizes of a built recurrent layer that its workspace is laid out by. */
export interface RecurrentWorkspaceDims {
  /** Time steps of the input. */
  readonly steps: number;
  /** Floats per step of the input. */
  readonly features: number;
  /** Floats of one sample's hidden state: the cell rows per sample times the units. */
  readonly stateWidth: number;
  /** Cell rows per sample (ConvLSTM2D: one per output pixel). */
  readonly positions: number;
  /** Mask values per step of the input mask. */
  readonly maskPositions: number;
  readonly gates: number;
  /** The cell's per-step buffers (`Recurrent.stateCount`). */
  readonly stateCount: number;
  /** The states carried besides h (`Recurrent.carryCount`). */
  readonly carryCount: number;
  /** The states a stateful layer keeps between batches, h first (0: not stateful). */
  readonly keptStates: number;
}

/**
 * Floats per batch row of each workspace region, in order: xs, z, h, the cell's states, dh, carry,
 * the mask time-major, the carry's copy at a masked step, the initial h's gradient, the steps' mask
 * before it turns time-major (when a mask has several positions per step), and when stateful the
 * kept states this batch started from (backward needs them after forward moved on).
 */
function regions(d: RecurrentWorkspaceDims): number[] {
  const [t, u] = [d.steps, d.stateWidth];
  return [t * d.features, t * d.gates * u, t * u, d.stateCount * t * u, t * u, d.carryCount * u, t, d.carryCount * u, u, d.maskPositions > 1 ? t : 0, d.keptStates * u];
}

/** Floats of every region for `batch` rows; the cell's scratch and the dropout masks follow them. */
export function regionsSize(d: RecurrentWorkspaceDims, batch: number): number {
  return batch * regions(d).reduce((a, b) => a + b, 0);
}

/** Views of the kept states a stateful layer's batch starts from: the last region. */
export function startedStates(backend: Backend, workspace: BufferId, d: RecurrentWorkspaceDims, batch: number): BufferId[] {
  const u = batch * d.stateWidth;
  const start = batch * regions(d).slice(0, -1).reduce((a, b) => a + b, 0);
  return Array.from({ length: d.keptStates }, (_, k) => backend.view(workspace, start + k * u, u));
}

/**
 * Views of the workspace for a batch: whole regions, and one step's slice of a time-major region.
 * `scratchSize` is the cell's scratch (it follows the regions), `bias` the bias weight (0: none),
 * `initial` the states the batch starts from (h, then the carried states; empty: zeros).
 */
export function recurrentWorkspace(backend: Backend, workspace: BufferId, d: RecurrentWorkspaceDims, batch: number, scratchSize: number, bias: BufferId, initial: readonly BufferId[]) {
  const sizes = regions(d).map((s) => s * batch);
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const [xs, z, h, , dh, carry, mask] = starts.map((start, i) => backend.view(workspace, start, sizes[i]));
  const scratch = scratchSize ? backend.view(workspace, sizes.reduce((a, b) => a + b, 0), scratchSize) : 0;
  const [u, zSize] = [batch * d.stateWidth, batch * d.gates * d.stateWidth];
  const at = (region: number, perStep: number, s: number) => backend.view(workspace, starts[region] + s * perStep, perStep);
  // Before the first step: the initial states given (h, then the carried states), else zeros (0).
  const stateAt = (k: number, s: number) => (s >= 0 ? at(3, u, k * d.steps + s) : k < d.carryCount ? (initial[k + 1] ?? 0) : 0);
  const hAt = (s: number) => at(2, u, s);
  return {
    xs, z, h, dh, carry, hAt, stateAt, scratch, mask,
    dhAt: (s: number) => at(4, u, s),
    carryAt: (k: number) => at(5, u, k),
    maskAt: (s: number) => at(6, batch, s),
    carrySavedAt: (k: number) => at(7, u, k),
    dh0: at(8, u, 0),
    stepMask: sizes[9] ? at(9, sizes[9], 0) : 0,
    step: (s: number, hPrev = s > 0 ? hAt(s - 1) : (initial[0] ?? 0)): RecurrentStep => ({
      index: s,
      rows: batch * d.positions,
      z: at(1, zSize, s),
      hPrev,
      hPrevRecurrent: hPrev,
      h: hAt(s),
      state: Array.from({ length: d.stateCount }, (_, k) => stateAt(k, s)),
      statePrev: Array.from({ length: d.stateCount }, (_, k) => stateAt(k, s - 1)),
      scratch,
      bias,
    }),
  };
}
