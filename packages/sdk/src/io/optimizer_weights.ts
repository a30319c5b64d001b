import type { Backend } from '../backend/backend.js';
import type { Layer, WeightSpec as LayerWeight } from '../layers/layer.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { GRADIENT_ACCUMULATOR } from '../optimizers/gradient_accumulation.js';
import { slotShape, type StateSlot } from '../optimizers/state_slots.js';
import { shapeSize } from '../tensor.js';
import { withSavedWeightNames } from './tfjs_state_names.js';
import type { NamedWeight } from './weights.js';

/*
 * Optimizer state in tfjs' layout, so either library resumes the other's training: `iter` (int32,
 * updates applied so far), then for each state slot the optimizer declares (`declareSlots`: tfjs'
 * names where tfjs has the optimizer, else Keras 3's), one tensor per trainable weight, named
 * `<weight>/<savedName>`, in the order tfjs' getWeights writes them. tfjs-layers 4.22 can neither
 * save nor load Adamax state (its getWeights/setWeights throw).
 * With useEma (any optimizer) `average` follows: the weights' moving average (Keras 3's name); with
 * gradientAccumulationSteps, `gradient_accumulator` (Keras 3's), and `iter` counts batches as
 * Keras 3's iteration variable does, so a run saved between updates resumes mid-accumulation.
 * kerasm holds each state in one flat buffer laid out like the trainable parameters (trainable
 * weights in layer order), which is cut into per-weight tensors here. `layers` are the model's
 * `computedLayers`: a nested model's unused output head gets no gradient, so, as in tfjs, which
 * makes state only for weights with a gradient, it has none. The state the optimizer keeps aside
 * for a frozen weight follows each state's trainable ones, so a layer frozen when the model is
 * saved resumes its moments once unfrozen; tfjs reads each state's tensors by position, for its
 * trainable weights only, so it uses the ones before them.
 */

const ITERATIONS = 'iter';

/** useEma's moving average: kept for the current layout only (it restarts from the weights after a new one), so never set aside. */
const AVERAGE: StateSlot = { name: 'average' };

function slotsOf(optimizer: Optimizer): StateSlot[] {
  // useEma's moving average and the gradient accumulator, under Keras 3's names, after the optimizer's own state.
  const average = optimizer.ema ? [AVERAGE] : [];
  const accumulator = optimizer.gradientAccumulationSteps ? [GRADIENT_ACCUMULATOR] : [];
  return [...optimizer.declareSlots(), ...average, ...accumulator];
}

function trainableWeights(layers: readonly Layer[]): LayerWeight[] {
  return layers.flatMap((l) => l.weightSpecs).filter((w) => w.trainable);
}

function frozenWeights(layers: readonly Layer[]): LayerWeight[] {
  return layers.flatMap((l) => l.weightSpecs).filter((w) => !w.trainable);
}

function bufferOf(optimizer: Optimizer, name: string): number {
  const average = optimizer.averageSlot();
  const id = [...optimizer.stateSlots(), ...(average ? [average] : [])].find((s) => s.name === name)?.id;
  if (!id) throw new Error(`${optimizer.className} has no state buffer '${name}'; compile and build the model before saving or restoring its optimizer.`);
  return id;
}

/** A weight whose optimizer state is named after it: a layer's `WeightSpec`, which also keys the state. */
export interface StateOwner {
  readonly name: string;
  readonly shape: readonly number[];
  /** What the optimizer keys the weight's state by, where that is not the owner itself. */
  readonly key?: object;
}

function keyOf(w: StateOwner): object {
  return w.key ?? w;
}

/**
 * Where the state set aside for `w` in slot `s` is: a buffer, `'zeros'` for a slot kerasm does not
 * keep (saved as zeros, as for a trainable weight), or null when there is none (no state is set
 * aside for `w`, or the slot is the moving average, which only the current layout has).
 */
function setAsideSource(optimizer: Optimizer, s: StateSlot, w: StateOwner): number | 'zeros' | null {
  if (s === AVERAGE) return null;
  const aside = optimizer.setAsideState(keyOf(w));
  if (aside.size === 0) return null;
  return s.kept === false ? 'zeros' : (aside.get(s.name) ?? null);
}

/** The optimizer's state as named tensors in tfjs' order (`iter`, then each state for every trainable weight). */
export async function optimizerWeights(optimizer: Optimizer, layers: readonly Layer[], backend: Backend): Promise<NamedWeight[]> {
  return stateWeights(optimizer, trainableWeights(layers), frozenWeights(layers), backend);
}

/**
 * The state of `trainable` (the optimizer's layout, in order) and what is set aside for `frozen`,
 * as named tensors in tfjs' order: what {@link optimizerWeights} saves and `optimizer.getWeights()` returns.
 */
