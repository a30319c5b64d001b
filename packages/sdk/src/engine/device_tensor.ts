import type { Backend, BufferId } from '../backend/backend.js';
import { shapeSize, Tensor } from '../tensor.js';

/**
 * A float32 tensor over a backend buffer, which it takes over: the values are read back when first
 * asked for (`await t.data()` without blocking), and the buffer is freed then or on dispose.
 */
export function deviceTensor(backend: Backend, id: BufferId, shape: readonly number[]): Tensor<'float32'> {
  const length = shapeSize(shape);
  const values = {
    read: () => backend.read(id, length, 'float32') as Float32Array,
    readAsync: async () => (await backend.readAsync(id, length, 'float32')) as Float32Array,
    release: () => backend.free(id),
  };
  return new Tensor<'float32'>(values, shape, 'float32');
}
