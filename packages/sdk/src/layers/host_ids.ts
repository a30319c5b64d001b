// What the layers that compute on ids on the host (Hashing, HashedCrossing, IntegerLookup with
// several OOV indices) share: reading a batch back, and the ids a float32 batch holds exactly.
import type { Backend, BufferId } from '../backend/backend.js';

/** float32 holds every whole number up to 2^24 exactly, and not all beyond. */
const EXACT_ID_LIMIT = 2 ** 24;

/** Whether `v` is a whole number from -2^24 to 2^24, which a float32 batch holds exactly. */
export function isExactId(v: number): boolean {
  return Number.isInteger(v) && Math.abs(v) <= EXACT_ID_LIMIT;
}

/**
 * `length` values of `id` read back to the host. Where the backend cannot read synchronously
 * (tfjs-webgpu), the error says why the layer reads (`reading`: "X hashes on the host, which needs
 * its input") and the way around it (`otherwise`).
 */
export function readOnHost(backend: Backend, id: BufferId, length: number, reading: string, otherwise: string): Float32Array | Int32Array {
  try {
    return backend.read(id, length, 'float32');
  } catch (error) {
    throw new Error(`${reading} read back synchronously, and backend '${backend.name}' cannot: ${(error as Error).message} Run the model on 'wasm', 'tfjs-cpu', 'tfjs-wasm' or 'tfjs-webgl', or ${otherwise}.`, { cause: error });
  }
}
