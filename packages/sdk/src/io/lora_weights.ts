// Keras 3 saves a LoRA-adapted layer's matrix merged (W + s·A·B) under the matrix's name and
// leaves A and B out; a layer loaded with lora_rank starts from that matrix with fresh factors.
import type { Layer, WeightSpec } from '../layers/layer.js';
import { loraWeightsOf, mergedMatrix } from '../layers/lora.js';
import { Tensor } from '../tensor.js';
import { globalGenerator } from '../utils/random.js';
import type { NamedWeight } from './weights.js';

/** `weights` (named as the layers' specs) as Keras 3 saves them: each adapted matrix merged, its factors left out. */
export function mergeLoraWeights(layers: readonly Layer[], weights: readonly NamedWeight[]): NamedWeight[] {
  const merged = new Map<string, Float32Array>();
  const factors = new Set<string>();
  const valuesOf = (spec: WeightSpec) => weights.find((w) => w.name === spec.name)?.values as Float32Array | undefined;
  for (const layer of layers) {
    const adapted = loraWeightsOf(layer);
    if (!adapted) continue;
    const [w, a, b] = [valuesOf(adapted.base), valuesOf(adapted.a), valuesOf(adapted.b)];
    // A layer saved under another owner's names (inside a wrapper) keeps its factors, unmerged.
    if (!w || !a || !b) continue;
    // A kernel of any rank (EinsumDense's, a convolution's) adapts as [prod(shape[:-1]), shape[-1]].
    const cols = adapted.base.shape[adapted.base.shape.length - 1];
    merged.set(adapted.base.name, mergedMatrix(w, a, b, w.length / cols, cols, adapted.lora));
    factors.add(adapted.a.name).add(adapted.b.name);
  }
  return weights.filter((w) => !factors.has(w.name)).map((w) => ({ ...w, values: merged.get(w.name) ?? w.values }));
}

/** Fresh values for `spec` when it is a LoRA factor of `layer` (which a saved file leaves out), else null. */
export function freshLoraFactor(layer: Layer, spec: WeightSpec): Tensor | null {
  const adapted = loraWeightsOf(layer);
  if (!adapted || (spec !== adapted.a && spec !== adapted.b)) return null;
  return new Tensor(spec.initializer(spec.shape, globalGenerator()), spec.shape, 'float32');
}
