import type { Backend, BufferId } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { bufferCopy } from '../engine/device_tensor.js';
import { sameShape, shapeSize, Tensor } from '../tensor.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** The error for resetting the states of a layer that keeps none. */
export function notStateful(where: string): Error {
  return new Error(`${where} is not stateful, so it keeps no states to reset (every batch starts from zeros). Build it with stateful: true to carry states from batch to batch.`);
}

/**
 * A stateful layer's `resetStates(states?)` (`where` names the layer): its kept states, `made`
 * (null before first use; `make` makes them), back to zero, or set to `states`.
 */
export function resetKeptStates(stateful: boolean, where: string, made: KeptStates | null, make: () => KeptStates, states?: Tensor | readonly Tensor[]): void {
  if (!stateful) throw notStateful(where);
  if (states === undefined) made?.reset();
  else make().set(backend(), Array.isArray(states) ? states : [states as Tensor]);
}

/** A layer's `states`: its kept ones (`make` makes them on first use), or null for a layer that is not stateful or not built yet. */
export function keptStatesOf(layer: { readonly stateful: boolean; readonly built: boolean }, make: () => KeptStates): Tensor<'float32'>[] | null {
  return layer.stateful && layer.built ? make().read() : null;
}

/**
 * Checks the initial states a recurrent call brings after its sequence (`states`, one shape each):
 * none, or `count` of the layer's state shape (`[units]`; ConvLSTM2D's `[rows, cols, filters]`, `[filters, rows, cols]` channels-first).
 */
export function checkInitialStates(where: string, states: readonly Shape[], count: number, names: string, expected: Shape): void {
  const shape = formatShape(expected);
  if (states.length > 0 && states.length !== count) {
    throw new Error(`${where} has ${count} state${count > 1 ? 's' : ''} ${names}, but received ${states.length} initial state${states.length === 1 ? '' : 's'} (inputs after the sequence). ` +
      `Pass initialState: ${names}, each of shape ${shape}, e.g. the states an encoder with returnState: true returned.`);
  }
  states.forEach((state, k) => {
    if (state.length !== expected.length || state.some((d, i) => d !== expected[i])) {
      throw new Error(`${where}: initial state ${k} must have shape ${shape} (${expected.length === 1 ? `units=${expected[0]}` : 'the state image'}), but received ${formatShape(state)}. ` +
        (expected.length === 1
          ? `Give the encoder and decoder the same units, or project the state with a Dense layer of ${expected[0]} units.`
          : `Give the encoder and decoder the same filters, and an encoder output of the same rows and cols (its padding and strides).`));
    }
  });
}

/**
 * The states a stateful recurrent layer keeps from one batch to the next (Keras' `stateful=True`):
 * one `[batch, ...shape]` buffer per state (h, then the carried ones; a custom cell's as `returnState`
 * lists them), on the backend the layer runs on, so nothing is read back between batches. They start
 * at zero, and again after `reset()`; they are not saved with the model, as in Keras.
 */
export class KeptStates {
  #backend: Backend | null = null;
  #buffers: BufferId[] = [];
  #batch = 0;
  /** Floats of one sample's state, per state. */
  private readonly floats: readonly number[];

  constructor(
    /** One sample's shape of each state: `[units]`, or ConvLSTM2D's image (`[rows, cols, filters]`, `[filters, rows, cols]` channels-first). */
    private readonly shapes: readonly Shape[],
    private readonly where: string,
    /** The batch size the layer declares (`batchSize` / `batchInputShape[0]`), if any. */
    private readonly declaredBatch: number | undefined,
    /** The order of the states, as errors name it: `h, then the cell state`. */
    private readonly order: string,
  ) {
    this.floats = shapes.map(shapeSize);
  }

