/** One message: its level, text and extra tags; `tags` is what a template puts in a class attribute. */
export class Message {
  constructor(
    readonly level: number,
    readonly message: string,
    readonly extraTags: string = '',
    /** The tag of `level` ('success'), from the levels' tags and MESSAGE_TAGS. */
    readonly levelTag: string = '',
  ) {}

  /** 'extra success': the extra tags, then the level's. */
  get tags(): string {
    return [this.extraTags, this.levelTag].filter(Boolean).join(' ');
  }

  toString(): string {
    return this.message;
  }
}
