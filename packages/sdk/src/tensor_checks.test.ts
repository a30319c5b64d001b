import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from './index.js';

beforeAll(() => tf.setBackend('cpu'));

/** The message without the leading "km.zeros(): " that names the function. */
function problem(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    return (e as Error).message.replace(/^[^:]+: /, '');
  }
  throw new Error('expected the call to throw');
}

describe('km.buffer, TensorBuffer.set, km.tensor and the creation functions share their checks', () => {
  it.each([
    ['a negative dimension', [() => km.buffer([2, -1]), () => km.zeros([2, -1]), () => km.randomUniform([2, -1])]],
    ['a shape that is no array', [() => km.buffer(3 as never), () => km.ones(3 as never)]],
    ['a dtype kerasm lacks', [() => km.buffer([2], 'complex64' as never), () => km.zeros([2], 'complex64' as never), () => km.tensor([1, 2], undefined, 'complex64' as never)]],
    ['a string dtype', [() => km.buffer([2], 'string' as never), () => km.fill([2], 1, 'string' as never), () => km.tensor([1, 2], undefined, 'string' as never)]],
    ['a fraction for int32', [() => km.buffer([1], 'int32').set(2.5, 0), () => km.fill([1], 2.5, 'int32')]],
    ['a value that is no number', [() => km.buffer([1]).set('a' as never, 0), () => km.fill([1], 'a' as never)]],
  ] as const)('%s gets one message', (_, calls) => {
    const [first, ...rest] = calls.map(problem);
    for (const message of rest) expect(message).toBe(first);
  });

  it('km.buffer takes NaN, as tf.buffer does; km.fill and km.oneHot, which make values up, refuse it', () => {
    expect(Array.from(km.buffer([2], 'float32', [NaN, 1]).values)).toEqual([NaN, 1]);
    const ours = km.buffer([2]);
    const theirs = tf.buffer([2]);
    ours.set(NaN, 1);
    theirs.set(NaN, 1);
    expect(ours.get(1)).toBeNaN();
    expect(theirs.get(1)).toBeNaN();
    expect(() => km.fill([2], NaN)).toThrow('km.fill(): value must be a number; received value=NaN. kerasm tensors hold float32 or int32 numbers.');
    expect(() => km.oneHot([0], 2, NaN, 0, 'float32')).toThrow('km.oneHot(): onValue must be a number; received onValue=NaN.');
  });
});
