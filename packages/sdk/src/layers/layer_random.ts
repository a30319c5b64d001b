import { globalGenerator, Random } from '../utils/random.js';
import type { Layer } from './layer.js';

/** The seeded layers' own generators, by layer, in the order the layer made them. */
const ownGenerators = new WeakMap<object, Random[]>();

/**
 * Where a layer's randomness comes from (Keras' `seed` option): with a seed, its own generator, so
 * its draws repeat whatever else draws; without one, the generator `km.utils.setRandomSeed` seeds.
 */
export class LayerRandom {
  readonly seed: number | undefined;
  readonly #own: Random | null;

  /** `where` names the layer in the error for a seed that is not an integer; `owner` is the layer, which {@link layerGenerators} finds the generator by. */
  constructor(seed: unknown, where: string, owner: object) {
    if (seed !== undefined && seed !== null && !Number.isInteger(seed)) {
      throw new Error(`${where}: seed must be an integer or null. Received: seed=${JSON.stringify(seed)}.`);
    }
    this.seed = (seed as number | null | undefined) ?? undefined;
    this.#own = this.seed === undefined ? null : new Random(this.seed);
    if (this.#own) ownGenerators.set(owner, [...(ownGenerators.get(owner) ?? []), this.#own]);
  }

  /** The generator the next draw comes from. */
  get generator(): Random {
    return this.#own ?? globalGenerator();
  }

  /** A 32-bit seed for a noise kernel (a dropout mask, Gaussian noise). */
  kernelSeed(): number {
    return Math.floor(this.generator.next() * 4294967296);
  }
}

/**
 * The own generators of the seeded layers among `layers` and the layers they run (a wrapper's:
 * TimeDistributed's layer, Bidirectional's two copies, an RNN's cells), in order: what a training
 * backup keeps the state of. The layers must be built, as a wrapper takes its layers in `build`.
 */
export function layerGenerators(layers: readonly Layer[]): Random[] {
  return [...new Set(layers.flatMap((layer) => [...(ownGenerators.get(layer) ?? []), ...layerGenerators(layer.ownedLayers)]))];
}
