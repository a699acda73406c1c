// A JSON reader and writer that keep every number exactly as it was written, for the reference cases.
//
// The cases test how numbers such as `3.0`, `1e21` or 12345678901234567890 print, so the data
// written to reference.json must carry the same literals as the case files: JSON.parse followed by
// JSON.stringify would turn `3.0` into `3` and round the big integer, and the engine under test
// would then be handed different data from the one handlebars.js was given.

/** A number literal as written in the source, kept next to the value JavaScript reads from it. */
export class RawNumber {
  constructor(raw) {
    this.raw = raw;
  }
}

/** An object as written: its members in source order, duplicates included. */
export class RawObject {
  constructor(entries) {
    this.entries = entries;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses JSON text into a tree where numbers are RawNumber and objects are RawObject, so that
 * nothing about how a value was written is lost. Arrays, strings, booleans and null are plain.
 */
export function parseRaw(text, source = 'JSON') {
  let at = 0;
  const fail = (what) => {
    const line = text.slice(0, at).split('\n').length;
    throw new Error(`${source}: ${what} at line ${line}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const string = () => {
    // The string's extent is found here, and JSON.parse decodes it, so escapes behave exactly
    // as in any other JSON reader.
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') {
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) fail('unterminated string');
    at++;
    return JSON.parse(text.slice(start, at));
  };
  const value = () => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const entries = [];
      space();
      if (text[at] === '}') {
        at++;
        return new RawObject(entries);
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        space();
        if (text[at] !== ':') fail('expected a colon');
        at++;
        entries.push([key, value()]);
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return new RawObject(entries);
        }
        fail('expected a comma or a closing brace');
      }
    }
    if (c === '[') {
      at++;
      const items = [];
      space();
      if (text[at] === ']') {
        at++;
        return items;
      }
      for (;;) {
        items.push(value());
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return items;
        }
        fail('expected a comma or a closing bracket');
      }
    }
    if (c === '"') return string();
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return result;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match) {
      at += match[0].length;
      return new RawNumber(match[0]);
    }
    fail('unexpected character');
  };
  const result = value();
  space();
  if (at !== text.length) fail('trailing characters');
  return result;
}

/**
 * The plain JavaScript value of a raw tree, as JSON.parse would give it: numbers read by
 * JavaScript's own rules and objects built member by member, so a repeated key keeps its last
 * value and integer-like keys take the order JavaScript gives them.
 */
export function toValue(raw) {
  if (raw instanceof RawNumber) return JSON.parse(raw.raw);
  if (raw instanceof RawObject) {
    const object = {};
    for (const [key, member] of raw.entries) {
      // Defined rather than assigned, so that a key such as `__proto__` becomes a plain member
      // as it does with JSON.parse.
      Object.defineProperty(object, key, { value: toValue(member), enumerable: true, writable: true, configurable: true });
    }
    return object;
  }
  if (Array.isArray(raw)) return raw.map(toValue);
  return raw;
}

/** Looks up a member of a raw object by key, the last one winning as in JSON.parse. */
export function member(raw, key) {
  if (!(raw instanceof RawObject)) return undefined;
  let found;
  for (const [k, v] of raw.entries) if (k === key) found = v;
  return found;
}

/**
 * Writes a tree as JSON indented by two spaces, laid out like JSON.stringify(value, null, 2),
 * with raw numbers written as they were read and raw objects in their source order. Plain
 * JavaScript values may be mixed in and are written as JSON.stringify would.
 */
export function stringifyRaw(value, indent = '') {
  const inner = indent + '  ';
  if (value instanceof RawNumber) return value.raw;
  if (value instanceof RawObject || (value !== null && typeof value === 'object' && !Array.isArray(value))) {
    const entries = value instanceof RawObject ? value.entries : Object.entries(value);
    const shown = entries.filter(([, v]) => v !== undefined);
    if (shown.length === 0) return '{}';
    const lines = shown.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyRaw(v, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const lines = value.map((v) => `${inner}${v === undefined ? 'null' : stringifyRaw(v, inner)}`);
    return `[\n${lines.join(',\n')}\n${indent}]`;
  }
  return JSON.stringify(value);
}
