/**
 * tfjs logs `metrics: ['accuracy']` as `acc` and `val_acc`; kerasm, as Keras, as `accuracy` and
 * `val_accuracy`. Ported code reads `logs.acc` (tfjs-examples, tfvis), which would silently be
 * undefined, so the tfjs names read the same values. They are not enumerable: keys, printing, JSON
 * and CSV logs show Keras' names only.
 */
const TFJS_NAMES: readonly (readonly [alias: string, name: string])[] = [
  ['acc', 'accuracy'],
  ['val_acc', 'val_accuracy'],
];

/** Gives `record` (an epoch's or batch's logs, or `history.history`) tfjs' names for its accuracy entries; returns it. */
export function withTfjsLogNames<T extends object>(record: T): T {
  for (const [alias, name] of TFJS_NAMES) {
    if (!(name in record) || Object.prototype.hasOwnProperty.call(record, alias)) continue;
    Object.defineProperty(record, alias, {
      get(this: Record<string, unknown>) {
        return this[name];
      },
      enumerable: false,
      configurable: true,
    });
  }
  return record;
}
