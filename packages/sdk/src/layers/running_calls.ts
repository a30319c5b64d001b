// Which call layer's `call` (user code of km ops) is running, so that what must not run inside one
// can say so. No imports: the engine reads it below the layers that run calls.

/** What names a running call layer. */
interface RunningCall {
  readonly className: string;
  readonly name: string;
}

/** The call layers whose `call` is running, innermost last. */
const running: RunningCall[] = [];

/** Marks `layer`'s call as running, until {@link leaveCall}. */
export function enterCall(layer: RunningCall): void {
  running.push(layer);
}

/** Ends the innermost running call. */
export function leaveCall(): void {
  running.pop();
}

/**
 * Throws when a layer or model with trainable weights (`what`; `trainable` says whether it has any)
 * is applied to data inside a call layer's `call`: its weights are its own, outside the model that
 * holds the call layer, so training that model would leave them as they are.
 */
export function checkNotInCall(what: string, trainable: () => boolean): void {
  const outer = running.at(-1);
  if (!outer || !trainable()) return;
  throw new Error(
    `${what} is applied to data inside ${outer.className} '${outer.name}'.call, so its weights stay outside the model that holds '${outer.name}', and training it would not train them. ` +
      'For a block of layers, write a km.Model subclass whose call() applies them and apply it inside the model (docs/CUSTOM_LAYERS.md, Models); or declare the weights with addWeight and compute with km ops; or, for layers kept as they are, set their trainable to false.',
  );
}
