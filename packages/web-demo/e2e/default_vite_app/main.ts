// The smallest app that embeds the SDK: its threaded core pulls in the kernel worker, which Vite
// bundles in its default worker format (IIFE).
import * as km from '@kerasm/sdk';

async function run(): Promise<{ threads: number; prediction: number[] }> {
  await km.setThreads(2);
  await km.ready();
  const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2] })]);
  const prediction = Array.from(model.predict(km.tensor([[1, 2]])).dataSync());
  return { threads: km.getBackendInfo().threads, prediction };
}

(window as unknown as { result: Promise<unknown> }).result = run();
