// The worker's backends: what this browser supports, and switching the SDK to one. TensorFlow.js
// is imported only when a tfjs backend is chosen (static specifiers, so Vite splits it into its
// own chunks and the default WASM path never downloads it).
import * as km from '@kerasm/sdk';
import type { BackendChoice, BackendSupport } from './protocol.js';

function webglSupport(): BackendSupport['tfjs-webgl'] {
  // tfjs-backend-webgl renders into an OffscreenCanvas when it runs in a worker.
  if (typeof OffscreenCanvas === 'undefined') return { available: false, reason: 'no OffscreenCanvas in Web Workers in this browser, so no WebGL where the demo trains' };
  const canvas = new OffscreenCanvas(1, 1);
  if (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) return { available: true };
  return { available: false, reason: 'this browser gives Web Workers no WebGL context' };
}

async function webgpuSupport(): Promise<BackendSupport['tfjs-webgpu']> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { available: false, reason: 'this browser has no WebGPU in Web Workers (navigator.gpu is missing)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  return adapter ? { available: true } : { available: false, reason: 'WebGPU is present but offers no adapter (no usable GPU)' };
}

/** What runs here, found without loading TensorFlow.js. */
export async function probeBackends(): Promise<BackendSupport> {
  return {
    wasm: typeof WebAssembly === 'object' ? { available: true } : { available: false, reason: 'no WebAssembly' },
    'tfjs-webgl': webglSupport(),
    'tfjs-webgpu': await webgpuSupport(),
  };
}

/** Makes `name` the SDK's backend, loading TensorFlow.js and its backend package on first use. */
export async function useBackend(name: BackendChoice): Promise<void> {
  if (name === 'wasm') return km.setBackend('wasm');
  const tf = await import('@tensorflow/tfjs-core');
  if (name === 'tfjs-webgl') await import('@tensorflow/tfjs-backend-webgl');
  else await import('@tensorflow/tfjs-backend-webgpu');
  return km.setBackend(name, { tf });
}
