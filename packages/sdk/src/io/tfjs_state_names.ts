/*
 * tfjs 4.22 names each optimizer state after its variable's session-unique name, not the weight's
 * saved name: a model made after another with the same layer names has the variable
 * `base/kernel_1`, so its optimizer lists, and its `save` with `includeOptimizer` writes,
 * `base/kernel_1/m` for the weight saved as `base/kernel`. tfjs itself reads the list by position;
 * kerasm pairs by name, so it takes such a name for the state it stands for, where only one can be meant.
 */

/** `<weight>_<n>/<state>`: the weight part before its suffix, and the state part. */
const SESSION_SUFFIX = /^(.+)_\d+(\/[^/]+)$/;

/**
 * `entries` with each name that is no state in `known` but is one with tfjs' `_<n>` session suffix
 * taken off its weight part (`base/kernel_1/m` → `base/kernel/m`) renamed to that state. A name of
 * `known` is kept as it is (a layer named `dense_1` has the state `dense_1/kernel/m`), and so is one
 * whose weight part is a weight of `known` (its state is then no state the optimizer keeps, which the
 * caller reports). Throws, naming the entries, when two entries would name one state.
 */
export function withSavedWeightNames<T extends { readonly name: string }>(entries: readonly T[], known: ReadonlySet<string>, source: string): T[] {
  const weights = new Set([...known].map(weightPart));
  const renamed = new Map<T, string>();
  for (const entry of entries) {
    if (known.has(entry.name)) continue;
    const parts = SESSION_SUFFIX.exec(entry.name);
    if (!parts || weights.has(weightPart(entry.name))) continue;
    const state = parts[1] + parts[2];
    if (known.has(state)) renamed.set(entry, state);
  }
  if (renamed.size === 0) return [...entries];
  checkOneEntryPerState(entries, renamed, source);
  return entries.map((entry) => {
    const name = renamed.get(entry);
    return name === undefined ? entry : { ...entry, name };
  });
}

function checkOneEntryPerState<T extends { readonly name: string }>(entries: readonly T[], renamed: ReadonlyMap<T, string>, source: string): void {
  for (const state of new Set(renamed.values())) {
    const claimants = entries.filter((entry) => (renamed.get(entry) ?? entry.name) === state).map((entry) => entry.name);
    if (claimants.length < 2) continue;
    const quoted = claimants.map((n) => `'${n}'`);
    const named = `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
    const weight = weightPart(state);
    throw new Error(
      `${source}: ${named} stand for the optimizer state '${state}' of weight '${weight}' ` +
        `(tfjs names a state after its variable's session-unique name, which adds '_<n>' to the weight name of a model made after another with the same layer names), so which one is that weight's is ambiguous. ` +
        `Pass one entry per state, from one model: name each after its weight's saved name ('${state}'; in tfjs, w.originalName of model.weights, then '/${statePart(state)}') and leave out the other model's.`,
    );
  }
}

function weightPart(stateName: string): string {
  const cut = stateName.lastIndexOf('/');
  return cut < 0 ? stateName : stateName.slice(0, cut);
}

function statePart(stateName: string): string {
  return stateName.slice(stateName.lastIndexOf('/') + 1);
}
