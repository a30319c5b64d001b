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

/**
 * Reads `tf.train.<call>`'s positional arguments, given as `signature`: each must be a number (the
 * learning rate may also be a schedule) or a boolean, else an error naming `optionsForm`, the
 * kerasm form with options by name; more arguments than the signature has are an error too, since
 * JavaScript would drop them silently.
 */
function positionalArgs(call: string, signature: string, optionsForm: string, count: number) {
  const most = signature.split(', ').length;
  if (count > most) throw new Error(`km.train.${call} takes at most ${most} arguments (${signature}), as tf.train.${call} does. Received ${count} arguments.`);
  const refuse = (value: unknown, name: string, kind: string): never => {
    const received = value !== null && typeof value === 'object' ? `an object with keys [${Object.keys(value).join(', ')}]` : JSON.stringify(value) ?? String(value);
    throw new Error(`km.train.${call} takes tf.train.${call}'s positional arguments (${signature}); ${name} must be a ${kind}. Received: ${name}=${received}. For options by name, use ${optionsForm}.`);
  };
  return {
    rate: (value: unknown): Rate => (typeof value === 'number' || value instanceof LearningRateSchedule ? value : refuse(value, 'learningRate', 'number')),
    number: (value: unknown, name: string): number => (typeof value === 'number' ? value : refuse(value, name, 'number')),
    boolean: (value: unknown, name: string): boolean => (typeof value === 'boolean' ? value : refuse(value, name, 'boolean')),
  };
}

/**
 * `tf.train.sgd(learningRate)`: plain gradient descent, kerasm's {@link SGD}.
 * @example `model.compile({ optimizer: km.train.sgd(0.1), loss: 'meanSquaredError' })`
 */
export function sgd(learningRate: Rate): SGD {
  const args = positionalArgs('sgd', 'learningRate', 'km.optimizers.sgd({ learningRate })', arguments.length);
  return new SGD({ learningRate: args.rate(learningRate) });
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
  const args = positionalArgs('rmsprop', 'learningRate, decay, momentum, epsilon, centered', 'km.optimizers.rmsprop({ learningRate, rho, momentum, epsilon, centered })', arguments.length);
  return new RMSprop({
    learningRate: args.rate(learningRate),
    rho: args.number(decay, 'decay'),
    momentum: args.number(momentum, 'momentum'),
    epsilon: args.number(epsilon ?? BACKEND_EPSILON, 'epsilon'),
    centered: args.boolean(centered, 'centered'),
  });
}

/**
 * `tf.train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7)`: kerasm's
 * {@link Adam}, which adds ε to √v as Keras does where tfjs adds it to the bias-corrected √v̂ (the
 * steps differ only for gradients near ε).
 * @example `model.compile({ optimizer: km.train.adam(0.01), loss: 'categoricalCrossentropy' })`
 */
export function adam(learningRate: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): Adam {
  const args = positionalArgs('adam', 'learningRate, beta1, beta2, epsilon', 'km.optimizers.adam({ learningRate, beta1, beta2, epsilon })', arguments.length);
  return new Adam({
    learningRate: args.rate(learningRate),
    beta1: args.number(beta1, 'beta1'),
    beta2: args.number(beta2, 'beta2'),
    epsilon: args.number(epsilon ?? BACKEND_EPSILON, 'epsilon'),
  });
}

/**
 * `tf.train.adadelta(learningRate = 0.001, rho = 0.95, epsilon = 1e-7)`: kerasm's {@link Adadelta},
 * which divides by the gradient mean updated by this step, as Keras does, where tfjs uses the
 * previous one (docs/FROM_TFJS.md).
 * @example `model.compile({ optimizer: km.train.adadelta(1.0), loss: 'meanSquaredError' })`
 */
export function adadelta(learningRate: Rate = 0.001, rho = 0.95, epsilon: number | null = null): Adadelta {
  const args = positionalArgs('adadelta', 'learningRate, rho, epsilon', 'km.optimizers.adadelta({ learningRate, rho, epsilon })', arguments.length);
  return new Adadelta({
    learningRate: args.rate(learningRate),
    rho: args.number(rho, 'rho'),
    epsilon: args.number(epsilon ?? BACKEND_EPSILON, 'epsilon'),
  });
}

/**
 * `tf.train.adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, decay = 0)`:
 * kerasm's {@link Adamax}; tfjs' `decay` steps at learningRate / (1 + decay·t) at update t (from 0),
 * which is the schedule `inverseTimeDecay({ initialLearningRate, decaySteps: 1, decayRate: decay })`.
 * @example `model.compile({ optimizer: km.train.adamax(0.002, 0.9, 0.999, null, 1e-3), loss: 'meanSquaredError' })`
 */
export function adamax(learningRate: Rate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0): Adamax {
  const args = positionalArgs('adamax', 'learningRate, beta1, beta2, epsilon, decay', 'km.optimizers.adamax({ learningRate, beta1, beta2, epsilon }) with a km.optimizers.schedules.inverseTimeDecay learning rate', arguments.length);
  const rate = args.rate(learningRate);
  const decayRate = args.number(decay, 'decay');
  if (rate instanceof LearningRateSchedule && decayRate !== 0) {
    throw new Error(`km.train.adamax: decay applies to a number learning rate, not a schedule. Received: decay=${decayRate} with a ${rate.className} schedule. Put the decay into the schedule, or pass decay 0.`);
  }
  if (!(decayRate >= 0 && Number.isFinite(decayRate))) throw new Error(`km.train.adamax: decay must be a finite number ≥ 0 (0 keeps the learning rate). Received: decay=${decayRate}.`);
  return new Adamax({
    learningRate: decayRate === 0 ? rate : inverseTimeDecay({ initialLearningRate: rate as number, decaySteps: 1, decayRate }),
    beta1: args.number(beta1, 'beta1'),
    beta2: args.number(beta2, 'beta2'),
    epsilon: args.number(epsilon ?? BACKEND_EPSILON, 'epsilon'),
  });
}

/**
 * `tf.train.adagrad(learningRate, initialAccumulatorValue = 0.1)`: kerasm's {@link Adagrad}, with
 * tfjs' ε (1e-7) inside the square root.
 * @example `model.compile({ optimizer: km.train.adagrad(0.1), loss: 'meanSquaredError' })`
 */
export function adagrad(learningRate: Rate, initialAccumulatorValue = 0.1): Adagrad {
  const args = positionalArgs('adagrad', 'learningRate, initialAccumulatorValue', 'km.optimizers.adagrad({ learningRate, initialAccumulatorValue })', arguments.length);
  return new Adagrad({
    learningRate: args.rate(learningRate),
    initialAccumulatorValue: args.number(initialAccumulatorValue, 'initialAccumulatorValue'),
    epsilon: BACKEND_EPSILON,
  });
}
