/**
 * Django's output styles (SUCCESS, ERROR, WARNING, NOTICE, ...) as ANSI colours. Off with
 * --no-color, when the stream is not a terminal, or when NO_COLOR is set; --force-color wins.
 */
type Paint = (text: string) => string;

export interface Style {
  SUCCESS: Paint;
  ERROR: Paint;
  WARNING: Paint;
  NOTICE: Paint;
  HTTP_INFO: Paint;
  HTTP_REDIRECT: Paint;
  HTTP_NOT_MODIFIED: Paint;
  HTTP_BAD_REQUEST: Paint;
  HTTP_NOT_FOUND: Paint;
  HTTP_SERVER_ERROR: Paint;
  MIGRATE_HEADING: Paint;
  MIGRATE_LABEL: Paint;
}

const plain: Paint = (t) => t;
const sgr = (open: string): Paint => (t) => `\x1b[${open}m${t}\x1b[0m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    return {
      SUCCESS: plain, ERROR: plain, WARNING: plain, NOTICE: plain, HTTP_INFO: plain, HTTP_REDIRECT: plain,
      HTTP_NOT_MODIFIED: plain, HTTP_BAD_REQUEST: plain, HTTP_NOT_FOUND: plain, HTTP_SERVER_ERROR: plain,
      MIGRATE_HEADING: plain, MIGRATE_LABEL: plain,
    };
  }
  return {
    SUCCESS: sgr('32;1'),
    ERROR: sgr('31;1'),
    WARNING: sgr('33;1'),
    NOTICE: sgr('31'),
    HTTP_INFO: plain,
    HTTP_REDIRECT: sgr('32'),
    HTTP_NOT_MODIFIED: sgr('36'),
    HTTP_BAD_REQUEST: sgr('31;1'),
    HTTP_NOT_FOUND: sgr('33'),
    HTTP_SERVER_ERROR: sgr('35;1'),
    MIGRATE_HEADING: sgr('36;1'),
    MIGRATE_LABEL: sgr('1'),
  };
}

export function wantsColor(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  options: { noColor?: boolean; forceColor?: boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  if (options.forceColor) return true;
  if (options.noColor || env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
