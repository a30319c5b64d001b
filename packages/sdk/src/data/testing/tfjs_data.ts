import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfd from '@tensorflow/tfjs-data';
import { Tensor } from '../../tensor.js';

export { tfd };

/** tfjs-data needs a tfjs-core backend to make its batch tensors. */
export async function tfjsReady(): Promise<void> {
  await tf.setBackend('cpu');
}

/** A tensor as its dtype, shape and values, the same for a kerasm and a tfjs tensor. */
export interface PlainTensor {
  dtype: string;
  shape: number[];
  values: number[];
}

/** An element with every tensor (kerasm's or tfjs') made a {@link PlainTensor}, so the two libraries' elements compare with toEqual. */
export function plain(value: unknown): unknown {
  if (value instanceof Tensor || value instanceof tf.Tensor) return { dtype: value.dtype, shape: [...value.shape], values: Array.from(value.dataSync() as ArrayLike<number>) };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** The message of what `run` throws, or null when it does not. */
export async function thrown(run: () => unknown): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
