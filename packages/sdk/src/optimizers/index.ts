import { Adadelta, type AdadeltaArgs } from './adadelta.js';
import { Adafactor, type AdafactorArgs } from './adafactor.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, AdamW, type AdamArgs } from './adam.js';
import { Adamax, type AdamaxArgs } from './adamax.js';
import { Ftrl, type FtrlArgs } from './ftrl.js';
import { Lamb, type LambArgs } from './lamb.js';
import { Lion, type LionArgs } from './lion.js';
import { Nadam, type NadamArgs } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { tfjsOptimizerError } from '../engine/foreign_values.js';
import { RMSprop, type RMSpropArgs } from './rmsprop.js';
import { SGD, type SGDArgs } from './sgd.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { LearningRateSchedule } from './schedules/schedule.js';

const OPTIMIZER = { learningRate: true, clipnorm: true, clipvalue: true, globalClipnorm: true, weightDecay: true, useEma: true, emaMomentum: true, emaOverwriteFrequency: true, gradientAccumulationSteps: true } as const;
const ADAM_OPTIONS = optionNames<AdamArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true, amsgrad: true });
const SGD_OPTIONS = optionNames<SGDArgs>({ ...OPTIMIZER, momentum: true, nesterov: true });
const RMSPROP_OPTIONS = optionNames<RMSpropArgs>({ ...OPTIMIZER, rho: true, momentum: true, epsilon: true, centered: true });
const ADAGRAD_OPTIONS = optionNames<AdagradArgs>({ ...OPTIMIZER, initialAccumulatorValue: true, epsilon: true });
const ADAMAX_OPTIONS = optionNames<AdamaxArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true });
const NADAM_OPTIONS = optionNames<NadamArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true });
const ADADELTA_OPTIONS = optionNames<AdadeltaArgs>({ ...OPTIMIZER, rho: true, epsilon: true });
const LION_OPTIONS = optionNames<LionArgs>({ ...OPTIMIZER, beta1: true, beta2: true });
const FTRL_OPTIONS = optionNames<FtrlArgs>({
  ...OPTIMIZER, learningRatePower: true, initialAccumulatorValue: true, l1RegularizationStrength: true,
  l2RegularizationStrength: true, l2ShrinkageRegularizationStrength: true, beta: true,
});
const LAMB_OPTIONS = optionNames<LambArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true });
const ADAFACTOR_OPTIONS = optionNames<AdafactorArgs>({ ...OPTIMIZER, beta2Decay: true, epsilon1: true, epsilon2: true, clipThreshold: true, relativeStep: true });

/** A factory's argument: options, or only the learning rate, as Keras (`Adam(0.01)`) and TensorFlow.js (`tf.train.adam(0.01)`) take it. */
type LearningRate = number | LearningRateSchedule;

/**
 * A factory's options: a bare learning rate becomes `{ learningRate }`. TensorFlow.js' further
 * positional arguments (`tf.train.adam(0.01, 0.9)`) are rejected, since JavaScript would drop them.
 */
function optimizerArgs<A>(args: A | LearningRate | undefined, argCount: number, allowed: readonly string[], call: string): A | undefined {
  if (argCount > 1) {
    throw new Error(`${call} takes one argument: the learning rate or an options object. Received ${argCount} arguments. Pass the others by name, e.g. ${call}({ learningRate: 0.01, ${allowed.find((name) => !(name in OPTIMIZER))}: ... }).`);
  }
  if (typeof args === 'number' || args instanceof LearningRateSchedule) return { learningRate: args } as A;
  checkOptions(args, allowed, call);
  return args;
}

/** Adam with Keras defaults (learningRate 0.001, β1 0.9, β2 0.999, ε 1e-7). @example `km.optimizers.adam({ learningRate: 3e-4, amsgrad: true })`, or `km.optimizers.adam(3e-4)` for the learning rate alone */
export function adam(args?: AdamArgs | LearningRate): Adam {
  return new Adam(optimizerArgs<AdamArgs>(args, arguments.length, ADAM_OPTIONS, 'km.optimizers.adam'));
}

/** AdamW: Adam with decoupled weight decay (default 0.004). @example `km.optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.01 })` */
export function adamw(args?: AdamArgs | LearningRate): AdamW {
  return new AdamW(optimizerArgs<AdamArgs>(args, arguments.length, ADAM_OPTIONS, 'km.optimizers.adamw'));
}

