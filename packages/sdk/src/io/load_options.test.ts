// km.loadLayersModel(url, options) takes tfjs' LoadOptions, checked against a real HTTP server.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

const x = km.tensor([[1, 2, 3], [-1, 0.5, 0]]);
const TOKEN = 'Bearer s3cret';

let server: Server;
let base: string;
/** Each request the server got: its URL and headers. */
const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
const files = new Map<string, Buffer>();
let artifacts: km.io.ModelArtifacts;
let wanted: number[];

function predicts(model: km.LayersModel): number[] {
  return Array.from(model.predict(x).dataSync());
}

/** The weights split over two files of two groups, so that progress has four steps. */
function modelJson(paths: [string, string]): Buffer {
  const [kernel, bias] = artifacts.weightSpecs!;
  return Buffer.from(JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: [paths[0]], weights: [kernel] }, { paths: [paths[1]], weights: [bias] }] }));
}

beforeAll(async () => {
  await km.ready();
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push({ url, headers: req.headers });
    if (url.startsWith('/secure/') && req.headers.authorization !== TOKEN) return void res.writeHead(req.headers.authorization ? 403 : 401).end();
    if (url.startsWith('/forbidden/')) return void res.writeHead(403).end();
    if (url.startsWith('/upload')) return void res.writeHead(401).end();
    const body = files.get(url);
    res.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  km.utils.setRandomSeed(11);
  const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2, activation: 'sigmoid', name: 'd' })]);
  artifacts = await km.io.modelArtifacts(model);
  wanted = predicts(model);
  const bytes = Buffer.from(artifacts.weightData as ArrayBuffer);
  const [kernelBytes, biasBytes] = [bytes.subarray(0, 24), bytes.subarray(24)];
  for (const folder of ['m', 'secure', 'q']) {
    files.set(`/${folder}/model.json${folder === 'q' ? '?token=abc' : ''}`, modelJson(['k.bin', 'b.bin']));
    files.set(`/${folder}/k.bin${folder === 'q' ? '?token=abc' : ''}`, kernelBytes);
    files.set(`/${folder}/b.bin${folder === 'q' ? '?token=abc' : ''}`, biasBytes);
  }
  // Weights kept away from model.json, as on a CDN.
  files.set('/p/model.json', modelJson(['k.bin', 'b.bin']));
  files.set('/cdn/w/k.bin', kernelBytes);
  files.set('/cdn/w/b.bin', biasBytes);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function since(start: number): { url: string; headers: IncomingHttpHeaders }[] {
  return requests.slice(start);
}

