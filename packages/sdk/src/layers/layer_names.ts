const nameCounters = new Map<string, number>();

/** A fresh default name for an object of `className` (`lstm_cell`, `lstm_cell_1`), counted with the layers' names. */
export function uniqueLayerName(className: string): string {
  return uniqueName(snakeCase(className));
}

/** Forgets every default name handed out, so the next layer of each class gets its first name again. */
export function resetLayerNames(): void {
  nameCounters.clear();
}

/** The default names handed out so far, for {@link restoreLayerNames}. */
export function layerNamesState(): ReadonlyMap<string, number> {
  return new Map(nameCounters);
}

/** Hands out default names again from `state`, when the layers named since are discarded (a km.Model's traces of call that it does not keep). */
export function restoreLayerNames(state: ReadonlyMap<string, number>): void {
  nameCounters.clear();
  for (const [base, n] of state) nameCounters.set(base, n);
}

/** A fresh name from `base` (`model`, `model_1`), counted with the layers' names. */
export function uniqueName(base: string): string {
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

// Keras' two passes, so that a leading acronym splits as Keras splits it (PReLU → p_re_lu).
function snakeCase(className: string): string {
  return className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
