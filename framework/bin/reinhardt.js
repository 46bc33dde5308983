#!/usr/bin/env node
// `npx reinhardt <command>`: Django's django-admin. TypeScript projects run without a build step.
import { register } from 'tsx/esm/api';

register();
const { executeFromCommandLine } = await import('../src/management/cli.ts');
process.exitCode = await executeFromCommandLine({
  argv: process.argv.slice(2),
  baseDir: process.cwd(),
  progName: 'reinhardt',
});
