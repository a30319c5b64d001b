/**
 * A learning rate that depends on the optimizer step (0 for the first update), evaluated in
 * JavaScript before each update. Pass one wherever a learning rate goes.
 *
 * @example
 * ```ts
 * const lr = km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
 * model.compile({ optimizer: km.optimizers.sgd({ learningRate: lr }), loss: 'mse' });
 * ```
 */
export abstract class LearningRateSchedule {
  /** Keras class name, e.g. `'ExponentialDecay'`. */
  abstract readonly className: string;
  /** The learning rate for the update at `step`. */
  abstract at(step: number): number;
  /** Plain-data configuration (Keras names in camelCase). */
  abstract getConfig(): Record<string, unknown>;
}

/** A schedule whose config is its options, checked and with Keras' defaults filled in. */
export abstract class ArgsSchedule<Args extends object> extends LearningRateSchedule {
  constructor(readonly args: Required<Args>) {
    super();
  }

  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/** Throws unless `value` is a finite number satisfying `ok`, naming the schedule, the option and what is expected. */
export function checkOption(schedule: string, name: string, value: unknown, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`${schedule}: ${name} must be ${expected}. Received: ${name}=${String(value)}.`);
  }
  return value;
}

export const positive = (v: number) => v > 0;
export const nonNegative = (v: number) => v >= 0;
