// What predict() accepts: an ImageData (preprocessed like MNIST) or 784 values in [0, 1].
import { imageDataToGray, MNIST_SIDE, preprocessDigit } from './preprocess.js';

/**
 * The 28×28 image predict() sends to the model, as a copy the caller may transfer.
 * @throws An error naming what was received and what predict() takes.
 */
export function predictPixels(input: unknown): Float32Array {
  if (typeof ImageData !== 'undefined' && input instanceof ImageData) return preprocessDigit(imageDataToGray(input), input.width, input.height);
  if (!(input instanceof Float32Array) || input.length !== MNIST_SIDE * MNIST_SIDE) {
    const received = input instanceof Float32Array ? `Float32Array(${input.length})` : Object.prototype.toString.call(input);
    throw new Error(`kerasm-mnist-demo: predict() takes an ImageData or a Float32Array of 784 values (28×28). Received: ${received}.`);
  }
  // `!(v >= 0 && v <= 1)` also catches NaN.
  const bad = input.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) {
    throw new Error(
      `kerasm-mnist-demo: predict() takes pixel values in [0, 1] (ink bright, like MNIST). Received: ${input[bad]} at index ${bad}. ` +
        'Divide 0-255 bytes by 255, and replace NaN or infinite values.',
    );
  }
  return input.slice();
}
