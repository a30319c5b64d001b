import { inject } from 'vitest';
import * as km from '../index.js';

/** Whether the suite runs in a browser (vitest browser mode) rather than Node. */
export const inBrowser = typeof window !== 'undefined';

/** The backends the shared suite covers in this environment. */
export const BACKENDS_HERE: readonly string[] = inBrowser
  ? ['wasm', 'tfjs-cpu', 'tfjs-webgl', 'tfjs-webgpu']
  : ['wasm', 'tfjs-cpu', 'tfjs-wasm'];

/**
 * Switches to a backend. Browsers cannot import bare package names at run time, so there the
 * test imports tfjs and the backend package itself and hands tfjs to kerasm, as a bundled page would.
 */
export async function useBackend(name: string): Promise<void> {
  if (!inBrowser || name === 'wasm') return km.setBackend(name);
  const tf = await import('@tensorflow/tfjs-core');
  if (name === 'tfjs-cpu') await import('@tensorflow/tfjs-backend-cpu');
  if (name === 'tfjs-webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (name === 'tfjs-webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  return km.setBackend(name, { tf });
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
