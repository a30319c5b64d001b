import type { Backend } from '../backend/backend.js';
import type { Layer, WeightSpec as LayerWeight } from '../layers/layer.js';
import { Adadelta } from '../optimizers/adadelta.js';
import { Adafactor } from '../optimizers/adafactor.js';
import { Adagrad } from '../optimizers/adagrad.js';
import { Adam } from '../optimizers/adam.js';
import { Adamax } from '../optimizers/adamax.js';
import { Ftrl } from '../optimizers/ftrl.js';
import { Lamb } from '../optimizers/lamb.js';
import { Lion } from '../optimizers/lion.js';
import { Nadam } from '../optimizers/nadam.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { shapeSize } from '../tensor.js';
import type { NamedWeight } from './weights.js';

/*
 * Optimizer state in tfjs' layout, so either library resumes the other's training: `iter` (int32,
 * updates applied so far), then for each state, one tensor per trainable weight, named
 * `<weight>/<suffix>`, in the order tfjs' getWeights writes them:
 *   Adam, Nadam   m, v (Keras' moments; Nadam is kerasm-only). Adam with amsgrad adds vhat
 *                 (tfjs has no AMSGrad).
 *   Momentum      momentum: tfjs' accumulator a (a = μa + g, p −= lr·a). kerasm keeps Keras'
 *                 velocity v (v = μv − lr·g, p += v), so a = −v / lr.
 *   RMSProp       rms (mean square), momentum (μ·m + lr·g/√(rms+ε), what tfjs subtracts; zeros
 *                 when momentum is 0, as kerasm then keeps none), mg (mean gradient, centered)
 *   Adagrad       accumulator
 *   Adamax        m, v (tfjs' names; v is the infinity norm u). tfjs-layers 4.22 can neither
 *                 save nor load Adamax state (its getWeights/setWeights throw).
 *   Adadelta      accum_grad (mean of g²), accum_var (mean of the squared step): tfjs' names
 *   Lion          momentum (Keras 3's name; kerasm-only, tfjs has no Lion)
 *   Ftrl          accumulator, linear (Keras 3's names; kerasm-only)
 *   Lamb          momentum, velocity (Keras 3's names; kerasm-only)
 *   Adafactor     r, c, velocity (Keras 3's: r of shape w[:-1], c of w[:-2] + w[-1:], each a
 *                 scalar 0 for a vector weight, which keeps only velocity; kerasm-only)
 * With useEma (any optimizer) `average` follows: the weights' moving average (Keras 3's name).
 * kerasm holds each state in one flat buffer laid out like the trainable parameters (trainable
 * weights in layer order), which is cut into per-weight tensors here.
 */

const ITERATIONS = 'iter';

interface Slot {
  /** The tfjs suffix of the state tensors. */
  suffix: string;
  /** kerasm's state buffer (`stateSlots()` name), or null where kerasm keeps none and the saved state is all zeros. */
  buffer: string | null;
  /** kerasm value → saved value, and back. */
  toSaved?: (x: number) => number;
  fromSaved?: (x: number) => number;
  /** The saved shape for a weight of `shape` (default: the weight's own). */
  shapeFor?: (shape: readonly number[]) => number[];
}

const slot = (suffix: string, buffer: string | null = suffix): Slot => ({ suffix, buffer });

function slotsOf(optimizer: Optimizer): Slot[] {
  // useEma's moving average of the weights, under Keras 3's name, after the optimizer's own state.
  return optimizer.ema ? [...ownSlotsOf(optimizer), slot('average')] : ownSlotsOf(optimizer);
}

function ownSlotsOf(optimizer: Optimizer): Slot[] {
  if (optimizer instanceof Adam) return optimizer.amsgrad ? [slot('m'), slot('v'), slot('vhat', 'vHat')] : [slot('m'), slot('v')];
  if (optimizer instanceof Nadam) return [slot('m'), slot('v')];
  if (optimizer instanceof Adamax) return [slot('m'), slot('v', 'u')];
  if (optimizer instanceof Adagrad) return [slot('accumulator')];
  if (optimizer instanceof Adadelta) return [slot('accum_grad', 'accumulatedGrad'), slot('accum_var', 'accumulatedDeltaVar')];
  if (optimizer instanceof Lion) return [slot('momentum')];
  if (optimizer instanceof Ftrl) return [slot('accumulator'), slot('linear')];
  if (optimizer instanceof Lamb) return [slot('momentum'), slot('velocity')];
  if (optimizer instanceof Adafactor) {
    const factor = (axes: (shape: readonly number[]) => number[]) => (shape: readonly number[]) => (shape.length < 2 ? [] : axes(shape));
    return [
      { ...slot('r'), shapeFor: factor((s) => s.slice(0, -1)) },
      { ...slot('c'), shapeFor: factor((s) => [...s.slice(0, -2), s[s.length - 1]]) },
      slot('velocity'),
    ];
  }
  if (optimizer instanceof RMSprop) {
    const slots = [slot('rms', 'velocity'), slot('momentum', optimizer.momentum > 0 ? 'momentum' : null)];
    return optimizer.centered ? [...slots, slot('mg', 'averageGradient')] : slots;
  }
  if (optimizer instanceof SGD) {
    if (optimizer.momentum === 0) return [];
    const lr = optimizer.learningRate;
    if (!(lr > 0)) {
      throw new Error(`Cannot save SGD's momentum state while its learning rate is ${lr} (a schedule that reached 0): tfjs' Momentum format stores velocity / learningRate. Save with { includeOptimizer: false }, or end the schedule above 0 (e.g. cosineDecay's alpha).`);
    }
    return [{ suffix: 'momentum', buffer: 'momentum', toSaved: (v) => -v / lr, fromSaved: (a) => -a * lr }];
  }
  throw new Error(`Saving the state of optimizer ${optimizer.className} is not supported; save with { includeOptimizer: false }.`);
}

