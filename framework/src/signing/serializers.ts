/**
 * How signObject/dumps turn a value into bytes and back. The default writes JSON exactly as
 * Django's JSONSerializer does (compact separators, ASCII only), so the signed bytes match.
 */
import { pythonJsonDumps } from './python-format.js';

export interface Serializer {
  /** The bytes to sign. */
  dumps(value: unknown): Uint8Array;
  /** The value back from those bytes; may throw on malformed input (reported as BadSignature). */
  loads(data: Buffer): unknown;
}

/**
 * Django's JSONSerializer: `json.dumps(obj, separators=(',', ':'))` encoded as Latin-1, read back
 * as Latin-1. Python's output is pure ASCII, so Latin-1 only matters for hand-made payloads.
 */
export const JSONSerializer: Serializer = Object.freeze({
  dumps(value: unknown): Uint8Array {
    return Buffer.from(pythonJsonDumps(value), 'latin1');
  },
  loads(data: Buffer): unknown {
    return JSON.parse(data.toString('latin1')) as unknown;
  },
});
