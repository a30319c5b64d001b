import type * as km from '@kerasm/sdk';
import { UsageError } from './errors.js';
import { integerIn, invalidValue } from './flag_values.js';

/** Backends `--backend` accepts in Node (tfjs-webgl and tfjs-webgpu need a browser). */
export const NODE_BACKENDS = ['wasm', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'tfjs-node-gpu'] as const satisfies readonly km.BackendName[];

/** A backend `--backend` accepts. */
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** Bounds of `--threads`; help quotes them too. */
export const THREAD_LIMITS = { min: 1, max: 256 } as const;

/** Where a command's kernels run: `--backend` and `--threads`. */
export interface BackendChoice {
  backend: NodeBackend;
  /** Threads of the wasm backend's kernels; absent means all logical cores. */
  threads?: number;
}

/** `--backend`'s value, checked against the backends that run in Node. */
export function parseBackend(raw: string, helpCommand: string): NodeBackend {
  if ((NODE_BACKENDS as readonly string[]).includes(raw)) return raw as NodeBackend;
  // TensorFlow.js' own backend names are kerasm's with the tfjs- prefix.
  const prefixed = raw === 'tensorflow' ? 'tfjs-node' : raw.startsWith('tfjs-') ? raw : `tfjs-${raw}`;
  const inBrowser = prefixed === 'tfjs-webgl' || prefixed === 'tfjs-webgpu';
  const named = prefixed !== raw && (inBrowser || (NODE_BACKENDS as readonly string[]).includes(prefixed)) ? ` TensorFlow.js' '${raw}' backend is kerasm's ${prefixed}.` : '';
  const browserOnly = inBrowser ? ` ${prefixed} runs only in browsers (see the web demo).` : '';
  if (named === '' && browserOnly === '') throw invalidValue('--backend', raw, `one of ${NODE_BACKENDS.join(', ')}`, helpCommand);
  throw new UsageError(`Invalid value for --backend: received '${raw}', expected one of ${NODE_BACKENDS.join(', ')}.${named}${browserOnly}`, helpCommand);
}

export const parseThreads = (raw: string, helpCommand: string): number => integerIn('--threads', raw, THREAD_LIMITS, helpCommand);

/** The warning for `--threads` given with a backend that does not use it, if that is the case. */
export function ignoredThreadsWarning({ backend, threads }: BackendChoice): string[] {
  return threads !== undefined && backend !== 'wasm' ? [`--threads is ignored with --backend ${backend}: it sets the threads of kerasm's wasm backend only.`] : [];
}
