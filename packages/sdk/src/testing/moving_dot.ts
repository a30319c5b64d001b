import { Random } from '../utils/random.js';

/** Sequences of frames with one bright dot moving one pixel a step, and which way it moves. */
export interface MovingDotTask {
  /** [n, frames, size, size, 1], the dot 1 on a background of noise in [0, noise). */
  frames: Float32Array;
  /** [n] direction: 0 right, 1 left, 2 down, 3 up. */
  directions: Float32Array;
  /** [n, 4] one-hot directions. */
  oneHot: Float32Array;
}

const STEPS: readonly [number, number][] = [[0, 1], [0, -1], [1, 0], [-1, 0]];

/**
 * "Which way does the dot move?": each sample's dot starts at a random pixel from which `frames − 1`
 * steps in its random direction stay inside the image. No single frame tells the direction, so a
 * model has to compare frames over time.
 */
export function movingDotTask(n: number, frames: number, size: number, seed: number, noise = 0.2): MovingDotTask {
  const random = new Random(seed);
  const pick = (k: number) => Math.min(k - 1, Math.floor(random.uniform(0, k)));
  const frameSize = size * size;
  const data = new Float32Array(n * frames * frameSize);
  for (let i = 0; i < data.length; i++) data[i] = random.uniform(0, noise);
  const directions = new Float32Array(n);
  const oneHot = new Float32Array(n * 4);
  const travel = frames - 1;
  for (let s = 0; s < n; s++) {
    const direction = pick(4);
    const [dy, dx] = STEPS[direction];
    // The start range along the moving axis leaves room for the whole path.
    const startIn = (d: number) => (d > 0 ? pick(size - travel) : d < 0 ? travel + pick(size - travel) : pick(size));
    const [y0, x0] = [startIn(dy), startIn(dx)];
    for (let f = 0; f < frames; f++) data[(s * frames + f) * frameSize + (y0 + f * dy) * size + (x0 + f * dx)] = 1;
    directions[s] = direction;
    oneHot[s * 4 + direction] = 1;
  }
  return { frames: data, directions, oneHot };
}
