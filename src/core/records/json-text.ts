/**
 * JSON read from a file the person chose, trusted in nothing: a leading byte-order mark is
 * dropped (as a browser's File.text() does), a syntax error is reported by line and column
 * without quoting the file (the engine's own message echoes its bytes), own "__proto__" keys are
 * removed and nesting deeper than a limit is refused, both without recursion.
 */

/** Deeper than any file of ours nests (a run header nests about 8 levels). */
export const MAX_JSON_DEPTH = 100;

export interface JsonSyntaxError {
  /** UTF-16 index into the text where parsing failed */
  index: number;
  line: number;
  column: number;
  /** 'end': the text stopped before the JSON was complete */
  kind: 'end' | 'character';
}

/**
 * Parses `text`; a failure throws an Error that starts with `source` and says where, never what
 * the text holds. The value comes back with every own "__proto__" key removed.
 */
export function parseJsonText(text: string, source: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const parsed = tryParseJson(text, maxDepth);
  if ('problem' in parsed) throw new Error(`${source} ${parsed.problem}`);
  return parsed.value;
}

/**
 * As parseJsonText, but the problem comes back as words to put after a file's name: "is not
 * JSON: unexpected character at line 1, column 9" or "nests values more than 100 levels deep ...".
 */
export function tryParseJson(text: string, maxDepth = MAX_JSON_DEPTH): { value: unknown } | { problem: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { problem: `is not JSON: ${describeJsonSyntaxError(body)}` };
  }
  const tooDeep = sanitiseJsonValue(value, maxDepth);
  if (tooDeep) return { problem: `nests values more than ${maxDepth} levels deep (found ${tooDeep}); no NAS Studio file nests that deep` };
  return { value };
}

/** Where the text stops being JSON, in words: "unexpected character at line 3, column 14". */
export function describeJsonSyntaxError(text: string): string {
  if (text.trim() === '') return 'the text is empty';
  const error = findJsonSyntaxError(text);
  if (!error) return 'the text is not valid JSON';
  const at = `line ${error.line}, column ${error.column}`;
  return error.kind === 'end' ? `the text ends before the JSON is complete (${at})` : `unexpected character at ${at}`;
}

/**
 * Removes own "__proto__" keys (JSON.parse creates them as plain properties; a later merge
 * could turn one into a prototype) and measures the depth, with an explicit stack. Returns null,
 * or a description of where the nesting passed `maxDepth`.
 */
export function sanitiseJsonValue(root: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  if (typeof root !== 'object' || root === null) return null;
  const stack: [object, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > maxDepth) return `${depth} levels`;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
      }
      continue;
    }
    if (Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>)['__proto__'];
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
    }
  }
  return null;
}

/** The first place where `text` is not JSON (RFC 8259), or null; a state machine, no recursion. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  // containers open around the current position: true for an object
  const open: boolean[] = [];
  type State = 'value' | 'valueOrClose' | 'keyOrClose' | 'key' | 'colon' | 'commaOrClose' | 'done';
  let state: State = 'value';
  const fail = (kind: JsonSyntaxError['kind'], at = i): JsonSyntaxError => ({ index: at, kind, ...lineAndColumn(text, at) });
  const afterValue = (): State => (open.length === 0 ? 'done' : 'commaOrClose');

  /** Skips a string starting at i (a quote); returns an error or null. */
  const skipString = (): JsonSyntaxError | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('character');
      if (c === 0x5c) {
        const e = text.charCodeAt(i + 1);
        if (i + 1 >= n) return fail('end', n);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= n) return fail('end', n);
            if (!/[0-9a-fA-F]/.test(text[i + k])) return fail('character', i + k);
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i + 1])) return fail('character', i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    return fail('end', n);
  };

  const digits = (): number => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i - start;
  };

  const skipNumber = (): JsonSyntaxError | null => {
    if (text[i] === '-') i++;
    if (i >= n) return fail('end');
    if (text[i] === '0') i++;
    else if (digits() === 0) return fail('character');
    if (text[i] === '.') {
      i++;
      if (i >= n) return fail('end');
      if (digits() === 0) return fail('character');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= n) return fail('end');
      if (digits() === 0) return fail('character');
    }
    return null;
  };

  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
    if (i >= n) return state === 'done' ? null : fail('end');
    const ch = text[i];
    switch (state) {
      case 'done':
        return fail('character');
      case 'value':
      case 'valueOrClose': {
        if (state === 'valueOrClose' && ch === ']') {
          i++;
          open.pop();
          state = afterValue();
          break;
        }
        if (ch === '{') {
          open.push(true);
          i++;
          state = 'keyOrClose';
          break;
        }
        if (ch === '[') {
          open.push(false);
          i++;
          state = 'valueOrClose';
          break;
        }
        let error: JsonSyntaxError | null = null;
        if (ch === '"') error = skipString();
        else if (ch === '-' || (ch >= '0' && ch <= '9')) error = skipNumber();
        else {
          const word = ['true', 'false', 'null'].find((w) => w[0] === ch);
          if (!word) return fail('character');
          for (let k = 0; k < word.length; k++) {
            if (i + k >= n) return fail('end', n);
            if (text[i + k] !== word[k]) return fail('character', i + k);
          }
          i += word.length;
        }
        if (error) return error;
        state = afterValue();
        break;
      }
      case 'keyOrClose':
      case 'key': {
        if (state === 'keyOrClose' && ch === '}') {
          i++;
          open.pop();
          state = afterValue();
          break;
        }
        if (ch !== '"') return fail('character');
        const error = skipString();
        if (error) return error;
        state = 'colon';
        break;
      }
      case 'colon':
        if (ch !== ':') return fail('character');
        i++;
        state = 'value';
        break;
      case 'commaOrClose': {
        const inObject = open[open.length - 1];
        if (ch === ',') {
          i++;
          state = inObject ? 'key' : 'value';
        } else if (ch === (inObject ? '}' : ']')) {
          i++;
          open.pop();
          state = afterValue();
        } else return fail('character');
        break;
      }
    }
  }
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < index && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
