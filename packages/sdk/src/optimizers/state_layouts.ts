import type { Backend, BufferId } from '../backend/backend.js';
import { shapeSize } from '../tensor.js';
import { allocateSlots, freeSlots, slotShape, type AllocatedSlot, type StateSlot } from './state_slots.js';

/** One trainable weight as an optimizer lays out its state: an identity that outlives a new layout of the parameters, and its shape. */
export interface OptimizedWeight {
  /** The model keys each weight by its layer's `WeightSpec`, whose `name` names its state in `getWeights()`. */
  readonly key: object & { readonly name?: string };
  readonly shape: readonly number[];
}

/** One weight set's state: a flat buffer per kept slot, laid out like the weights in the parameter buffer. */
export interface StateLayout {
  readonly weights: readonly OptimizedWeight[];
  /** The weights' sizes, in layout order. */
  readonly sizes: readonly number[];
  readonly slots: readonly AllocatedSlot[];
  /** Each weight's part of a kept slot's buffer, by slot name, in layout order. */
  readonly parts: ReadonlyMap<string, readonly Part[]>;
  /** Each weight's position in the layout, by key. */
  readonly index: ReadonlyMap<object, number>;
}

interface Part {
  readonly offset: number;
  readonly length: number;
}

/** One slot's state of a weight in no kept layout. */
interface StashedState {
  readonly id: BufferId;
  readonly length: number;
}

/**
 * Layouts kept at once: the current one and the one before it. Two models sharing an optimizer (a
 * GAN's discriminator and combined model) then switch without allocating, and copy only the state
 * of the weights both train; a third layout sets aside the state of the least recently used one. A
 * layout whose weights all moved to the current one is freed at once, unless the same weight set
 * returned after such a freeing (a model toggling a layer's `trainable` between steps), so the
 * state kept is never more than the latest state of every weight plus a second copy of the weights
 * two layouts share, and a layer frozen or unfrozen once leaves no second copy behind.
 */
const KEPT_LAYOUTS = 2;

/**
 * An optimizer's state, kept per weight across layouts (Keras 3's per-variable slots). Each weight's
 * latest state lives in one place: a kept layout (its "home"), or, when it is in none, a buffer of
 * its own per slot (set aside). Switching to a kept layout copies only the state of its weights
 * whose latest state lies elsewhere.
 */
export class StateLayouts {
  #backend: Backend | null = null;
  /** Most recently used first, at most {@link KEPT_LAYOUTS}. */
  #layouts: StateLayout[] = [];
  #current: StateLayout | null = null;
  /** The kept layout that holds each weight's latest state. */
  #home = new Map<object, StateLayout>();
  /** The state of weights in no kept layout (frozen, another model's, or restored from a file), by weight and slot name. */
  #stash = new Map<object, Map<string, StashedState>>();
  /** The weights of the stale layout freed last (see {@link use}). */
  #freedStale: readonly OptimizedWeight[] | null = null;
  /** Layouts kept while stale, because their weight set came back after being freed once. */
  #toggled = new WeakSet<StateLayout>();
  /** Every weight with state, in its model's weight order as far as the layouts show it (see {@link #place}). */
  #order: OptimizedWeight[] = [];

  /** The backend the state lives on, or null when there is none. */
  get backend(): Backend | null {
    return this.#backend;
  }

  /** The layout the optimizer updates, or null before `use` or after `detach` emptied it. */
  get current(): StateLayout | null {
    return this.#current;
  }

  /**
   * Every weight there is state for, laid out or set aside, in its model's weight order: each
   * layout (a model's trainable weights) lists its weights in that order, and so does this list.
   */
  get weights(): readonly OptimizedWeight[] {
    return this.#order;
  }

