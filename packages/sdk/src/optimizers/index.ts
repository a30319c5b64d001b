import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, AdamW, type AdamArgs } from './adam.js';
import { Adamax, type AdamaxArgs } from './adamax.js';
import { Nadam, type NadamArgs } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop, type RMSpropArgs } from './rmsprop.js';
import { SGD, type SGDArgs } from './sgd.js';
import { checkOptions, optionNames } from '../utils/options.js';

const OPTIMIZER = { learningRate: true, clipnorm: true, clipvalue: true, globalClipnorm: true, weightDecay: true } as const;
const ADAM_OPTIONS = optionNames<AdamArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true, amsgrad: true });
const SGD_OPTIONS = optionNames<SGDArgs>({ ...OPTIMIZER, momentum: true, nesterov: true });
const RMSPROP_OPTIONS = optionNames<RMSpropArgs>({ ...OPTIMIZER, rho: true, momentum: true, epsilon: true, centered: true });
const ADAGRAD_OPTIONS = optionNames<AdagradArgs>({ ...OPTIMIZER, initialAccumulatorValue: true, epsilon: true });
const ADAMAX_OPTIONS = optionNames<AdamaxArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true });
const NADAM_OPTIONS = optionNames<NadamArgs>({ ...OPTIMIZER, beta1: true, beta2: true, epsilon: true });

/** Adam with Keras defaults (learningRate 0.001, β1 0.9, β2 0.999, ε 1e-7). @example `km.optimizers.adam({ learningRate: 3e-4, amsgrad: true })` */
export function adam(args?: AdamArgs): Adam {
  checkOptions(args, ADAM_OPTIONS, 'km.optimizers.adam');
  return new Adam(args);
}

/** AdamW: Adam with decoupled weight decay (default 0.004). @example `km.optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.01 })` */
export function adamw(args?: AdamArgs): AdamW {
  checkOptions(args, ADAM_OPTIONS, 'km.optimizers.adamw');
  return new AdamW(args);
}

/** SGD with optional (Nesterov) momentum; learningRate defaults to 0.01. @example `km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })` */
export function sgd(args?: SGDArgs): SGD {
  checkOptions(args, SGD_OPTIONS, 'km.optimizers.sgd');
  return new SGD(args);
}

/** RMSprop (ρ 0.9, ε 1e-7, optional momentum and centering). @example `km.optimizers.rmsprop({ learningRate: 1e-3, centered: true })` */
export function rmsprop(args?: RMSpropArgs): RMSprop {
  checkOptions(args, RMSPROP_OPTIONS, 'km.optimizers.rmsprop');
  return new RMSprop(args);
}

/** Adagrad (accumulators start at 0.1). @example `km.optimizers.adagrad({ learningRate: 0.01 })` */
export function adagrad(args?: AdagradArgs): Adagrad {
  checkOptions(args, ADAGRAD_OPTIONS, 'km.optimizers.adagrad');
  return new Adagrad(args);
}

/** Adamax (Adam with the infinity norm). @example `km.optimizers.adamax({ learningRate: 2e-3 })` */
export function adamax(args?: AdamaxArgs): Adamax {
  checkOptions(args, ADAMAX_OPTIONS, 'km.optimizers.adamax');
  return new Adamax(args);
}

/** Nadam (Adam with Nesterov momentum). @example `km.optimizers.nadam({ learningRate: 2e-3 })` */
export function nadam(args?: NadamArgs): Nadam {
  checkOptions(args, NADAM_OPTIONS, 'km.optimizers.nadam');
  return new Nadam(args);
}

const BY_NAME: Record<string, () => Optimizer> = {
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
  adamax: () => new Adamax(),
  nadam: () => new Nadam(),
};

/** Names `compile` accepts for an optimizer with default settings. */
export const OPTIMIZER_NAMES = Object.keys(BY_NAME);

/** Resolves `compile`'s optimizer option: a name (`'adam'`, `'sgd'`, `'rmsprop'`, ...) with defaults, or an instance. */
export function getOptimizer(optimizer: string | Optimizer): Optimizer {
  if (typeof optimizer !== 'string') return optimizer;
  const make = BY_NAME[optimizer.toLowerCase()];
  if (!make) {
    throw new Error(`Unknown optimizer '${optimizer}'. Valid optimizers: ${OPTIMIZER_NAMES.map((n) => `'${n}'`).join(', ')}, or an instance such as km.optimizers.adam({ learningRate: 0.001 }).`);
  }
  return make();
}

export * as schedules from './schedules/index.js';
export { Adagrad, Adam, Adamax, AdamW, Nadam, RMSprop, SGD };
export type { AdagradArgs, AdamArgs, AdamaxArgs, NadamArgs, RMSpropArgs, SGDArgs };
export { Optimizer, type OptimizerArgs } from './optimizer.js';
