/**
 * The one rule for what an id may contain, wherever an id arrives from outside (a path segment, a query value, a
 * client id, a channel id in a webhook URL), and the one rule for text that may reach the store.
 *
 * An id is 1 to 200 visible ASCII characters (U+0021 to U+007E): no spaces, no control characters, nothing outside
 * ASCII. Our own ids (UUIDs, `lbc_…` client ids) and the platforms' ids (Shopify and Magento numbers, eBay and
 * Amazon order ids like `12-34567-89012`, Shopify GIDs once percent-decoded) all fit.
 *
 * Text that reaches the store may not contain NUL (PostgreSQL text and jsonb cannot hold it) nor any other C0
 * control character except tab, line feed and carriage return, nor DEL or a C1 control character, nor a lone
 * surrogate (it cannot be encoded as UTF-8).
 */
import { z } from 'zod';

export const ID_MAX_LENGTH = 200;

const ID_PATTERN = /^[\x21-\x7e]{1,200}$/;
const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `value` is an acceptable id (see the rule above). */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** True when `value` holds a character that must never reach the store (NUL, other controls, lone surrogates). */
export function hasUnsafeText(value: string): boolean {
  return UNSAFE_TEXT.test(value);
}

/** `value` with every unsafe character replaced by U+FFFD (for text read tolerantly, e.g. a payload's topic). */
export function stripUnsafeText(value: string): string {
  return hasUnsafeText(value) ? value.replace(new RegExp(UNSAFE_TEXT.source, 'g'), '\ufffd') : value;
}

/** True when `value` holds NUL, which no PostgreSQL text or jsonb value can hold. */
export function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

/** zod type of an id, for route contracts. */
export const idString = z.string().regex(ID_PATTERN, 'an id is 1 to 200 visible ASCII characters (no spaces or control characters)');

/** zod type of free text that may be stored. */
export const safeText = z.string().refine((s) => !hasUnsafeText(s), 'text may not contain NUL or other control characters');

/**
 * The first unsafe string in a parsed JSON value (keys included), as a path like `settings.name`, or undefined.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findUnsafeText(value: unknown, unsafe: (text: string) => boolean = hasUnsafeText): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string };
    if (typeof current === 'string') {
      if (unsafe(current)) return path || '(root)';
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        if (unsafe(key)) return path ? `${path}.(a key)` : '(a key)';
        stack.push({ value: item, path: at });
      }
    }
  }
  return undefined;
}
