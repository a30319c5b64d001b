import type * as tfc from '@tensorflow/tfjs-core';
import type { BufferDType, BufferId } from '../backend.js';

type Tf = typeof tfc;

/**
 * A range of a root buffer written through a view since the root's tensor was last assembled: its
 * `length` values are `tensor`'s from `start`. Trimming a segment moves `start` and `length`
 * instead of copying, so each segment owns a handle of its own (a clone shares the data).
 */
interface Segment {
  readonly offset: number;
  readonly length: number;
  readonly tensor: tfc.Tensor1D;
  readonly start: number;
}

interface Root {
  readonly kind: 'root';
  readonly length: number;
  readonly dtype: BufferDType;
  /** The buffer's values, except where a segment overrides them. */
  tensor: tfc.Tensor1D;
  /** Non-overlapping, sorted by offset. */
  segments: Segment[];
}

interface View {
  readonly kind: 'view';
  readonly root: BufferId;
  readonly offset: number;
  readonly length: number;
}

const end = (segment: Segment) => segment.offset + segment.length;

/**
 * Backend buffers as TensorFlow.js tensors that stay on the device. A buffer is a flat tensor;
 * a view is a range of one. Writes through views are kept as segments over the buffer's tensor,
 * and reading a view assembles only that range, so both cost the view's length: a recurrent layer
 * that reads and writes one step's rows of its workspace per step does not copy the whole
 * workspace, nor the rest of a range written whole before, each time. Reading the whole buffer
 * folds its segments into its tensor.
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
    this.#entries.set(id, { kind: 'root', length, dtype, tensor, segments: [] });
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
      for (const segment of entry.segments) segment.tensor.dispose();
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
    if (entry.offset === 0 && entry.length === root.length) return this.#tf.clone(this.#assembled(root));
    return this.#range(root, entry.offset, entry.length);
  }

  /** Replaces the buffer's values with `tensor` (flattened; the store keeps it). */
  set(id: BufferId, tensor: tfc.Tensor): void {
    const entry = this.#entry(id);
    const flat = this.#tf.keep(tensor.rank === 1 ? (tensor as tfc.Tensor1D) : (this.#tf.reshape(tensor, [-1]) as tfc.Tensor1D));
    if (entry.kind === 'root') {
      if (flat !== entry.tensor) entry.tensor.dispose();
      for (const segment of entry.segments) segment.tensor.dispose();
      entry.segments = [];
      entry.tensor = flat;
      return;
    }
    const root = this.#entry(entry.root) as Root;
    if (entry.offset === 0 && entry.length === root.length) return this.set(entry.root, flat);
    this.#overwrite(root, entry.offset, flat);
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

  /** Index of the first segment that ends after `offset`. */
  #firstEnding(root: Root, offset: number): number {
    let [lo, hi] = [0, root.segments.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (end(root.segments[mid]) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Elements [offset, offset + length) of the root, as a tensor of the caller's tidy. */
  #range(root: Root, offset: number, length: number): tfc.Tensor1D {
    const tf = this.#tf;
    const stop = offset + length;
    const parts: tfc.Tensor1D[] = [];
    let at = offset;
    for (let i = this.#firstEnding(root, offset); i < root.segments.length && root.segments[i].offset < stop; i++) {
      const segment = root.segments[i];
      if (segment.offset > at) parts.push(tf.slice(root.tensor, at, segment.offset - at));
      const [from, to] = [Math.max(at, segment.offset), Math.min(stop, end(segment))];
      const start = segment.start + from - segment.offset;
      // A whole tensor is cloned rather than returned: the caller's tidy owns what get returns, and
      // a later write in the same kernel may dispose the segment.
      parts.push(start === 0 && to - from === segment.tensor.size ? tf.clone(segment.tensor) : tf.slice(segment.tensor, start, to - from));
      at = to;
    }
    if (at < stop) parts.push(tf.slice(root.tensor, at, stop - at));
    return parts.length === 1 ? parts[0] : tf.concat(parts);
  }

  /** Makes `flat` the segment at `offset`, trimming the segments it covers in part. */
  #overwrite(root: Root, offset: number, flat: tfc.Tensor1D): void {
    const stop = offset + flat.size;
    const first = this.#firstEnding(root, offset);
    let last = first;
    const [before, after]: Segment[][] = [[], []];
    for (; last < root.segments.length && root.segments[last].offset < stop; last++) {
      const segment = root.segments[last];
      let handle: tfc.Tensor1D | null = segment.tensor;
      const claim = () => {
        const owned = handle ?? this.#tf.keep(this.#tf.clone(segment.tensor));
        handle = null;
        return owned;
      };
      if (segment.offset < offset) before.push({ offset: segment.offset, length: offset - segment.offset, tensor: claim(), start: segment.start });
      if (end(segment) > stop) after.push({ offset: stop, length: end(segment) - stop, tensor: claim(), start: segment.start + stop - segment.offset });
      handle?.dispose();
    }
    root.segments.splice(first, last - first, ...before, { offset, length: flat.size, tensor: flat, start: 0 }, ...after);
  }

  #assembled(root: Root): tfc.Tensor1D {
    if (root.segments.length === 0) return root.tensor;
    const next = this.#tf.tidy(() => this.#range(root, 0, root.length));
    root.tensor.dispose();
    for (const segment of root.segments) segment.tensor.dispose();
    root.segments = [];
    root.tensor = this.#tf.keep(next);
    return next;
  }

  #entry(id: BufferId): Root | View {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`Unknown or freed backend buffer ${id}.`);
    return entry;
  }
}
