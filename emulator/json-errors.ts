/**
 * Where a JSON text goes wrong, as `line:column` and a plain message ("Unexpected token 'o'", "Unterminated
 * string", "Unexpected end of input"). JSON.parse's own messages differ between Node versions and often carry no
 * position, so files the local account reads (seed files, state files) are checked with this scanner once
 * JSON.parse has refused them. It follows RFC 8259 and stops at the first error.
 */

export interface JsonSyntaxProblem {
  /** 1-based line and column of the offending character. */
  line: number;
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** The first syntax error of `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const unexpected = (): never => {
    if (i >= text.length) throw new Stop(i, 'Unexpected end of input');
    throw new Stop(i, `Unexpected token '${text[i]}'`);
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) unexpected();
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Stop(start, 'Unterminated string');
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          throw new Stop(i, 'Bad escape in string');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new Stop(i, 'Bad control character in string');
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0] === '') unexpected();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') unexpected();
        string();
        ws();
        if (text[i] !== ':') unexpected();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        unexpected();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        unexpected();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    unexpected();
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    ws();
    if (i < text.length) unexpected();
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const before = text.slice(0, err.offset);
    const line = before.split('\n').length;
    return { line, column: err.offset - before.lastIndexOf('\n'), message: err.message };
  }
}

/** JSON.parse, or an Error whose message is `<name>:<line>:<column>: <problem>`. */
export function parseJsonText(text: string, name: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const p = findJsonSyntaxError(text);
    if (text.trim() === '') throw new Error(`${name}: the file is empty`);
    throw new Error(p ? `${name}:${p.line}:${p.column}: ${p.message}` : `${name}: ${(err as Error).message}`);
  }
}
