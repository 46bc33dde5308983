/**
 * The text `check` prints, laid out exactly as Django's BaseCommand.check() lays it out, so that
 * people (and scripts) who know Django's output read ours the same way:
 *
 *   [SystemCheckError: ]System check identified some issues:
 *
 *   ERRORS:
 *   ?: (security.E023) ...
 *   \tHINT: ...
 *
 *   WARNINGS:
 *   ?: (security.W004) ...
 *
 *   System check identified 2 issues (1 silenced).
 *
 * The header appears only when something is shown; "SystemCheckError: " is prefixed when a
 * message is at or above the fail level; groups go from CRITICALS down to DEBUGS, each sorted;
 * the footer counts "no issues", "1 issue" or "N issues", and the silenced ones.
 */
import { CheckLevel, type CheckMessage } from './messages.js';

type Paint = (text: string) => string;

/** The two styles used; management's Style fits. */
export interface ReportStyle {
  ERROR: Paint;
  WARNING: Paint;
}

export interface ReportOptions {
  /** Messages at or above this level make the report a failure. Default ERROR. */
  failLevel?: number;
  style?: ReportStyle;
  /** How many messages SILENCED_SYSTEM_CHECKS left out (they are not in `messages`). */
  silencedCount?: number;
  /** Print the footer line (the `check` command does; a pre-flight check before other commands does not). */
  displayNumErrors?: boolean;
}

export interface CheckReport {
  /** The report; '' when there is nothing to say. */
  readonly text: string;
  /** A message is at or above the fail level: the command must exit non-zero. */
  readonly failed: boolean;
  readonly visibleCount: number;
  /** Where Django writes it when it does not fail: stderr when there are issues, else stdout. */
  readonly stream: 'stdout' | 'stderr';
}

const plainStyle: ReportStyle = { ERROR: (t) => t, WARNING: (t) => t };

const GROUPS: readonly [name: string, min: number, max: number][] = [
  ['CRITICALS', CheckLevel.CRITICAL, Infinity],
  ['ERRORS', CheckLevel.ERROR, CheckLevel.CRITICAL],
  ['WARNINGS', CheckLevel.WARNING, CheckLevel.ERROR],
  ['INFOS', CheckLevel.INFO, CheckLevel.WARNING],
  ['DEBUGS', -Infinity, CheckLevel.INFO],
];

/** Ordinal comparison (Python's sorted() on str), not locale-aware. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `messages` are the visible (not silenced) messages of a run. */
export function formatCheckReport(messages: readonly CheckMessage[], options: ReportOptions = {}): CheckReport {
  const failLevel = options.failLevel ?? CheckLevel.ERROR;
  const style = options.style ?? plainStyle;
  const displayNumErrors = options.displayNumErrors ?? true;
  const silencedCount = options.silencedCount ?? 0;

  let body = '';
  for (const [name, min, max] of GROUPS) {
    const group = messages.filter((m) => m.level >= min && m.level < max);
    if (group.length === 0) continue;
    const lines = group.map((m) => (m.isSerious() ? style.ERROR(String(m)) : style.WARNING(String(m)))).sort(byCodePoint);
    body += `\n${name}:\n${lines.join('\n')}\n`;
  }

  const visibleCount = messages.length;
  const header = visibleCount ? 'System check identified some issues:\n' : '';
  let footer = '';
  if (displayNumErrors) {
    const issues = visibleCount === 0 ? 'no issues' : visibleCount === 1 ? '1 issue' : `${visibleCount} issues`;
    footer = `${visibleCount ? '\n' : ''}System check identified ${issues} (${silencedCount} silenced).`;
  }

  const failed = messages.some((m) => m.isSerious(failLevel));
  const text = failed ? style.ERROR(`SystemCheckError: ${header}`) + body + footer : header + body + footer;
  return { text, failed, visibleCount, stream: visibleCount ? 'stderr' : 'stdout' };
}
