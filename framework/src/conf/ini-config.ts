/**
 * Option 2 of the seed chapter (Listing 5-7): INI files read with Python configparser's rules,
 * written from scratch. What is kept from configparser (ConfigParser with strict=True,
 * BasicInterpolation, allow_no_value=True as the seed uses): `[section]` headers, `key = value`
 * or `key: value` split at the first separator, full-line `#`/`;` comments, no inline comments,
 * indented continuation lines, case-insensitive keys and case-sensitive sections, a [DEFAULT]
 * section seen from every section, `%%` and `%(name)s` expanded when a value is read, and the
 * six boolean words.
 *
 * What is deliberately different, because configparser's choice hides mistakes:
 * - a missing file is an error (configparser's read() silently skips it and every get() then
 *   fails far from the cause);
 * - all syntax problems are reported at once, each with its line;
 * - a second [DEFAULT] header, text after `]`, an unclosed `[` and a continuation under a key
 *   with no value are errors (configparser merges, ignores, reads as a key, and crashes);
 * - a UTF-8 BOM is dropped, binary and oversized files are refused before parsing, and an
 *   interpolation that expands without bound (a "billion laughs" file) is stopped;
 * - every value read names its file, section, key and line when it is wrong.
 *
 * Sections and keys live in Maps, so `[__proto__]` or a key `constructor` are plain data.
 */
import { readFileSync, statSync } from 'node:fs';
import { inspect } from 'node:util';
import { IniError } from '../errors.js';

/** Files (and texts) larger than this are refused: a settings file is never this big. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;
/** configparser's MAX_INTERPOLATION_DEPTH. */
export const MAX_INTERPOLATION_DEPTH = 10;
/** An expanded value longer than this is refused, so nested references cannot eat the memory. */
const MAX_EXPANDED_LENGTH = 1024 * 1024;
/** Syntax problems listed in one error; the rest are counted. */
const MAX_REPORTED_PROBLEMS = 10;
const DEFAULT_SECTION = 'DEFAULT';

export interface ConfigOptions {
  /** Values every section sees, like configparser's `defaults` argument; the file's [DEFAULT] wins. */
  defaults?: Readonly<Record<string, string | null>>;
  /** A line `key` with no separator gives the value null. On by default, as in the seed. */
  allowNoValue?: boolean;
}

export interface ParseOptions extends ConfigOptions {
  /** Names the text in messages (a file name); `<string>` when absent, as in configparser. */
  source?: string;
}

export interface FallbackOption<T> {
  /** Returned when the section or key is absent (not when the value is malformed). */
  fallback?: T;
}

export interface ListOptions<T> extends FallbackOption<T> {
  /** Where to split; ',' by default. Items are trimmed and empty ones dropped. */
  separator?: string;
}

/** One key as written: the name before lower-casing, its raw value and where it came from. */
export interface IniEntry {
  readonly name: string;
  readonly value: string | null;
  readonly section: string;
  /** 1-based line of the key; null for values given in the `defaults` option. */
  readonly line: number | null;
}

export type IniSection = ReadonlyMap<string, IniEntry>;

// ---------------------------------------------------------------------------------------------
// casts, shared with env.ts so INI files and environment variables take the same words

const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['1', true], ['yes', true], ['true', true], ['on', true],
  ['0', false], ['no', false], ['false', false], ['off', false],
]);

export const BOOLEAN_WORDS_HELP = 'use 1, yes, true or on for true and 0, no, false or off for false';

/** configparser's boolean words, case-insensitive; undefined for anything else. */
export function parseBooleanWord(text: string): boolean | undefined {
  return BOOLEAN_WORDS.get(text.toLowerCase());
}

const DIGITS = '[0-9]+(?:_[0-9]+)*';
const INTEGER = new RegExp(`^[+-]?${DIGITS}$`);
const FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);

