// What km.serialization.registerClass registered each class as, kept apart from serialization.ts
// (which imports the model classes) so that saving can check a layer's className without a cycle.
import type { Layer } from '../layers/layer.js';

/** A class's registration: the class name its layers save, and tfjs' package (`'Custom'` unless given). */
export interface RegisteredClass {
  className: string;
  pkg: string;
}

const registered = new Map<object, RegisteredClass>();

/** Records that `cls` was registered as `entry`, replacing an earlier registration. */
export function recordRegisteredClass(cls: object, entry: RegisteredClass): void {
  registered.set(cls, entry);
}

/** What `cls` was registered as, if it was. */
export function registeredClass(cls: object): RegisteredClass | undefined {
  return registered.get(cls);
}

/**
 * Throws when saving (or cloning) a layer of a class registerClass registered whose `className` is
 * not the registered name: the file would name another class, and loading would make a layer of
 * that class. A wrapper's layers are checked too, since its config holds theirs.
 */
export function checkRegisteredClassName(layer: Layer, action: 'saved' | 'cloned' = 'saved'): void {
  for (const inner of layer.ownedLayers) checkRegisteredClassName(inner, action);
  const cls = layer.constructor;
  const className = registered.get(cls)?.className;
  if (className === undefined || layer.className === className) return;
  const made = action === 'saved' ? 'the name the file would record, so loading would make' : 'the class cloneModel makes anew, so the clone would be';
  throw new Error(
    `Layer '${layer.name}' cannot be ${action}: its class ${cls.name} is registered as '${className}', but the layer's className is ${JSON.stringify(layer.className)}, ${made} ${layer.className === undefined ? 'no layer' : `a layer of class ${layer.className}`} instead. ` +
      `Add \`override readonly className = '${className}';\` to ${cls.name} (a subclass inherits its parent's className; tfjs' static className alone does not set it).`,
  );
}
