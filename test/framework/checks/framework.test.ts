import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import {
  CheckLevel,
  CheckMessage,
  CheckRegistry,
  checkCritical,
  checkDebug,
  checkError,
  checkInfo,
  checkWarning,
  formatCheckReport,
  runSystemCheck,
} from '../../../framework/src/checks/index.js';

t.test('CheckMessage', async (t) => {
  const w = checkWarning('Something is off.', { id: 'app.W001', hint: 'Fix it.', obj: 'stores' });
  t.equal(w.level, 30);
  t.equal(String(w), 'stores: (app.W001) Something is off.\n\tHINT: Fix it.');
  t.equal(String(checkError('Broken.')), '?: Broken.', 'no obj gives ?, no id gives no parentheses');
  t.equal(String(checkInfo('Note.', { id: 'x.I001' })), '?: (x.I001) Note.');
  t.same(
    [checkDebug('d'), checkInfo('i'), checkWarning('w'), checkError('e'), checkCritical('c')].map((m) => m.level),
    [10, 20, 30, 40, 50],
  );
  t.ok(checkError('e').isSerious());
  t.notOk(checkWarning('w').isSerious());
  t.ok(checkWarning('w').isSerious(CheckLevel.WARNING));
  t.ok(w.isSilenced(['app.W001']));
  t.notOk(checkWarning('no id').isSilenced(['app.W001']));
  t.ok(w.equals(checkWarning('Something is off.', { id: 'app.W001', hint: 'Fix it.', obj: 'stores' })));
  t.notOk(w.equals(checkWarning('Something is off.', { id: 'app.W002', hint: 'Fix it.', obj: 'stores' })));
  t.throws(() => new CheckMessage(1.5, 'x'), TypeError);
});

t.test('formatCheckReport lays out the report like Django', async (t) => {
  t.same(formatCheckReport([]), {
    text: 'System check identified no issues (0 silenced).',
    failed: false,
    visibleCount: 0,
    stream: 'stdout',
  });
  t.equal(formatCheckReport([], { silencedCount: 3 }).text, 'System check identified no issues (3 silenced).');
  t.equal(formatCheckReport([], { displayNumErrors: false }).text, '', 'nothing to say without the footer');

  const one = formatCheckReport([checkWarning('Only one.', { id: 'a.W001' })]);
  t.equal(one.text, 'System check identified some issues:\n\nWARNINGS:\n?: (a.W001) Only one.\n\nSystem check identified 1 issue (0 silenced).');
  t.equal(one.failed, false);
  t.equal(one.stream, 'stderr');

  const mixed = [
    checkWarning('Zeta.', { id: 'a.W002' }),
    checkInfo('Info.', { id: 'a.I001' }),
    checkError('Bad.', { id: 'a.E001', hint: 'Do this.' }),
    checkWarning('Alpha.', { id: 'a.W001' }),
    checkCritical('Worse.', { id: 'a.C001' }),
    checkDebug('Debug.', { id: 'a.D001' }),
  ];
  const report = formatCheckReport(mixed, { silencedCount: 2 });
  t.equal(
    report.text,
    [
      'SystemCheckError: System check identified some issues:',
      '',
      'CRITICALS:',
      '?: (a.C001) Worse.',
      '',
      'ERRORS:',
      '?: (a.E001) Bad.',
      '\tHINT: Do this.',
      '',
      'WARNINGS:',
      '?: (a.W001) Alpha.',
      '?: (a.W002) Zeta.',
      '',
      'INFOS:',
      '?: (a.I001) Info.',
      '',
      'DEBUGS:',
      '?: (a.D001) Debug.',
      '',
      'System check identified 6 issues (2 silenced).',
    ].join('\n'),
  );
  t.equal(report.failed, true);

  const warnings = [checkWarning('W.', { id: 'a.W001' })];
  t.equal(formatCheckReport(warnings).failed, false, 'warnings pass at the default fail level');
  t.equal(formatCheckReport(warnings, { failLevel: CheckLevel.WARNING }).failed, true, 'and fail at WARNING');
  t.match(formatCheckReport(warnings, { failLevel: CheckLevel.WARNING }).text, /^SystemCheckError: System check identified some issues:\n/);
  t.equal(formatCheckReport([checkError('E.')], { failLevel: CheckLevel.CRITICAL }).failed, false, 'errors pass at CRITICAL');

  const noFooter = formatCheckReport(warnings, { displayNumErrors: false });
  t.equal(noFooter.text, 'System check identified some issues:\n\nWARNINGS:\n?: (a.W001) W.\n');

  const style = { ERROR: (s: string) => `<E>${s}</E>`, WARNING: (s: string) => `<W>${s}</W>` };
  const styled = formatCheckReport([checkError('E.', { id: 'a.E001' }), checkWarning('W.', { id: 'a.W001' })], { style });
  t.equal(
    styled.text,
    '<E>SystemCheckError: System check identified some issues:\n</E>\nERRORS:\n<E>?: (a.E001) E.</E>\n\nWARNINGS:\n<W>?: (a.W001) W.</W>\n\nSystem check identified 2 issues (0 silenced).',
  );
});