/** SGD with optional (Nesterov) momentum; learningRate defaults to 0.01. @example `km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })` */
export function sgd(args?: SGDArgs | LearningRate): SGD {
  return new SGD(optimizerArgs<SGDArgs>(args, arguments.length, SGD_OPTIONS, 'km.optimizers.sgd'));
}

/**
 * TensorFlow.js' `tf.train.momentum(learningRate, momentum, useNesterov)`, with its positional
 * arguments: the same as `sgd({ learningRate, momentum, nesterov: useNesterov })`. tfjs keeps an
 * accumulator a = μa + g and steps by −lr·a, where Keras' SGD keeps v = μv − lr·g; with a constant
 * learning rate, v = −lr·a and the steps are the same. Only a learning rate that changes (a schedule,
 * `optimizer.learningRate = ...`) makes them differ: kerasm then follows Keras.
 * @example `model.compile({ optimizer: km.optimizers.momentum(0.01, 0.9), loss: 'mse' })`
 */
export function momentum(learningRate: number | LearningRateSchedule, momentum: number, useNesterov = false): SGD {
  if (typeof momentum !== 'number') {
    throw new Error(`km.optimizers.momentum takes tf.train.momentum's arguments, (learningRate, momentum, useNesterov), e.g. km.optimizers.momentum(0.01, 0.9). Received: momentum=${JSON.stringify(momentum)}. For options by name, use km.optimizers.sgd({ learningRate, momentum, nesterov }).`);
  }
  return new SGD({ learningRate, momentum, nesterov: useNesterov });
}

/** RMSprop (ρ 0.9, ε 1e-7, optional momentum and centering). @example `km.optimizers.rmsprop({ learningRate: 1e-3, centered: true })` */
export function rmsprop(args?: RMSpropArgs | LearningRate): RMSprop {
  return new RMSprop(optimizerArgs<RMSpropArgs>(args, arguments.length, RMSPROP_OPTIONS, 'km.optimizers.rmsprop'));
}

/** Adagrad (accumulators start at 0.1). @example `km.optimizers.adagrad({ learningRate: 0.01 })` */
export function adagrad(args?: AdagradArgs | LearningRate): Adagrad {
  return new Adagrad(optimizerArgs<AdagradArgs>(args, arguments.length, ADAGRAD_OPTIONS, 'km.optimizers.adagrad'));
}

/** Adamax (Adam with the infinity norm). @example `km.optimizers.adamax({ learningRate: 2e-3 })` */
export function adamax(args?: AdamaxArgs | LearningRate): Adamax {
  return new Adamax(optimizerArgs<AdamaxArgs>(args, arguments.length, ADAMAX_OPTIONS, 'km.optimizers.adamax'));
}

/** Nadam (Adam with Nesterov momentum). @example `km.optimizers.nadam({ learningRate: 2e-3 })` */
export function nadam(args?: NadamArgs | LearningRate): Nadam {
  return new Nadam(optimizerArgs<NadamArgs>(args, arguments.length, NADAM_OPTIONS, 'km.optimizers.nadam'));
}

/**
 * Adadelta with Keras 3 defaults (learningRate 0.001, ρ 0.95, ε 1e-7). `tf.train.adadelta` has no
 * default learning rate or ρ and its ε defaults to the backend's (1e-7 on CPU); it also divides by
 * the previous gradient mean, where Keras and kerasm use the updated one.
 * @example `km.optimizers.adadelta({ learningRate: 1.0, rho: 0.95 })` (1.0 is the original paper's rate)
 */
export function adadelta(args?: AdadeltaArgs | LearningRate): Adadelta {
  return new Adadelta(optimizerArgs<AdadeltaArgs>(args, arguments.length, ADADELTA_OPTIONS, 'km.optimizers.adadelta'));
}

/**
 * Lion with Keras 3 defaults (learningRate 0.001, β1 0.9, β2 0.99): each step moves a weight by
 * ±lr, so use a rate 3-10× below Adam's.
 * @example `km.optimizers.lion({ learningRate: 1e-4, weightDecay: 0.01 })`
 */
