import { HOOKS, type CustomCallbackArgs, type Hook } from './callbacks.js';
import { checkOptions } from '../utils/options.js';

/** The hooks of {@link lambdaCallback}: any of `fit`'s, each a function. */
export type LambdaCallbackArgs = Pick<CustomCallbackArgs, Hook>;

/**
 * Keras' `LambdaCallback`: a callback made of functions. `fit` takes the same object as a plain
 * callback (`callbacks: { onEpochEnd }`), so this only checks the hooks' names and that each is a
 * function, and returns them.
 *
 * @example
 * ```ts
 * const log = km.callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) });
 * await model.fit(x, y, { epochs: 5, callbacks: [log] });
 * ```
 */
export function lambdaCallback(hooks: LambdaCallbackArgs): CustomCallbackArgs {
  checkOptions(hooks, HOOKS, 'km.callbacks.lambdaCallback');
  for (const [name, hook] of Object.entries(hooks ?? {})) {
    if (hook !== undefined && typeof hook !== 'function') {
      throw new Error(`km.callbacks.lambdaCallback: ${name} must be a function, e.g. ${name}: (epoch, logs) => { ... }. Received: ${name}=${JSON.stringify(hook)}.`);
    }
  }
  return { ...hooks };
}
