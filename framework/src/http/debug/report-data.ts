/**
 * Everything the technical 500 page and the error report show, collected once, masked and
 * redacted, as plain strings. The HTML and text renderers only lay it out (and escape).
 *
 * Each section is collected on its own and a failure there (a throwing getter, an unreadable
 * file, an odd thrown value) becomes a note in the report: the page must never be what breaks.
 */
import { cleanse } from '../../conf/mask.js';
import { settingsInfo } from '../../conf/settings-registry.js';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { TemplateDoesNotExist, TemplateSyntaxError } from '../../errors.js';
import type { HttpRequest } from '../request.js';
import { parseStack, type StackFrame } from './frames.js';
import type { Redactor } from './redact.js';
import { collectRequest, type Pair, type PairList, type RequestData } from './request-data.js';
import { frameworkVersion as baseFrameworkVersion } from '../../version.js';
import { attempt, describeFailure, readSafely, showValue, trimText } from './values.js';

export interface ExceptionData {
  readonly type: string;
  readonly message: string;
  /** The error's stable code (RH_ERR_..., FST_..., ENOENT), when it has one. */
  readonly code: string | undefined;
  /** Most recent call last, as in Python's tracebacks and Django's page. */
  readonly frames: readonly StackFrame[];
  readonly note: string | undefined;
}

export type TemplateData =
  | { readonly kind: 'missing'; readonly template: string; readonly tried: readonly string[] }
  | { readonly kind: 'syntax'; readonly template: string; readonly line: number | undefined };

export interface ReportData {
  /** Root cause first; the last one is what reached the error funnel. */
  readonly chain: readonly ExceptionData[];
  readonly raised: ExceptionData;
  /** 'file, line N, in fn' of the innermost frame that is the site's own code. */
  readonly location: string | undefined;
  readonly request: RequestData | undefined;
  readonly version: string;
  readonly settingsModule: string;
  readonly nodeVersion: string;
  readonly executable: string;
  readonly serverTime: string;
  readonly settings: PairList;
  readonly template: TemplateData | undefined;
  /** Sections that failed to build. */
  readonly notes: readonly string[];
}

const MAX_CAUSES = 10;

/** The framework's version; 'unknown' rather than an error on a page that must never fail. */
export function frameworkVersion(): string {
  return attempt(() => baseFrameworkVersion(), () => 'unknown');
}

/** 'coffeehouse.settings.production', or a phrase for settings built in code. */
export function settingsModuleName(settings: LoadedSettings): string {
  return attempt(() => settingsInfo(settings).module ?? '(none: settings built in code)', () => '(unknown)');
}

function typeName(value: object): string {
  const name = readSafely(value, 'name');
  const ctor = attempt(() => (value.constructor as { name?: unknown } | undefined)?.name, () => undefined);
  // `class Oops extends Error {}` keeps name 'Error'; its class name says more.
  if (typeof ctor === 'string' && ctor && ctor !== 'Error' && (name === 'Error' || typeof name !== 'string' || !name)) return ctor;
  if (typeof name === 'string' && name) return name;
  return typeof ctor === 'string' && ctor ? ctor : 'Error';
}

function describeException(value: unknown, redactor: Redactor): ExceptionData {
  const isErrorLike = value instanceof Error || (typeof value === 'object' && value !== null && typeof readSafely(value, 'stack') === 'string');
  if (!isErrorLike) {
    const kind = value === null ? 'null' : typeof value;
    const message = typeof value === 'string' ? value : showValue(attempt(() => cleanse('', value), () => '<unprintable value>'));
    return {
      type: `${kind} (thrown, not an Error)`,
      message: trimText(redactor.text(message)),
      code: undefined,
      frames: [],
      note: 'A value that is not an Error was thrown, so there is no stack trace. Throw an Error (or a subclass) to get one.',
    };
  }
  const err = value as object;
  const type = redactor.text(typeName(err));
  const message = attempt(
    () => {
      const raw = (err as { message?: unknown }).message;
      return raw === undefined ? '' : String(raw);
    },
    (e) => `<message cannot be shown: ${describeFailure(e)}>`,
  );
  const code = readSafely(err, 'code');
  const stack = readSafely(err, 'stack');
  let frames: StackFrame[] = [];
  let note: string | undefined;
  if (typeof stack === 'string') {
    // Skip the 'Name: message' header, so a message line that looks like 'at x (f:1:2)' is not a frame.
    const header = `${String(readSafely(err, 'name'))}: ${message}`;
    const body = stack.startsWith(header) ? stack.slice(header.length) : stack;
    frames = attempt(() => parseStack(body), (e) => ((note = `The stack could not be parsed: ${describeFailure(e)}`), []));
    if (!frames.length && !note) note = 'The error has no stack frames.';
  } else {
    note = 'The error has no stack.';
  }
  return {
    type,
    message: trimText(redactor.text(message)),
    code: typeof code === 'string' || typeof code === 'number' ? redactor.text(String(code)) : undefined,
    frames: frames.reverse().map((f) => redactFrame(f, redactor)),
    note: note === undefined ? undefined : redactor.text(note),
  };
}

