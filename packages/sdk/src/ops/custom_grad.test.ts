// km.customGrad against tfjs' tf.customGrad (CPU backend): the same function and gradient function
// give the same values and gradients, the forward's own ops record nothing, and the errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectSameAsTfjs, randomPair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('km.customGrad', () => {
  it("gives tf.customGrad's values and gradients, inside a larger function, with two inputs", () => {
    const rng = new Random(4);
    const a = randomPair(rng, [3, 4], 'float32', 2);
    const b = randomPair(rng, [4], 'float32', 2);
    // a·b broadcast, whose gradient to a is scaled by 0.5 and to b clipped to [-1, 1].
    const ours = km.customGrad((x, y, save) => {
      const [u, v] = [x as km.Tensor, y as km.Tensor];
      (save as (t: km.Tensor[]) => void)([u, v]);
      return { value: km.mul(u, v), gradFunc: (dy, [su, sv]) => [km.mul(km.mul(dy, sv), 0.5), km.clipByValue(km.sum(km.mul(dy, su), 0), -1, 1)] };
    });
    const theirs = tf.customGrad((x, y, save) => {
      (save as tf.GradSaveFunc)([x as tf.Tensor, y as tf.Tensor]);
      return { value: tf.mul(x as tf.Tensor, y as tf.Tensor), gradFunc: (dy: tf.Tensor, [sx, sy]: tf.Tensor[]) => [tf.mul(tf.mul(dy, sy), 0.5), tf.clipByValue(tf.sum(tf.mul(dy, sx), 0), -1, 1)] };
    });
    const f = (x: km.Tensor, y: km.Tensor) => km.sum(km.tanh(ours(x, y)));
    const g = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.tanh(theirs(x, y)));
    const mine = km.valueAndGrads(f)([a.km, b.km]);
    const reference = tf.valueAndGrads(g)([a.tf, b.tf]);
    expectSameAsTfjs(mine.value, reference.value, 'value');
    mine.grads.forEach((grad, i) => expectSameAsTfjs(grad, reference.grads[i], `gradient ${i}`));
  });

  it('refuses a result that is not { value, gradFunc }, and gradients of the wrong number or shape', () => {
    expect(() => km.customGrad('f' as never)).toThrow('km.customGrad() takes a function (...inputs, save) => ({ value, gradFunc }). Received: string.');
    const bad = km.customGrad(() => ({ value: km.scalar(1) }) as never);
    expect(() => bad(km.scalar(2))).toThrow('km.customGrad(): f must return { value, gradFunc }, value a km.Tensor and gradFunc (dy, saved) => the inputs\' gradients, as tfjs\' customGrad. Received: an object with keys [value].');
    const two = km.customGrad((x) => ({ value: (x as km.Tensor).square(), gradFunc: (dy) => [dy, dy] }));
    expect(() => km.grad((x) => two(x))(km.tensor([1, 2]))).toThrow('km.customGrad(): gradFunc returned 2 gradients for 1 inputs. Return one per input, in order.');
    const wrong = km.customGrad((x) => ({ value: (x as km.Tensor).sum(), gradFunc: (dy) => dy }));
    expect(() => km.grad((x) => wrong(x))(km.tensor([1, 2]))).toThrow("km.customGrad(): gradFunc's gradient 0 must be a tensor of input 0's shape [2]. Received: shape [].");
  });
});
