import type { Backend } from '../backend/backend.js';
import type { Layer, WeightSpec as LayerWeight } from '../layers/layer.js';
import { Adam } from '../optimizers/adam.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { SGD } from '../optimizers/sgd.js';
import type { NamedWeight } from './weights.js';

/*
 * Optimizer state in tfjs' layout, so either library resumes the other's training:
 *   iter                      int32 scalar: updates applied so far (kerasm `optimizer.iterations`)
 *   <weight>/m, then <weight>/v   Adam's first and second moments, one tensor per trainable weight
 *                                 (identical definitions in Keras, tfjs and kerasm)
 *   <weight>/momentum         tfjs Momentum's accumulator a (a = μa + g, p −= lr·a). kerasm keeps
 *                             Keras' velocity v (v = μv − lr·g, p += v), so a = −v / lr.
 * kerasm holds each state in one flat buffer laid out like the trainable parameters (trainable
 * weights in layer order), which is cut into per-weight tensors here.
 */

const ITERATIONS = 'iter';

interface Slot {
  /** The tfjs suffix of the state tensors: `m`, `v`, `momentum`. */
  suffix: string;
  /** kerasm value → tfjs value, and back. */
  toSaved: (x: number) => number;
  fromSaved: (x: number) => number;
}

function slotsOf(optimizer: Optimizer): Slot[] {
  const same = (x: number) => x;
  if (optimizer instanceof Adam) return ['m', 'v'].map((suffix) => ({ suffix, toSaved: same, fromSaved: same }));
  if (optimizer instanceof SGD) {
    if (optimizer.momentum === 0) return [];
    const lr = optimizer.learningRate;
    if (!(lr > 0)) {
      throw new Error(`Cannot save SGD's momentum state while its learning rate is ${lr} (a schedule that reached 0): tfjs' Momentum format stores velocity / learningRate. Save with { includeOptimizer: false }, or end the schedule above 0 (e.g. cosineDecay's alpha).`);
    }
    return [{ suffix: 'momentum', toSaved: (v) => -v / lr, fromSaved: (a) => -a * lr }];
  }
  throw new Error(`Saving the state of optimizer ${optimizer.className} is not supported; save with { includeOptimizer: false }.`);
}

function trainableWeights(layers: readonly Layer[]): LayerWeight[] {
  return layers.flatMap((l) => l.weightSpecs).filter((w) => w.trainable);
}

/** The optimizer's state buffers as named tensors in tfjs' order (`iter`, all `m`, all `v`). */
export function optimizerWeights(optimizer: Optimizer, layers: readonly Layer[], backend: Backend): NamedWeight[] {
  const weights = trainableWeights(layers);
  const buffers = new Map(optimizer.stateSlots().map((s) => [s.name, s.id]));
  const out: NamedWeight[] = [{ name: ITERATIONS, shape: [], values: Int32Array.of(optimizer.iterations), group: 'optimizer' }];
  slotsOf(optimizer).forEach((slot) => {
    const id = buffers.get(slot.suffix);
    if (!id) throw new Error(`${optimizer.className} has no state buffer '${slot.suffix}'; compile and build the model before saving its optimizer.`);
    let offset = 0;
    for (const w of weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const values = backend.read(backend.view(id, offset, size), size, 'float32') as Float32Array;
      out.push({ name: `${w.name}/${slot.suffix}`, shape: [...w.shape], values: values.map(slot.toSaved), group: 'optimizer' });
      offset += size;
    }
  });
  return out;
}

/**
 * Restores optimizer state saved by kerasm or tfjs. State tensors may be missing only when no
 * update was applied yet (tfjs creates them lazily); anything else missing is an error naming it.
 */
export function restoreOptimizerWeights(optimizer: Optimizer, layers: readonly Layer[], backend: Backend, saved: Map<string, NamedWeight>, source: string): void {
  const iter = saved.get(ITERATIONS);
  if (!iter || iter.values.length !== 1) {
    throw new Error(`${source}: the optimizer weights lack the scalar '${ITERATIONS}' (the number of updates applied). Save the model again with { includeOptimizer: true }.`);
  }
  const iterations = iter.values[0];
  // First: a schedule's rate depends on it, and SGD's momentum is saved divided by that rate.
  optimizer.iterations = iterations;
  const weights = trainableWeights(layers);
  const buffers = new Map(optimizer.stateSlots().map((s) => [s.name, s.id]));
  slotsOf(optimizer).forEach((slot) => {
    const id = buffers.get(slot.suffix);
    if (!id) throw new Error(`${optimizer.className} has no state buffer '${slot.suffix}'; compile the model before restoring its optimizer.`);
    let offset = 0;
    for (const w of weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const name = `${w.name}/${slot.suffix}`;
      const tensor = saved.get(name);
      if (!tensor) {
        if (iterations === 0) continue;
        throw new Error(`${source}: optimizer weight '${name}' is missing (the optimizer has applied ${iterations} updates). Found: ${[...saved.keys()].join(', ')}.`);
      }
      if (tensor.values.length !== size) {
        throw new Error(`${source}: optimizer weight '${name}' has shape [${tensor.shape.join(', ')}], but weight '${w.name}' has shape [${w.shape.join(', ')}].`);
      }
      backend.write(backend.view(id, offset, size), Float32Array.from(tensor.values, slot.fromSaved));
      offset += size;
    }
  });
}
