import * as losses from '../losses/index.js';
import type { LossFunction } from '../losses/function_loss.js';
import { getLoss, isLossName, TFJS_LOSS_NAMES, type Loss } from '../losses/losses.js';
import { renameKeys, toCamelCase, toSnakeCase } from './keras_names.js';
import { isObject } from './layers_model_format.js';

import type { SavedLossEntry } from './types.js';

/** A loss as a training config holds it: a snake_case name (what tfjs reads) or Keras' `{class_name, config}`. */
export type SavedLoss = SavedLossEntry;

const CONFIGURED: Record<string, (config: Record<string, unknown>) => Loss> = {
  BinaryCrossentropy: (c) => losses.binaryCrossentropy(c),
  CategoricalCrossentropy: (c) => losses.categoricalCrossentropy(c),
  SparseCategoricalCrossentropy: (c) => losses.sparseCategoricalCrossentropy(c),
  Huber: (c) => losses.huber(c),
  BinaryFocalCrossentropy: (c) => losses.binaryFocalCrossentropy(c),
  CategoricalFocalCrossentropy: (c) => losses.categoricalFocalCrossentropy(c),
  Dice: (c) => losses.dice(c),
  Tversky: (c) => losses.tversky(c),
  CTC: (c) => losses.ctc(c as Record<string, never>),
};

// Keras' Dice and Tversky take their overlap over `axis` (every axis by default), which kerasm reads;
// the others reduce along the last axis only.
const OVERLAPS = new Set(['Dice', 'Tversky']);

/**
 * The saved form of one output's loss. Named losses are saved by name; a loss configured by
 * `km.losses` as Keras' `{class_name, config}` (which tfjs-layers cannot read); anything else
 * cannot be saved, and the error says which output's loss it is.
 */
export function savedLoss(loss: string | Loss | LossFunction, output: string): SavedLoss {
  if (typeof loss === 'function') {
    throw new Error(`Cannot save the training config: the loss of ${output} is the function '${loss.name}', whose code a model file cannot hold. Compile with a loss name or a loss from km.losses before saving, or compile again after loading.`);
  }
  // tfjs' own names stay as they are: tfjs-layers reads neither 'log_cosh' nor 'cosine_similarity'.
  if (typeof loss === 'string') return toSnakeCase(Object.hasOwn(TFJS_LOSS_NAMES, loss) ? loss : getLoss(loss).name);
  if (loss.savedAs) return { class_name: loss.savedAs.className, config: renameKeys(loss.savedAs.config, toSnakeCase) as Record<string, unknown> };
  if (isLossName(loss.name) && getLoss(loss.name) === loss) return toSnakeCase(loss.name);
  throw new Error(`Cannot save the training config: the loss of ${output} is a custom loss object ('${loss.name}') that kerasm has no saved form for. Compile with a loss name or a loss from km.losses before saving.`);
}

/**
 * The loss a saved entry describes (a name in either case, or a Keras class with its config);
 * throws, naming the loss as saved, for one kerasm does not have, so the model loads uncompiled.
 */
export function lossFromSaved(saved: unknown): string | Loss {
  if (typeof saved === 'string') {
    const name = [toCamelCase(saved), saved].find(isLossName);
    if (name === undefined) throw new Error(`its loss '${saved}' is not one kerasm has (a custom loss? see km.losses for those it has)`);
    return name;
  }
  if (isObject(saved) && typeof saved.class_name === 'string' && CONFIGURED[saved.class_name]) {
    const { name: _, reduction, axis, ...config } = renameKeys(saved.config ?? {}, toCamelCase) as Record<string, unknown>;
    // kerasm's losses average over the batch, Keras' default reduction.
    const overlap = OVERLAPS.has(saved.class_name);
    if ((reduction ?? 'sum_over_batch_size') !== 'sum_over_batch_size' || (!overlap && (axis ?? -1) !== -1)) {
      throw new Error(`the loss ${saved.class_name} has reduction=${JSON.stringify(reduction)}, axis=${JSON.stringify(axis)}; kerasm has only reduction 'sum_over_batch_size'${overlap ? '' : ' along axis -1'}`);
    }
    return CONFIGURED[saved.class_name](overlap && axis != null ? { ...config, axis } : config);
  }
  throw new Error(`a loss ${JSON.stringify(saved)} is neither a loss name nor one of ${Object.keys(CONFIGURED).join(', ')}`);
}
