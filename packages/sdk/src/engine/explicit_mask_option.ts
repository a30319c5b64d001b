import type { Layer } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { likelyMeant } from '../utils/options.js';
import { APPLY_OPTIONS, describe, type LayerApplyArgs } from './concrete_apply.js';
import { SymbolicTensor } from './symbolic.js';

// `apply`'s `mask` option (Keras' `layer(x, mask=m)`) read apart from its other options, on symbolic
// tensors and on data alike.

/** Masks given explicitly to a call: the tensors, and the input each is for where a list gave some input none. */
export interface ExplicitMasks {
  readonly masks: unknown[];
  /** Absent: the first `masks.length` inputs, in order. */
  readonly maskedInputs?: readonly number[];
  readonly others: unknown;
}

/**
 * Splits `apply`'s options into the masks given explicitly (`mask`, a tensor or a list) and the
 * rest; anything but tensors in `mask` is an error naming what was received. A layer with a mask
 * list ({@link Layer.explicitMaskList}: the attention layers) takes a list of at least two entries,
 * null for an input given none, as Keras' `mask=[None, value_mask]`.
 */
export function explicitMasks(layer: Layer, options: unknown): ExplicitMasks {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return { masks: [], others: options };
  if (!('mask' in options)) {
    refuseMaskTypo(layer, options);
    return { masks: [], others: options };
  }
  const { mask, ...others } = options as LayerApplyArgs;
  const rest = Object.keys(others).length > 0 ? others : undefined;
  if (mask === undefined || mask === null) return { masks: [], others: rest };
  const where = `Layer '${layer.name}' (${layer.className}).apply`;
  const list = layer.explicitMaskList;
  if (list && (!Array.isArray(mask) || mask.length < 2)) {
    throw new Error(
      `${where}: an attention layer's mask is a list with an entry per input, [${list.join(', ')}] (${list.length > 2 ? "Keras 3's query_mask, value_mask and key_mask" : "Keras' mask=[query_mask, value_mask]"}), null for an input given no mask, so a lone mask is not taken for one of them. ` +
        `To mask the value's padding only, pass { mask: [null, valueMask] }. Received: mask=${Array.isArray(mask) ? `a list of ${mask.length}` : describe(mask)}.`,
    );
  }
  const entries: unknown[] = Array.isArray(mask) ? mask : [mask];
  const absent = (m: unknown) => list !== null && (m === null || m === undefined);
  const bad = entries.findIndex((m) => !absent(m) && !(m instanceof SymbolicTensor) && !(m instanceof Tensor));
  if (entries.length === 0 || bad >= 0) {
    throw new Error(
      `${where}: mask must be a tensor of one value per step (a symbolic tensor such as km.input({ shape: [steps] }), or km.Tensor data of shape [batch, steps]), or a list of them for an attention layer. ` +
        `Received: mask=${entries.length === 0 ? 'an empty list' : Array.isArray(mask) ? `a list whose entry ${bad} is ${describe(entries[bad])}` : describe(entries[bad])}.`,
    );
  }
  const given = entries.flatMap((m, k) => (absent(m) ? [] : [k]));
  if (given.length === 0) {
    throw new Error(`${where}: every entry of the mask list is null, so it masks nothing. Leave mask out to use the masks the inputs carry (if any), or give at least one entry. Received: mask=[${entries.map(String).join(', ')}].`);
  }
  const masks = given.map((k) => entries[k]);
  // The input each mask is for needs saying only where a null came before a mask.
  return given.every((input, k) => input === k) ? { masks, others: rest } : { masks, maskedInputs: given, others: rest };
}

/** Throws for an option that is a misspelt `mask` (`masks`), which would otherwise read as an unknown keyword input. */
function refuseMaskTypo(layer: Layer, options: object): void {
  const known = ['mask', ...APPLY_OPTIONS, ...layer.keywordInputs];
  const typo = Object.keys(options).find((key) => !known.includes(key) && likelyMeant(key, known) === 'mask');
  if (typo !== undefined) {
    throw new Error(`Layer '${layer.name}' (${layer.className}).apply has no option '${typo}'; did you mean 'mask'? Its options are: ${known.join(', ')}.`);
  }
}
