/**
 * Finding the template line of a compile error. eta reports its own parse errors (unclosed tag,
 * string or comment) with a line, but a JavaScript syntax error inside a tag reaches it from
 * `new Function`, which says what is wrong and not where. So on that (rare) path the same
 * function source is parsed again with `vm.Script`, whose SyntaxError does carry a line; that
 * line is mapped back through the `__eta.line=N` markers eta writes before each tag's code.
 * Nothing here runs on a successful compile.
 */
import vm from 'node:vm';

/** eta's AST item: text, or a tag with its code and (when debug is on) its line. */
type AstItem = string | { t: string; val: string; lineNo?: number };

/** The two eta methods this needs, with the engine's own configuration. */
export interface CompilerParts {
  parse(str: string): AstItem[];
  compileBody(buffer: AstItem[]): string;
  readonly config: { readonly varName: string };
}

export interface ErrorLocation {
  line: number | undefined;
  detail: string;
}

const PARSE_ERROR = /^(.*?) at line (\d+) col (\d+):\n?([\s\S]*)$/;
const MARKER = /^__eta\.line=(\d+)$/;
const SCRIPT_NAME = 'reinhardt-template';

/** eta's parse errors: "unclosed tag at line 3 col 5:\n\n  <%= it.x\n  ^". */
export function locateParseError(message: string): ErrorLocation {
  const m = PARSE_ERROR.exec(message);
  if (!m) return { line: undefined, detail: message };
  const excerpt = m[4]!.replace(/\s+$/, '');
  return { line: Number(m[2]), detail: `${m[1]} (column ${m[3]})${excerpt ? `\n${excerpt}` : ''}` };
}

/** The template line of a SyntaxError thrown by `new Function(fnSource)`. */
export function locateSyntaxError(eta: CompilerParts, source: string, fnSource: string, error: SyntaxError, async: boolean): ErrorLocation {
  const fail = failingLine(eta, fnSource, async);
  const buffer = eta.parse(source);
  const body = eta.compileBody(buffer);
  const bodyAt = fnSource.indexOf(body);
  if (fail === undefined || bodyAt < 0 || body === '') return { line: undefined, detail: error.message };
  const bodyLines = body.split('\n');
  const rel = fail - countLines(fnSource, 0, bodyAt);
  if (rel < 0) return { line: undefined, detail: `${error.message} (in the code before the template: check OPTIONS.functionHeader)` };
  // The body ends with '\n': its last line is empty. Past it is eta's closing code, which only
  // fails when the template left a '{', '(' or '[' open; find the tag that opened it.
  if (rel >= bodyLines.length - 1) return locateUnclosed(eta, source, buffer, async) ?? { line: undefined, detail: error.message };
  let markers = 0;
  let markerAt = -1;
  for (let i = 0; i <= rel; i++) {
    if (MARKER.test(bodyLines[i]!)) {
      markers++;
      markerAt = i;
    }
  }
  const tag = nthTag(buffer, markers);
  if (!tag) return { line: undefined, detail: error.message };
  const detail = error.message === 'Missing catch or finally after try' ? "unexpected '}': it closes a block no tag opened" : error.message;
  return { line: lineInTag(source, tag, rel - markerAt - 1), detail };
}

/** 0-based line of fnSource where V8 reports the syntax error, if it does. */
function failingLine(eta: CompilerParts, fnSource: string, async: boolean): number | undefined {
  // The same wrapper `new Function` builds, so lines count the same way.
  const wrapped = `(${async ? 'async ' : ''}function anonymous(${eta.config.varName},options\n) {\n${fnSource}\n})`;
  try {
    new vm.Script(wrapped, { filename: SCRIPT_NAME });
    return undefined;
  } catch (err) {
    const m = new RegExp(`^${SCRIPT_NAME}:(\\d+)`).exec((err as Error).stack ?? '');
    return m ? Number(m[1]) - 3 : undefined;
  }
}

/** The tag that opened a block the template never closes: the last tag before which the code is complete. */
function locateUnclosed(eta: CompilerParts, source: string, buffer: AstItem[], async: boolean): ErrorLocation | undefined {
  const varName = eta.config.varName;
  for (let i = buffer.length - 1; i >= 0; i--) {
    const item = buffer[i]!;
    if (typeof item === 'string') continue;
    const prefix = eta.compileBody(buffer.slice(0, i));
    try {
      new vm.Script(`(${async ? 'async ' : ''}function(${varName},options){let __eta;\n${prefix}\n})`);
    } catch {
      continue;
    }
    return { line: lineInTag(source, item, 0), detail: "a '{', '(' or '[' opened in this tag is never closed" };
  }
  return undefined;
}

function nthTag(buffer: AstItem[], n: number): Exclude<AstItem, string> | undefined {
  let seen = 0;
  for (const item of buffer) {
    if (typeof item !== 'string' && ++seen === n) return item;
  }
  return undefined;
}

/**
 * The template line of line `offset` of a tag's code. eta records the line of the opening `<%`;
 * the code may start on a later line (`<%\n  code`), so the code is found in the source from there.
 */
function lineInTag(source: string, tag: Exclude<AstItem, string>, offset: number): number | undefined {
  if (tag.lineNo === undefined) return undefined;
  const lineStart = offsetOfLine(source, tag.lineNo);
  const codeAt = lineStart < 0 ? -1 : source.indexOf(tag.val, lineStart);
  const codeLine = codeAt < 0 ? tag.lineNo : tag.lineNo + countLines(source, lineStart, codeAt);
  const codeLines = countLines(tag.val, 0, tag.val.length);
  return codeLine + Math.max(0, Math.min(offset, codeLines));
}

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function offsetOfLine(s: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    at = s.indexOf('\n', at);
    if (at < 0) return -1;
    at++;
  }
  return at;
}
