// tfjs' training without a model: km.variableGrads differentiates a cost against variables, and an
// optimizer's minimize / applyGradients steps them with its own update rule, run on the backend's
// kernels over the variables' values laid out as one parameter buffer.
import { backend as activeBackend } from '../backend/registry.js';
import { valueAndConnectedGrads } from '../ops/gradients.js';
import { joinedWeight } from '../engine/taped_apply.js';
import type { WeightSpec } from '../layers/layer.js';
import { LayerWeight, readWeights, writeWeights } from '../layers/layer_weight.js';
import { describeValue } from '../ops/operand.js';
import { shapeSize, Tensor } from '../tensor.js';
import { liveVariables, Variable, variableNamed } from '../variable.js';
import type { Optimizer } from './optimizer.js';
import { stepInStore } from './step_in_store.js';

/** Gradients by variable name, as tfjs' `NamedTensorMap`. */
export type NamedGradients = Record<string, Tensor>;

/** A variable, or a model's weight (`model.trainableWeights`): what {@link variableGrads} differentiates with respect to. */
export type Differentiable = Variable | LayerWeight;

/** The weights the gradient calls have given gradients for, by name, so that applyGradients can step them. */
const weightsByName = new Map<string, WeakRef<LayerWeight>>();

/**
 * The value of `f` and its gradient with respect to each trainable variable it depends on, and to
 * the trainable weights of each model or layer it applies to data (or each of `varList` that it
 * depends on), keyed by name, as `tf.variableGrads`. A model applied inside `f`
 * (`model.apply(x, { training: true })` or `model.predict(x)`) runs as one batch on the backend, and
 * its backward pass gives its weights' gradients, keyed by their names (`dense/kernel`), and passes
 * the gradient on to an input that depends on what `f` differentiates (a generator's output).
 * @example
 * ```ts
 * const w = km.variable(km.tensor([1, 2]), true, 'w');
 * const { value, grads } = km.variableGrads(() => w.square().sum());
 * grads.w.arraySync(); // [2, 4]
 *
 * // A training step of a model, written out (Keras' GradientTape loop).
 * const { grads: modelGrads } = km.variableGrads(() => km.losses.meanSquaredError(y, model.apply(x, { training: true })).mean(), model.trainableWeights);
 * optimizer.applyGradients(modelGrads);
 * ```
 */
export function variableGrads(f: () => Tensor, varList?: readonly Differentiable[]): { value: Tensor; grads: NamedGradients } {
  const fn = 'km.variableGrads()';
  if (typeof f !== 'function') throw new Error(`${fn} takes a function of no arguments that returns the cost: km.variableGrads(() => loss(model.apply(xs, { training: true }), ys)). Received: ${typeof f}.`);
  const listed = varList ?? liveVariables().filter((v) => v.dtype === 'float32');
  const bad = listed.findIndex((v) => !(v instanceof Variable) && !(v instanceof LayerWeight));
  if (bad >= 0) {
    const copy = listed[bad] instanceof Tensor ? " A model weight's read() is a copy of its values: pass the weights themselves, model.trainableWeights, where tfjs passes model.trainableWeights.map((w) => w.read())." : '';
    throw new Error(`${fn}: varList takes variables (km.variable(...)) and model weights (model.trainableWeights). Received: varList[${bad}]=${describeValue(listed[bad])}.${copy}`);
  }
  if (varList !== undefined && varList.length === 0) throw new Error(`${fn}: varList is empty; list the variables or model weights (model.trainableWeights) to differentiate against, or leave it out for all of them.`);
  const variables = listed.filter((v): v is Variable => v instanceof Variable);
  const wanted = new Set(listed.filter((v): v is LayerWeight => v instanceof LayerWeight).map((w) => w.spec));
  const { value, grads, connected, joined } = valueAndConnectedGrads(fn, f, variables, (key) => (varList === undefined ? true : wanted.has(key as WeightSpec)));
  const weights = joined.map(({ key }) => joinedWeight(key)!);
  if (!connected.some(Boolean) && !joined.some((j) => j.connected)) {
    const names = [...variables.map((v) => v.name), ...weights.map((w) => w.name)];
    throw new Error(
      names.length === 0
        ? `${fn}: there is nothing to differentiate against: f uses no trainable variable (km.variable(initialValue)) and applies no model or layer to data. Make variables, or pass varList.`
        : `${fn}: the cost does not depend on any of [${names.map((name) => `'${name}'`).join(', ')}]. Compute it from them inside f, with km ops and models applied to data.`,
    );
  }
  if (value.size !== 1) throw new Error(`${fn}: f must return a scalar cost, as tfjs requires. Received a tensor of shape [${value.shape.join(', ')}]: reduce it, e.g. with km.mean.`);
  const named: NamedGradients = {};
  const keep = (name: string, grad: Tensor, on: boolean): void => {
    if (!on) return void grad.dispose();
    if (name in named) throw new Error(`${fn}: two of the weights and variables differentiated are named '${name}', so their gradients cannot be keyed by name. Give the layers or variables distinct names.`);
    named[name] = grad;
  };
  variables.forEach((v, i) => keep(v.name, grads[i], connected[i]));
  joined.forEach(({ grad, connected: on }, j) => {
    keep(weights[j].name, grad, on);
    if (on) weightsByName.set(weights[j].name, new WeakRef(weights[j]));
  });
  return { value, grads: named };
}

