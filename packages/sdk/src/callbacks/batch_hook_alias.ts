import { isPlainObject } from '../utils/plain_object.js';
import type { CustomCallbackArgs, Hook } from './callbacks.js';

/** tfjs' batch hooks, each after the Keras hook it is another name for. */
export const TFJS_BATCH_ALIASES = [
  ['onTrainBatchBegin', 'onBatchBegin'],
  ['onTrainBatchEnd', 'onBatchEnd'],
] as const;

/** The object up `callback`'s chain (its own properties first) that defines `name`, the one `callback[name]` reads. */
function definer(callback: object, name: string): object | undefined {
  for (let o: object | null = callback; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.hasOwn(o, name)) return o;
  }
  return undefined;
}

/**
 * Which of `names` (one event under several names, Keras' first) a callback runs: the one defined
 * at the most derived level of the callback (its own properties, then each class up its prototype
 * chain) defining any of them, and of names defined at that same level, the first. So a subclass's
 * `onBatchEnd` overrides an inherited `onTrainBatchEnd`, as a subclass's method overrides its
 * parent's, and an object having both runs only `onTrainBatchEnd`.
 */
export function hookToRun(callback: CustomCallbackArgs, names: readonly Hook[]): Hook | undefined {
  if (names.length === 1) return typeof callback[names[0]] === 'function' ? names[0] : undefined;
  for (let o: object | null = callback; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    // callback[name] reads the most derived definition: a non-function there (`onTrainBatchEnd: undefined`) means none.
    const found = names.find((name) => Object.hasOwn(o, name) && typeof callback[name] === 'function');
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The callbacks already warned about, so a GAN loop calling `fit` per step says it once. */
const warned = new WeakSet<object>();

/** How a warning names the level of a callback that defines a hook: a class, or the callback itself. */
function levelName(callback: object, level: object): string {
  if (level === callback) return isPlainObject(callback) ? 'the object' : `this ${callback.constructor.name || 'callback'} object`;
  return (Object.hasOwn(level, 'constructor') && (level.constructor as { name?: string }).name) || 'a class';
}

/**
 * Says once per callback when a batch hook under one name will never be called because the same
 * event's hook under the other name runs instead (see {@link hookToRun}): both defined at one level
 * (a plain object with both), or an inherited one overridden under the other name (a subclass of
 * a built-in callback, which use `onTrainBatchEnd`, defining `onBatchEnd`).
 */
export function warnShadowedAliases(callback: CustomCallbackArgs, index: number): void {
  if (warned.has(callback)) return;
  for (const [keras, tfjs] of TFJS_BATCH_ALIASES) {
    const runs = hookToRun(callback, [keras, tfjs]);
    const skipped = runs === keras ? tfjs : keras;
    if (runs === undefined || typeof callback[skipped] !== 'function' || callback[skipped] === callback[runs]) continue;
    warned.add(callback);
    const who = isPlainObject(callback) ? `callbacks[${index}]` : `callbacks[${index}] (${callback.constructor.name || 'a class'})`;
    const runsAt = definer(callback, runs) as object;
    const skippedAt = definer(callback, skipped) as object;
    if (runsAt === skippedAt) {
      console.warn(
        `kerasm: ${who} has both ${keras} and ${tfjs}, which are one event (${tfjs} is tfjs' name for it), so only ${keras} runs, as Keras calls only an overridden on_train_batch_${keras.endsWith('End') ? 'end' : 'begin'}. ` +
          `Move the code of ${tfjs} into ${keras} (or call this.${tfjs}(batch, logs) from it).`,
      );
    } else {
      const owner = levelName(callback, skippedAt);
      console.warn(
        `kerasm: ${who}: ${levelName(callback, runsAt)}'s ${runs} overrides ${owner}'s ${skipped}, as they are one event (${tfjs} is tfjs' name for ${keras}), so only ${runs} runs and ${owner}'s ${skipped} is not called. ` +
          `To keep what it does, call super.${skipped}(batch, logs) from ${runs}.`,
      );
    }
    return;
  }
}
