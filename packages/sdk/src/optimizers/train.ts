// TensorFlow.js' `tf.train` factories, with its positional arguments and defaults, making kerasm's
// optimizers: code written against tfjs compiles unchanged (`optimizer: km.train.adam(0.01)`).
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { momentum as momentumOptimizer } from './index.js';
import { RMSprop } from './rmsprop.js';
import { inverseTimeDecay } from './schedules/index.js';
import { LearningRateSchedule } from './schedules/schedule.js';
import { SGD } from './sgd.js';

/**
 * tfjs' ε when none is given: its backend's, 1e-7 for float32 (cpu, wasm, webgl with float32
 * textures), which is kerasm's precision.
 */
const BACKEND_EPSILON = 1e-7;

type Rate = number | LearningRateSchedule;

/** The positional argument `name` of `call`: a number (or a learning-rate schedule), else an error naming the options form. */
function positional<T>(value: unknown, name: string, call: string, signature: string, kind: 'number' | 'boolean', optionsForm: string): T {
  const ok = kind === 'boolean' ? typeof value === 'boolean' : typeof value === 'number' || (name === 'learningRate' && value instanceof LearningRateSchedule);
  if (ok) return value as T;
  const received = value !== null && typeof value === 'object' ? `an object with keys [${Object.keys(value).join(', ')}]` : JSON.stringify(value) ?? String(value);
  throw new Error(`km.train.${call} takes tf.train.${call}'s positional arguments (${signature}); ${name} must be a ${kind}. Received: ${name}=${received}. For options by name, use ${optionsForm}.`);
}

/** Rejects arguments past the signature, which JavaScript would drop silently. */
function checkCount(count: number, most: number, call: string, signature: string): void {
  if (count > most) throw new Error(`km.train.${call} takes at most ${most} arguments (${signature}), as tf.train.${call} does. Received ${count} arguments.`);
}

/**
 * `tf.train.sgd(learningRate)`: plain gradient descent, kerasm's {@link SGD}.
 * @example `model.compile({ optimizer: km.train.sgd(0.1), loss: 'meanSquaredError' })`
 */
export function sgd(learningRate: Rate): SGD {
  checkCount(arguments.length, 1, 'sgd', 'learningRate');
  return new SGD({ learningRate: positional<Rate>(learningRate, 'learningRate', 'sgd', 'learningRate', 'number', 'km.optimizers.sgd({ learningRate })') });
}

/**
 * `tf.train.momentum(learningRate, momentum, useNesterov = false)`: the same function as
 * `km.optimizers.momentum`, an {@link SGD} with momentum (the same steps as tfjs' at a constant rate).
 * @example `model.compile({ optimizer: km.train.momentum(0.01, 0.9), loss: 'meanSquaredError' })`
 */
export const momentum = momentumOptimizer;

/**
 * `tf.train.rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon = 1e-7, centered = false)`:
 * kerasm's {@link RMSprop} with `rho: decay`, which steps as tfjs' does (ε inside the square root);
 * centered, tfjs subtracts ε under the root (√(s − ḡ² − ε)) where Keras and kerasm add it.
 * @example `model.compile({ optimizer: km.train.rmsprop(0.001, 0.9, 0.5), loss: 'meanSquaredError' })`
 */
export function rmsprop(learningRate: Rate, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false): RMSprop {
  const signature = 'learningRate, decay, momentum, epsilon, centered';
  checkCount(arguments.length, 5, 'rmsprop', signature);
  const named = 'km.optimizers.rmsprop({ learningRate, rho, momentum, epsilon, centered })';
  return new RMSprop({
    learningRate: positional<Rate>(learningRate, 'learningRate', 'rmsprop', signature, 'number', named),
    rho: positional<number>(decay, 'decay', 'rmsprop', signature, 'number', named),
    momentum: positional<number>(momentum, 'momentum', 'rmsprop', signature, 'number', named),
    epsilon: positional<number>(epsilon ?? BACKEND_EPSILON, 'epsilon', 'rmsprop', signature, 'number', named),
    centered: positional<boolean>(centered, 'centered', 'rmsprop', signature, 'boolean', named),
  });
}

/**
 * `tf.train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7)`: kerasm's
 * {@link Adam}, which adds ε to √v as Keras does where tfjs adds it to the bias-corrected √v̂ (the
 * steps differ only for gradients near ε).
 * @example `model.compile({ optimizer: km.train.adam(0.01), loss: 'categoricalCrossentropy' })`
 */
