import * as km from '../index.js';

/**
 * How many turns a recurring task scheduled with `schedule` gets while `work` runs: a measure of
 * how often `work` hands the event loop back.
 */
export async function countTurnsDuring(schedule: (f: () => void) => void, work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let counting = true;
  const tick = () => {
    if (!counting) return;
    turns++;
    schedule(tick);
  };
  schedule(tick);
  try {
    await work();
  } finally {
    counting = false;
  }
  return turns;
}

/** Fits a tiny model for `batches` batches per epoch, on tensors or on a km.data dataset. */
export async function fitFor(args: { batches: number; epochs: number; yieldEvery?: km.YieldEvery; dataset?: boolean; callbacks?: km.ModelFitArgs['callbacks'] }): Promise<km.History> {
  const batchSize = 4;
  const n = args.batches * batchSize;
  const x = km.tensor(Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i)), [n, 3]);
  const y = km.tensor(Float32Array.from({ length: n }, (_, i) => Math.cos(i)), [n, 1]);
  const model = km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const common = { epochs: args.epochs, verbose: 0 as const, yieldEvery: args.yieldEvery, callbacks: args.callbacks };
  if (!args.dataset) return model.fit(x, y, { batchSize, ...common });
  const rows = Array.from({ length: n }, (_, i) => ({ xs: x.slice(i, 1).reshape([3]), ys: y.slice(i, 1).reshape([1]) }));
  return model.fit(km.data.array(rows).batch(batchSize), common);
}
