import type { Backend, BufferId } from '../backend/backend.js';
import type { StateLayout } from './state_layouts.js';

/** One range of a live buffer and where it is saved. */
interface SavedRange {
  readonly live: BufferId;
  readonly saved: BufferId;
  readonly length: number;
}

/**
 * The values of some weights of a layout, and of their state in every kept slot, saved before an
 * update and written back after it, so that the update leaves those weights as they were. This is
 * how an optimizer skips weights without a gradient, as Keras 3's `apply` drops them (no update, no
 * weight decay, state untouched), while the rest of the buffer still updates in one sweep. Made
 * once per layout, parameter buffer and set of weights; a step then only copies, allocating nothing.
 */
export class UnchangedWeights {
  readonly layout: StateLayout;
  readonly params: BufferId;
  readonly keys: ReadonlySet<object>;
  readonly #scratch: BufferId;
  readonly #ranges: readonly SavedRange[];

  /** Keeps the weights of `layout` keyed in `keys` (others in `keys` are ignored), whose values lie in the parameter buffer `params`. */
  constructor(backend: Backend, layout: StateLayout, params: BufferId, keys: ReadonlySet<object>) {
    this.layout = layout;
    this.params = params;
    this.keys = keys;
    const kept = layout.weights.flatMap((w, i) => (keys.has(w.key) ? [i] : []));
    const offsets: number[] = [];
    let offset = 0;
    for (const size of layout.sizes) {
      offsets.push(offset);
      offset += size;
    }
    const live: { id: BufferId; offset: number; length: number }[] = kept.map((i) => ({ id: params, offset: offsets[i], length: layout.sizes[i] }));
    for (const slot of layout.slots) {
      if (!slot.id) continue;
      const parts = layout.parts.get(slot.name)!;
      for (const i of kept) live.push({ id: slot.id, ...parts[i] });
    }
    const ranges = live.filter((r) => r.length > 0);
    const total = ranges.reduce((n, r) => n + r.length, 0);
    this.#scratch = total > 0 ? backend.alloc(total, 'float32') : 0;
    let at = 0;
    this.#ranges = ranges.map(({ id, offset, length }) => {
      const saved = backend.view(this.#scratch, at, length);
      at += length;
      return { live: backend.view(id, offset, length), saved, length };
    });
  }

  /** Whether this was made for the same layout, parameter buffer and set of weights. */
  matches(layout: StateLayout, params: BufferId, keys: ReadonlySet<object>): boolean {
    return this.layout === layout && this.params === params && this.keys === keys;
  }

  /** Copies the weights' values and state aside. */
  save(backend: Backend): void {
    for (const r of this.#ranges) backend.copy(r.live, r.saved, r.length);
  }

  /** Writes back what {@link save} copied aside. */
  restore(backend: Backend): void {
    for (const r of this.#ranges) backend.copy(r.saved, r.live, r.length);
  }

  free(backend: Backend): void {
    if (this.#scratch) backend.free(this.#scratch);
  }
}