/**
 * Steps the variables and model weights named in `gradients` (a map by name, or tfjs' list of
 * `{ name, tensor }`) by `optimizer`'s rule, as tfjs' `optimizer.applyGradients`. A model weight's
 * optimizer state is the one `fit` keeps for it, so a written-out loop and `fit` can take turns.
 */
export function applyGradients(optimizer: Optimizer, gradients: NamedGradients | readonly { name: string; tensor: Tensor }[]): void {
  const where = `${optimizer.className}.applyGradients`;
  const entries = Array.isArray(gradients) ? gradients.map((g) => [g.name, g.tensor] as const) : Object.entries(gradients as NamedGradients);
  const targets = entries.map(([name, grad]) => {
    const target = variableNamed(name) ?? weightsByName.get(name)?.deref();
    if (!target) throw new Error(`${where}: no live variable or model weight is named '${name}'. Gradients are keyed by the names of variables made with km.variable, and of the model weights km.variableGrads differentiated.`);
    if (!(grad instanceof Tensor) || grad.shape.join() !== target.shape.join()) throw new Error(`${where}: the gradient of '${name}' must be a tensor of its shape [${target.shape.join(', ')}].`);
    return target;
  });
  if (targets.length === 0) return;
  const b = activeBackend();
  if (stepInStore(optimizer, targets, entries.map(([, grad]) => grad), b)) return;
  const sizes = targets.map((t) => shapeSize(t.shape));
  const total = sizes.reduce((n, size) => n + size, 0);
  const params = b.alloc(total, 'float32');
  const grads = b.alloc(total, 'float32');
  try {
    const weights = targets.filter((t): t is LayerWeight => t instanceof LayerWeight);
    const weightValues = new Map(readWeights(weights).map((value, i) => [weights[i], value]));
    b.write(params, concatenated(targets.map((t) => (t instanceof Variable ? t.dataSync() : weightValues.get(t)!.dataSync()))));
    for (const value of weightValues.values()) value.dispose();
    b.write(grads, concatenated(entries.map(([, g]) => g.dataSync())));
    // A weight's state is keyed by its spec, as fit keys it.
    optimizer.attach(b, targets.map((t) => ({ key: t instanceof Variable ? t : t.spec, shape: t.shape, name: t.name })));
    optimizer.apply(params, grads);
    const updated = b.read(params, total, 'float32');
    let at = 0;
    const written: Tensor[] = [];
    targets.forEach((t, i) => {
      const value = new Tensor(updated.slice(at, at + sizes[i]) as Float32Array, t.shape, 'float32');
      if (t instanceof Variable) t.assign(value);
      else written.push(value);
      at += sizes[i];
    });
    writeWeights(weights, written);
  } finally {
    b.free(params);
    b.free(grads);
  }
}

/**
 * Takes one step of `optimizer` down the gradient of `f`'s cost with respect to the trainable
 * variables (or `varList`), as tfjs' `optimizer.minimize`; returns the cost with `returnCost`.
 */
export function minimize(optimizer: Optimizer, f: () => Tensor, returnCost = false, varList?: readonly Differentiable[]): Tensor | null {
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
