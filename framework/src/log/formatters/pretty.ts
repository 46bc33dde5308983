/**
 * 'pretty': readable lines for development, by pino-pretty:
 *   [10:00:00.123] WARNING (reinhardt.request): Not Found: /favicon.ico {"status_code":404}
 * Values are escaped before pino-pretty sees them, and a record's stack follows on indented
 * lines, so nothing a client sends can forge a line. Colours only on a terminal, never with
 * NO_COLOR.
 */
import { createRequire } from 'node:module';
import { escapeControl, escapeDeep, indentBlock } from '../escape.js';
import type { Formatter, FormatterContext, LogEntry } from '../types.js';

// Loaded on first use: production (JSON lines) never pays for pino-pretty at start-up.
type PinoPretty = typeof import('pino-pretty');
let loaded: PinoPretty | undefined;
function pinoPretty(): PinoPretty {
  loaded ??= createRequire(import.meta.url)('pino-pretty') as PinoPretty;
  return loaded;
}

const CUSTOM_LEVELS = 'DEBUG:10,INFO:20,WARNING:30,ERROR:40,CRITICAL:50';
const CUSTOM_COLORS = 'DEBUG:gray,INFO:green,WARNING:yellow,ERROR:red,CRITICAL:magenta';

export function prettyFormatter({ options }: FormatterContext): Formatter {
  const colorize = typeof options.colorize === 'boolean' ? options.colorize : false;
  const pretty = pinoPretty().prettyFactory({
    colorize,
    customLevels: CUSTOM_LEVELS,
    customColors: CUSTOM_COLORS,
    useOnlyCustomProps: true,
    ignore: 'pid,hostname',
    translateTime: typeof options.translateTime === 'string' ? options.translateTime : 'SYS:HH:MM:ss.l',
    singleLine: true,
  });
  return (entry: LogEntry) => {
    const { err, ...rest } = entry;
    const safe = escapeDeep(rest) as Record<string, unknown>;
    let line = pretty(safe).replace(/\n$/, '');
    const info = err as { stack?: unknown; type?: unknown; message?: unknown } | undefined;
    if (info) {
      const stack = typeof info.stack === 'string' ? info.stack : `${escapeControl(String(info.type))}: ${String(info.message)}`;
      line += `\n${indentBlock(stack)}`;
    }
    return line;
  };
}
