/** Scopes a partner client can hold; a token carries a subset, and each route requires some. */
export const PARTNER_SCOPES = [
  'connections:read',
  'connections:write',
  'channels:read',
  'channels:write',
  'sync:read',
  'sync:write',
] as const;

export type PartnerScope = (typeof PARTNER_SCOPES)[number];

export function isPartnerScope(value: string): value is PartnerScope {
  return (PARTNER_SCOPES as readonly string[]).includes(value);
}

/** Splits an OAuth scope string ("a b  c") into distinct names, in order. */
export function splitScopes(text: string): string[] {
  return [...new Set(text.split(' ').filter((s) => s !== ''))];
}
