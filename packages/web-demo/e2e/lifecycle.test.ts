// The element's life on a page: its worker lives while it is in the document (calls outside it are
// refused, removal ends the worker, a move keeps it), stop() at any time, and the errors a page
// author meets first (a bad data-url, out-of-range pixels), in a bare page without COOP/COEP.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchChromium, PACKAGE_DIR } from './browser.js';
import { serveStatic, type StaticServer } from './static_server.js';

let server: StaticServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];

const REMOVED = 'kerasm-mnist-demo: the element was removed from the page, which ended its training worker and model. Add it back and call train() (or load()) again.';
type ErrorDetail = { name: string; message: string };

/** Counts the workers the page starts while `body` runs. */
async function countingWorkers<T>(body: () => Promise<T>): Promise<{ result: T; started: number }> {
  let started = 0;
  const onWorker = () => started++;
  page.on('worker', onWorker);
  try {
    const result = await body();
    return { result, started };
  } finally {
    page.off('worker', onWorker);
  }
}

beforeAll(async () => {
  server = await serveStatic({ '/': join(PACKAGE_DIR, 'e2e', 'embed'), '/node_modules/@kerasm/web-demo/': DIST_DIR }, false);
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => customElements.get('kerasm-mnist-demo') !== undefined);
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('<kerasm-mnist-demo> on a page', () => {
  it('ends a train() stopped at once, before any batch, with an empty History', async () => {
    const result = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      let batches = 0;
      demo.addEventListener('batchend', () => batches++);
      const run = demo.train();
      demo.stop();
      const history = await run;
      return { history, batches, training: demo.training, status: demo.shadowRoot!.querySelector('.status')!.textContent };
    });
    expect(result).toEqual({ history: { epoch: [], history: {} }, batches: 0, training: false, status: 'Stopped before the first batch: nothing was trained.' });
  });

  it('says which data-url failed and how to fix it through the attribute', async () => {
    const message = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      demo.setAttribute('data-url', '/nowhere/');
      const result = await demo.train().then(() => 'resolved', (e: Error) => e.message);
      demo.removeAttribute('data-url');
      return result;
    });
    expect(message).toMatch(/^kerasm-mnist-demo: could not load MNIST from http:\/\/127\.0\.0\.1:\d+\/nowhere\/: Could not fetch MNIST file .*nowhere\/train-images-idx3-ubyte\.gz: HTTP 404/);
    expect(message).toMatch(/Set the data-url attribute to a folder that serves the four gzip'd MNIST files \(train-images-idx3-ubyte\.gz, /);
    expect(message).not.toMatch(/uncompressed|`url`/);
  });

  it('rejects predict() pixels outside [0, 1] and NaN, naming the value', async () => {
    const messages = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      const caught = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => e.message);
      return [await caught(demo.predict(new Float32Array(784).fill(255))), await caught(demo.predict(new Float32Array(784).fill(NaN)))];
    });
    expect(messages[0]).toMatch(/^kerasm-mnist-demo: predict\(\) takes pixel values in \[0, 1\] .*Received: 255 at index 0\. Divide 0-255 bytes by 255/);
    expect(messages[1]).toMatch(/Received: NaN at index 0/);
  });

  it('exposes the drawing pad to assistive technology as a named image', async () => {
    await expect(page.getByRole('img', { name: /^Drawing pad/ }).count()).resolves.toBe(1);
  });

  it('draws from synthetic pointer events, which have no pointer to capture', async () => {
    await page.evaluate(() => {
      const pad = document.querySelector('kerasm-mnist-demo')!.shadowRoot!.querySelector('canvas.pad')!;
      const { left, top } = pad.getBoundingClientRect();
      for (const [type, x] of [['pointerdown', 60], ['pointermove', 120], ['pointerup', 120]] as const) {
        pad.dispatchEvent(new PointerEvent(type, { pointerId: 7, clientX: left + x, clientY: top + 60, bubbles: true }));
      }
    });
    // The stroke reached the pad, which asks for a trained model before predicting.
    await expect.poll(() => page.locator('kerasm-mnist-demo .status').textContent()).toBe('Train the model first, then the pad predicts what you draw.');
    expect(pageErrors).toEqual([]);
  });

  it('ends the worker of a demo removed from the page', async () => {
    await expect.poll(() => page.workers().length).toBe(1);
    await page.evaluate(async () => {
      for (let i = 0; i < 5; i++) {
        const demo = document.createElement('kerasm-mnist-demo');
        document.body.append(demo);
        await new Promise((resolve) => setTimeout(resolve, 200));
        demo.remove();
      }
    });
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(1);
  });

  it('refuses calls on a demo never added to the page, starting no worker, and works once added', async () => {
    const before = page.workers().length;
    const { result, started } = await countingWorkers(() =>
      page.evaluate(async () => {
        const demo = document.createElement('kerasm-mnist-demo');
        const events: ErrorDetail[] = [];
        demo.addEventListener('error', (e) => events.push((e as unknown as CustomEvent<ErrorDetail>).detail));
        const caught = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
        const calls = await Promise.all([caught(demo.train()), caught(demo.predict(new Float32Array(784))), caught(demo.save()), caught(demo.load())]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        (window as unknown as { detached: Element }).detached = demo;
        return { calls, events, training: demo.training };
      }),
    );
    expect(started).toBe(0);
    expect(result.calls).toHaveLength(4);
    result.calls.forEach((call, i) => {
      const method = ['train()', 'predict()', 'save()', 'load()'][i];
      expect(call).toBe(`InvalidStateError: kerasm-mnist-demo: ${method} needs the element in the document, where its training worker runs (a removal ends it). Append it first, e.g. document.body.append(demo), then call ${method} again.`);
    });
    expect(result.events).toEqual(result.calls.map((call) => ({ name: 'InvalidStateError', message: call.replace(/^InvalidStateError: /, '') })));
    expect(result.training).toBe(false);

    // Once added it has a worker and answers; a call right after removing it is refused too.
    const added = await countingWorkers(() =>
      page.evaluate(async () => {
        const demo = (window as unknown as { detached: HTMLElementTagNameMap['kerasm-mnist-demo'] }).detached;
        document.body.append(demo);
        const caught = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
        const untrained = await caught(demo.predict(new Float32Array(784)));
        demo.remove();
        return { untrained, afterRemoval: await caught(demo.train()) };
      }),
    );
    expect(added.started).toBe(1);
    expect(added.result.untrained).toMatch(/^Error: predict\(\) needs a trained model/);
    expect(added.result.afterRemoval).toMatch(/^InvalidStateError: kerasm-mnist-demo: train\(\) needs the element in the document/);
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(before);
  });

  it('reports a removal that cuts calls short like other failures: AbortError and one error event', async () => {
    const result = await page.evaluate(async () => {
      const demo = document.createElement('kerasm-mnist-demo');
      document.body.append(demo);
      const events: ErrorDetail[] = [];
      demo.addEventListener('error', (e) => events.push((e as unknown as CustomEvent<ErrorDetail>).detail));
      const caught = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
      const pending = [caught(demo.predict(new Float32Array(784))), caught(demo.save())];
      demo.remove();
      const rejected = await Promise.all(pending);
      const onRemoval = events.splice(0);
      // Removed with nothing pending, nothing failed: no event.
      document.body.append(demo);
      await new Promise((resolve) => setTimeout(resolve, 300));
      demo.remove();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { rejected, onRemoval, later: events };
    });
    expect(result).toEqual({ rejected: [`AbortError: ${REMOVED}`, `AbortError: ${REMOVED}`], onRemoval: [{ name: 'AbortError', message: REMOVED }], later: [] });
  });

  it('keeps its worker and run when moved to another parent mid-training, without probing again', async () => {
    const { result, started } = await countingWorkers(() =>
      page.evaluate(async () => {
        const [a, b] = [document.createElement('div'), document.createElement('div')];
        document.body.append(a, b);
        const demo = document.createElement('kerasm-mnist-demo');
        for (const [name, value] of [['train-samples', '1000'], ['batch-size', '50'], ['epochs', '1']]) demo.setAttribute(name, value);
        a.append(demo);
        const support = demo.shadowRoot!.querySelector('.backend-support')!;
        while (!support.textContent!.startsWith('WASM')) await new Promise((resolve) => setTimeout(resolve, 50));
        // A second probe would overwrite this.
        support.textContent = 'probed once';
        const errors: ErrorDetail[] = [];
        demo.addEventListener('error', (e) => errors.push((e as unknown as CustomEvent<ErrorDetail>).detail));
        const run = demo.train();
        await new Promise((resolve) => demo.addEventListener('batchend', resolve, { once: true }));
        b.append(demo); // disconnected, then connected
        (b as unknown as { moveBefore(node: Node, child: Node | null): void }).moveBefore(demo, null);
        a.append(demo);
        const history = await run;
        await new Promise((resolve) => setTimeout(resolve, 300));
        const seen = { epochs: history.epoch, errors, support: support.textContent, inA: demo.parentElement === a, training: demo.training };
        a.remove();
        b.remove();
        return seen;
      }),
    );
    expect(result).toEqual({ epochs: [0], errors: [], support: 'probed once', inA: true, training: false });
    expect(started).toBe(1);
  });

  it('stops a run when removed mid-training, rejecting train(), and trains again when added back', async () => {
    const removed = await page.evaluate(async () => {
      const demo = document.createElement('kerasm-mnist-demo');
      demo.id = 'second';
      for (const [name, value] of [['train-samples', '3000'], ['batch-size', '10'], ['epochs', '2']]) demo.setAttribute(name, value);
      document.body.append(demo);
      let afterRemoval = 0;
      let gone = false;
      demo.addEventListener('batchend', () => gone && afterRemoval++);
      const errors: ErrorDetail[] = [];
      demo.addEventListener('error', (e) => errors.push((e as unknown as CustomEvent<ErrorDetail>).detail));
      const run = demo.train().then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
      await new Promise((resolve) => demo.addEventListener('batchend', resolve, { once: true }));
      demo.remove();
      gone = true;
      const message = await run;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      (window as unknown as { second: Element }).second = demo;
      return { message, errors, afterRemoval, training: demo.hasAttribute('training') };
    });
    expect(removed).toEqual({ message: `AbortError: ${REMOVED}`, errors: [{ name: 'AbortError', message: REMOVED }], afterRemoval: 0, training: false });
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(1);

    const again = await page.evaluate(async () => {
      const demo = (window as unknown as { second: HTMLElementTagNameMap['kerasm-mnist-demo'] }).second;
      for (const [name, value] of [['train-samples', '500'], ['batch-size', '100'], ['epochs', '1']]) demo.setAttribute(name, value);
      document.body.append(demo);
      const history = await demo.train();
      return { epochs: history.epoch, probabilities: (await demo.predict(new Float32Array(784))).length };
    });
    expect(again).toEqual({ epochs: [0], probabilities: 10 });
    expect(page.workers()).toHaveLength(2);
  });
});
