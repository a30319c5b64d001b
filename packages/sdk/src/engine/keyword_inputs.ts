import type { Layer } from '../layers/layer.js';

/** The options `apply` takes on every layer, whatever keyword inputs the layer declares. */
const PLAIN_OPTIONS: readonly string[] = ['training'];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;
}

/**
 * Splits `apply`'s options into its keyword inputs' tensors, in the order the layer declares its
 * keywords (`Layer.keywordInputs`), and the plain options (`training`). A keyword the layer does not
 * take is an error naming the ones it takes, so `initialState` given to a Dense is not ignored.
 */
export function keywordTensors(layer: Layer, options: unknown): { tensors: unknown[]; rest: Record<string, unknown> | undefined } {
  if (options === undefined || options === null || typeof options !== 'object' || Array.isArray(options)) return { tensors: [], rest: options as undefined };
  const keywords = layer.keywordInputs;
  const rest: Record<string, unknown> = {};
  const given = new Map<string, unknown>();
  for (const [key, value] of Object.entries(options)) {
    if (keywords.includes(key)) given.set(key, value);
    else if (PLAIN_OPTIONS.includes(key) || !looksLikeTensors(value)) rest[key] = value;
    else {
      const takes = keywords.length > 0 ? `It takes the keyword input${keywords.length > 1 ? 's' : ''} ${keywords.map((k) => `'${k}'`).join(', ')}.` : 'It takes no keyword inputs.';
      throw new Error(
        `Layer '${layer.name}' (${layer.className}).apply received the keyword input '${key}' (${describe(value)}), which this layer does not take. ${takes} ` +
          `Pass '${key}' only to a layer that declares it (initialState: to lstm, gru, simpleRNN or bidirectional; attentionMask: to multiHeadAttention or groupQueryAttention), or pass the tensor as a positional input.`,
      );
    }
  }
  const tensors = keywords.flatMap((key) => {
    const value = given.get(key);
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  });
  return { tensors, rest: Object.keys(rest).length > 0 ? rest : undefined };
}

// Anything but plain data is treated as a would-be keyword input; plain values fall to the option check.
function looksLikeTensors(value: unknown): boolean {
  const list = Array.isArray(value) ? value : [value];
  return list.length > 0 && list.every((v) => typeof v === 'object' && v !== null && 'shape' in v);
}
