// The km.losses and km.metrics factories by name, so that compile can tell one given uncalled
// (`loss: km.losses.meanSquaredError`, as tfjs code passes `tf.losses.meanSquaredError`) from a
// function of tensors, and say to call it.

const FACTORIES = new WeakMap<object, string>();

/** Records the factories of km.losses or km.metrics under their names; an alias keeps its target's name. */
export function markCompileFactories(factories: Readonly<Record<string, unknown>>): void {
  for (const [name, factory] of Object.entries(factories)) {
    if (typeof factory === 'function' && !FACTORIES.has(factory)) FACTORIES.set(factory, name);
  }
}

/** The name of a km.losses or km.metrics factory (`'meanSquaredError'`), or undefined for any other value. */
export function compileFactoryName(value: unknown): string | undefined {
  return typeof value === 'function' ? FACTORIES.get(value) : undefined;
}
