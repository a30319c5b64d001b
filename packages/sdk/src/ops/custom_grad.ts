// tfjs' customGrad: an op whose gradient the caller writes, recorded on the tape as one step.
import { Tensor, type TensorLike } from '../tensor.js';
import { operand } from './operand.js';
import { record, taping, untaped } from './tape.js';

/** What a custom-gradient function returns: its value, and the gradient of each input from the value's cotangent `dy` and the tensors it saved. */
export interface CustomGradientResult<T extends Tensor> {
  value: T;
  gradFunc: (dy: Tensor<'float32'>, saved: Tensor[]) => Tensor | Tensor[];
}

/** The function {@link customGrad} takes: the inputs, then `save`, which keeps tensors for `gradFunc`. */
export type CustomGradientFunction<T extends Tensor> = (...args: (Tensor | ((tensors: Tensor[]) => void))[]) => CustomGradientResult<T>;

/**
 * An op with a gradient of your own, as `tf.customGrad`: `f(...inputs, save)` returns `{ value,
 * gradFunc }`; its ops record nothing, and in a gradient call (km.grad & co.) `gradFunc(dy, saved)`
 * gives each input's gradient, one tensor per input of its shape.
 * @example
 * ```ts
 * // x², whose gradient 2x is clipped to [-1, 1]
 * const clippedSquare = km.customGrad((x, save) => {
 *   save([x as km.Tensor]);
 *   return { value: (x as km.Tensor).square(), gradFunc: (dy, [saved]) => dy.mul(km.clipByValue(saved.mul(2), -1, 1)) };
 * });
 * km.grad((x) => clippedSquare(x))(km.tensor([0.2, 3])).arraySync(); // [0.4, 1]
 * ```
 */
export function customGrad<T extends Tensor>(f: CustomGradientFunction<T>): (...inputs: (Tensor | TensorLike)[]) => T {
  const fn = 'km.customGrad()';
  if (typeof f !== 'function') throw new Error(`${fn} takes a function (...inputs, save) => ({ value, gradFunc }). Received: ${typeof f}.`);
  return (...args) => {
    const inputs = args.map((a, i) => operand(fn, `inputs[${i}]`, a));
    let saved: Tensor[] = [];
    const result = untaped(() => f(...inputs, (tensors: Tensor[]) => (saved = [...tensors])));
    if (result === null || typeof result !== 'object' || !(result.value instanceof Tensor) || typeof result.gradFunc !== 'function') {
      throw new Error(`${fn}: f must return { value, gradFunc }, value a km.Tensor and gradFunc (dy, saved) => the inputs' gradients, as tfjs' customGrad. Received: ${result === null ? 'null' : typeof result === 'object' ? `an object with keys [${Object.keys(result).join(', ')}]` : typeof result}.`);
    }
    const { value, gradFunc } = result;
    if (taping()) {
      record(value, inputs, (dy) => {
        const grads = untaped(() => gradFunc(new Tensor(dy, value.shape, 'float32'), saved));
        const list = Array.isArray(grads) ? grads : [grads];
        if (list.length !== inputs.length) throw new Error(`${fn}: gradFunc returned ${list.length} gradients for ${inputs.length} inputs. Return one per input, in order.`);
        return list.map((g, i) => {
          if (!(g instanceof Tensor) || g.shape.join() !== inputs[i].shape.join()) {
            throw new Error(`${fn}: gradFunc's gradient ${i} must be a tensor of input ${i}'s shape [${inputs[i].shape.join(', ')}]. Received: ${g instanceof Tensor ? `shape [${g.shape.join(', ')}]` : typeof g}.`);
          }
          return Float32Array.from(g.dataSync());
        });
      });
    }
    return value;
  };
}
