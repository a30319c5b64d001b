import { globalGenerator, Random } from '../utils/random.js';

/**
 * Where a layer's randomness comes from (Keras' `seed` option): with a seed, its own generator, so
 * its draws repeat whatever else draws; without one, the generator `km.utils.setRandomSeed` seeds.
 */
export class LayerRandom {
  readonly seed: number | undefined;
  readonly #own: Random | null;

  /** `where` names the layer in the error for a seed that is not an integer. */
  constructor(seed: unknown, where: string) {
    if (seed !== undefined && seed !== null && !Number.isInteger(seed)) {
      throw new Error(`${where}: seed must be an integer or null. Received: seed=${JSON.stringify(seed)}.`);
    }
    this.seed = (seed as number | null | undefined) ?? undefined;
    this.#own = this.seed === undefined ? null : new Random(this.seed);
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
