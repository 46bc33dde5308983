/**
 * Test fixtures for staticfiles: a real temporary project folder with apps and static files,
 * and settings built with configureSettings() against it. Removed by t.teardown.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import type { LoadedSettings, UserSettings } from '../../../framework/src/conf/settings-types.js';
import type { CommandContext } from '../../../framework/src/management/base-command.js';

export interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export interface Project {
  /** The project's base folder (BASE_DIR). */
  readonly base: string;
  /** STATIC_ROOT used by `settings()` unless overridden. */
  readonly root: string;
  /** Write files relative to the base folder. */
  write(files: Record<string, string | Buffer>): void;
  settings(overrides?: Record<string, unknown>): LoadedSettings;
}

export function makeProject(t: Teardown, files: Record<string, string | Buffer> = {}): Project {
  const base = mkdtempSync(join(tmpdir(), 'rh-static-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const root = join(base, 'collected');
  const write = (more: Record<string, string | Buffer>): void => {
    for (const [rel, content] of Object.entries(more)) {
      const full = join(base, rel);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  };
  write(files);
  return {
    base,
    root,
    write,
    settings: (overrides = {}) =>
      configureSettings(
        {
          SECRET_KEY: 'test-secret-key-for-staticfiles-tests-0123456789abcdef',
          DEBUG: false,
          INSTALLED_APPS: ['reinhardt.contrib.staticfiles'],
          STATIC_URL: '/static/',
          STATIC_ROOT: root,
          STATICFILES_DIRS: [],
          ...overrides,
        } as UserSettings,
        { baseDir: base },
      ),
  };
}

/** A PassThrough that remembers everything written to it. */
export class Capture extends PassThrough {
  text = '';
  isTTY = false;
  constructor() {
    super();
    this.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
    });
  }
}

/** A CommandContext like the runner's, with its own stdin. */
export function commandContext(settings: LoadedSettings, base: string, verbosity = 1, stdinText?: string): CommandContext & { stdin: PassThrough } {
  const stdin = new PassThrough();
  if (stdinText !== undefined) stdin.end(stdinText);
  return { settings, baseDir: base, progName: 'manage.ts', argv: [], verbosity, stdin, env: {} };
}
