/**
 * Precompressed copies for STATICFILES_PRECOMPRESS: `name.gz` (gzip, level 9) and `name.br`
 * (brotli) beside text assets, so nginx's `gzip_static` and @fastify/static's `preCompressed`
 * can send them without compressing on every request. A copy is written only when it is smaller
 * than the original; binary formats (images, fonts, archives) are already compressed and skipped.
 */
import { promisify } from 'node:util';
import { constants, brotliCompress, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set(['.css', '.js', '.mjs', '.svg', '.html', '.htm', '.txt', '.json', '.xml', '.map']);

export function isCompressible(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && COMPRESSIBLE_EXTENSIONS.has(base.slice(dot).toLowerCase());
}

export interface Compressed {
  /** Undefined when gzip did not make the file smaller. */
  readonly gz: Buffer | undefined;
  readonly br: Buffer | undefined;
}

/**
 * Both encodings of `data`. zlib runs them on libuv's thread pool, so compressing many files
 * concurrently uses every core.
 */
export async function compress(data: Uint8Array): Promise<Compressed> {
  const [gz, br] = await Promise.all([
    gzipAsync(data, { level: 9 }),
    brotliAsync(data, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  ]);
  return { gz: gz.length < data.length ? gz : undefined, br: br.length < data.length ? br : undefined };
}