  /** The state buffers for a batch of `batch` rows on `backend`, zeros when first used; throws on a batch of another size. */
  buffers(backend: Backend, batch: number): readonly BufferId[] {
    const expected = this.#backend === backend ? this.#batch : this.declaredBatch;
    if (expected !== undefined && batch !== expected) {
      throw new Error(`${this.where} is stateful: it keeps the states of ${expected} samples (its batch size) from batch to batch, but received a batch of ${batch}. ` +
        `Feed batches of exactly ${expected} samples (fit/evaluate/predict with batchSize: ${expected} and a sample count divisible by it), or build the model with batchSize: ${batch}.`);
    }
    if (this.#backend !== backend) {
      // A new backend (km.setBackend) starts from zero states, as after resetStates().
      this.release();
      this.#backend = backend;
      this.#batch = batch;
      this.#buffers = this.floats.map((floats) => backend.alloc(batch * floats, 'float32'));
      this.reset();
    }
    return this.#buffers;
  }

  /** Copies the kept states (zeros at first) into `into`, the batch's initial states. */
  load(backend: Backend, batch: number, into: readonly BufferId[]): void {
    this.buffers(backend, batch).forEach((kept, k) => backend.copy(kept, into[k], batch * this.floats[k]));
  }

  /** Keeps the batch's final states `from` (h, then the carried ones) for the next batch. */
  store(backend: Backend, batch: number, from: readonly BufferId[]): void {
    this.buffers(backend, batch).forEach((kept, k) => backend.copy(from[k], kept, batch * this.floats[k]));
  }

  /**
   * Sets the kept states to `values` (h, then the carried ones, as `returnState` lists them), each
   * `[batch, ...shape]` for the batch size the layer keeps states for (Keras' `reset_states(states)`).
   */
  set(backend: Backend, values: readonly Tensor[]): void {
    const batch = this.#backend === backend ? this.#batch : this.declaredBatch;
    const count = this.shapes.length;
    const full = this.shapes.map((shape) => [batch ?? 'batchSize', ...shape].join(', '));
    const expected = `${count} float32 tensor${count > 1 ? 's' : ''} of ${new Set(full).size === 1 ? `shape [${full[0]}]` : `shapes ${full.map((f) => `[${f}]`).join(', ')}`}`;
    if (values.length !== count) {
      throw new Error(`${this.where}: resetStates(states) needs ${expected} (${this.order}), but received ${values.length}.`);
    }
    if (batch === undefined) {
      throw new Error(`${this.where}: resetStates(states) needs the batch size the states are for, but the layer declares none. Build it with batchInputShape: [batchSize, ...inputShape] (or batchSize), as a stateful layer needs anyway.`);
    }
    values.forEach((value, k) => {
      const shape = value?.shape;
      const wanted = [batch, ...this.shapes[k]];
      if (!shape || !sameShape(shape, wanted) || value.dtype !== 'float32') {
        throw new Error(`${this.where}: resetStates(states) needs ${expected}, but state ${k} is ${shape ? `a ${value.dtype} tensor of shape [${shape.join(', ')}]` : String(value)}.`);
      }
      if (value.dataSync().some((v) => !Number.isFinite(v))) throw new Error(`${this.where}: resetStates(states): state ${k} holds NaN or Infinity. Pass finite values.`);
    });
    const buffers = this.buffers(backend, batch);
    values.forEach((value, k) => backend.write(buffers[k], value.dataSync() as Float32Array));
  }

  /**
   * Copies of the kept states (h, then the carried ones), each `[batch, ...shape]`: zeros before the
   * first batch when the layer declares its batch size, null when no batch size is known yet.
   */
  read(): Tensor<'float32'>[] | null {
    const backend = this.#backend;
    if (backend) return this.#buffers.map((id, k) => bufferCopy(backend, id, [this.#batch, ...this.shapes[k]]));
    const batch = this.declaredBatch;
    if (batch === undefined) return null;
    return this.shapes.map((shape, k) => new Tensor(new Float32Array(batch * this.floats[k]), [batch, ...shape], 'float32'));
  }

  /** Frees the state buffers; the next batch starts from zero states, as after a backend switch. */
  release(): void {
    const backend = this.#backend;
    if (backend) for (const id of this.#buffers) backend.free(id);
    this.#backend = null;
    this.#buffers = [];
  }

  /** Sets every kept state back to zero. */
  reset(): void {
    const backend = this.#backend;
    if (backend) this.#buffers.forEach((id, k) => backend.fill(id, this.#batch * this.floats[k], 0));
  }
}
