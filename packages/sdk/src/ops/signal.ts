// km.signal: tfjs-core's tf.signal window functions and frame (stft is left out: it returns complex
// numbers, and kerasm has no complex dtype).
import { Tensor, type TensorLike } from '../tensor.js';
import { gather } from './gather.js';
import { operand } from './operand.js';
import { checkedWindowLength, cosineWindowOf } from './signal_util.js';
import { pad } from './tile_pad.js';

/**
 * The Hann window of `windowLength` samples, 0.5 − 0.5·cos(2πi / N), as `tf.signal.hannWindow`:
 * N is the length for an even length (a periodic window, for spectral analysis) and the length − 1
 * for an odd one (symmetric), as tfjs. A length of 1 gives [1], as TensorFlow (tfjs gives [NaN]).
 * @example `km.signal.hannWindow(256)`
 */
export function hannWindow(windowLength: number): Tensor<'float32'> {
  return cosineWindowOf(checkedWindowLength('km.signal.hannWindow()', windowLength), 0.5, 0.5);
}

/** The Hamming window of `windowLength` samples, 0.54 − 0.46·cos(2πi / N), as `tf.signal.hammingWindow` (N as {@link hannWindow}). @example `km.signal.hammingWindow(256)` */
export function hammingWindow(windowLength: number): Tensor<'float32'> {
  return cosineWindowOf(checkedWindowLength('km.signal.hammingWindow()', windowLength), 0.54, 0.46);
}

/**
 * The frames of the 1-D `signal`, `[numFrames, frameLength]`, as `tf.signal.frame`: frame k is
 * signal[k·frameStep, k·frameStep + frameLength). Without `padEnd` only whole frames are kept (none
 * when the signal is shorter than a frame: shape [0, frameLength]); with it, frames start at every
 * step before the signal's end, the missing samples set to `padValue`. The dtype is kept (tfjs'
 * empty result is float32 for any signal), and gradients pass to the signal, as tfjs'.
 * @example `km.signal.frame(audio, 400, 160)` (25 ms frames every 10 ms at 16 kHz)
 */
export function frame<D extends 'float32' | 'int32'>(signal: Tensor<D> | TensorLike, frameLength: number, frameStep: number, padEnd = false, padValue = 0): Tensor<D> {
  const fn = 'km.signal.frame()';
  const t = operand<D>(fn, 'signal', signal);
  if (t.rank !== 1) throw new Error(`${fn}: signal must be 1-D (frame each row of a batch separately, e.g. over km.unstack(batch)). Received: signal.shape=[${t.shape.join(', ')}].`);
  if (!Number.isInteger(frameLength) || frameLength < 1) throw new Error(`${fn}: frameLength must be a positive integer. Received: frameLength=${JSON.stringify(frameLength)}.`);
  if (!Number.isInteger(frameStep) || frameStep < 1) throw new Error(`${fn}: frameStep must be a positive integer (the samples between frame starts). Received: frameStep=${JSON.stringify(frameStep)}.`);
  if (typeof padEnd !== 'boolean') throw new Error(`${fn}: padEnd must be true or false. Received: padEnd=${JSON.stringify(padEnd)}.`);
  if (typeof padValue !== 'number') throw new Error(`${fn}: padValue must be a number. Received: padValue=${JSON.stringify(padValue)}.`);
  const size = t.shape[0];
  const whole = size >= frameLength ? Math.floor((size - frameLength) / frameStep) + 1 : 0;
  const frames = padEnd ? Math.ceil(size / frameStep) : whole;
  const indices = new Int32Array(frames * frameLength);
  for (let k = 0; k < frames; k++) for (let i = 0; i < frameLength; i++) indices[k * frameLength + i] = k * frameStep + i;
  // The padded signal holds every index a frame reads; pad's gradient drops the padding's share.
  const longest = frames === 0 ? 0 : (frames - 1) * frameStep + frameLength;
  const source = longest > size ? pad(t, [[0, longest - size]], padValue) : t;
  return gather(source, new Tensor(indices, [frames, frameLength], 'int32'));
}