export async function stateWeights(optimizer: Optimizer, trainable: readonly StateOwner[], frozen: readonly StateOwner[], backend: Backend): Promise<NamedWeight[]> {
  const out: NamedWeight[] = [{ name: ITERATIONS, shape: [], values: Int32Array.of(optimizer.batchesApplied), group: 'optimizer' }];
  for (const s of slotsOf(optimizer)) {
    // With no trainable weight there may be no layout, and so no buffer, at all (a frozen model).
    const id = s.kept === false || trainable.length === 0 ? 0 : bufferOf(optimizer, s.name);
    const total = trainable.reduce((n, w) => n + shapeSize(savedShape(s, w)), 0);
    // One read per state buffer, without blocking: GPU backends cannot always read synchronously.
    const state = id ? ((await backend.readAsync(id, total, 'float32')) as Float32Array) : new Float32Array(total);
    const divisor = s.savedDivisor?.() ?? 1;
    let offset = 0;
    for (const w of trainable) {
      const shape = savedShape(s, w);
      const size = shapeSize(shape);
      const values = state.slice(offset, offset + size);
      out.push({ name: stateName(s, w), shape, values: divisor === 1 ? values : values.map((x) => x / divisor), group: 'optimizer' });
      offset += size;
    }
    for (const w of frozen) {
      const aside = setAsideSource(optimizer, s, w);
      if (aside === null) continue;
      const shape = savedShape(s, w);
      const values = aside === 'zeros' ? new Float32Array(shapeSize(shape)) : ((await backend.readAsync(aside, shapeSize(shape), 'float32')) as Float32Array);
      out.push({ name: stateName(s, w), shape, values: divisor === 1 ? values : values.map((x) => x / divisor), group: 'optimizer' });
    }
  }
  return out;
}

/**
 * The frozen weights of `layers` whose set-aside state {@link optimizerWeights} writes (after each
 * state's trainable ones, where tfjs, reading by position, does not look for it).
 */
export function frozenWeightsWithState(optimizer: Optimizer, layers: readonly Layer[]): string[] {
  const slots = slotsOf(optimizer);
  return frozenWeights(layers).filter((w) => slots.some((s) => setAsideSource(optimizer, s, w) !== null)).map((w) => w.name);
}

/** The names and shapes {@link stateWeights} gives for `trainable` and `frozen`, in its order (`iter` first), read from no buffer. */
export function stateWeightSpecs(optimizer: Optimizer, trainable: readonly StateOwner[], frozen: readonly StateOwner[] = []): { name: string; shape: number[] }[] {
  const spec = (s: StateSlot, w: StateOwner) => ({ name: stateName(s, w), shape: savedShape(s, w) });
  return [{ name: ITERATIONS, shape: [] }, ...slotsOf(optimizer).flatMap((s) => [...trainable.map((w) => spec(s, w)), ...frozen.filter((w) => setAsideSource(optimizer, s, w) !== null).map((w) => spec(s, w))])];
}

/** The names and shapes of the state that can be set aside for each of `frozen` (every slot but the moving average), by weight. */
export function setAsideStateSpecs(optimizer: Optimizer, frozen: readonly StateOwner[]): { owner: StateOwner; states: { name: string; shape: number[] }[] }[] {
  const slots = slotsOf(optimizer).filter((s) => s !== AVERAGE);
  return frozen.map((w) => ({ owner: w, states: slots.map((s) => ({ name: stateName(s, w), shape: savedShape(s, w) })) }));
}

/**
 * Restores optimizer state saved by kerasm or tfjs. State tensors may be missing only when no
 * update was applied yet (tfjs creates them lazily); anything else missing, misshapen or left
 * over is an error naming it.
 */
export function restoreOptimizerWeights(optimizer: Optimizer, layers: readonly Layer[], backend: Backend, saved: Map<string, NamedWeight>, source: string): void {
  restoreStateWeights(optimizer, trainableWeights(layers), frozenWeights(layers), backend, saved, source);
}

/**
 * Restores the state of `trainable` (the optimizer's layout, in order) and sets aside what `given`
 * holds for `frozen`, as {@link restoreOptimizerWeights}. Everything is checked before anything is
 * written: on an error the optimizer keeps its state and `iterations`. A state missing before the
 * first update (`iter` 0, as tfjs saves a fresh optimizer) starts from its initial value. A state
 * that tfjs named after its variable's session-unique name (`base/kernel_1/m`) is read as this
 * model's (`base/kernel/m`) where it can mean only that one.
 */