export function adam(learningRate: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): Adam {
  const signature = 'learningRate, beta1, beta2, epsilon';
  checkCount(arguments.length, 4, 'adam', signature);
  const named = 'km.optimizers.adam({ learningRate, beta1, beta2, epsilon })';
  return new Adam({
    learningRate: positional<Rate>(learningRate, 'learningRate', 'adam', signature, 'number', named),
    beta1: positional<number>(beta1, 'beta1', 'adam', signature, 'number', named),
    beta2: positional<number>(beta2, 'beta2', 'adam', signature, 'number', named),
    epsilon: positional<number>(epsilon ?? BACKEND_EPSILON, 'epsilon', 'adam', signature, 'number', named),
  });
}

/**
 * `tf.train.adadelta(learningRate = 0.001, rho = 0.95, epsilon = 1e-7)`: kerasm's {@link Adadelta},
 * which divides by the gradient mean updated by this step, as Keras does, where tfjs uses the
 * previous one (docs/FROM_TFJS.md).
 * @example `model.compile({ optimizer: km.train.adadelta(1.0), loss: 'meanSquaredError' })`
 */
export function adadelta(learningRate: Rate = 0.001, rho = 0.95, epsilon: number | null = null): Adadelta {
  const signature = 'learningRate, rho, epsilon';
  checkCount(arguments.length, 3, 'adadelta', signature);
  const named = 'km.optimizers.adadelta({ learningRate, rho, epsilon })';
  return new Adadelta({
    learningRate: positional<Rate>(learningRate, 'learningRate', 'adadelta', signature, 'number', named),
    rho: positional<number>(rho, 'rho', 'adadelta', signature, 'number', named),
    epsilon: positional<number>(epsilon ?? BACKEND_EPSILON, 'epsilon', 'adadelta', signature, 'number', named),
  });
}

/**
 * `tf.train.adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, decay = 0)`:
 * kerasm's {@link Adamax}; tfjs' `decay` steps at learningRate / (1 + decay·t) at update t (from 0),
 * which is the schedule `inverseTimeDecay({ initialLearningRate, decaySteps: 1, decayRate: decay })`.
 * @example `model.compile({ optimizer: km.train.adamax(0.002, 0.9, 0.999, null, 1e-3), loss: 'meanSquaredError' })`
 */
export function adamax(learningRate: Rate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0): Adamax {
  const signature = 'learningRate, beta1, beta2, epsilon, decay';
  checkCount(arguments.length, 5, 'adamax', signature);
  const named = 'km.optimizers.adamax({ learningRate, beta1, beta2, epsilon }) with a km.optimizers.schedules.inverseTimeDecay learning rate';
  const rate = positional<Rate>(learningRate, 'learningRate', 'adamax', signature, 'number', named);
  const decayRate = positional<number>(decay, 'decay', 'adamax', signature, 'number', named);
  if (rate instanceof LearningRateSchedule && decayRate !== 0) {
    throw new Error(`km.train.adamax: decay applies to a number learning rate, not a schedule. Received: decay=${decayRate} with a ${rate.className} schedule. Put the decay into the schedule, or pass decay 0.`);
  }
  if (!(decayRate >= 0 && Number.isFinite(decayRate))) throw new Error(`km.train.adamax: decay must be a finite number ≥ 0 (0 keeps the learning rate). Received: decay=${decayRate}.`);
  return new Adamax({
    learningRate: decayRate === 0 ? rate : inverseTimeDecay({ initialLearningRate: rate as number, decaySteps: 1, decayRate }),
    beta1: positional<number>(beta1, 'beta1', 'adamax', signature, 'number', named),
    beta2: positional<number>(beta2, 'beta2', 'adamax', signature, 'number', named),
    epsilon: positional<number>(epsilon ?? BACKEND_EPSILON, 'epsilon', 'adamax', signature, 'number', named),
  });
}

/**
 * `tf.train.adagrad(learningRate, initialAccumulatorValue = 0.1)`: kerasm's {@link Adagrad}, with
 * tfjs' ε (1e-7) inside the square root.
 * @example `model.compile({ optimizer: km.train.adagrad(0.1), loss: 'meanSquaredError' })`
 */
export function adagrad(learningRate: Rate, initialAccumulatorValue = 0.1): Adagrad {
  const signature = 'learningRate, initialAccumulatorValue';
  checkCount(arguments.length, 2, 'adagrad', signature);
  const named = 'km.optimizers.adagrad({ learningRate, initialAccumulatorValue })';
  return new Adagrad({
    learningRate: positional<Rate>(learningRate, 'learningRate', 'adagrad', signature, 'number', named),
    initialAccumulatorValue: positional<number>(initialAccumulatorValue, 'initialAccumulatorValue', 'adagrad', signature, 'number', named),
    epsilon: BACKEND_EPSILON,
  });
}
