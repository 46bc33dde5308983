/**
 * Django's OutputWrapper: write() adds the line ending when it is missing and paints with the
 * writer's default style. Commands write through these so tests can capture everything.
 */
export class OutputWriter {
  constructor(
    readonly stream: NodeJS.WritableStream,
    private readonly paint: (text: string) => string = (t) => t,
  ) {}

  write(text = '', options: { style?: (text: string) => string; ending?: string } = {}): void {
    const ending = options.ending ?? '\n';
    const body = ending && text.endsWith(ending) ? text.slice(0, -ending.length) : text;
    const styled = (options.style ?? this.paint)(body);
    this.stream.write(styled + ending);
  }

  get isTTY(): boolean {
    return (this.stream as { isTTY?: boolean }).isTTY === true;
  }
}