export function restoreStateWeights(optimizer: Optimizer, trainable: readonly StateOwner[], frozen: readonly StateOwner[], backend: Backend, given: ReadonlyMap<string, NamedWeight>, source: string): void {
  const known = new Set([...stateWeightSpecs(optimizer, trainable), ...setAsideStateSpecs(optimizer, frozen).flatMap(({ states }) => states)].map((s) => s.name));
  const saved = new Map(withSavedWeightNames([...given.values()], known, source).map((w) => [w.name, w]));
  const iter = saved.get(ITERATIONS);
  if (!iter || iter.values.length !== 1) {
    throw new Error(`${source}: the optimizer weights lack the scalar '${ITERATIONS}' (the number of updates applied). Save the model again with { includeOptimizer: true }.`);
  }
  const iterations = iter.values[0];
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`${source}: the optimizer weight '${ITERATIONS}' is ${iterations}, but it counts updates: a whole number ≥ 0. The file is corrupt; save the model again.`);
  }
  // First: a schedule's rate depends on it, and SGD's momentum is saved divided by that rate.
  const previous = optimizer.batchesApplied;
  optimizer.batchesApplied = iterations;
  let writes: (() => void)[];
  try {
    writes = stateWrites(optimizer, trainable, frozen, backend, saved, source, iterations);
  } catch (error) {
    optimizer.batchesApplied = previous;
    throw error;
  }
  for (const write of writes) write();
}

/** Checks every saved state against the optimizer's slots and the weights, and returns the writes that restore them. */
function stateWrites(optimizer: Optimizer, trainable: readonly StateOwner[], frozen: readonly StateOwner[], backend: Backend, saved: ReadonlyMap<string, NamedWeight>, source: string, iterations: number): (() => void)[] {
  const writes: (() => void)[] = [];
  const unused = new Set([...saved.keys()].filter((name) => name !== ITERATIONS));
  for (const s of slotsOf(optimizer)) {
    const id = s.kept === false || trainable.length === 0 ? 0 : bufferOf(optimizer, s.name);
    const divisor = s.savedDivisor?.() ?? 1;
    const scaled = (values: Float32Array) => (divisor === 1 ? values : Float32Array.from(values, (x) => x * divisor));
    let offset = 0;
    for (const w of trainable) {
      const shape = savedShape(s, w);
      const size = shapeSize(shape);
      const name = stateName(s, w);
      const tensor = saved.get(name);
      const at = offset;
      unused.delete(name);
      offset += size;
      if (!tensor) {
        if (iterations === 0) {
          if (id) writes.push(() => backend.fill(backend.view(id, at, size), size, s.initialValue ?? 0));
          continue;
        }
        if (!id) continue;
        throw new Error(`${source}: optimizer weight '${name}' is missing (the ${optimizer.className} optimizer has applied ${iterations} updates and keeps '${savedName(s)}' for every trainable weight). Found: ${[...saved.keys()].join(', ')}. Save the model again with { includeOptimizer: true }, or load it and compile afresh.`);
      }
      if (tensor.values.length !== size || !(tensor.values instanceof Float32Array)) {
        throw new Error(`${source}: optimizer weight '${name}' is ${tensor.values instanceof Float32Array ? '' : 'int32 '}of shape [${tensor.shape.join(', ')}], but its state for weight '${w.name}' (shape [${w.shape.join(', ')}]) is float32 of shape [${shape.join(', ')}]. The optimizer state does not belong to this model.`);
      }
      const values = scaled(tensor.values);
      if (id) writes.push(() => backend.write(backend.view(id, at, size), values));
    }
    // A frozen weight's state, saved while the layer was frozen: kept aside until it is unfrozen.
    if (s === AVERAGE) continue;
    for (const w of frozen) {
      const name = stateName(s, w);
      const tensor = saved.get(name);
      const size = shapeSize(savedShape(s, w));
      const weight = { key: keyOf(w), shape: w.shape };
      if (s.kept === false) {
        // Saved as zeros (tfjs keeps it), kept by no buffer here.
        if (tensor) unused.delete(name);
        continue;
      }
      if (!tensor) {
        // A restart (iter 0) restarts what is set aside too.
        if (iterations === 0 && optimizer.setAsideState(weight.key).size > 0) writes.push(() => optimizer.setAside(weight, s.name, new Float32Array(size).fill(s.initialValue ?? 0)));
        continue;
      }
      if (!(tensor.values instanceof Float32Array) || tensor.values.length !== size) continue;
      unused.delete(name);
      const values = scaled(tensor.values);
      writes.push(() => optimizer.setAside(weight, s.name, values));
    }
  }
  if (unused.size > 0) {
    throw new Error(`${source}: optimizer weights ${[...unused].map((n) => `'${n}'`).join(', ')} belong to no state of ${optimizer.className} (${describeSlots(optimizer)}) for this model's trainable weights. The file's optimizer differs from its training config; save the model again with { includeOptimizer: true }.`);
  }
  return writes;
}

function stateName(s: StateSlot, w: StateOwner): string {
  return `${w.name}/${savedName(s)}`;
}

function savedShape(s: StateSlot, w: StateOwner): number[] {
  return slotShape(s, w.shape);
}

function savedName(s: StateSlot): string {
  return s.savedName ?? s.name;
}

function describeSlots(optimizer: Optimizer): string {
  const suffixes = slotsOf(optimizer).map((s) => `'<weight>/${savedName(s)}'`);
  return suffixes.length > 0 ? `expected ${suffixes.join(', ')}` : 'it keeps no state besides iter';
}
