import type { Backend } from '../backend/backend.js';
import { markOptimizerRestored } from '../io/fresh_optimizer.js';
import { restoreStateWeights, setAsideStateSpecs, stateWeightSpecs, stateWeights, type StateOwner } from '../io/optimizer_weights.js';
import { withSavedWeightNames } from '../io/tfjs_state_names.js';
import type { NamedWeight } from '../io/weights.js';
import { tensor, type Tensor } from '../tensor.js';
import type { Optimizer } from './optimizer.js';

// The optimizer's state as TensorFlow.js' getWeights()/setWeights() list, built on the mapping that
// saving with { includeOptimizer: true } writes, so the list and the file's optimizer weights agree.

/** One tensor of an optimizer's state, as TensorFlow.js' `NamedTensor`: `'iter'`, or `'<weight>/<state>'`. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** What `setWeights` takes: a `NamedTensor` whose tensor is kerasm's or TensorFlow.js' (anything with `shape` and `data()`). */
export interface NamedTensorLike {
  name: string;
  tensor: Tensor | { readonly shape: readonly number[]; data(): Promise<unknown> };
}

const ITERATIONS = 'iter';

function iterationsTensor(optimizer: Optimizer): NamedTensor {
  return { name: ITERATIONS, tensor: tensor(Int32Array.of(optimizer.batchesApplied), [], 'int32') };
}

/** The weights an optimizer keeps state for, as `getWeights()` lists them. */
export interface StateHolders {
  /** The weights of the layout its updates use (its model's trainable weights), in that order. */
  readonly laidOut: readonly StateOwner[];
  /** The other weights it keeps state for (frozen since they trained, or another model's), in their model's order. */
  readonly setAside: readonly StateOwner[];
  /** Its model's weights that it neither updates nor keeps state for (frozen since the model was built): `setWeights` may give them some. */
  readonly frozen?: readonly StateOwner[];
}

/**
 * `optimizer.getWeights()`: `iter`, then each state for every weight of `holders`, in tfjs'
 * order. Before the first update, or with no state, only `iter`, as tfjs.
 */
export async function namedState(optimizer: Optimizer, backend: Backend | null, holders: StateHolders | null, released: boolean): Promise<NamedTensor[]> {
  const call = `${optimizer.className}.getWeights`;
  if (released && optimizer.batchesApplied > 0) throw releasedError(optimizer, call, 'list');
  if (!backend || !holders || optimizer.batchesApplied === 0) return [iterationsTensor(optimizer)];
  checkDistinctNames(optimizer, holders, call);
  const weights = await stateWeights(optimizer, holders.laidOut, holders.setAside, backend);
  return weights.map((w) => ({ name: w.name, tensor: w.values instanceof Int32Array ? tensor(w.values, w.shape, 'int32') : tensor(w.values, w.shape, 'float32') }));
}

/** After `detach` freed everything: what happened, and what to do instead. */
function releasedError(optimizer: Optimizer, call: string, verb: 'list' | 'set'): Error {
  return new Error(
    `${call}: ${optimizer.className}'s state was freed when the model it trained was disposed or compiled with another optimizer, so there is none to ${verb}; only its update count (${optimizer.batchesApplied}) is left. ` +
      (verb === 'list'
        ? 'Call getWeights before model.dispose() or the new compile, or use the optimizer the model is compiled with now (model.optimizer).'
        : 'Set the state into the optimizer the model is compiled with now (model.optimizer), or compile a model with this one again and build it (model.fit, model.predict, or model.getWeights()), then call setWeights.'),
  );
}

/** Two weights of one name would give their states one name: refused, as `model.save` refuses them. */
function checkDistinctNames(optimizer: Optimizer, holders: StateHolders, call: string): void {
  const seen = new Set<string>();
  const repeated = [...holders.laidOut, ...holders.setAside].find(({ name }) => seen.has(name) || !seen.add(name))?.name;
  if (repeated === undefined) return;
  throw new Error(
    `${call}: two weights ${optimizer.className} keeps state for are named '${repeated}' (a nested model holding a layer named like one outside it, or models sharing the optimizer), so their states would have one name; model.save refuses such a model too. ` +
      'Give the layers distinct names (e.g. km.layers.dense({ units, name: \'head\' })).',
  );
}

