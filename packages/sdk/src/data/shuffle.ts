import { Random } from '../utils/random.js';

/** How many passes a reshuffling `shuffle` has begun: pass n's order comes from (seed, n). */
export interface ShuffleCounter {
  iteration: number;
}

/** tf.data's buffer shuffle: fill a buffer, then emit a random slot and refill it from the source. */
export async function* shuffleBuffered<T>(source: AsyncIterator<T>, bufferSize: number, seed: number): AsyncGenerator<T> {
  const random = new Random(seed);
  const buffer: T[] = [];
  let exhausted = false;
  while (buffer.length < bufferSize) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    buffer.push(next.value);
  }
  while (buffer.length > 0) {
    const slot = Math.floor(random.next() * buffer.length);
    const chosen = buffer[slot];
    const next = exhausted ? undefined : await source.next();
    if (next && !next.done) {
      buffer[slot] = next.value;
    } else {
      exhausted = true;
      buffer[slot] = buffer[buffer.length - 1];
      buffer.pop();
    }
    yield chosen;
  }
}
