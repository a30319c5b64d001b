// The SDK's MNIST errors speak to SDK callers (`url`, uncompressed files); the demo's users set the
// `data-url` attribute and the demo fetches the gzip'd files, so the fix is restated for them.

/** The four files the `data-url` folder must serve. */
export const MNIST_GZ_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

/**
 * Rewords an error from loading MNIST for the element: what went wrong (the SDK's first sentence,
 * which names the file) and how to fix it through the `data-url` attribute.
 */
export function dataUrlError(cause: Error, dataUrl: string): Error {
  const problem = (cause.message ?? String(cause)).split(/\.\s+(?=[A-Z`])/)[0].replace(/\.$/, '');
  return new Error(
    `kerasm-mnist-demo: could not load MNIST from ${dataUrl}: ${problem}. ` +
      `Set the data-url attribute to a folder that serves the four gzip'd MNIST files (${MNIST_GZ_FILES.join(', ')}), ` +
      "or remove it to use the mnist/ folder beside the element's module.",
    { cause },
  );
}
