/**
 * A small seeded generator (mulberry32): fast, 32-bit state, deterministic across runtimes.
 * Used for weight initialisation and shuffling, never for anything security-related.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The generator's whole state: a generator given it continues with the same draws (training backups keep it). */
  get state(): number {
    return this.#state;
  }

  set state(state: number) {
    this.#state = state >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A Gamma(alpha, 1) sample, alpha > 0 (Marsaglia and Tsang's method; below 1 boosted by U^(1/alpha)). */
  gamma(alpha: number): number {
    if (alpha < 1) return this.gamma(alpha + 1) * (1 - this.next()) ** (1 / alpha);
    const d = alpha - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.normal();
      const v = (1 + c * z) ** 3;
      if (v <= 0) continue;
      const u = 1 - this.next();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** A Beta(a, b) sample: X / (X + Y) of X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /** A fresh seed derived from this generator, for a child generator. */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4294967296));
  }

  /** Shuffles `values` in place (Fisher–Yates). */
  shuffle<T>(values: { length: number; [index: number]: T }): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}

let globalRandom = new Random((Math.random() * 4294967296) >>> 0);

/**
 * Seeds kerasm's global generator, which weight initialisers and `fit`'s shuffling draw from, so
 * that a program gives the same results bit for bit on every run (Keras' `set_random_seed`).
 *
 * @example
 * ```ts
 * km.utils.setRandomSeed(42);
 * ```
 */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed)) {
    throw new Error(`setRandomSeed expects an integer; received ${seed}.`);
  }
  globalRandom = new Random(seed);
}

/** The global generator that {@link setRandomSeed} seeds. */
export function globalGenerator(): Random {
  return globalRandom;
}
