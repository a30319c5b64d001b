/**
 * Every class name a saved topology holds, at any depth: its layers', those of the layers wrapped
 * or nested in them, and the names of other classes (initializers, regularizers), which the layer
 * registry passes over. Keras and tfjs write `class_name`; kerasm's camelCase configs, `className`.
 */
export function topologyClassNames(topology: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if ((key === 'class_name' || key === 'className') && typeof inner === 'string') names.add(inner);
        else visit(inner);
      }
    }
  };
  visit(topology);
  return names;
}
