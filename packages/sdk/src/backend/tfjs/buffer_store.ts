import type * as tfc from '@tensorflow/tfjs-core';
import type { BufferDType, BufferId } from '../backend.js';

type Tf = typeof tfc;

interface Root {
  readonly kind: 'root';
  readonly length: number;
  readonly dtype: BufferDType;
  tensor: tfc.Tensor1D;
  /** Segments written through views since the flat tensor was last assembled, by offset. */
  readonly pending: Map<number, tfc.Tensor1D>;
}

interface View {
  readonly kind: 'view';
  readonly root: BufferId;
  readonly offset: number;
  readonly length: number;
}

/**
 * Backend buffers as TensorFlow.js tensors that stay on the device. A buffer is a flat tensor;
 * a view is a range of one. Writes through views are kept as pending segments and assembled with
 * one concat when the whole buffer is next read, so a training step that writes each weight's
 * gradient into the flat gradient buffer costs one concat, not one per weight. A write through a
 * view replaces the pending segment at the same offset only, so writes through views of different
 * extent must not partly overlap (kernels write a region whole, or its rows through `copyRows`).
 *
 * Tensors returned by {@link get} belong to the caller's `tidy` (a clone or a slice) for views, to the store for whole buffers;
 * tensors passed to {@link set} are kept and the previous ones disposed.
 */
export class BufferStore {
  readonly #tf: Tf;
  readonly #entries = new Map<BufferId, Root | View>();
  /** Views by "root:offset:length", so asking for the same range again returns the same id. */
  readonly #views = new Map<string, BufferId>();
  #nextId = 1;

  constructor(tf: Tf) {
    this.#tf = tf;
  }

  alloc(length: number, dtype: BufferDType): BufferId {
    const id = this.#nextId++;
    const tensor = this.#tf.keep(this.#tf.zeros([length], dtype) as tfc.Tensor1D);
    this.#entries.set(id, { kind: 'root', length, dtype, tensor, pending: new Map() });
    return id;
  }

  view(id: BufferId, offset: number, length: number): BufferId {
    const entry = this.#entry(id);
    const root = entry.kind === 'root' ? id : entry.root;
    const base = entry.kind === 'root' ? 0 : entry.offset;
    const key = `${root}:${base + offset}:${length}`;
    const existing = this.#views.get(key);
    if (existing !== undefined) return existing;
    const viewId = this.#nextId++;
    this.#entries.set(viewId, { kind: 'view', root, offset: base + offset, length });
    this.#views.set(key, viewId);
    return viewId;
  }

  free(id: BufferId): void {
    const entry = this.#entry(id);
    if (entry.kind === 'root') {
      entry.tensor.dispose();
      for (const piece of entry.pending.values()) piece.dispose();
      for (const [other, e] of this.#entries) if (e.kind === 'view' && e.root === id) this.#entries.delete(other);
      for (const key of this.#views.keys()) if (key.startsWith(`${id}:`)) this.#views.delete(key);
      this.#entries.delete(id);
    }
    // Freeing a view frees nothing: it is shared by everyone who asked for the same range.
  }

  /** The buffer's values as a flat tensor of its length. Call inside `tf.tidy` for views. */
  get(id: BufferId): tfc.Tensor1D {
    const entry = this.#entry(id);
    if (entry.kind === 'root') return this.#assembled(entry);
    const root = this.#entry(entry.root) as Root;
    const piece = root.pending.get(entry.offset);
    // A handle of its own (tfjs clones share the data): reading another view of this buffer in the
    // same kernel may fold the pending segments, which disposes them.
    if (piece && piece.size === entry.length) return this.#tf.clone(piece);
    return this.#tf.slice(this.#assembled(root), entry.offset, entry.length);
  }

  /** Replaces the buffer's values with `tensor` (flattened; the store keeps it). */
  set(id: BufferId, tensor: tfc.Tensor): void {
    const entry = this.#entry(id);
    const flat = this.#tf.keep(tensor.rank === 1 ? (tensor as tfc.Tensor1D) : (this.#tf.reshape(tensor, [-1]) as tfc.Tensor1D));
    if (entry.kind === 'root') {
      if (flat !== entry.tensor) entry.tensor.dispose();
      for (const piece of entry.pending.values()) piece.dispose();
      entry.pending.clear();
      entry.tensor = flat;
      return;
    }
    const root = this.#entry(entry.root) as Root;
    if (entry.offset === 0 && entry.length === root.length) return this.set(entry.root, flat);
    root.pending.get(entry.offset)?.dispose();
    root.pending.set(entry.offset, flat);
  }

  /** The root buffer holding `id` and where `id` starts in it. */
  locate(id: BufferId): { root: BufferId; offset: number } {
    const entry = this.#entry(id);
    return entry.kind === 'root' ? { root: id, offset: 0 } : { root: entry.root, offset: entry.offset };
  }

  length(id: BufferId): number {
    return this.#entry(id).length;
  }

  dtype(id: BufferId): BufferDType {
    const entry = this.#entry(id);
    return entry.kind === 'root' ? entry.dtype : (this.#entry(entry.root) as Root).dtype;
  }

  #assembled(root: Root): tfc.Tensor1D {
    if (root.pending.size === 0) return root.tensor;
    const tf = this.#tf;
    const next = tf.tidy(() => {
      const parts: tfc.Tensor1D[] = [];
      let at = 0;
      for (const offset of [...root.pending.keys()].sort((a, b) => a - b)) {
        const piece = root.pending.get(offset)!;
        if (offset > at) parts.push(tf.slice(root.tensor, at, offset - at));
        parts.push(piece);
        at = offset + piece.size;
      }
      if (at < root.length) parts.push(tf.slice(root.tensor, at, root.length - at));
      return tf.concat(parts);
    });
    root.tensor.dispose();
    for (const piece of root.pending.values()) piece.dispose();
    root.pending.clear();
    root.tensor = tf.keep(next);
    return next;
  }

  #entry(id: BufferId): Root | View {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`Unknown or freed backend buffer ${id}.`);
    return entry;
  }
}
