/**
 * Shell-style patterns with Python's `fnmatch.fnmatchcase` semantics, because Django's ignore
 * patterns (STATICFILES_IGNORE_PATTERNS, `collectstatic --ignore`) are written for it: `*` matches
 * any run of characters *including* '/', `?` one character, `[seq]` / `[!seq]` a set, and an
 * unclosed `[` is a literal. Matching is case-sensitive on every platform, as in Django.
 */
import { posix } from 'node:path';

const cache = new Map<string, RegExp>();

/** The anchored RegExp for one pattern. */
export function translatePattern(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let out = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++]!;
    if (c === '*') {
      // Runs of '*' are one wildcard; collapsing them avoids catastrophic backtracking.
      while (pattern[i] === '*') i++;
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
      } else {
        // Inside a JavaScript class '[' and ']' must be escaped where Python takes them literally.
        let set = pattern.slice(i, j).replace(/[\\[\]]/g, '\\$&');
        i = j + 1;
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        else if (set.startsWith('^')) set = `\\${set}`;
        out += `[${set}]`;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${out})$`, 's');
  } catch {
    // A set JavaScript cannot compile (a reversed range like [z-a]) matches nothing in Python
    // either; fall back to matching the pattern literally rather than failing the whole run.
    re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}$`, 's');
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

export function fnmatch(name: string, pattern: string): boolean {
  return translatePattern(pattern).test(name);
}

/** Each list of patterns as one RegExp: the walk tests every file name and path against the same list. */
const combined = new Map<string, RegExp>();

/** True when `name` matches any of `patterns` (Django's `matches_patterns`). */
export function matchesPatterns(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const key = patterns.join('\0');
  let re = combined.get(key);
  if (!re) {
    re = new RegExp(patterns.map((p) => translatePattern(p).source).join('|'), 's');
    if (combined.size > 100) combined.clear();
    combined.set(key, re);
  }
  return re.test(name);
}

/**
 * Ignore patterns as collectstatic uses them: normalised like `os.path.normpath` (so 'vendor/'
 * and './vendor' mean 'vendor') and de-duplicated.
 */
export function normalizeIgnorePatterns(patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of patterns) {
    if (!p) continue;
    out.add(posix.normalize(p).replace(/(.)\/+$/, '$1'));
  }
  return [...out];
}
