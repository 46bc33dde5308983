/**
 * collectstatic's words that people and scripts rely on, Django's to the letter: the question
 * before overwriting STATIC_ROOT and the summary line.
 */
import { resolve } from 'node:path';

/** Django's question, word for word, so muscle memory and scripts that answer it keep working. */
export function confirmation(staticRoot: string, options: { readonly dryRun?: boolean; readonly clear?: boolean }): string {
  let message = '\n';
  if (options.dryRun) message += 'You have activated the --dry-run option so no files will be modified.\n\n';
  message += 'You have requested to collect static files at the destination\nlocation as specified in your settings';
  message += `:\n\n    ${resolve(staticRoot)}\n\n`;
  message += options.clear ? 'This will DELETE ALL FILES in this location!\n' : 'This will overwrite existing files!\n';
  message += "Are you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: ";
  return message;
}

/** Django's summary: "\n3 static files copied to '/srv/static', 10 unmodified, 3 post-processed." */
export function summaryLine(copied: number, unmodified: number, postProcessed: number, staticRoot: string, link: boolean): string {
  return (
    `\n${copied} static file${copied === 1 ? '' : 's'} ${link ? 'symlinked' : 'copied'} to '${staticRoot}'` +
    `${unmodified ? `, ${unmodified} unmodified` : ''}` +
    `${postProcessed ? `, ${postProcessed} post-processed` : ''}.`
  );
}