  /**
   * Makes `weights` the current layout on `backend`. Each weight's state comes from where it last
   * was; a weight with none starts from the slots' initial values.
   */
  use(backend: Backend, slots: readonly StateSlot[], weights: readonly OptimizedWeight[]): StateLayout {
    if (this.#backend && this.#backend !== backend) this.#moveTo(backend);
    this.#backend = backend;
    const kept = this.#layouts.find((l) => sameWeights(l.weights, weights));
    const layout = kept ?? makeLayout(backend, slots, weights);
    this.#layouts = [layout, ...this.#layouts.filter((l) => l !== layout)];
    if (!kept) this.#place(weights);
    weights.forEach((w, i) => this.#bringHome(backend, layout, w.key, i));
    // A stashed state of a weight in a kept layout was set aside while it was in the layout: the layout's wins.
    for (const [key, byName] of this.#stash) {
      if (!this.#home.has(key)) continue;
      for (const state of byName.values()) backend.free(state.id);
      this.#stash.delete(key);
    }
    // A layout that holds no weight's latest state (all its weights are in the new one) is a stale
    // copy, freed unless its weights came back after it was freed once: then a model is toggling a
    // layer's `trainable` between steps, and keeping it saves making it again at every toggle.
    if (!kept && this.#freedStale && sameWeights(this.#freedStale, weights)) this.#toggled.add(layout);
    const live = (l: StateLayout) => l === layout || this.#toggled.has(l) || l.weights.some((w) => this.#home.get(w.key) === l);
    for (const old of this.#layouts.filter((l) => !live(l))) {
      freeSlots(backend, old.slots);
      this.#freedStale = old.weights;
    }
    this.#layouts = this.#layouts.filter(live);
    for (const old of this.#layouts.splice(KEPT_LAYOUTS)) this.#evict(backend, old);
    this.#current = layout;
    return layout;
  }

  /** The state of a weight outside the current layout, by slot name; empty when there is none. */
  setAsideState(key: object): ReadonlyMap<string, BufferId> {
    const backend = this.#backend;
    const home = this.#home.get(key);
    if (backend && home && home !== this.#current) {
      const i = home.index.get(key)!;
      return new Map(home.slots.filter((s) => s.id).map((s) => {
        const part = home.parts.get(s.name)![i];
        return [s.name, backend.view(s.id, part.offset, part.length)];
      }));
    }
    return new Map([...(this.#stash.get(key) ?? [])].map(([name, state]) => [name, state.id]));
  }

  /** Sets `values` aside as slot `name`'s state for a weight outside the current layout. */
  setAside(backend: Backend, weight: OptimizedWeight, name: string, values: Float32Array): void {
    const { key } = weight;
    if (!this.#order.some((w) => w.key === key)) this.#order.push(weight);
    const home = this.#home.get(key);
    if (home && home !== this.#current) this.#stashFrom(backend, backend, home, key);
    const byName = this.#stash.get(key) ?? new Map<string, StashedState>();
    const previous = byName.get(name);
    if (previous) backend.free(previous.id);
    const id = backend.alloc(values.length, 'float32');
    backend.write(id, values);
    this.#stash.set(key, byName.set(name, { id, length: values.length }));
  }

  /**
   * Frees the state of the weights keyed by `keys` (all without), and every kept layout other than
   * the current one that holds any of them. The current layout is freed once all its weights are
   * gone, and the backend forgotten once no state is left.
   */
  detach(keys?: readonly object[]): void {
    this.#free(keys);
    this.#order = this.#order.filter((w) => this.#home.has(w.key) || this.#stash.has(w.key));
  }

  /** {@link detach}'s freeing, before the order of the weights left is updated. */
  #free(keys?: readonly object[]): void {
    const backend = this.#backend;
    if (!backend) return;
    const gone = (key: object) => keys === undefined || keys.includes(key);
    if (this.#freedStale?.some((w) => gone(w.key))) this.#freedStale = null;
    for (const [key, byName] of this.#stash) {
      if (!gone(key)) continue;
      for (const state of byName.values()) backend.free(state.id);
      this.#stash.delete(key);
    }
    for (const layout of this.#layouts) {
      if (layout === this.#current || !layout.weights.some((w) => gone(w.key))) continue;
      for (const w of layout.weights) if (gone(w.key) && this.#home.get(w.key) === layout) this.#home.delete(w.key);
      this.#evict(backend, layout);
    }
    this.#layouts = this.#layouts.filter((l) => l === this.#current || !l.weights.some((w) => gone(w.key)));
    const current = this.#current;
    if (current && !current.weights.every((w) => gone(w.key))) return;
    if (current) {
      for (const w of current.weights) this.#home.delete(w.key);
      freeSlots(backend, current.slots);
      this.#layouts = this.#layouts.filter((l) => l !== current);
      this.#current = null;
    }
    if (this.#stash.size > 0 || this.#home.size > 0) return;
    for (const layout of this.#layouts) freeSlots(backend, layout.slots);
    this.#layouts = [];
    this.#backend = null;
  }

  /**
   * Records the weights of a new layout in {@link #order}: those already there take the layout's
   * order among the places they hold, and a new one goes right after the weight before it in the
   * layout (the first, before the next one already there), so that weights laid out together keep
   * their model's order, whatever order they first got state in (a layer frozen at the first step).
   */
  #place(weights: readonly OptimizedWeight[]): void {
    const at = new Map(this.#order.map((w, i) => [w.key, i]));
    const known = weights.filter((w) => at.has(w.key));
    const places = known.map((w) => at.get(w.key)!).sort((a, b) => a - b);
    const order = [...this.#order];
    known.forEach((w, i) => (order[places[i]] = w));
    if (known.length < weights.length) {
      weights.forEach((w, i) => {
        if (at.has(w.key)) return;
        const next = weights.slice(i + 1).find((later) => at.has(later.key));
        const position = i > 0 ? order.findIndex((o) => o.key === weights[i - 1].key) + 1 : next ? order.findIndex((o) => o.key === next.key) : order.length;
        order.splice(position, 0, w);
      });
    }
    this.#order = order;
  }

  /**
   * Copies a weight's latest state into its part of `layout`, unless it is there already. A weight
   * with no state is new, so `layout` is too (`detach` drops every kept layout holding a weight it
   * frees), and its part holds the slots' initial values.
   */
  #bringHome(backend: Backend, layout: StateLayout, key: object, i: number): void {
    const home = this.#home.get(key);
    if (home === layout) return;
    const stashed = this.#stash.get(key);
    for (const slot of layout.slots) {
      if (!slot.id) continue;
      const part = layout.parts.get(slot.name)![i];
      const target = backend.view(slot.id, part.offset, part.length);
      const state = stashed?.get(slot.name);
      if (home) {
        const from = home.parts.get(slot.name)![home.index.get(key)!];
        backend.copy(backend.view(home.slots.find((s) => s.name === slot.name)!.id, from.offset, from.length), target, part.length);
      } else if (state) backend.copy(state.id, target, part.length);
    }
    this.#home.set(key, layout);
  }

  /** Sets aside the state of the weights `layout` holds the latest of, on `to`, and frees the layout. */
  #evict(to: Backend, layout: StateLayout, from: Backend = to): void {
    for (const w of layout.weights) if (this.#home.get(w.key) === layout) this.#stashFrom(from, to, layout, w.key);
    freeSlots(from, layout.slots);
  }

  /** Moves a weight's state out of `layout` into buffers of its own on `to`, replacing any set aside. */
  #stashFrom(from: Backend, to: Backend, layout: StateLayout, key: object): void {
    const i = layout.index.get(key)!;
    for (const state of this.#stash.get(key)?.values() ?? []) to.free(state.id);
    const byName = new Map<string, StashedState>();
    for (const slot of layout.slots) {
      if (!slot.id) continue;
      const { offset, length } = layout.parts.get(slot.name)![i];
      const id = to.alloc(length, 'float32');
      transfer(from, from.view(slot.id, offset, length), to, id, length);
      byName.set(slot.name, { id, length });
    }
    this.#stash.set(key, byName);
    this.#home.delete(key);
  }

  /** Moves every state to `to` (the model moved backends): kept layouts are set aside there and freed. */
  #moveTo(to: Backend): void {
    const from = this.#backend!;
    for (const [key, byName] of this.#stash) {
      this.#stash.set(key, new Map([...byName].map(([name, state]) => [name, moveState(from, state, to)])));
    }
    for (const layout of this.#layouts) this.#evict(to, layout, from);
    this.#layouts = [];
    this.#current = null;
  }
}

export function sameWeights(a: readonly OptimizedWeight[], b: readonly OptimizedWeight[]): boolean {
  return a.length === b.length && a.every((w, i) => w.key === b[i].key);
}

/** A new layout of `weights`, its slots filled with their initial values. */
function makeLayout(backend: Backend, slots: readonly StateSlot[], weights: readonly OptimizedWeight[]): StateLayout {
  const shapes = weights.map((w) => w.shape);
  const allocated = allocateSlots(backend, slots, shapes);
  const parts = new Map(allocated.filter((s) => s.id).map((slot) => {
    let offset = 0;
    return [slot.name, shapes.map((shape) => {
      const length = shapeSize(slotShape(slot, shape));
      offset += length;
      return { offset: offset - length, length };
    })];
  }));
  return { weights, sizes: shapes.map(shapeSize), slots: allocated, parts, index: new Map(weights.map((w, i) => [w.key, i])) };
}

/** Copies `length` elements between buffers, through the host when they live on different backends. */
function transfer(from: Backend, src: BufferId, to: Backend, dst: BufferId, length: number): void {
  if (from === to) from.copy(src, dst, length);
  else to.write(dst, from.read(src, length, 'float32'));
}

/** The state on `to`: itself when `from` is `to`, else a copy there (the original freed). */
function moveState(from: Backend, state: StashedState, to: Backend): StashedState {
  if (from === to) return state;
  const id = to.alloc(state.length, 'float32');
  transfer(from, state.id, to, id, state.length);
  from.free(state.id);
  return { id, length: state.length };
}
