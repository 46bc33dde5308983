import { getRandomSecretKey } from '../../signing/index.js';
import { BaseCommand } from '../base-command.js';

export default class GenerateSecretKey extends BaseCommand {
  readonly help =
    'Prints a new random SECRET_KEY (50 characters, from the operating system\'s CSPRNG). Put it in your production settings or environment; never commit it.';
  readonly options = {} as const;
  override readonly requiresSettings = false;

  handle(): string {
    return getRandomSecretKey();
  }
}
