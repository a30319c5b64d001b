import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferStore } from './buffer_store.js';

beforeAll(() => tf.setBackend('cpu'));

describe('BufferStore', () => {
  it('a kernel may read a view written whole, then another view of the same buffer, and use both', () => {
    const store = new BufferStore(tf);
    const buffer = store.alloc(8, 'float32');
    const [left, right] = [store.view(buffer, 0, 4), store.view(buffer, 4, 4)];
    store.set(right, tf.tensor1d([5, 6, 7, 8]));
    store.set(left, tf.tensor1d([1, 2, 3, 4]));
    // Reading `right` folds the pending segments into the buffer; `left`, read before it, must survive that.
    const sum = tf.tidy(() => {
      const a = store.get(left);
      const b = store.get(store.view(buffer, 2, 4));
      return tf.keep(tf.add(a, b));
    });
    expect(Array.from(sum.dataSync())).toEqual([4, 6, 8, 10]);
    expect(Array.from(tf.tidy(() => store.get(buffer)).dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