describe('HTTP options of loadLayersModel(url, options)', () => {
  it('sends requestInit headers with model.json and every weight file', async () => {
    const start = requests.length;
    const model = await km.loadLayersModel(`${base}/secure/model.json`, { requestInit: { headers: { Authorization: TOKEN } } });
    expect(predicts(model)).toEqual(wanted);
    const got = since(start);
    expect(got.map((r) => r.url).sort()).toEqual(['/secure/b.bin', '/secure/k.bin', '/secure/model.json']);
    expect(got.every((r) => r.headers.authorization === TOKEN)).toBe(true);
  });

  it('says to pass credentials with requestInit when the server answers 401 or 403', async () => {
    await expect(km.loadLayersModel(`${base}/secure/model.json`)).rejects.toThrow(
      `Fetching model.json from ${base}/secure/model.json failed with HTTP 401 Unauthorized. The server wants credentials: pass them with km.loadLayersModel(url, { requestInit: { headers: { Authorization: 'Bearer <token>' } } }) (or km.io.http(url, { requestInit })).`,
    );
    await expect(km.loadLayersModel(`${base}/forbidden/model.json`)).rejects.toThrow(/HTTP 403 Forbidden\. The server refused access; if it needs credentials: pass them with km\.loadLayersModel\(url, \{ requestInit: \{ headers:/);
    await expect(km.loadLayersModel(`${base}/secure/model.json`, { requestInit: { headers: { Authorization: 'Bearer wrong' } } })).rejects.toThrow(
      /HTTP 403 Forbidden\. The server refused the credentials in requestInit\.headers: check that they are valid and allow reading this URL\.$/,
    );
    const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2 })]);
    await expect(model.save(`${base}/upload`)).rejects.toThrow(/HTTP 401 Unauthorized\. The server wants credentials: pass them with model\.save\(km\.io\.http\(url, \{ requestInit: \{ headers:/);
    // A missing file still points at the URL.
    await expect(km.loadLayersModel(`${base}/absent/model.json`)).rejects.toThrow(/failed with HTTP 404 Not Found\. Check the URL\.$/);
  });

  it('reports progress with growing fractions that end at 1', async () => {
    const fractions: number[] = [];
    const model = await km.loadLayersModel(`${base}/m/model.json`, { onProgress: (f) => fractions.push(f) });
    expect(predicts(model)).toEqual(wanted);
    expect(fractions).toEqual([0.25, 0.5, 0.75, 1]);
    // A model without weight files reports 1 once, where tfjs 4.22 throws.
    const topology = { class_name: 'Sequential', config: { name: 'flat', layers: [{ class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 3] } }] } };
    files.set('/empty/model.json', Buffer.from(JSON.stringify({ modelTopology: topology, weightsManifest: [] })));
    const empty: number[] = [];
    await km.loadLayersModel(`${base}/empty/model.json`, { onProgress: (f) => empty.push(f) });
    expect(empty).toEqual([1]);
  });

  it('fetches weights from weightPathPrefix, joined as is as in tfjs', async () => {
    const start = requests.length;
    const model = await km.loadLayersModel(`${base}/p/model.json`, { weightPathPrefix: `${base}/cdn/w/` });
    expect(predicts(model)).toEqual(wanted);
    expect(since(start).map((r) => r.url).sort()).toEqual(['/cdn/w/b.bin', '/cdn/w/k.bin', '/p/model.json']);
    await expect(km.loadLayersModel(`${base}/p/model.json`, { weightPathPrefix: `${base}/cdn/w` })).rejects.toThrow(
      new RegExp(`from ${base}/cdn/wk\\.bin failed with HTTP 404 Not Found\\. Check the URL\\. weightPathPrefix '${base}/cdn/w' is joined to each file name as is, as in tfjs; did you mean '${base}/cdn/w/'\\?`),
    );
  });

  it('asks weightUrlConverter for each URL, and fetches with fetchFunc', async () => {
    const asked: string[] = [];
    const fetched: [string, unknown][] = [];
    const fetchFunc = ((url: string, init?: RequestInit, details?: unknown) => {
      fetched.push([url, details]);
      return fetch(url, init);
    }) as typeof fetch;
    const weightUrlConverter = async (name: string) => (asked.push(name), `${base}/cdn/w/${name}`);
    const model = await km.loadLayersModel(`${base}/p/model.json`, { fetchFunc, weightUrlConverter });
    expect(predicts(model)).toEqual(wanted);
    expect(asked).toEqual(['k.bin', 'b.bin']);
    // Weight files are fetched with tfjs' RequestDetails, { isBinary: true }.
    expect(fetched).toEqual([[`${base}/p/model.json`, undefined], [`${base}/cdn/w/k.bin`, { isBinary: true }], [`${base}/cdn/w/b.bin`, { isBinary: true }]]);
  });

  it("adds the model URL's query string to each weight URL, as tfjs does", async () => {
    const start = requests.length;
    expect(predicts(await km.loadLayersModel(`${base}/q/model.json?token=abc`))).toEqual(wanted);
    expect(since(start).map((r) => r.url).sort()).toEqual(['/q/b.bin?token=abc', '/q/k.bin?token=abc', '/q/model.json?token=abc']);
    expect(predicts(await km.loadLayersModel(`${base}/q?token=abc`))).toEqual(wanted);
  });

  it('km.io.http takes the same options', async () => {
    const fractions: number[] = [];
    const handler = km.io.http(`${base}/secure/model.json`, { requestInit: { headers: { Authorization: TOKEN } }, onProgress: (f) => fractions.push(f) });
    expect(predicts(await km.loadLayersModel(handler))).toEqual(wanted);
    expect(fractions.at(-1)).toBe(1);
  });
});

describe('loadLayersModel options that do not apply', () => {
  it('refuses HTTP options with a handler, naming where they go', async () => {
    await expect(km.loadLayersModel(km.io.fromMemory(artifacts), { requestInit: { headers: { Authorization: TOKEN } } })).rejects.toThrow(
      "loadLayersModel: requestInit applies only to a URL loadLayersModel fetches itself; a km.io handler loads by itself, and tfjs would ignore it here. Give it to the handler when you make it, km.io.http(url, { requestInit }), or pass the URL: loadLayersModel(url, { requestInit }).",
    );
    await expect(km.loadLayersModel(km.io.fromMemory(artifacts), { onProgress: () => {}, weightPathPrefix: '/w/' })).rejects.toThrow(/^loadLayersModel: onProgress, weightPathPrefix apply only to a URL/);
    // undefined is no option, as a spread of optional settings gives.
    expect(predicts(await km.loadLayersModel(km.io.fromMemory(artifacts), { requestInit: undefined }))).toEqual(wanted);
  });

  it('refuses HTTP options with a file path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'km-load-options-'));
    try {
      await (await km.loadLayersModel(km.io.fromMemory(artifacts))).save(`file://${dir}`);
      await expect(km.loadLayersModel(`file://${dir}/model.json`, { requestInit: { headers: { Authorization: TOKEN } } })).rejects.toThrow(
        `loadLayersModel: requestInit is an HTTP option, but 'file://${dir}/model.json' is not fetched over HTTP (it is not an http:// or https:// URL). Remove it, or pass the model's http(s) URL.`,
      );
      await expect(km.loadLayersModel(dir, { fetchFunc: fetch })).rejects.toThrow(/fetchFunc is an HTTP option, but '.*' is not fetched over HTTP/);
      expect(predicts(await km.loadLayersModel(`file://${dir}/model.json`, { strict: true }))).toEqual(wanted);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses unknown options, naming the one meant, and options of the wrong type', async () => {
    const url = `${base}/m/model.json`;
    await expect(km.loadLayersModel(url, { requestinit: {} } as never)).rejects.toThrow(
      "loadLayersModel has no option 'requestinit'; did you mean 'requestInit'? Its options are: requestInit, fetchFunc, onProgress, weightPathPrefix, weightUrlConverter, strict, inputShapes.",
    );
    await expect(km.loadLayersModel(url, { on_progress: () => {} } as never)).rejects.toThrow(/no option 'on_progress'; did you mean 'onProgress'\?/);
    await expect(km.loadLayersModel(url, { strict: 'yes' } as never)).rejects.toThrow('loadLayersModel: strict must be true or false. Received: strict="yes".');
    await expect(km.loadLayersModel(url, { onProgress: 0.5 } as never)).rejects.toThrow('loadLayersModel: onProgress must be a function. Received: onProgress=0.5.');
    await expect(km.loadLayersModel(url, { requestInit: { body: 'x' } })).rejects.toThrow(/requestInit may not have a body, as in tfjs/);
    await expect(km.loadLayersModel(url, { fromTFHub: true } as never)).rejects.toThrow(/does not take fromTFHub: true\. fromTFHub finds a TF Hub graph model; load that with km\.loadGraphModel/);
    await expect(km.loadLayersModel(url, { streamWeights: true } as never)).rejects.toThrow(/does not take streamWeights: true/);
    // tfjs' defaults for graph models change nothing here, so they are accepted.
    expect(predicts(await km.loadLayersModel(url, { streamWeights: false, fromTFHub: false } as never))).toEqual(wanted);
    expect(() => km.io.http(url, { strict: false } as never)).toThrow(/km\.io\.http has no option 'strict'/);
  });
});

describe('strict, as tfjs defines it', () => {
  const [kernel, bias] = [() => artifacts.weightSpecs![0], () => artifacts.weightSpecs![1]];
  const data = () => new Uint8Array(artifacts.weightData as ArrayBuffer);

  it('by default every weight must match, and false ignores missing and unused ones', async () => {
    const extra = { ...artifacts, weightSpecs: [kernel(), bias(), { name: 'other/bias', shape: [2], dtype: 'float32' }], weightData: new Uint8Array([...data(), ...new Uint8Array(8)]).buffer };
    await expect(km.loadLayersModel(km.io.fromMemory(extra))).rejects.toThrow(/weights manifest has weights no layer uses: other\/bias/);
    expect(predicts(await km.loadLayersModel(km.io.fromMemory(extra), { strict: false }))).toEqual(wanted);

    const missing = { ...artifacts, weightSpecs: [kernel()], weightData: data().slice(0, 24).buffer };
    await expect(km.loadLayersModel(km.io.fromMemory(missing), { strict: true })).rejects.toThrow(/weight 'd\/bias' of layer 'd' \(Dense\) is missing from the weights manifest/);
    const loose = await km.loadLayersModel(km.io.fromMemory(missing), { strict: false });
    const [k, b] = loose.getWeights();
    expect(Array.from(k.dataSync())).toEqual(Array.from(new Float32Array(artifacts.weightData as ArrayBuffer, 0, 6)));
    expect(Array.from(b.dataSync())).toEqual([0, 0]); // the bias initializer's zeros
  });

  it('false still refuses a weight of another shape, as tfjs does', async () => {
    const reshaped = { ...artifacts, weightSpecs: [{ ...kernel(), shape: [2, 3] }, bias()] };
    await expect(km.loadLayersModel(km.io.fromMemory(reshaped), { strict: false })).rejects.toThrow(
      /weight 'd\/kernel' has shape \[2, 3\] in the manifest, but layer 'd' \(Dense\) expects \[3, 2\].*strict: false skips missing and unused weights, not ones of another shape/,
    );
  });
});
