/**
 * The JSON line of a flat record (no error, fields that are strings, numbers, booleans or null),
 * written without pino, in the bytes pino writes for it (a lone surrogate, which pino writes raw
 * and so reaches the stream as U+FFFD, is escaped as JSON.stringify does). Most records are flat, the
 * access log's on every request: measured on `serve`, pino's general path was a quarter of a
 * hello-world request, mostly for the amount of code it runs per line, and this path a fifth of
 * that. Records with an error or nested fields still go through pino.
 */
import { hostname } from 'node:os';
import type { HandlerRecord } from './types.js';

/** Printable ASCII without '"' and '\\': a JSON string of these is the text in quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonString(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

const keyTexts = new Map<string, string>();
const MAX_KEYS = 1000;

/** `,"key":` for a field name, worked out once per name. */
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = `,${JSON.stringify(key)}:`;
    if (keyTexts.size >= MAX_KEYS) keyTexts.clear();
    keyTexts.set(key, text);
  }
  return text;
}

/** Whether every field is a JSON primitive (undefined fields are left out, as pino does). */
export function isFlat(record: HandlerRecord): boolean {
  if (record.errInfo) return false;
  const fields = record.fields;
  for (const key in fields) {
    const v = fields[key];
    if (v !== null && typeof v === 'object') return false;
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return false;
  }
  return true;
}

export type FlatLineWriter = (record: HandlerRecord) => string;

/** A writer of flat records for lines that pino would start with `{"level":...,"pid":..,"hostname":..`. */
export function flatLineWriter(): FlatLineWriter {
  const bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  const names = new Map<string, string>();
  return (record) => {
    let name = names.get(record.name);
    if (name === undefined) {
      name = `${bindings},"name":${JSON.stringify(record.name)}`;
      if (names.size >= MAX_KEYS) names.clear();
      names.set(record.name, name);
    }
    let line = `{"level":"${record.level}","time":${record.time}${name}`;
    const fields = record.fields;
    for (const key in fields) {
      const v = fields[key];
      if (v === undefined) continue;
      line += keyText(key);
      line += typeof v === 'string' ? jsonString(v) : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : String(v);
    }
    return `${line},"msg":${jsonString(record.msg)}}\n`;
  };
}
