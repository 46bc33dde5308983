/** `npm run manage -- liststores [--city CITY]`: an app command, found in the app's commands/ folder. */
import { BaseCommand, CommandError, type OptionValues } from 'reinhardt/management';
import { STORES } from '../data.js';

const options = {
  city: { type: 'string', metavar: 'CITY', help: 'Only the stores in this city.' },
} as const;

export default class ListStores extends BaseCommand<typeof options> {
  readonly help = 'Lists the coffeehouse stores, one per line: id, name, city.';
  readonly options = options;

  handle(_args: unknown, opts: OptionValues<typeof options>): string {
    const stores = opts.city ? STORES.filter((s) => s.city.toLowerCase() === opts.city?.toLowerCase()) : STORES;
    if (!stores.length) throw new CommandError(`No stores in '${opts.city}'.`);
    return stores.map((s) => `${s.id}\t${s.name}\t${s.city}`).join('\n');
  }
}