function redactFrame(frame: StackFrame, redactor: Redactor): StackFrame {
  const context = frame.context && { ...frame.context, lines: frame.context.lines.map((l) => redactor.text(l)) };
  return { ...frame, fn: redactor.text(frame.fn), file: redactor.text(frame.file), context };
}

/** The raised error and its `cause`s, outermost first, stopping at loops and after MAX_CAUSES. */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [err];
  const seen = new Set<unknown>([err]);
  let current = err;
  while (chain.length <= MAX_CAUSES && typeof current === 'object' && current !== null) {
    const holder: object = current;
    if (!attempt(() => 'cause' in holder, () => false)) break;
    const cause = readSafely(holder, 'cause');
    if (cause === undefined || cause === null || seen.has(cause)) break;
    seen.add(cause);
    chain.push(cause);
    current = cause;
  }
  return chain;
}

function collectSettings(settings: LoadedSettings, redactor: Redactor): PairList {
  return attempt<PairList>(
    () => {
      const names = Object.keys(settings).sort();
      const items: Pair[] = names.map((name) => ({
        name,
        value: redactor.text(
          attempt(
            () => showValue(cleanse(name, (settings as Readonly<Record<string, unknown>>)[name])),
            (e) => `<cannot be shown: ${describeFailure(e)}>`,
          ),
        ),
      }));
      return { items };
    },
    (e) => ({ items: [], note: redactor.text(`The settings could not be listed: ${describeFailure(e)}`) }),
  );
}

function templateData(chain: readonly unknown[], redactor: Redactor): TemplateData | undefined {
  for (const err of chain) {
    if (err instanceof TemplateDoesNotExist) {
      return { kind: 'missing', template: redactor.text(err.template), tried: err.tried.map((t) => redactor.text(String(t))) };
    }
    if (err instanceof TemplateSyntaxError) return { kind: 'syntax', template: redactor.text(err.template), line: err.line };
  }
  return undefined;
}

function innermostOwnFrame(chain: readonly ExceptionData[]): string | undefined {
  const frames = chain[chain.length - 1]?.frames ?? [];
  const frame = [...frames].reverse().find((f) => !f.library && f.line !== undefined) ?? frames[frames.length - 1];
  if (!frame) return undefined;
  return `${frame.file}${frame.line === undefined ? '' : `, line ${frame.line}`}, in ${frame.fn}`;
}

export function collectReport(request: HttpRequest | undefined, err: unknown, settings: LoadedSettings, redactor: Redactor): ReportData {
  const notes: string[] = [];
  const note = (label: string) => (e: unknown) => {
    notes.push(redactor.text(`${label} could not be shown: ${describeFailure(e)}`));
    return undefined;
  };
  const raw = attempt(() => causeChain(err), () => [err]);
  const chain = raw
    .map((e) => attempt<ExceptionData | undefined>(() => describeException(e, redactor), note('An exception in the chain')))
    .filter((e): e is ExceptionData => e !== undefined)
    .reverse();
  const raised: ExceptionData = chain[chain.length - 1] ?? {
    type: 'Unknown error',
    message: 'No exception message supplied',
    code: undefined,
    frames: [],
    note: undefined,
  };
  return {
    chain: chain.length ? chain : [raised],
    raised,
    location: attempt(() => innermostOwnFrame(chain), () => undefined),
    request: request ? attempt(() => collectRequest(request, settings, redactor), note('The request')) : undefined,
    version: frameworkVersion(),
    settingsModule: redactor.text(settingsModuleName(settings)),
    nodeVersion: process.version,
    executable: redactor.text(process.execPath),
    serverTime: new Date().toUTCString(),
    settings: collectSettings(settings, redactor),
    template: attempt(() => templateData(raw, redactor), note('The template details')),
    notes,
  };
}
