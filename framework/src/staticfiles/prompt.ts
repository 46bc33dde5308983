/** Reading one answer from a stream (the command's stdin), like Python's input(). */
import type { Readable } from 'node:stream';

/** The first line of `input` without its line ending; '' at end of input. */
export function readLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    if (input.readableEnded) {
      resolve('');
      return;
    }
    let buffer = '';
    const finish = (value: string): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl !== -1) finish(buffer.slice(0, nl).replace(/\r$/, ''));
    };
    const onEnd = (): void => finish(buffer.replace(/\r?\n$/, ''));
    const onError = (err: Error): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      reject(err);
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
  });
}
