/**
 * SuiteScriptError as scripts see it (reference/netsuite-platform.md 1.3): a plain object, not a JS Error, with
 * `type: 'error.SuiteScriptError'`, `name` (the code), `message`, `id`, `cause` and `stack` (an array of frames).
 * The emulator raises every platform error this way so scripts can branch on `e.name` as they do in NetSuite.
 */
import { NsError } from '../records/types';

export interface SuiteScriptErrorCause {
  type: string;
  code: string;
  details: string;
  userEvent: string | null;
  stackTrace: string[];
  notifyOff: boolean;
}

export class SuiteScriptError {
  readonly type: string = 'error.SuiteScriptError';
  readonly name: string;
  readonly message: string;
  readonly id: string;
  readonly cause: SuiteScriptErrorCause;
  readonly stack: string[];
  readonly notifyOff: boolean;
  readonly userFacing: boolean = true;

  constructor(name: string, message: string, options: { id?: string; notifyOff?: boolean; userEvent?: string } = {}) {
    this.name = name;
    this.message = message;
    this.id = options.id ?? '';
    this.notifyOff = options.notifyOff ?? false;
    this.stack = scriptFrames(new Error().stack ?? '');
    this.cause = {
      type: 'internal error',
      code: name,
      details: message,
      userEvent: options.userEvent ?? null,
      stackTrace: this.stack,
      notifyOff: this.notifyOff,
    };
  }

  toString(): string {
    return `${this.name}: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      name: this.name,
      message: this.message,
      stack: this.stack,
      cause: this.cause,
      id: this.id,
      notifyOff: this.notifyOff,
      userFacing: this.userFacing,
    };
  }
}

/** Frames of a JS stack that belong to loaded SuiteScript files (their vm file names start with "/"). */
function scriptFrames(stack: string): string[] {
  return stack
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => /\((?:\/Suite[^)]*)\)|at \/Suite/.test(l));
}

export function ssError(name: string, message: string): SuiteScriptError {
  return new SuiteScriptError(name, message);
}

export function isSuiteScriptError(e: unknown): e is SuiteScriptError {
  return typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'error.SuiteScriptError';
}

/** Turns whatever a platform call threw into what a script would catch: engine NsErrors become SuiteScriptErrors. */
export function toScriptError(e: unknown): unknown {
  if (e instanceof NsError) return new SuiteScriptError(e.code, e.message);
  return e;
}

/** Runs a platform call, translating engine errors. */
export function platform<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toScriptError(e);
  }
}

/** The code and message NetSuite reports for an error a script let escape. */
export function describeError(e: unknown): { code: string; message: string } {
  if (isSuiteScriptError(e)) return { code: e.name, message: e.message };
  if (e instanceof NsError) return { code: e.code, message: e.message };
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const name = (e as { name?: unknown }).name;
    return { code: typeof name === 'string' && name ? name : 'Error', message: String((e as { message: unknown }).message) };
  }
  return { code: 'UNEXPECTED_ERROR', message: String(e) };
}

/** The serialized form NetSuite logs and hands to Map/Reduce summaries (reference 1.3, 3.4). */
export function serializeError(e: unknown): string {
  if (isSuiteScriptError(e)) return JSON.stringify(e);
  const { code, message } = describeError(e);
  return JSON.stringify(new SuiteScriptError(code, message));
}
