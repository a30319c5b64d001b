// The km.layers factories of Keras 3's GroupNormalization and UnitNormalization, each checking its options.
import { checkOptions } from '../utils/options.js';
import { GroupNormalization, type GroupNormalizationArgs } from './group_normalization.js';
import { GROUP_NORMALIZATION_OPTIONS, UNIT_NORMALIZATION_OPTIONS } from './layer_options.js';
import { UnitNormalization, type UnitNormalizationArgs } from './unit_normalization.js';

/**
 * Normalises each sample's channel groups (last axis split into `groups`) over all positions, as Keras 3's
 * GroupNormalization; `groups: -1` is instance normalization.
 * @example `km.layers.groupNormalization({ groups: 8 })`
 */
export function groupNormalization(args?: GroupNormalizationArgs): GroupNormalization {
  checkOptions(args, GROUP_NORMALIZATION_OPTIONS, 'km.layers.groupNormalization');
  return new GroupNormalization(args);
}

/**
 * Scales each sample to unit L2 norm along `axis` (default -1), as Keras 3's UnitNormalization.
 * @example `km.layers.unitNormalization({ axis: -1 })`
 */
export function unitNormalization(args?: UnitNormalizationArgs): UnitNormalization {
  checkOptions(args, UNIT_NORMALIZATION_OPTIONS, 'km.layers.unitNormalization');
  return new UnitNormalization(args);
}

export { GroupNormalization, UnitNormalization, type GroupNormalizationArgs, type UnitNormalizationArgs };
