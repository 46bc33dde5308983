/** `<command> --help`, in argparse's layout, generated from the command's argument and option specs. */
import { type BaseCommand, COMMON_OPTIONS, type OptionSpec } from './base-command.js';

const WIDTH = 24;

function wrap(text: string, indent: number, width = 79): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent + line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function entry(label: string, help: string): string {
  const body = wrap(help, WIDTH);
  const pad = ' '.repeat(WIDTH);
  if (label.length + 2 >= WIDTH) return [`  ${label}`, ...body.map((l) => pad + l)].join('\n');
  const [first = '', ...rest] = body;
  return [`  ${label.padEnd(WIDTH - 2)}${first}`, ...rest.map((l) => pad + l)].join('\n');
}

function optionLabel(name: string, spec: OptionSpec): string {
  const value = spec.type === 'string' ? ` ${spec.metavar ?? name.toUpperCase().replace(/-/g, '_')}` : '';
  return spec.short ? `-${spec.short}${value}, --${name}${value}` : `--${name}${value}`;
}

export function commandHelp(progName: string, name: string, command: BaseCommand): string {
  const options: [string, OptionSpec][] = [...Object.entries(command.options), ...Object.entries(COMMON_OPTIONS)];
  const usageOpts = options
    .map(([n, s]) => `[${s.short ? `-${s.short}` : `--${n}`}${s.type === 'string' ? ` ${s.metavar ?? n.toUpperCase().replace(/-/g, '_')}` : ''}]`)
    .join(' ');
  const usageArgs = command.args.map((a) => {
    const label = a.variadic ? `${a.name} [${a.name} ...]` : a.name;
    return a.optional ? ` [${label}]` : ` ${label}`;
  });
  const out = [`usage: ${progName} ${name} ${usageOpts}${usageArgs.join('')}`, '', ...wrap(command.help, 0), ''];
  if (command.args.length) {
    out.push('positional arguments:', ...command.args.map((a) => entry(a.name, a.help)), '');
  }
  out.push('options:', ...options.map(([n, s]) => entry(optionLabel(n, s), s.help + (s.multiple ? ' (repeatable)' : ''))), '');
  return out.join('\n');
}
