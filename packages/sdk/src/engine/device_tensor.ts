import type { Backend, BufferId } from '../backend/backend.js';
import { shapeSize, Tensor } from '../tensor.js';

/** The buffers behind tensors made by {@link deviceTensor}, until they are read or disposed. */
const unread = new WeakMap<Tensor, { backend: Backend; id: BufferId }>();

/**
 * A float32 tensor over a backend buffer, which it takes over: the values are read back when first
 * asked for (`await t.data()` without blocking), and the buffer is freed then or on dispose.
 */
export function deviceTensor(backend: Backend, id: BufferId, shape: readonly number[]): Tensor<'float32'> {
  const length = shapeSize(shape);
  const values = {
    read: () => backend.read(id, length, 'float32') as Float32Array,
    readAsync: async () => (await backend.readAsync(id, length, 'float32')) as Float32Array,
    release: () => {
      unread.delete(tensor);
      backend.free(id);
    },
  };
  const tensor = new Tensor<'float32'>(values, shape, 'float32');
  unread.set(tensor, { backend, id });
  return tensor;
}

/**
 * The buffer on `backend` that still holds the tensor's values (one {@link deviceTensor} made and
 * nobody read yet), so they can be copied on the device rather than read back; else undefined.
 */
export function unreadBufferOn(backend: Backend, tensor: Tensor): BufferId | undefined {
  const entry = unread.get(tensor);
  return entry?.backend === backend ? entry.id : undefined;
}

/** A copy of a buffer's values: read at once from the wasm heap, else copied on the device and read when first asked for. */
export function bufferCopy(backend: Backend, id: BufferId, shape: readonly number[]): Tensor<'float32'> {
  const size = shapeSize(shape);
  if (backend.hostResident) return new Tensor(backend.read(id, size, 'float32') as Float32Array, shape, 'float32');
  const copy = backend.alloc(size, 'float32');
  backend.copy(id, copy, size);
  return deviceTensor(backend, copy, shape);
}

/** A float32 copy of a tensor: on the device while the tensor's values are unread there, else on the host. */
export function tensorCopy(tensor: Tensor): Tensor<'float32'> {
  const entry = unread.get(tensor);
  if (entry) return bufferCopy(entry.backend, entry.id, tensor.shape);
  return new Tensor(Float32Array.from(tensor.dataSync()), tensor.shape, 'float32');
}
