import type { Random } from '../utils/random.js';

/** Fills a weight of the given shape; `shape` follows the layer's weight layout. */
export type Initializer = (shape: readonly number[], random: Random) => Float32Array;

/** Fan-in and fan-out as Keras computes them (last two dims; leading dims are the receptive field). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const INITIALIZERS = {
  zeros: (shape) => new Float32Array(size(shape)),
  ones: (shape) => new Float32Array(size(shape)).fill(1),
  glorotUniform: (shape, random) => {
    const [fanIn, fanOut] = fans(shape);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: size(shape) }, () => random.uniform(-limit, limit));
  },
  heUniform: (shape, random) => {
    const limit = Math.sqrt(6 / fans(shape)[0]);
    return Float32Array.from({ length: size(shape) }, () => random.uniform(-limit, limit));
  },
} satisfies Record<string, Initializer>;

/** Names accepted for initialisers (camelCase and Keras snake_case). */
export type InitializerName = keyof typeof INITIALIZERS | 'glorot_uniform' | 'he_uniform';

const SNAKE_ALIASES: Record<string, keyof typeof INITIALIZERS> = {
  glorot_uniform: 'glorotUniform',
  he_uniform: 'heUniform',
};

/** Resolves an initialiser by name, with an error listing the valid names. */
export function getInitializer(name: InitializerName | Initializer): Initializer {
  if (typeof name === 'function') return name;
  const key = SNAKE_ALIASES[name] ?? name;
  const found = (INITIALIZERS as Record<string, Initializer>)[key];
  if (!found) {
    throw new Error(`Unknown initializer '${name}'. Valid initializers: ${Object.keys(INITIALIZERS).join(', ')}.`);
  }
  return found;
}
