import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferStore } from './buffer_store.js';

beforeAll(() => tf.setBackend('cpu'));

/** A deterministic generator, so a failing sequence of writes can be replayed. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

const values = (store: BufferStore, id: number) => tf.tidy(() => Array.from(store.get(id).dataSync()));

describe('BufferStore', () => {
  it('a kernel may read a view written whole, then another view of the same buffer, and use both', () => {
    const store = new BufferStore(tf);
    const buffer = store.alloc(8, 'float32');
    const [left, right] = [store.view(buffer, 0, 4), store.view(buffer, 4, 4)];
    store.set(right, tf.tensor1d([5, 6, 7, 8]));
    store.set(left, tf.tensor1d([1, 2, 3, 4]));
    const sum = tf.tidy(() => {
      const a = store.get(left);
      const b = store.get(store.view(buffer, 2, 4));
      return tf.keep(tf.add(a, b));
    });
    expect(Array.from(sum.dataSync())).toEqual([4, 6, 8, 10]);
    expect(values(store, buffer)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a view read in a kernel survives a write over it in the same kernel', () => {
    const store = new BufferStore(tf);
    const buffer = store.alloc(6, 'float32');
    const middle = store.view(buffer, 1, 4);
    store.set(middle, tf.tensor1d([1, 2, 3, 4]));
    const doubled = tf.tidy(() => {
      const read = store.get(middle);
      store.set(store.view(buffer, 0, 6), tf.fill([6], 9));
      return tf.keep(tf.mul(read, 2));
    });
    expect(Array.from(doubled.dataSync())).toEqual([2, 4, 6, 8]);
    expect(values(store, buffer)).toEqual([9, 9, 9, 9, 9, 9]);
  });

  it('reads and writes through views of any extent, overlapping in part, agree with a plain array', () => {
    const random = lcg(7);
    const length = 40;
    const store = new BufferStore(tf);
    const buffer = store.alloc(length, 'float32');
    const reference = new Float32Array(length);
    const before = tf.memory().numTensors;
    for (let op = 0; op < 400; op++) {
      const offset = random(length);
      const size = 1 + random(length - offset);
      const view = store.view(buffer, offset, size);
      if (random(3) === 0) {
        expect(values(store, view), `read [${offset}, ${offset + size}) after ${op} operations`).toEqual(Array.from(reference.subarray(offset, offset + size)));
      } else {
        const written = Float32Array.from({ length: size }, () => random(1000));
        tf.tidy(() => store.set(view, tf.tensor1d(written)));
        reference.set(written, offset);
      }
      if (op % 97 === 0) expect(values(store, buffer)).toEqual(Array.from(reference));
    }
    expect(values(store, buffer)).toEqual(Array.from(reference));
    // Folding on the whole read leaves the buffer's one tensor, as after alloc.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a step that writes one row into a range written whole and reads two rows costs those rows, not the range', async () => {
    const [rows, cols] = [64, 16];
    const store = new BufferStore(tf);
    // One value more than the rows, so that the range written whole is a view's, kept as a segment.
    const buffer = store.alloc(rows * cols + 1, 'float32');
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        store.set(store.view(buffer, 0, rows * cols), tf.fill([rows * cols], -1));
        for (let r = 0; r < rows; r++) {
          store.set(store.view(buffer, r * cols, cols), tf.fill([cols], r));
          if (r > 0) store.get(store.view(buffer, (r - 1) * cols, 2 * cols));
        }
      });
    });
    const written = profile.kernels.reduce((sum, kernel) => sum + kernel.outputShapes.reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0), 0);
    // Elements: the range written whole, then per step the row written, the two rows read and their
    // concat. Copying the rest of the range at each row written, or the buffer at each read, would add rows²·cols/2.
    expect(written).toBeLessThanOrEqual(rows * cols + rows * 5 * cols);
    expect(values(store, store.view(buffer, 5 * cols, 2 * cols))).toEqual([...Array(cols).fill(5), ...Array(cols).fill(6)]);
  });
});
