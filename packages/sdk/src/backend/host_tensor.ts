// What the code that computes with km ops on the host (a loss function, a CallLayer) reads from a
// backend each batch, with an error that says so where the backend cannot read synchronously.
import { Tensor } from '../tensor.js';
import type { Backend, BufferId } from './backend.js';

/**
 * Buffer `id` of `backend` as a float32 host tensor of `shape`. `where` names what computes on the
 * host, for the error a backend that reads only asynchronously (tfjs-webgpu) gives.
 */
export function hostTensor(backend: Backend, id: BufferId, shape: readonly number[], where: string): Tensor<'float32'> {
  const size = shape.reduce((n, d) => n * d, 1);
  let values: Float32Array;
  try {
    values = backend.read(id, size, 'float32') as Float32Array;
  } catch (error) {
    throw new Error(
      `${where} computes with km ops on the host, so it reads each batch from the backend, but backend '${backend.name}' cannot read synchronously. ` +
        "Train it on another backend (km.setBackend('tfjs-webgl') on a GPU), or write it on the backend's kernels: a km.losses.Loss object, or a km.layers.Layer with forward and backward.",
      { cause: error },
    );
  }
  return new Tensor(values, shape, 'float32');
}
