import { Adam, type AdamArgs } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD, type SGDArgs } from './sgd.js';

/** Adam with Keras defaults (learningRate 0.001, β1 0.9, β2 0.999, ε 1e-7). @example `km.optimizers.adam({ learningRate: 3e-4 })` */
export function adam(args?: AdamArgs): Adam {
  return new Adam(args);
}

/** SGD with optional (Nesterov) momentum; learningRate defaults to 0.01. @example `km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })` */
export function sgd(args?: SGDArgs): SGD {
  return new SGD(args);
}

const BY_NAME: Record<string, () => Optimizer> = { adam: () => new Adam(), sgd: () => new SGD() };

/** Resolves `compile`'s optimizer option: a name (`'adam'`, `'sgd'`) with defaults, or an instance. */
export function getOptimizer(optimizer: string | Optimizer): Optimizer {
  if (typeof optimizer !== 'string') return optimizer;
  const make = BY_NAME[optimizer.toLowerCase()];
  if (!make) {
    throw new Error(`Unknown optimizer '${optimizer}'. Valid optimizers: ${Object.keys(BY_NAME).map((n) => `'${n}'`).join(', ')}, or an instance such as km.optimizers.adam({ learningRate: 0.001 }).`);
  }
  return make();
}

export { Adam, SGD, type AdamArgs, type SGDArgs };
export { Optimizer } from './optimizer.js';
