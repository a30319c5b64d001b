// Shows which backends run in this browser: unsupported choices are disabled and say why.
import { BACKEND_CHOICES, type BackendSupport } from './protocol.js';

const LABELS: Record<string, string> = { wasm: 'WASM', 'tfjs-webgl': 'WebGL', 'tfjs-webgpu': 'WebGPU' };

/** Marks the select's options by what runs here and writes a one-line summary into `summary`. */
export function showBackendSupport(select: HTMLSelectElement, summary: HTMLElement, support: BackendSupport): void {
  for (const option of Array.from(select.options)) {
    const entry = support[option.value as keyof BackendSupport];
    if (!entry || entry.available) continue;
    // A re-added element probes again with a fresh worker: mark each option once.
    if (option.disabled) continue;
    option.disabled = true;
    option.textContent += ' – not supported here';
    option.title = entry.reason ?? '';
  }
  summary.textContent = BACKEND_CHOICES.map((name) => `${LABELS[name]} ${support[name].available ? 'yes' : `no (${support[name].reason})`}`).join(' · ');
}
