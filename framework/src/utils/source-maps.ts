/**
 * Tracebacks of the built site (`npm run build`) pointed back at the .ts sources, by the source
 * maps beside the built files, read only for the stacks that are shown (the debug page, error
 * mail, logs, --traceback). Node's --enable-source-maps does the same for every stack, but it
 * reads and parses the map of every module when it loads, npm packages included: a tenth of
 * `serve`'s cold start here. Node's own SourceMap class does the decoding.
 *
 * A stack that is already mapped (the process runs with --enable-source-maps, or from the .ts
 * sources under tsx) is returned as it is.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Maps remembered; a stack rarely spans more files than this. */
const CACHE_SIZE = 100;
const MAX_MAP_BYTES = 16 * 1024 * 1024;

interface FileMap {
  readonly map: SourceMap;
  /** Absolute paths of the map's sources, by the names the map uses. */
  readonly sources: ReadonlyMap<string, string>;
}

const cache = new Map<string, FileMap | null>();

function loadMap(file: string): FileMap | null {
  const mapFile = `${file}.map`;
  try {
    if (!existsSync(mapFile) || statSync(mapFile).size > MAX_MAP_BYTES) return null;
    const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources?: unknown; sourceRoot?: unknown };
    const root = resolve(dirname(mapFile), typeof payload.sourceRoot === 'string' ? payload.sourceRoot : '');
    const sources = new Map<string, string>();
    if (Array.isArray(payload.sources)) {
      for (const s of payload.sources) if (typeof s === 'string') sources.set(s, s.startsWith('file://') ? fileURLToPath(s) : resolve(root, s));
    }
    return { map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]), sources };
  } catch {
    return null; // an unreadable or malformed map: the frame stays as it is
  }
}

function mapFor(file: string): FileMap | null {
  let entry = cache.get(file);
  if (entry === undefined) {
    entry = loadMap(file);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(file, entry);
  }
  return entry;
}

/** One location 'file:line:col' (a path or a file: URL) of built code, mapped; undefined when it cannot be. */
export function mapLocation(location: string): string | undefined {
  const m = /^(.*\.[cm]?js):(\d+):(\d+)$/.exec(location);
  if (!m) return undefined;
  let file = m[1]!;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (!isAbsolute(file) || file.includes('/node_modules/')) return undefined;
  const entry = mapFor(file);
  if (!entry) return undefined;
  const found = entry.map.findEntry(Number(m[2]) - 1, Number(m[3]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (found.originalSource === undefined || found.originalLine === undefined || found.originalColumn === undefined) return undefined;
  const source = entry.sources.get(found.originalSource) ?? resolve(dirname(file), found.originalSource);
  return `${source}:${found.originalLine + 1}:${found.originalColumn + 1}`;
}

const FRAME = /^(\s*at\s+(?:.*?\()?)(.*?)(\)?)$/;

/** A V8 stack with the frames of built files pointing at their sources (unless Node already does). */
export function mapStack(stack: string): string {
  return process.sourceMapsEnabled ? stack : mapFrames(stack);
}

/** mapStack's work, whatever Node does. */
export function mapFrames(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const m = /^\s*at\s/.test(line) ? FRAME.exec(line) : null;
      if (!m) return line;
      const mapped = mapLocation(m[2]!);
      return mapped === undefined ? line : `${m[1]}${mapped}${m[3]}`;
    })
    .join('\n');
}
