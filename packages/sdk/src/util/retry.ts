// tfjs' tf.util.repeatedTry: poll a condition with a back-off.

/**
 * Resolves once `checkFn()` returns true, calling it now and then again after `delayFn(tries)`
 * milliseconds each time it returns false, as `tf.util.repeatedTry`; `scheduleFn(fn, delay)`
 * replaces setTimeout when given. After `maxCounter` false answers it rejects, with an Error saying
 * so (tfjs rejects with no reason).
 * @example
 * ```ts
 * await km.util.repeatedTry(() => worker.ready, (tries) => 10 * tries, 20);
 * ```
 */
export function repeatedTry(checkFn: () => boolean, delayFn: (counter: number) => number = () => 0, maxCounter?: number, scheduleFn?: (functionRef: () => void, delay: number) => void): Promise<void> {
  if (typeof checkFn !== 'function') {
    return Promise.reject(new Error(`km.util.repeatedTry() takes the check to repeat, a function returning true when done. Received: checkFn=${typeof checkFn}.`));
  }
  return new Promise((resolve, reject) => {
    let tryCount = 0;
    const tryFn = (): void => {
      if (checkFn()) {
        resolve();
        return;
      }
      tryCount++;
      const nextBackoff = delayFn(tryCount);
      if (maxCounter != null && tryCount >= maxCounter) {
        reject(new Error(`km.util.repeatedTry(): checkFn still returned false after ${tryCount} tries (maxCounter=${maxCounter}).`));
        return;
      }
      if (scheduleFn != null) scheduleFn(tryFn, nextBackoff);
      else setTimeout(tryFn, nextBackoff);
    };
    tryFn();
  });
}
