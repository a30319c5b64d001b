// tfjs' training without a model: km.variableGrads differentiates a cost against variables, and an
// optimizer's minimize / applyGradients steps them with its own update rule, run on the backend's
// kernels over the variables' values laid out as one parameter buffer.
import { backend as activeBackend } from '../backend/registry.js';
import { valueAndConnectedGrads } from '../ops/gradients.js';
import { Tensor } from '../tensor.js';
import { liveVariables, variableNamed, type Variable } from '../variable.js';
import type { Optimizer } from './optimizer.js';

/** Gradients by variable name, as tfjs' `NamedTensorMap`. */
export type NamedGradients = Record<string, Tensor>;

/**
 * The value of `f` and its gradient with respect to each trainable variable it depends on (or each
 * of `varList` that it depends on), keyed by variable name, as `tf.variableGrads`.
 * @example
 * ```ts
 * const w = km.variable(km.tensor([1, 2]), true, 'w');
 * const { value, grads } = km.variableGrads(() => w.square().sum());
 * grads.w.arraySync(); // [2, 4]
 * ```
 */
export function variableGrads(f: () => Tensor, varList?: readonly Variable[]): { value: Tensor; grads: NamedGradients } {
  const fn = 'km.variableGrads()';
  if (typeof f !== 'function') throw new Error(`${fn} takes a function of no arguments that returns the cost: km.variableGrads(() => loss(model(xs), ys)). Received: ${typeof f}.`);
  const variables = varList ?? liveVariables().filter((v) => v.dtype === 'float32');
  if (variables.length === 0) throw new Error(`${fn}: there are no trainable variables to differentiate against. Make them with km.variable(initialValue), or pass varList.`);
  const { value, grads, connected } = valueAndConnectedGrads(fn, f, variables);
  if (!connected.some(Boolean)) {
    throw new Error(`${fn}: the cost does not depend on any of the variables [${variables.map((v) => `'${v.name}'`).join(', ')}] through km ops. Compute it from them inside f.`);
  }
  if (value.size !== 1) throw new Error(`${fn}: f must return a scalar cost, as tfjs requires. Received a tensor of shape [${value.shape.join(', ')}]: reduce it, e.g. with km.mean.`);
  const named: NamedGradients = {};
  variables.forEach((v, i) => {
    if (connected[i]) named[v.name] = grads[i];
    else grads[i].dispose();
  });
  return { value, grads: named };
}

/**
 * Steps the variables named in `gradients` (a map by name, or tfjs' list of `{ name, tensor }`) by
 * `optimizer`'s rule, as tfjs' `optimizer.applyGradients`.
 */
export function applyGradients(optimizer: Optimizer, gradients: NamedGradients | readonly { name: string; tensor: Tensor }[]): void {
  const where = `${optimizer.className}.applyGradients`;
  const entries = Array.isArray(gradients) ? gradients.map((g) => [g.name, g.tensor] as const) : Object.entries(gradients as NamedGradients);
  const variables = entries.map(([name, grad]) => {
    const v = variableNamed(name);
    if (!v) throw new Error(`${where}: no live variable is named '${name}'. Gradients are keyed by the names of variables made with km.variable.`);
    if (!(grad instanceof Tensor) || grad.shape.join() !== v.shape.join()) throw new Error(`${where}: the gradient of '${name}' must be a tensor of its shape [${v.shape.join(', ')}].`);
    return v;
  });
  if (variables.length === 0) return;
  const b = activeBackend();
  const total = variables.reduce((n, v) => n + v.size, 0);
  const params = b.alloc(total, 'float32');
  const grads = b.alloc(total, 'float32');
  try {
    b.write(params, concatenated(variables.map((v) => v.dataSync())));
    b.write(grads, concatenated(entries.map(([, g]) => g.dataSync())));
    optimizer.attach(b, variables.map((v) => ({ key: v, shape: v.shape, name: v.name })));
    optimizer.apply(params, grads);
    const updated = b.read(params, total, 'float32');
    let at = 0;
    for (const v of variables) {
      v.assign(new Tensor(updated.slice(at, at + v.size) as Float32Array, v.shape, 'float32'));
      at += v.size;
    }
  } finally {
    b.free(params);
    b.free(grads);
  }
}

/**
 * Takes one step of `optimizer` down the gradient of `f`'s cost with respect to the trainable
 * variables (or `varList`), as tfjs' `optimizer.minimize`; returns the cost with `returnCost`.
 */
export function minimize(optimizer: Optimizer, f: () => Tensor, returnCost = false, varList?: readonly Variable[]): Tensor | null {
  const { value, grads } = variableGrads(f, varList);
  try {
    applyGradients(optimizer, grads);
  } finally {
    for (const g of Object.values(grads)) g.dispose();
  }
  if (returnCost) return value;
  value.dispose();
  return null;
}

function concatenated(parts: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