/** Python's int() on decimal text ('_' between digits allowed), within the safe integers. */
export function parseStrictInt(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Python's float() on decimal text, finite only: no '', '12abc', 'inf' or 'nan'. */
export function parseStrictFloat(text: string): number | undefined {
  if (!FLOAT.test(text)) return undefined;
  const n = Number(text.replace(/_/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

export function splitList(text: string, separator = ','): string[] {
  if (separator === '') throw new TypeError('The list separator must not be empty.');
  return text.split(separator).map((item) => item.trim()).filter((item) => item !== '');
}

/** A value shown in a message: quoted, control characters escaped, long ones shortened. */
export function showValue(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max - 3)}...` : text;
  // eslint-disable-next-line no-control-regex
  const escaped = shown.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `'${escaped}'`;
}

// ---------------------------------------------------------------------------------------------
// reading and parsing

/**
 * Read an INI file synchronously (settings modules run at import time).
 *
 * @example
 * const config = readConfig(join(PROJECT_DIR, 'production.cfg'));
 * export default defineSettings({ DEBUG: config.getBoolean('general', 'DEBUG') });
 */
export function readConfig(file: string, options: ConfigOptions = {}): Config {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    // Not only directories: /dev/zero or a FIFO would be read forever.
    if (!stat.isFile()) throw fileError(file, 'it is not a regular file');
    if (stat.size > MAX_CONFIG_BYTES) throw fileError(file, tooLarge(stat.size));
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof IniError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new IniError('RH_ERR_INI_MISSING', `Configuration file ${file} does not exist. Check the path (build it from projectPaths(import.meta.url)).`, { cause: err });
    }
    throw fileError(file, err instanceof Error ? err.message : String(err), err);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw fileError(file, `it looks like a binary file (a NUL byte on line ${lineAt(bytes, nul)}); a configuration file is UTF-8 text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw fileError(file, 'it is not valid UTF-8 text; save it as UTF-8', err);
  }
  return parseConfig(text, { ...options, source: file });
}

function fileError(file: string, why: string, cause?: unknown): IniError {
  return new IniError('RH_ERR_INI_PARSE', `Cannot read configuration file ${file}: ${why}.`, { cause });
}

function tooLarge(size: number): string {
  return `it is ${(size / 1024 / 1024).toFixed(1)} MiB, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MiB a configuration file may have (is it the right file?)`;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

/** Parse INI text; `source` names it in messages. */
export function parseConfig(text: string, options: ParseOptions = {}): Config {
  const source = options.source ?? '<string>';
  if (text.length > MAX_CONFIG_BYTES) throw fileError(source, tooLarge(text.length));
  const nul = text.indexOf('\0');
  if (nul >= 0) throw fileError(source, `it looks like binary data (a NUL character on line ${text.slice(0, nul).split('\n').length})`);
  const defaults = new Map<string, IniEntry>();
  for (const [name, value] of Object.entries(options.defaults ?? {})) {
    defaults.set(name.toLowerCase(), { name, value: value === null ? null : String(value), section: DEFAULT_SECTION, line: null });
  }
  const sections = new Map<string, Map<string, IniEntry>>();
  new IniParser(source, options.allowNoValue ?? true, defaults, sections).parse(text);
  return new Config(source, defaults, sections);
}

/** The line-by-line reader: configparser's state machine, collecting every problem. */
class IniParser {
  private readonly problems: string[] = [];
  private problemCount = 0;
  private current: Map<string, IniEntry> | undefined;
  private currentName = '';
  /** The key whose value continuation lines extend; `parts` holds its lines. */
  private entry: { key: string; name: string; line: number; parts: string[] | null; target: Map<string, IniEntry> } | undefined;
  private keyIndent = 0;
  private readonly headerLines = new Map<string, number>();
  private readonly keyLines = new Map<string, number>();
  private reportedNoHeader = false;

  constructor(
    private readonly source: string,
    private readonly allowNoValue: boolean,
    private readonly defaults: Map<string, IniEntry>,
    private readonly sections: Map<string, Map<string, IniEntry>>,
  ) {}

  parse(text: string): void {
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    lines.forEach((line, i) => this.line(line, i + 1));
    this.finishEntry();
    if (this.problemCount === 1) throw new IniError('RH_ERR_INI_PARSE', this.problems[0]!);
    if (this.problemCount > 1) {
      const more = this.problemCount - this.problems.length;
      const list = this.problems.map((p) => `  ${p}`).join('\n') + (more ? `\n  ... and ${more} more` : '');
      throw new IniError('RH_ERR_INI_PARSE', `${this.problemCount} errors in ${this.source}:\n${list}`);
    }
  }

  private problem(line: number, message: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push(`${this.source}, line ${line}: ${message}`);
  }

  private line(raw: string, lineno: number): void {
    const text = raw.trim();
    // configparser: a line whose stripped text starts with a prefix is a comment, even inside a
    // continued value; '#' or ';' later in a line is part of the value.
    if (text.startsWith('#') || text.startsWith(';')) return;
    if (text === '') {
      // Blank lines inside a continued value are kept (empty_lines_in_values); trailing ones are
      // trimmed when the value is finished.
      this.entry?.parts?.push('');
      return;
    }
    const indent = raw.search(/\S/);
    if (this.entry && indent > this.keyIndent) {
      if (this.entry.parts) this.entry.parts.push(text);
      else this.problem(lineno, `this indented line continues the key '${this.entry.name}' of line ${this.entry.line}, which has no value (no '=' or ':'). Add a separator to that key, or unindent this line.`);
      return;
    }
    this.finishEntry();
    this.keyIndent = indent;
    if (text.startsWith('[')) return this.header(text, lineno);
    if (!this.current) {
      if (!this.reportedNoHeader) {
        this.reportedNoHeader = true;
        this.problem(lineno, `${showValue(text)} comes before any [section] header; start the file with a header such as [general].`);
      }
      return;
    }
    this.option(text, lineno);
  }

  private header(text: string, lineno: number): void {
    const close = text.lastIndexOf(']');
    if (close < 0) return this.badHeader(lineno, `${showValue(text)} opens a section header but has no closing ']'.`);
    if (close !== text.length - 1) return this.badHeader(lineno, `unexpected text after the section header ${showValue(text.slice(0, close + 1))}; comments must be on their own line.`);
    const name = text.slice(1, -1);
    if (name === '') return this.badHeader(lineno, 'empty section name [].');
    const first = this.headerLines.get(name);
    this.currentName = name;
    if (first !== undefined) {
      // strict=True: a second header would silently merge or override; collect its keys aside.
      this.problem(lineno, `duplicate section [${name}] (first on line ${first}).`);
      this.current = new Map();
      return;
    }
    this.headerLines.set(name, lineno);
    if (name === DEFAULT_SECTION) {
      this.current = this.defaults;
    } else {
      this.current = new Map();
      this.sections.set(name, this.current);
    }
  }

  private badHeader(lineno: number, message: string): void {
    this.problem(lineno, message);
    // Keys under a broken header go nowhere rather than into the previous section.
    this.current = new Map();
  }

  private option(text: string, lineno: number): void {
    const target = this.current!;
    const cut = firstSeparator(text);
    let name: string;
    let value: string | null;
    if (cut >= 0) {
      name = text.slice(0, cut).trimEnd();
      value = text.slice(cut + 1).trim();
    } else if (this.allowNoValue) {
      name = text;
      value = null;
    } else {
      this.problem(lineno, `${showValue(text)} is neither a [section] header nor a 'key = value' line.`);
      this.swallow(lineno);
      return;
    }
    if (name === '') {
      this.problem(lineno, `${showValue(text)} has no key before the '${text[cut]}'.`);
      this.swallow(lineno);
      return;
    }
    const key = name.toLowerCase();
    const seen = `${this.currentName}\u0000${key}`;
    const first = this.keyLines.get(seen);
    if (first !== undefined) {
      this.problem(lineno, `duplicate key '${key}' in section [${this.currentName}] (first set on line ${first}).`);
      this.swallow(lineno);
      return;
    }
    this.keyLines.set(seen, lineno);
    this.entry = { key, name, line: lineno, parts: value === null ? null : [value], target };
    target.set(key, { name, value, section: this.currentName, line: lineno });
  }

  /** After a bad key line, its continuation lines belong to nothing (no cascade of errors). */
  private swallow(lineno: number): void {
    this.entry = { key: '', name: '', line: lineno, parts: [], target: new Map() };
  }

  private finishEntry(): void {
    const e = this.entry;
    this.entry = undefined;
    if (!e || !e.parts || e.parts.length < 2) return;
    const stored = e.target.get(e.key);
    if (stored) e.target.set(e.key, { ...stored, value: e.parts.join('\n').trimEnd() });
  }
}

/** configparser splits at the first '=' or ':', whichever comes first. */
function firstSeparator(text: string): number {
  const eq = text.indexOf('=');
  const colon = text.indexOf(':');
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return Math.min(eq, colon);
}

// ---------------------------------------------------------------------------------------------
// the parsed configuration

/** A parsed INI file with configparser's typed getters. Made by readConfig() and parseConfig(). */
export class Config {
  readonly source: string;
  readonly #defaults: IniSection;
  readonly #sections: ReadonlyMap<string, IniSection>;

  constructor(source: string, defaults: IniSection, sections: ReadonlyMap<string, IniSection>) {
    this.source = source;
    this.#defaults = defaults;
    this.#sections = sections;
  }

  /** Section names in file order, without DEFAULT. */
  sections(): string[] {
    return [...this.#sections.keys()];
  }

  /** DEFAULT is not a section here, as in configparser. */
  hasSection(section: string): boolean {
    return this.#sections.has(section);
  }

  has(section: string, key: string): boolean {
    const k = key.toLowerCase();
    if (section === '' || section === DEFAULT_SECTION) return this.#defaults.has(k);
    const s = this.#sections.get(section);
    return s !== undefined && (s.has(k) || this.#defaults.has(k));
  }

  /** The keys a section sees: its own, then DEFAULT's. */
  keys(section: string): string[] {
    const own = this.#section(section);
    return [...new Set([...own.keys(), ...this.#defaults.keys()])];
  }

  /** Every key a section sees with its interpolated value. */
  items(section: string): Array<[key: string, value: string | null]> {
    return this.keys(section).map((key) => [key, this.#value(section, this.#lookup(section, key)!)]);
  }

  /** The value (interpolated); null for a key written without a value. */
  get<T = never>(section: string, key: string, options?: FallbackOption<T> & { raw?: boolean }): string | null | T {
    const entry = this.#find(section, key, options);
    if (!entry) return options!.fallback as T;
    return options?.raw ? entry.value : this.#value(section, entry);
  }

  getString<T = never>(section: string, key: string, options?: FallbackOption<T>): string | null | T {
    return this.get(section, key, options);
  }

  getBoolean<T = never>(section: string, key: string, options?: FallbackOption<T>): boolean | T {
    return this.#typed(section, key, options, 'a boolean', parseBooleanWord, (text, where) => `Not a boolean: ${showValue(text)} (${where}); ${BOOLEAN_WORDS_HELP}.`);
  }

  getInt<T = never>(section: string, key: string, options?: FallbackOption<T>): number | T {
    return this.#typed(section, key, options, 'an integer', parseStrictInt, (text, where) => `Not an integer: ${showValue(text)} (${where}); write whole decimal digits like 587 (at most ${Number.MAX_SAFE_INTEGER}).`);
  }

  getFloat<T = never>(section: string, key: string, options?: FallbackOption<T>): number | T {
    return this.#typed(section, key, options, 'a number', parseStrictFloat, (text, where) => `Not a number: ${showValue(text)} (${where}); write a finite decimal number like 2.5.`);
  }

  /** A comma-separated (or `separator`-separated) list; a key with no value is an empty list. */
  getList<T = never>(section: string, key: string, options?: ListOptions<T>): string[] | T {
    const entry = this.#find(section, key, options);
    if (!entry) return options!.fallback as T;
    const text = this.#value(section, entry);
    return text === null ? [] : splitList(text, options?.separator);
  }

  #typed<R, T>(
    section: string,
    key: string,
    options: FallbackOption<T> | undefined,
    expected: string,
    cast: (text: string) => R | undefined,
    message: (text: string, where: string) => string,
  ): R | T {
    const entry = this.#find(section, key, options);
    if (!entry) return options!.fallback as T;
    const text = this.#value(section, entry);
    if (text === null) {
      throw new IniError('RH_ERR_INI_VALUE', `No value: ${this.#where(entry)} is written without '=' or ':', so it cannot be read as ${expected}.`);
    }
    const value = cast(text);
    if (value === undefined) throw new IniError('RH_ERR_INI_VALUE', message(text, this.#where(entry)));
    return value;
  }

  /** "[general] DEBUG in production.cfg, line 3": where a value is written. */
  #where(entry: IniEntry): string {
    const line = entry.line === null ? ' (from the defaults option)' : `, line ${entry.line}`;
    return `[${entry.section}] ${entry.name} in ${this.source}${line}`;
  }

  #section(section: string): IniSection {
    if (section === DEFAULT_SECTION) return this.#defaults;
    const s = this.#sections.get(section);
    if (s) return s;
    const names = this.sections().map((n) => `'${n}'`).join(', ') || 'none';
    throw new IniError('RH_ERR_INI_MISSING', `No section '${section}' in ${this.source} (sections: ${names}; names are case-sensitive).`);
  }

  #lookup(section: string, key: string): IniEntry | undefined {
    const k = key.toLowerCase();
    return this.#section(section).get(k) ?? this.#defaults.get(k);
  }

  /** The entry, or undefined when absent and a fallback was given; throws when absent without one. */
  #find(section: string, key: string, options: FallbackOption<unknown> | undefined): IniEntry | undefined {
    const hasFallback = options !== undefined && Object.hasOwn(options, 'fallback');
    if (hasFallback && section !== DEFAULT_SECTION && !this.#sections.has(section)) return undefined;
    const entry = this.#lookup(section, key);
    if (entry || hasFallback) return entry;
    throw new IniError(
      'RH_ERR_INI_MISSING',
      `No option '${key.toLowerCase()}' in section '${section}' of ${this.source}. Add it to the file, or pass { fallback } to make it optional.`,
    );
  }

  #value(section: string, entry: IniEntry): string | null {
    if (entry.value === null || !entry.value.includes('%')) return entry.value;
    const out: string[] = [];
    this.#expand(section, entry, entry.value, out, { length: 0 }, 1, [entry.name]);
    return out.join('');
  }

  /** BasicInterpolation: '%%' is '%', '%(name)s' is another key of the section or DEFAULT. */
  #expand(section: string, top: IniEntry, text: string, out: string[], size: { length: number }, depth: number, chain: string[]): void {
    const fail = (why: string): never => {
      throw new IniError('RH_ERR_INI_VALUE', `Bad value for ${this.#where(top)}: ${why}`);
    };
    if (depth > MAX_INTERPOLATION_DEPTH) {
      fail(`references are nested more than ${MAX_INTERPOLATION_DEPTH} deep (${chain.join(' -> ')}); does a key refer to itself?`);
    }
    const push = (piece: string): void => {
      size.length += piece.length;
      if (size.length > MAX_EXPANDED_LENGTH) fail(`it expands to more than ${MAX_EXPANDED_LENGTH} characters through its %(...)s references.`);
      out.push(piece);
    };
    let i = 0;
    while (i < text.length) {
      const p = text.indexOf('%', i);
      if (p < 0) {
        push(text.slice(i));
        return;
      }
      if (p > i) push(text.slice(i, p));
      const next = text[p + 1];
      if (next === '%') {
        push('%');
        i = p + 2;
      } else if (next === '(') {
        const end = text.indexOf(')', p + 2);
        if (end < 0 || end === p + 2 || text[end + 1] !== 's') {
          fail(`bad reference ${showValue(text.slice(p, p + 30))}; write %(name)s, or '%%' for a literal '%'.`);
        }
        const name = text.slice(p + 2, end);
        i = end + 2;
        const ref = this.#section(section).get(name.toLowerCase()) ?? this.#defaults.get(name.toLowerCase());
        if (!ref) fail(`'%(${name})s' refers to '${name.toLowerCase()}', which is not a key of [${section}] or [DEFAULT]; write '%%' for a literal '%'.`);
        else if (ref.value === null) fail(`'%(${name})s' refers to '${ref.name}' (line ${ref.line ?? '-'}), which has no value.`);
        else if (ref.value.includes('%')) this.#expand(section, top, ref.value, out, size, depth + 1, [...chain, ref.name]);
        else push(ref.value);
      } else {
        fail(`'%' must be followed by '%' or '(' (found ${showValue(text.slice(p, p + 20))}); write '%%' for a literal '%'.`);
      }
    }
  }

  /** Never print the values (a SECRET_KEY lives here): only where they came from. */
  [inspect.custom](): string {
    return `Config { source: ${JSON.stringify(this.source)}, sections: ${JSON.stringify(this.sections())} }`;
  }
}
