// Trains a tiny model on the default backend and prints the modules that were resolved.
const km = await import('@kerasm/sdk');
const model = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
await model.fit(km.tensor([[1, 2, 3], [3, 2, 1]]), km.tensor([0, 1], undefined, 'int32'), { epochs: 2, verbose: 0 });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(JSON.stringify({ backend: km.getBackend(), modules: globalThis.resolvedModules }));
