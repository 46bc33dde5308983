/**
 * The middleware pipeline: Django's order (request phase forwards, response phase backwards over
 * the middleware that ran), answers that short-circuit, errors at every step turned into
 * responses that still pass back through, process_view, and the same behaviour whether each step
 * is synchronous or asynchronous (a synchronous request gets its response without a promise).
 */
import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { Http404, PermissionDenied } from '../../../framework/src/errors.js';
import type { FunnelContext } from '../../../framework/src/http/error-funnel.js';
import type { Middleware } from '../../../framework/src/http/middleware.js';
import { runPipeline } from '../../../framework/src/http/pipeline.js';
import type { HttpRequest } from '../../../framework/src/http/request.js';
import { HttpResponse } from '../../../framework/src/http/response.js';
import { installSink } from '../../../framework/src/log/logger.js';
import type { View } from '../../../framework/src/urls/patterns.js';
import { UrlResolver } from '../../../framework/src/urls/resolver.js';

const settings = configureSettings({ SECRET_KEY: 'pipeline-test-key-0123456789-abcdefghijklmnopqrstu' });
const ctx: FunnelContext = { settings, resolver: new UrlResolver([]), templates: undefined };
/** The pipeline only hands the request to middleware, views and the funnel; these never read it. */
const request = { path: '/p/', rawPath: '/p/', method: 'GET', accepts: () => false, header: () => undefined } as unknown as HttpRequest;

type Mode = 'sync' | 'async';
const wrap = <T>(mode: Mode, value: () => T): T | Promise<T> => (mode === 'sync' ? value() : Promise.resolve().then(value));

interface Script {
  /** Answer in the request phase instead of going on. */
  answer?: boolean;
  throwRequest?: boolean;
  throwResponse?: boolean;
  answerView?: boolean;
}

function mw(name: string, log: string[], mode: Mode, script: Script = {}): Middleware {
  return {
    name,
    processRequest: () =>
      wrap(mode, () => {
        log.push(`${name}.request`);
        if (script.throwRequest) throw new PermissionDenied(`${name} refused`);
        return script.answer ? new HttpResponse(`answered by ${name}`) : undefined;
      }),
    processView: () =>
      wrap(mode, () => {
        log.push(`${name}.view`);
        return script.answerView ? new HttpResponse(`view answered by ${name}`) : undefined;
      }),
    processResponse: (_req, response) =>
      wrap(mode, () => {
        log.push(`${name}.response(${response.status})`);
        if (script.throwResponse) throw new Error(`${name} broke`);
        response.set(`X-${name}`, 'seen');
        return response;
      }),
  };
}

const okView: View = () => new HttpResponse('from the view');

async function run(chain: Middleware[], view: View | undefined = okView): Promise<HttpResponse> {
  return runPipeline(request, view, {}, chain, ctx);
}

t.before(() => installSink(() => {}));
t.teardown(() => installSink(undefined));

for (const mode of ['sync', 'async'] as const) {
  t.test(`${mode} middleware`, async (t) => {
    let log: string[] = [];
    const through = await run([mw('a', log, mode), mw('b', log, mode)]);
    t.equal(through.text(), 'from the view');
    t.same(log, ['a.request', 'b.request', 'a.view', 'b.view', 'b.response(200)', 'a.response(200)'], "Django's order");
    t.equal(through.get('X-a'), 'seen');

    log = [];
    const answered = await run([mw('a', log, mode), mw('b', log, mode, { answer: true }), mw('c', log, mode)]);
    t.equal(answered.text(), 'answered by b');
    t.same(log, ['a.request', 'b.request', 'b.response(200)', 'a.response(200)'], 'an answer skips the rest and the view; only those that ran see it');

    log = [];
    const refused = await run([mw('a', log, mode), mw('b', log, mode, { throwRequest: true }), mw('c', log, mode)]);
    t.equal(refused.status, 403, 'an error in the request phase becomes its page');
    t.same(log, ['a.request', 'b.request', 'a.response(403)'], 'the middleware that threw gets no response phase, the earlier ones do');

    log = [];
    const viewAnswer = await run([mw('a', log, mode, { answerView: true }), mw('b', log, mode)]);
    t.equal(viewAnswer.text(), 'view answered by a');
    t.same(log, ['a.request', 'b.request', 'a.view', 'b.response(200)', 'a.response(200)'], 'process_view may answer for the view');

    log = [];
    const broken = await run([mw('a', log, mode), mw('b', log, mode, { throwResponse: true })]);
    t.equal(broken.status, 500, 'an error in a response phase becomes a 500');
    t.same(log, ['a.request', 'b.request', 'a.view', 'b.view', 'b.response(200)', 'a.response(500)'], 'which still passes through the rest');

    log = [];
    const throwingView = await run([mw('a', log, mode)], () => wrap(mode, () => { throw new Http404('no such drink'); }));
    t.equal(throwingView.status, 404);
    t.same(log, ['a.request', 'a.view', 'a.response(404)']);

    log = [];
    const notAResponse = await run([mw('a', log, mode)], (() => wrap(mode, () => 'text')) as unknown as View);
    t.equal(notAResponse.status, 500, "a view that returns something else is the site's error");

    log = [];
    const unmatched = await runPipeline(request, undefined, {}, [mw('a', log, mode)], ctx);
    t.equal(unmatched.status, 404, 'no view: a 404');
    t.same(log, ['a.request', 'a.response(404)'], 'without a view phase');
  });
}

t.test('a synchronous chain answers without a promise; one async step makes the whole answer a promise', async (t) => {
  const log: string[] = [];
  const sync = runPipeline(request, okView, {}, [mw('a', log, 'sync'), mw('b', log, 'sync')], ctx);
  t.type(sync, HttpResponse, 'a response, not a promise');
  const mixed = runPipeline(request, okView, {}, [mw('a', log, 'sync'), mw('b', log, 'async'), mw('c', log, 'sync')], ctx);
  t.type(mixed, Promise);
  t.equal((await mixed).text(), 'from the view');
  const asyncView = runPipeline(request, async () => new HttpResponse('later'), {}, [mw('a', log, 'sync')], ctx);
  t.equal((await asyncView).text(), 'later');
});
