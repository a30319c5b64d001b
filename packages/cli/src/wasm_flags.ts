import { setFlagsFromString } from 'node:v8';

/**
 * Lets V8 validate WebAssembly modules that use relaxed SIMD. Node 20 keeps that proposal behind
 * `--experimental-wasm-relaxed-simd`; setting the flag at runtime works as long as it happens before
 * the SDK compiles its kernels, so call this before importing or readying `@kerasm/sdk`.
 */
export function enableRelaxedSimd(): void {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