/** Reads every entry of a `setWeights` list to the host, checking its form and that its values are finite. */
export async function readNamedTensors(list: unknown, call: string): Promise<NamedWeight[]> {
  if (!Array.isArray(list)) {
    throw new Error(`${call} takes the list getWeights() returns: [{ name: 'iter', tensor }, { name: '<weight>/<state>', tensor }, ...]. Received: ${describe(list)}.`);
  }
  const entries: NamedWeight[] = [];
  for (const [i, entry] of list.entries()) {
    const { name, tensor: t } = (typeof entry === 'object' && entry !== null ? entry : {}) as { name?: unknown; tensor?: { shape?: unknown; data?: unknown } };
    if (typeof name !== 'string' || typeof t !== 'object' || t === null || !Array.isArray(t.shape) || typeof t.data !== 'function') {
      throw new Error(`${call}: entry ${i} must be { name: string, tensor } with a km.Tensor or TensorFlow.js tensor, as getWeights() returns. Received: ${describe(entry)}.`);
    }
    const values: unknown = await (t.data as () => Promise<unknown>).call(t);
    if (!(values instanceof Float32Array || values instanceof Int32Array)) {
      throw new Error(`${call}: '${name}' must hold float32 values ('iter': int32). Received: ${values === null || typeof values !== 'object' ? typeof values : values.constructor.name} values.`);
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new Error(`${call}: '${name}' holds ${values[bad]} at index ${bad}; optimizer state must be finite. The state it came from diverged: start the optimizer afresh instead.`);
    }
    entries.push({ name, shape: [...(t.shape as number[])], values, group: 'optimizer' });
  }
  return entries;
}

/**
 * `optimizer.setWeights(list)`: checks `entries` against the state `getWeights()` lists for
 * `holders` (count, names, shapes, `iter`), then writes them all; on an error nothing changes.
 * `[iter]` alone with `iter` 0 (tfjs' list before its first update) restarts the state. A tfjs
 * name with a session suffix (`base/kernel_1/m`) stands for this model's state (`base/kernel/m`)
 * where it can mean only that one.
 */
