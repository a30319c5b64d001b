// km.signal's hannWindow, hammingWindow and frame against tfjs-core 4.22 (CPU backend): values to the
// bit, frame's gradient against tf.grads (within float32 rounding), and the errors for bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../index.js';
import { Tensor } from '../tensor.js';
import { expectSameAsTfjs, randomPair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { valueAndGrads } from './gradients.js';
import { frame, hammingWindow, hannWindow } from './signal.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('km.signal matches tfjs-core 4.22', () => {
  it('hannWindow and hammingWindow for even and odd lengths', () => {
    for (let n = 2; n <= 33; n++) {
      expectSameAsTfjs(hannWindow(n), tf.signal.hannWindow(n), `hann ${n}`);
      expectSameAsTfjs(hammingWindow(n), tf.signal.hammingWindow(n), `hamming ${n}`);
    }
    // Length 1: tfjs divides 0 by 0; TensorFlow (and kerasm) give [1].
    expect(Array.from(tf.signal.hannWindow(1).dataSync())).toEqual([NaN]);
    expect(Array.from(hannWindow(1).dataSync())).toEqual([1]);
    expect(Array.from(hammingWindow(1).dataSync())).toEqual([1]);
  });

  it('frame: lengths, steps, padEnd and padValue, float32 and int32, and its gradient', () => {
    const rng = new Random(31);
    for (const size of [1, 7, 10, 16, 23]) {
      for (const [frameLength, frameStep] of [[3, 1], [4, 2], [5, 5], [8, 3], [2, 7], [30, 4]]) {
        for (const padEnd of [false, true]) {
          for (const padValue of [0, -1.5]) {
            const x = randomPair(rng, [size], 'float32');
            const what = `size=${size} length=${frameLength} step=${frameStep} padEnd=${padEnd} padValue=${padValue}`;
            expectSameAsTfjs(frame(x.km, frameLength, frameStep, padEnd, padValue), tf.signal.frame(x.tf as tf.Tensor1D, frameLength, frameStep, padEnd, padValue), what);
            const ints = randomPair(rng, [size], 'int32');
            // With no frame tfjs returns an empty float32 tensor whatever the signal's dtype; kerasm keeps int32.
            const none = size < frameLength && !padEnd;
            const theirs = tf.signal.frame(ints.tf as tf.Tensor1D, frameLength, frameStep, padEnd, 3);
            expectSameAsTfjs(frame(ints.km, frameLength, frameStep, padEnd, 3), none ? tf.cast(theirs, 'int32') : theirs, `int32 ${what}`);
            // tfjs' result with no frame is a constant, so it has no gradient to compare.
            if (size >= frameLength || padEnd) {
              const dy = randomPair(rng, [...frame(x.km, frameLength, frameStep, padEnd).shape], 'float32', 2);
              const ours = valueAndGrads((a) => frame(a, frameLength, frameStep, padEnd, padValue))([x.km], dy.km).grads[0].dataSync();
              const theirs = tf.grads((a: tf.Tensor) => tf.signal.frame(a as tf.Tensor1D, frameLength, frameStep, padEnd, padValue))([x.tf], dy.tf)[0].dataSync();
              // A sample in several frames sums their cotangents in float32, in another order than tfjs' tape.
              ours.forEach((g, i) => expect(Math.abs(g - theirs[i]), `gradient ${what} [${i}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(theirs[i]))));
            }
          }
        }
      }
    }
  });

  it('bad input names the problem and the fix', () => {
    const x = new Tensor(new Float32Array(8), [2, 4], 'float32');
    expect(() => hannWindow(0)).toThrow(/windowLength must be a positive integer.*Received: windowLength=0/);
    expect(() => hammingWindow(2.5)).toThrow(/km\.signal\.hammingWindow\(\): windowLength must be a positive integer/);
    expect(() => frame(x, 2, 1)).toThrow(/signal must be 1-D \(frame each row of a batch separately.*Received: signal\.shape=\[2, 4\]/);
    expect(() => frame(x.reshape([8]), 0, 1)).toThrow(/frameLength must be a positive integer\. Received: frameLength=0/);
    expect(() => frame(x.reshape([8]), 2, -1)).toThrow(/frameStep must be a positive integer.*Received: frameStep=-1/);
  });

  it('is reachable as km.signal.* from the package entry', () => {
    expect(sdk.signal.hannWindow).toBe(hannWindow);
    expect(sdk.signal.hammingWindow).toBe(hammingWindow);
    expect(sdk.signal.frame).toBe(frame);
  });
});
