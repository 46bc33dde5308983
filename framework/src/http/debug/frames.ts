/**
 * Traceback frames from a V8 stack string, with the source lines around each one.
 *
 * Under tsx (runserver, manage.ts) and tap, source maps are on, so the stack already names the
 * `.ts` files and their lines; the lines read here are from those same files. (Enabling source
 * maps from this module would come too late: maps are only kept for modules loaded after that.)
 *
 * Files are read synchronously, once, into a small cache: this only runs for DEBUG pages and
 * error reports. `node:` internals, `<anonymous>`, eval code and missing or huge files get no
 * source; frames in node_modules, in Node's internals or in the framework itself are marked as
 * library frames (folded on the page), so the site's own frames stand out.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameworkPackage } from '../../package-root.js';
import { mapLocation } from '../../utils/source-maps.js';

export interface SourceContext {
  /** 1-based number of lines[0]. */
  readonly firstLine: number;
  readonly lines: readonly string[];
  /** Index in `lines` of the frame's own line. */
  readonly current: number;
}

export interface StackFrame {
  readonly fn: string;
  /** A file path, or a location such as 'node:internal/...' or '<anonymous>'. */
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** node_modules, Node's internals, or the framework's own source. */
  readonly library: boolean;
  readonly context: SourceContext | undefined;
}

const CONTEXT_LINES = 5;
const MAX_FRAMES = 200;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_LINE_LENGTH = 400;
const CACHE_SIZE = 100;

/** framework/src/ (or the build's), so the framework's own frames count as library frames. */
const FRAMEWORK_SRC = (() => {
  try {
    return `${join(frameworkPackage().root, 'src')}${sep}`;
  } catch {
    return undefined;
  }
})();

const sourceCache = new Map<string, readonly string[] | null>();

function readLines(file: string): readonly string[] | null {
  if (sourceCache.has(file)) return sourceCache.get(file) ?? null;
  let lines: readonly string[] | null = null;
  try {
    const st = statSync(file);
    if (st.isFile() && st.size <= MAX_FILE_BYTES) lines = readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    lines = null; // vanished, unreadable, a directory: no source, no failure
  }
  if (sourceCache.size >= CACHE_SIZE) {
    const oldest = sourceCache.keys().next().value;
    if (oldest !== undefined) sourceCache.delete(oldest);
  }
  sourceCache.set(file, lines);
  return lines;
}

export function sourceContext(file: string, line: number, around = CONTEXT_LINES): SourceContext | undefined {
  if (!isAbsolute(file) || line < 1) return undefined;
  const lines = readLines(file);
  if (!lines || line > lines.length) return undefined;
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, line + around);
  const picked = lines.slice(from - 1, to).map((l) => (l.length > MAX_LINE_LENGTH ? `${l.slice(0, MAX_LINE_LENGTH)}…` : l));
  return { firstLine: from, lines: picked, current: line - from };
}

function toPath(location: string): string {
  if (!location.startsWith('file://')) return location;
  try {
    return fileURLToPath(location);
  } catch {
    return location;
  }
}

function isLibrary(file: string): boolean {
  // 'node:internal/...', '<anonymous>', 'native': the runtime's own code, never the site's.
  if (!isAbsolute(file)) return true;
  if (file.includes(`${sep}node_modules${sep}`) || file.includes('/node_modules/')) return true;
  return FRAMEWORK_SRC !== undefined && file.startsWith(FRAMEWORK_SRC);
}

/** Split 'fn (location)' at the parenthesis that closes the line, allowing nested ones (eval). */
function splitCall(body: string): [fn: string | undefined, location: string] {
  if (!body.endsWith(')')) return [undefined, body];
  let depth = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const c = body[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      if (i === 0 || body[i - 1] !== ' ') return [undefined, body];
      return [body.slice(0, i - 1), body.slice(i + 1, -1)];
    }
  }
  return [undefined, body];
}

export function parseFrameLine(text: string): StackFrame | undefined {
  const m = /^\s*at\s+(.*)$/.exec(text);
  if (!m) return undefined;
  const [fn, rawLocation] = splitCall(m[1]!.trim());
  // Built code (dist/) shows its .ts source, whether or not Node maps stacks itself.
  let location = mapLocation(rawLocation) ?? rawLocation;
  // 'eval at outer (file:1:2), <anonymous>:3:4': the code ran from an eval string; no file.
  if (location.startsWith('eval at ')) location = location.slice(location.lastIndexOf(', ') + 2);
  const pos = /^(.*):(\d+):(\d+)$/.exec(location);
  const file = toPath(pos ? pos[1]! : location);
  const line = pos ? Number(pos[2]) : undefined;
  const column = pos ? Number(pos[3]) : undefined;
  const readable = line !== undefined && isAbsolute(file) && !file.startsWith('node:');
  return {
    fn: fn || '<anonymous>',
    file,
    line,
    column,
    library: isLibrary(file),
    context: readable ? sourceContext(file, line) : undefined,
  };
}

/** Frames of a V8 stack, most recent call first (V8's order). Lines that are not frames are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    if (frames.length >= MAX_FRAMES) break;
    const frame = parseFrameLine(text);
    if (frame) frames.push(frame);
  }
  return frames;
}