export function lion(args?: LionArgs | LearningRate): Lion {
  return new Lion(optimizerArgs<LionArgs>(args, arguments.length, LION_OPTIONS, 'km.optimizers.lion'));
}

/**
 * FTRL-Proximal with Keras 3 defaults (learningRate 0.001, learningRatePower −0.5, accumulators
 * from 0.1, no regularization); `l1RegularizationStrength` makes weights exactly 0.
 * @example `km.optimizers.ftrl({ learningRate: 0.05, l1RegularizationStrength: 0.01 })`
 */
export function ftrl(args?: FtrlArgs | LearningRate): Ftrl {
  return new Ftrl(optimizerArgs<FtrlArgs>(args, arguments.length, FTRL_OPTIONS, 'km.optimizers.ftrl'));
}

/**
 * Lamb with Keras 3 defaults (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7): Adam's
 * direction scaled per weight tensor by ‖w‖/‖update‖, for large batches.
 * @example `model.compile({ optimizer: km.optimizers.lamb({ learningRate: 0.01 }), loss: 'mse' })`
 */
export function lamb(args?: LambArgs | LearningRate): Lamb {
  return new Lamb(optimizerArgs<LambArgs>(args, arguments.length, LAMB_OPTIONS, 'km.optimizers.lamb'));
}

/**
 * Adafactor with Keras 3 defaults (learningRate 0.001, beta2Decay −0.8, epsilon1 1e-30, epsilon2
 * 1e-3, clipThreshold 1): factored second moments (row and column means) for matrices and kernels,
 * so its state is far smaller than Adam's; steps relative to each weight's rms.
 * @example `model.compile({ optimizer: km.optimizers.adafactor({ learningRate: 0.01 }), loss: 'mse' })`
 */
export function adafactor(args?: AdafactorArgs | LearningRate): Adafactor {
  return new Adafactor(optimizerArgs<AdafactorArgs>(args, arguments.length, ADAFACTOR_OPTIONS, 'km.optimizers.adafactor'));
}

const BY_NAME: Record<string, () => Optimizer> = {
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
  adamax: () => new Adamax(),
  nadam: () => new Nadam(),
  adadelta: () => new Adadelta(),
  lion: () => new Lion(),
  ftrl: () => new Ftrl(),
  lamb: () => new Lamb(),
  adafactor: () => new Adafactor(),
};

/** Names `compile` accepts for an optimizer with default settings. */
export const OPTIMIZER_NAMES = Object.keys(BY_NAME);

/** Resolves `compile`'s optimizer option: a name (`'adam'`, `'sgd'`, `'rmsprop'`, ...) with defaults, or an instance. */
export function getOptimizer(optimizer: string | Optimizer): Optimizer {
  if (typeof optimizer !== 'string') {
    if (optimizer instanceof Optimizer) return optimizer;
    throw tfjsOptimizerError(optimizer, OPTIMIZER_NAMES) ?? new Error(`compile's optimizer must be a name (${OPTIMIZER_NAMES.map((n) => `'${n}'`).join(', ')}) or an instance such as km.optimizers.adam({ learningRate: 0.001 }); received ${typeof optimizer === 'object' && optimizer !== null ? `an object with keys [${Object.keys(optimizer).join(', ')}]` : typeof optimizer}.`);
  }
  const make = BY_NAME[optimizer.toLowerCase()];
  if (!make) {
    throw new Error(`Unknown optimizer '${optimizer}'. Valid optimizers: ${OPTIMIZER_NAMES.map((n) => `'${n}'`).join(', ')}, or an instance such as km.optimizers.adam({ learningRate: 0.001 }).`);
  }
  return make();
}

export * as schedules from './schedules/index.js';
export { Adadelta, Adafactor, Adagrad, Adam, Adamax, AdamW, Ftrl, Lamb, Lion, Nadam, RMSprop, SGD };
export type { AdadeltaArgs, AdafactorArgs, AdagradArgs, AdamArgs, AdamaxArgs, FtrlArgs, LambArgs, LionArgs, NadamArgs, RMSpropArgs, SGDArgs };
export { Optimizer, type OptimizerArgs } from './optimizer.js';
export type { NamedTensor, NamedTensorLike } from './named_state.js';
export type { StateSlot } from './state_slots.js';
