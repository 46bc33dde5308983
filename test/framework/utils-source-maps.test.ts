/**
 * Lazy source maps: locations in built files map to their sources through the .map beside them;
 * anything else (no map, node_modules, already a .ts location, a broken map) is left as it is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { mapFrames, mapLocation, mapStack } from '../../framework/src/utils/source-maps.js';

const dir = mkdtempSync(join(tmpdir(), 'reinhardt-maps-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const built = join(dir, 'out.js');
// 'AAAA' maps generated line 1, column 0 to source 0, line 0, column 0; ';AACA' maps line 2 to line 1
// (0-based) of the same source; ';;AAEA' maps line 3 to line 3.
writeFileSync(built, 'a();\nb();\nc();\n//# sourceMappingURL=out.js.map\n');
writeFileSync(`${built}.map`, JSON.stringify({ version: 3, sources: ['../src/app.ts'], names: [], mappings: 'AAAA;AACA;AAEA' }));
writeFileSync(join(dir, 'broken.js'), 'x();\n');
writeFileSync(join(dir, 'broken.js.map'), '{ not json');
const src = join(dir, '..', 'src', 'app.ts');

t.test('locations of built files', async (t) => {
  t.equal(mapLocation(`${built}:1:1`), `${src}:1:1`);
  t.equal(mapLocation(`${pathToFileURL(built).href}:2:1`), `${src}:2:1`, 'a file: URL too');
  t.equal(mapLocation(`${built}:3:1`), `${src}:4:1`);
  t.equal(mapLocation('/nowhere/no-map.js:1:1'), undefined, 'no map beside it');
  t.equal(mapLocation(`${join(dir, 'broken.js')}:1:1`), undefined, 'a broken map');
  t.equal(mapLocation('/x/node_modules/pkg/index.js:1:1'), undefined, 'npm packages are not looked at');
  t.equal(mapLocation(`${src}:3:4`), undefined, 'already a source location');
  t.equal(mapLocation('node:internal/process/task_queues:95:5'), undefined);
});

t.test('whole stacks', async (t) => {
  const stack = [
    'Error: boom',
    `    at run (${built}:2:1)`,
    `    at ${pathToFileURL(built).href}:1:1`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at async Promise.all (index 0)',
  ].join('\n');
  t.equal(
    mapFrames(stack),
    ['Error: boom', `    at run (${src}:2:1)`, `    at ${src}:1:1`, '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)', '    at async Promise.all (index 0)'].join('\n'),
  );
  t.equal(mapStack(stack), process.sourceMapsEnabled ? stack : mapFrames(stack), 'mapStack leaves stacks alone when Node maps them itself');
});