function trainableWeights(layers: readonly Layer[]): LayerWeight[] {
  return layers.flatMap((l) => l.weightSpecs).filter((w) => w.trainable);
}

function bufferOf(optimizer: Optimizer, name: string): number {
  const average = optimizer.averageSlot();
  const id = [...optimizer.stateSlots(), ...(average ? [average] : [])].find((s) => s.name === name)?.id;
  if (!id) throw new Error(`${optimizer.className} has no state buffer '${name}'; compile and build the model before saving or restoring its optimizer.`);
  return id;
}

/** The optimizer's state as named tensors in tfjs' order (`iter`, then each state for every trainable weight). */
export async function optimizerWeights(optimizer: Optimizer, layers: readonly Layer[], backend: Backend): Promise<NamedWeight[]> {
  const weights = trainableWeights(layers);
  const out: NamedWeight[] = [{ name: ITERATIONS, shape: [], values: Int32Array.of(optimizer.iterations), group: 'optimizer' }];
  for (const s of slotsOf(optimizer)) {
    const id = s.buffer === null ? 0 : bufferOf(optimizer, s.buffer);
    const total = weights.reduce((n, w) => n + shapeSize(savedShape(s, w)), 0);
    // One read per state buffer, without blocking: GPU backends cannot always read synchronously.
    const state = id ? ((await backend.readAsync(id, total, 'float32')) as Float32Array) : new Float32Array(total);
    let offset = 0;
    for (const w of weights) {
      const shape = savedShape(s, w);
      const size = shapeSize(shape);
      const values = state.slice(offset, offset + size);
      out.push({ name: `${w.name}/${s.suffix}`, shape, values: s.toSaved ? values.map(s.toSaved) : values, group: 'optimizer' });
      offset += size;
    }
  }
  return out;
}

/**
 * Restores optimizer state saved by kerasm or tfjs. State tensors may be missing only when no
 * update was applied yet (tfjs creates them lazily); anything else missing, misshapen or left
 * over is an error naming it.
 */
export function restoreOptimizerWeights(optimizer: Optimizer, layers: readonly Layer[], backend: Backend, saved: Map<string, NamedWeight>, source: string): void {
  const iter = saved.get(ITERATIONS);
  if (!iter || iter.values.length !== 1) {
    throw new Error(`${source}: the optimizer weights lack the scalar '${ITERATIONS}' (the number of updates applied). Save the model again with { includeOptimizer: true }.`);
  }
  const iterations = iter.values[0];
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`${source}: the optimizer weight '${ITERATIONS}' is ${iterations}, but it counts updates: a whole number ≥ 0. The file is corrupt; save the model again.`);
  }
  // First: a schedule's rate depends on it, and SGD's momentum is saved divided by that rate.
  optimizer.iterations = iterations;
  const weights = trainableWeights(layers);
  const unused = new Set([...saved.keys()].filter((name) => name !== ITERATIONS));
  for (const s of slotsOf(optimizer)) {
    const id = s.buffer === null ? 0 : bufferOf(optimizer, s.buffer);
    let offset = 0;
    for (const w of weights) {
      const shape = savedShape(s, w);
      const size = shapeSize(shape);
      const name = `${w.name}/${s.suffix}`;
      const tensor = saved.get(name);
      unused.delete(name);
      offset += size;
      if (!tensor) {
        if (iterations === 0 || !id) continue;
        throw new Error(`${source}: optimizer weight '${name}' is missing (the ${optimizer.className} optimizer has applied ${iterations} updates and keeps '${s.suffix}' for every trainable weight). Found: ${[...saved.keys()].join(', ')}. Save the model again with { includeOptimizer: true }, or load it and compile afresh.`);
      }
      if (tensor.values.length !== size || !(tensor.values instanceof Float32Array)) {
        throw new Error(`${source}: optimizer weight '${name}' is ${tensor.values instanceof Float32Array ? '' : 'int32 '}of shape [${tensor.shape.join(', ')}], but its state for weight '${w.name}' (shape [${w.shape.join(', ')}]) is float32 of shape [${shape.join(', ')}]. The optimizer state does not belong to this model.`);
      }
      if (id) backend.write(backend.view(id, offset - size, size), s.fromSaved ? Float32Array.from(tensor.values, s.fromSaved) : tensor.values);
    }
  }
  if (unused.size > 0) {
    throw new Error(`${source}: optimizer weights ${[...unused].map((n) => `'${n}'`).join(', ')} belong to no state of ${optimizer.className} (${describeSlots(optimizer)}) for this model's trainable weights. The file's optimizer differs from its training config; save the model again with { includeOptimizer: true }.`);
  }
}

function savedShape(s: Slot, w: LayerWeight): number[] {
  return s.shapeFor ? s.shapeFor(w.shape) : [...w.shape];
}

function describeSlots(optimizer: Optimizer): string {
  const suffixes = slotsOf(optimizer).map((s) => `'<weight>/${s.suffix}'`);
  return suffixes.length > 0 ? `expected ${suffixes.join(', ')}` : 'it keeps no state besides iter';
}
