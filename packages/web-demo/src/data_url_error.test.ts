import { describe, expect, it } from 'vitest';
import { dataUrlError } from './data_url_error.js';

describe('dataUrlError', () => {
  const url = 'http://127.0.0.1:1234/nowhere/';

  it('keeps the problem and file, and names the data-url attribute and the .gz files as the fix', () => {
    const sdk = new Error(
      `Could not fetch MNIST file ${url}train-images-idx3-ubyte.gz: HTTP 404 Not Found. Check that \`url\` (${url}) serves the four uncompressed IDX files (a, b, c, d).`,
    );
    const message = dataUrlError(sdk, url).message;
    expect(message).toMatch(new RegExp(`^kerasm-mnist-demo: could not load MNIST from ${url}: Could not fetch MNIST file ${url}train-images-idx3-ubyte\\.gz: HTTP 404 Not Found\\. Set the data-url attribute`));
    expect(message).toContain("train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz");
    expect(message).not.toMatch(/uncompressed|`url`/);
  });

  it('rewords a network failure and a file that is not gzip the same way', () => {
    const network = dataUrlError(new Error(`Could not fetch MNIST file ${url}x.gz: Failed to fetch. Check that \`url\` is reachable.`), url).message;
    expect(network).toMatch(/: Failed to fetch\. Set the data-url attribute/);
    const notGzip = dataUrlError(new Error(`${url}x.gz is not a gzip file: it starts with bytes 3c 21, expected 1f 8b. Serve the gzip-compressed files there, or load the uncompressed ones without \`gzip: true\`.`), url).message;
    expect(notGzip).toMatch(/is not a gzip file: it starts with bytes 3c 21, expected 1f 8b\. Set the data-url/);
    expect(notGzip).not.toMatch(/uncompressed|gzip: true/);
  });
});
