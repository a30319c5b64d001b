// `pnpm --filter @kerasm/web-demo bench`: serves the built bench page (no COOP/COEP, so every
// contender runs on one thread), opens it in Debian's headless Chromium and prints the medians.
// Options: BENCH_SAMPLES (default 10000), BENCH_REPS (default 3), --json.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const mounts = {
  '/tfjs-wasm/': join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'),
  '/mnist/': join(here, '..', 'public', 'mnist'),
  '/': join(here, 'dist'),
};
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
  const file = join(mounts[prefix], path.slice(prefix.length) || 'index.html');
  if (!file.startsWith(mounts[prefix]) || !existsSync(file)) return response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const samples = Number(process.env.BENCH_SAMPLES ?? 10000);
const reps = Number(process.env.BENCH_REPS ?? 3);
const browser = await chromium.launch({
  executablePath: process.env.KERASM_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => process.env.BENCH_VERBOSE && console.log('[page]', m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/?samples=${samples}&reps=${reps}`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 600000, polling: 1000 });
  const result = await page.evaluate(() => window.benchResult);
  if (result.error) throw new Error(`bench page failed: ${result.error}`);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
  } else {
    const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(`Chromium ${browser.version()}, ${samples} samples, kerasm kernels ${result.kernels}, cross-origin isolated: ${result.crossOriginIsolated}, tfjs-wasm SIMD: ${result.tfjsWasmSimd}, threads: ${result.tfjsWasmThreads}`);
    console.log('| | ' + result.runs.kerasm.map((_, i) => `rep ${i + 1}`).join(' | ') + ' | median |');
    console.log('| --- |' + ' --- |'.repeat(reps + 1));
    for (const [name, rates] of Object.entries(result.runs)) {
      console.log(`| ${name} | ${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(' | ')} | **${Math.round(median(rates)).toLocaleString('en-US')}** |`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
