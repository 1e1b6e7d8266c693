/**
 * JSON Merge Patch (RFC 7396): a patch object's keys replace the target's; `null` deletes a key; nested objects
 * merge the same way; anything that is not an object (arrays included) replaces the target's value whole.
 * Pure; never changes its inputs.
 */
export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** applyMergePatch for objects (channel settings, secrets): the result is always an object. */
export function mergeObjects(target: JsonObject | null | undefined, patch: JsonObject): JsonObject {
  return applyMergePatch(target ?? {}, patch) as JsonObject;
}