export function setNamedState(optimizer: Optimizer, backend: Backend | null, holders: StateHolders | null, released: boolean, entries: readonly NamedWeight[], call: string): void {
  if (holders) checkDistinctNames(optimizer, holders, call);
  const names = entries.map((e) => e.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new Error(`${call}: '${repeated}' appears more than once. Pass each state once, as getWeights() lists them.`);
  const iter = entries.find((e) => e.name === ITERATIONS);
  if (!iter) {
    throw new Error(`${call}: the list has no '${ITERATIONS}' entry, the number of updates applied, which getWeights() lists first. Received names: ${quote(names)}.`);
  }
  const iterations = iter.values[0];
  if (iter.values.length !== 1 || !Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`${call}: '${ITERATIONS}' must be a scalar whole number ≥ 0 (the updates applied). Received: shape [${iter.shape.join(', ')}], values [${Array.from(iter.values.slice(0, 4)).join(', ')}${iter.values.length > 4 ? ', ...' : ''}].`);
  }
  const restart = entries.length === 1 && iterations === 0;
  if (!backend || !holders) {
    // Without state the only thing to set is a count of 0 updates (a later attach starts there anyway).
    if (restart) {
      optimizer.batchesApplied = 0;
      return;
    }
    if (released) throw releasedError(optimizer, call, 'set');
    throw new Error(
      `${call}: ${optimizer.className} holds no state yet, so there is nothing to set: its state is laid out for a model's trainable weights when the model first runs with it. ` +
        'Compile a model with this optimizer and build it (model.fit, model.predict, or model.getWeights() builds it), then call setWeights.',
    );
  }
  const expected = stateWeightSpecs(optimizer, holders.laidOut, holders.setAside);
  const shapes = new Map(expected.map((e) => [e.name, e.shape]));
  // A layer frozen since the model was built has no state, but may be given some (a tfjs list from a
  // model where it trained): set aside for when it trains, as loading a saved model does.
  // One whose name another weight has too (a nested model's layer named like another) is left out: its state's name is ambiguous.
  const frozenNames = (holders.frozen ?? []).map((w) => w.name);
  const unambiguous = (holders.frozen ?? []).filter((w) => frozenNames.indexOf(w.name) === frozenNames.lastIndexOf(w.name));
  const frozen = setAsideStateSpecs(optimizer, unambiguous).filter(({ states }) => states.every((state) => !shapes.has(state.name)));
  for (const { states } of frozen) for (const state of states) shapes.set(state.name, state.shape);
  const matched = withSavedWeightNames(entries, new Set(shapes.keys()), call);
  for (const entry of matched) {
    const shape = shapes.get(entry.name);
    if (!shape) {
      throw new Error(
        `${call}: '${entry.name}' names no state of ${optimizer.className}, which keeps state for ${describeHolders(holders)}. Expected names: ${quote(expected.map((e) => e.name))}. ` +
          "Rename the model's layers as in the list's model, or pass this model's getWeights().",
      );
    }
    if (entry.name === ITERATIONS) continue;
    if (shape.length !== entry.shape.length || shape.some((d, i) => d !== entry.shape[i])) {
      throw new Error(`${call}: '${entry.name}' has shape [${entry.shape.join(', ')}], but that state's shape is [${shape.join(', ')}].`);
    }
    if (!(entry.values instanceof Float32Array)) throw new Error(`${call}: '${entry.name}' is int32; optimizer state is float32.`);
  }
  const given = new Set(matched.map((e) => e.name));
  const frozenGiven = frozen.filter(({ states }) => states.some((state) => given.has(state.name)));
  for (const { owner, states } of frozenGiven) {
    const missing = states.filter((state) => !given.has(state.name)).map((state) => state.name);
    if (missing.length === 0) continue;
    throw new Error(
      `${call}: the list gives weight '${owner.name}' (of a layer frozen since the model was built) ${quote(states.map((state) => state.name).filter((name) => given.has(name)))} but not ${quote(missing)}. ` +
        `Pass every state ${optimizer.className} keeps for a weight, as getWeights() lists them, or none of them (the weight then starts from fresh state when its layer trains).`,
    );
  }
  const frozenCount = frozenGiven.reduce((n, { states }) => n + states.length, 0);
  // After the names: an unknown name says more than the count it also changes.
  if (!restart && entries.length !== expected.length + frozenCount) {
    throw new Error(
      `${call}: the list holds ${entries.length} tensors, but ${optimizer.className}'s state for ${describeHolders(holders)} is ${expected.length}: ${quote(expected.map((e) => e.name))}. ` +
        `Received: ${quote(names)}. Pass the list getWeights() returns for the same model.`,
    );
  }
  const setAside = [...holders.setAside, ...frozenGiven.map(({ owner }) => owner)];
  restoreStateWeights(optimizer, holders.laidOut, setAside, backend, new Map(matched.map((e) => [e.name, e])), call);
  if (!restart) markOptimizerRestored(optimizer);
}

/** "its model's 2 trainable weights and 2 set aside for frozen layers", for the errors. */
function describeHolders(holders: StateHolders): string {
  const trained = `its model's ${holders.laidOut.length} trainable weights`;
  const described = holders.setAside.length > 0 ? `${trained} and ${holders.setAside.length} set aside (frozen layers', or another model's)` : trained;
  const frozen = holders.frozen?.length ? `, and may be given state for its ${holders.frozen.length} frozen ones (${quote(holders.frozen.map((w) => w.name))})` : '';
  return described + frozen;
}

function quote(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => `'${n}'`).join(', ');
  return names.length > 8 ? `${shown}, ... (${names.length} in all)` : shown;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return `an object with keys [${Object.keys(value).join(', ')}]`;
}
