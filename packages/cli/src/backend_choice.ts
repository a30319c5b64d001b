import * as km from '@kerasm/sdk';
import type { BackendChoice } from './backend_flags.js';

/** Switches the SDK to the chosen backend (and thread count) before any model is built or loaded. */
export async function useBackend({ backend, threads }: BackendChoice): Promise<ReturnType<typeof km.getBackendInfo>> {
  if (threads !== undefined) await km.setThreads(threads);
  await km.setBackend(backend);
  return km.getBackendInfo();
}
