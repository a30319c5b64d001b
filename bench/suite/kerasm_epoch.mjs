// How the whole-model training scripts time kerasm: one steady-state epoch after a warm-up epoch.

/**
 * kerasm's samples/s over one epoch of (x, y), after a first epoch that pays for the warm-up
 * (batch plans, kernel compilation): the twin of tfjsEpoch.
 */
export async function kerasmEpoch(model, x, y, batchSize) {
  await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  const start = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  return x.shape[0] / ((performance.now() - start) / 1000);
}
