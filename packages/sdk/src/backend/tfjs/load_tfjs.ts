import type * as tfc from '@tensorflow/tfjs-core';

/** A TensorFlow.js backend kerasm can run on, with the packages it needs. */
export interface TfjsBackendSpec {
  /** kerasm's name, e.g. `'tfjs-webgl'`. */
  readonly name: string;
  /** The tfjs backend name, e.g. `'webgl'`. */
  readonly tfjsName: string;
  /** Packages to import, in order; the first provides tfjs-core (or all of tfjs, for tfjs-node). */
  readonly packages: readonly string[];
}

/** The TensorFlow.js backends, by kerasm name. */
export const TFJS_BACKENDS: readonly TfjsBackendSpec[] = [
  { name: 'tfjs-webgl', tfjsName: 'webgl', packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgl'] },
  { name: 'tfjs-webgpu', tfjsName: 'webgpu', packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu'] },
  { name: 'tfjs-wasm', tfjsName: 'wasm', packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'] },
  { name: 'tfjs-cpu', tfjsName: 'cpu', packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'] },
  { name: 'tfjs-node', tfjsName: 'tensorflow', packages: ['@tensorflow/tfjs-node'] },
  { name: 'tfjs-node-gpu', tfjsName: 'tensorflow', packages: ['@tensorflow/tfjs-node-gpu'] },
];

/**
 * Imports a package by name at run time. The specifier is a variable so bundlers leave it alone:
 * the default backend's users never download tfjs. In browsers without an import map, pass the
 * tfjs module to `km.setBackend(name, { tf })` instead.
 */
async function importPackage(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ name);
}

/** The npm package that gives Node WebGPU (Dawn), and the version known to work with tfjs 4.22. */
export const NODE_WEBGPU = 'webgpu@0.6.2';

/**
 * Node has no `navigator.gpu`; the npm package `webgpu` (Dawn) provides it, if installed. It must
 * be there before tfjs-backend-webgpu is imported, which registers itself only where it exists.
 */
async function provideNodeWebGPU(): Promise<void> {
  const scope = globalThis as { navigator?: { gpu?: unknown }; process?: { versions?: { node?: string } } };
  if (scope.navigator?.gpu || !scope.process?.versions?.node) return;
  let dawn: { create(flags: string[]): unknown; globals: Record<string, unknown> };
  try {
    dawn = (await importPackage('webgpu')) as typeof dawn;
  } catch (error) {
    if (!isMissingModule(error)) throw error;
    throw new Error(`Backend 'tfjs-webgpu' in Node needs WebGPU from Dawn, which the npm package 'webgpu' provides, not installed here. Install it (npm install ${NODE_WEBGPU}); it also needs a Vulkan, Metal or Direct3D 12 GPU driver.`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  if (scope.navigator) Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
}

/** Loads tfjs and the backend package for `spec`, or explains which packages to install. */
export async function loadTfjs(spec: TfjsBackendSpec, provided?: typeof tfc): Promise<typeof tfc> {
  if (spec.tfjsName === 'webgpu') await provideNodeWebGPU();
  if (provided) {
    if (!provided.findBackendFactory(spec.tfjsName)) {
      throw new Error(`The tfjs module given for backend '${spec.name}' has no '${spec.tfjsName}' backend registered: import '${spec.packages[spec.packages.length - 1]}' before passing { tf } to km.setBackend or km.backends.`);
    }
    return provided;
  }
  let tf: typeof tfc | undefined;
  const missing: string[] = [];
  for (const pkg of spec.packages) {
    try {
      const module = (await importPackage(pkg)) as typeof tfc & { default?: typeof tfc };
      if (pkg === spec.packages[0]) tf = typeof module.setBackend === 'function' ? module : module.default;
    } catch (error) {
      if (!isMissingModule(error)) throw error;
      missing.push(pkg);
    }
  }
  if (missing.length > 0 || !tf) {
    const install = missing.map((p) => `${p}@4.22.0`).join(' ');
    throw new Error(
      `Backend '${spec.name}' needs ${missing.join(' and ')}, not installed here. Install it (npm install ${install}), ` +
        `or in a bundled web page import tfjs and the backend yourself and call km.setBackend('${spec.name}', { tf }).`,
    );
  }
  if (!tf.findBackendFactory(spec.tfjsName)) {
    // tfjs-backend-webgl registers itself only where it finds a browser.
    const where = spec.tfjsName === 'webgl' ? ': tfjs registers its WebGL backend only in a browser page. In Node, use \'wasm\' (kerasm\'s default), \'tfjs-cpu\', \'tfjs-wasm\' or \'tfjs-node\'' : '';
    throw new Error(`Backend '${spec.name}': tfjs has no '${spec.tfjsName}' backend registered here${where}.`);
  }
  return tf;
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  const message = String((error as Error)?.message ?? error);
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)|Failed to resolve module specifier|Failed to fetch dynamically imported module/.test(message);
}
