/**
 * Where messages wait for the next page: the session, under '_messages' in Django's encoding
 * (["__json_message", is_safe, level, text, extra_tags?]), so a Django site sharing the session
 * shows them too. Reading them (iterating) consumes them; unread ones stay for the next request.
 */
import type { HttpRequest } from '../http/request.js';
import type { JsonValue } from '../http/sessions/json-data.js';
import { DEFAULT_TAGS, INFO } from './levels.js';
import { Message } from './message.js';

export const SESSION_KEY = '_messages';
const MARK = '__json_message';

export interface StorageOptions {
  /** The lowest level recorded (MESSAGE_LEVEL). */
  readonly level?: number;
  /** Every level's tag: DEFAULT_TAGS with MESSAGE_TAGS laid over (see levelTags()). */
  readonly tags?: Readonly<Record<number, string>>;
}

/** The tags of every level, MESSAGE_TAGS over the defaults; worked out once, at boot. */
export function levelTags(overrides: Readonly<Record<number, string>> = {}): Readonly<Record<number, string>> {
  return Object.freeze({ ...DEFAULT_TAGS, ...overrides });
}

function decode(data: unknown, tags: Readonly<Record<number, string>>): Message[] {
  let list: unknown = data;
  if (typeof data === 'string') {
    try {
      list = JSON.parse(data);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const out: Message[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || item[0] !== MARK || typeof item[2] !== 'number' || typeof item[3] !== 'string') continue;
    const extra = typeof item[4] === 'string' ? item[4] : '';
    out.push(new Message(item[2], item[3], extra, tags[item[2]] ?? ''));
  }
  return out;
}

function encode(messages: readonly Message[]): JsonValue {
  return JSON.stringify(messages.map((m) => (m.extraTags ? [MARK, 0, m.level, m.message, m.extraTags] : [MARK, 0, m.level, m.message])));
}

export class MessageStorage implements Iterable<Message> {
  /** Lowest level recorded; lower ones are dropped by add(). */
  level: number;
  readonly #request: HttpRequest;
  readonly #tags: Readonly<Record<number, string>>;
  #loaded: Message[] | undefined;
  #queued: Message[] = [];
  /** Iterated: what was shown is gone. */
  #used = false;
  #addedNew = false;

  constructor(request: HttpRequest, options: StorageOptions = {}) {
    this.#request = request;
    this.level = options.level ?? INFO;
    this.#tags = options.tags ?? DEFAULT_TAGS;
  }

  #stored(): Message[] {
    this.#loaded ??= decode(this.#request.session.get(SESSION_KEY), this.#tags);
    return this.#loaded;
  }

  add(level: number, message: string, extraTags = ''): void {
    if (!message || level < this.level) return;
    this.#addedNew = true;
    this.#queued.push(new Message(level, message, extraTags, this.#tags[level] ?? ''));
  }

  /** Iterating shows the messages and marks them read. */
  *[Symbol.iterator](): Iterator<Message> {
    this.#used = true;
    const all = this.#stored();
    if (this.#queued.length) {
      all.push(...this.#queued);
      this.#queued = [];
    }
    yield* all;
  }

  /** How many messages are waiting (without reading them). */
  get length(): number {
    return this.#stored().length + this.#queued.length;
  }

  /** After the view: keep what was not read, and what was added since the last read. */
  update(): void {
    let keep: Message[] | undefined;
    if (this.#used) keep = this.#queued;
    else if (this.#addedNew) keep = [...this.#stored(), ...this.#queued];
    if (keep === undefined) return;
    const session = this.#request.session;
    if (keep.length) session.set(SESSION_KEY, encode(keep));
    else if (session.has(SESSION_KEY)) session.delete(SESSION_KEY);
  }
}
