// Registers a module-resolution hook that reports every resolved module URL to the parent process.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
globalThis.resolvedModules = [];
port1.on('message', (url) => globalThis.resolvedModules.push(url));
port1.unref();
register('./trace_imports_hook.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