t.test('CheckRegistry: tags, deployment checks, silencing, bad checks', async (t) => {
  const registry = new CheckRegistry();
  const settings = configureSettings({ SILENCED_SYSTEM_CHECKS: ['t.W002'] });
  const calls: string[] = [];
  const always = registry.register(
    (ctx) => {
      calls.push(`always:${ctx.baseDir}:${ctx.apps === null ? 'all' : ctx.apps.length}`);
      return [checkWarning('always', { id: 't.W001' })];
    },
    { tags: ['alpha'] },
  );
  registry.register(async () => [checkWarning('silenced', { id: 't.W002' }), checkError('async', { id: 't.E001' })], { tags: ['beta'] });
  registry.register(() => [checkWarning('deploy only', { id: 't.W003' })], { tags: ['gamma'], deploy: true });
  registry.register(() => [checkInfo('untagged', { id: 't.I001' })]);

  t.same(registry.tagsAvailable(), ['alpha', 'beta']);
  t.same(registry.tagsAvailable(true), ['alpha', 'beta', 'gamma']);
  t.ok(registry.tagExists('gamma', true));
  t.notOk(registry.tagExists('gamma'));

  const all = await registry.run({ settings, baseDir: '/base' });
  t.same(all.messages.map((m) => m.id), ['t.W001', 't.E001', 't.I001']);
  t.same(all.silenced.map((m) => m.id), ['t.W002']);
  t.same(calls, ['always:/base:all']);

  const deploy = await registry.run({ settings, baseDir: '/base', includeDeploymentChecks: true });
  t.same(deploy.messages.map((m) => m.id), ['t.W001', 't.E001', 't.W003', 't.I001']);

  const tagged = await registry.run({ settings, baseDir: '/base', tags: ['alpha', 'gamma'], includeDeploymentChecks: true });
  t.same(tagged.messages.map((m) => m.id), ['t.W001', 't.W003'], 'only tagged checks; untagged ones skip when tags are given');

  registry.register(always, { tags: ['delta'] });
  t.same(registry.tagsAvailable(), ['beta', 'delta'], 'registering again replaces the tags, never runs twice');

  const broken = new CheckRegistry();
  broken.register(function notAList() {
    return 'oops' as unknown as CheckMessage[];
  });
  await t.rejects(broken.run({ settings, baseDir: '/' }), { name: 'TypeError', message: /notAList did not return an array/ });
  t.throws(() => broken.register('nope' as never), TypeError);

  const result = await runSystemCheck({ settings, baseDir: '/base', registry, failLevel: CheckLevel.CRITICAL });
  t.equal(result.failed, false);
  t.equal(result.silenced.length, 1);
  t.match(result.text, /System check identified 3 issues \(1 silenced\)\.$/);
});
