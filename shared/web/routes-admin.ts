// The secretariat's pages (/admin): members, feeds to approve, dead and failing feeds, mail and the
// local outbox, and "poll every feed now" with its progress. The same use cases as the admin API.
import { approveFeed } from '../app/domains.ts';
import { feedForCaller } from '../app/feed-registry.ts';
import { createMember } from '../app/members.ts';
import { HubError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { json, type HttpResponse } from '../http/types.ts';
import type { FeedStatus } from '../model.ts';
import { listField, textField } from './forms.ts';
import { overviewPage } from './pages/admin.ts';
import { adminFeedsPage } from './pages/admin-feeds.ts';
import { mailPage, type MailInput } from './pages/admin-mail.ts';
import { memberCreatedPage, membersPage, type MemberFormValues } from './pages/admin-members.ts';
import { pollResultPage } from './pages/admin-poll.ts';
import { adminSignInPage } from './pages/sign-in.ts';
import { PollRunner, type PollRun } from '../app/poll-runner.ts';
import { adminRoute, noticeFrom, type PageRequest, type PortalDeps } from './portal-context.ts';
import { redirect } from './respond.ts';

const signedOut = async (p: PageRequest) => adminSignInPage(p.view);

function progressView(run: PollRun | undefined, running: boolean) {
  const s = run?.summary;
  return {
    running,
    done: run?.done ?? 0,
    total: run?.total ?? 0,
    started_at: run?.startedAt ?? null,
    finished_at: run?.finishedAt ?? null,
    failed: !!run?.failed,
    summary: s ? { feeds_polled: s.feedsPolled, new_publications: s.newPublications, errors: s.errors } : null,
  };
}

export function registerAdminRoutes(router: Router, deps: PortalDeps): void {
  const { ctx } = deps;
  const runner = new PollRunner(ctx, deps.pollNow);
  const admin = (handler: (p: PageRequest) => Promise<HttpResponse>) => adminRoute(deps, handler, signedOut);

  router.on(
    'GET',
    '/admin',
    admin(async (p) => {
      const [members, feeds] = await Promise.all([ctx.store.listMembers(), ctx.store.listFeeds()]);
      const counts: Partial<Record<FeedStatus, number>> = {};
      for (const f of feeds) if (!f.removed) counts[f.status] = (counts[f.status] ?? 0) + 1;
      const a = deps.alerts?.ctx;
      const depth = a?.queue ? await a.queue.depth().catch(() => undefined) : undefined;
      return overviewPage(p.view, {
        members: { active: members.filter((m) => m.active).length, total: members.length },
        feeds: counts,
        ...(a && { mail: { transport: a.mailer.transport, state: a.health.state, deadLetters: depth?.deadLetters ?? null } }),
        run: runner.latest(),
        running: runner.running,
      });
    }),
  );

  router.on('GET', '/admin/members', admin(async (p) => membersPage(p.view, { members: await ctx.store.listMembers(), feeds: await ctx.store.listFeeds() })));

  router.on(
    'POST',
    '/admin/members',
    admin(async (p) => {
      const fields = ['id', 'name', 'acronym', 'email', 'website', 'domains'] as const;
      const values = Object.fromEntries(fields.map((f) => [f, textField(p.form, f, 500)])) as MemberFormValues;
      try {
        const input = { ...values, domains: listField(p.form, 'domains', 21) };
        const { member, apiKey } = await createMember(ctx.store, input, ctx.now().toISOString());
        ctx.log.info('member created from the secretariat page', { member_id: member.id });
        return memberCreatedPage(p.view, member, apiKey);
      } catch (err) {
        if (!(err instanceof HubError) || (err.kind !== 'validation' && err.kind !== 'conflict')) throw err;
        const problems = (err.details?.problems as string[] | undefined) ?? [err.message];
        return membersPage(p.view, { members: await ctx.store.listMembers(), feeds: await ctx.store.listFeeds(), values, problems, status: err.kind === 'conflict' ? 409 : 422 });
      }
    }),
  );

  router.on(
    'GET',
    '/admin/feeds',
    admin(async (p) => adminFeedsPage(p.view, { feeds: await ctx.store.listFeeds(), members: await ctx.store.listMembers(), notice: noticeFrom(p.view, p.req, ['approved']) })),
  );

  router.on(
    'POST',
    '/admin/feeds/{id}/approve',
    admin(async (p) => {
      const feed = await approveFeed(ctx, await feedForCaller(ctx, p.params.id ?? '', { admin: true }));
      ctx.log.info('feed approved from the secretariat page', { feed_id: feed.id, member_id: feed.memberId });
      return redirect('/admin/feeds?notice=approved');
    }),
  );

  router.on(
    'GET',
    '/admin/mail',
    admin(async (p) => {
      const a = deps.alerts;
      const input: MailInput = { notice: noticeFrom(p.view, p.req, ['redriven']) };
      if (a) {
        input.transport = a.ctx.mailer.transport;
        input.health = a.ctx.health;
        if (a.ctx.queue) {
          const [depth, dead] = await Promise.all([a.ctx.queue.depth(), a.ctx.queue.listDeadLetters(20)]);
          input.queue = depth.queue;
          input.deadLetters = dead;
        }
        if (a.outbox) input.outbox = (await a.outbox.list(50)) as MailInput['outbox'];
      }
      return mailPage(p.view, input);
    }),
  );

  router.on(
    'POST',
    '/admin/mail/redrive',
    admin(async () => {
      const queue = deps.alerts?.ctx.queue;
      const moved = queue ? await queue.redriveDeadLetters(100) : 0;
      ctx.log.info('dead letters moved back from the secretariat page', { message_count: moved });
      return redirect(`/admin/mail?notice=redriven&n=${moved}`);
    }),
  );

  // Without script the post waits for the cycle and shows its result; the page's script asks for
  // JSON instead, gets 202 at once, and follows the progress at /admin/poll/status.
  router.on(
    'POST',
    '/admin/poll',
    admin(async (p) => {
      if ((p.req.headers.accept ?? '').includes('application/json')) {
        void runner.start();
        return json(202, progressView(runner.latest(), runner.running));
      }
      const run = await runner.start();
      return pollResultPage(p.view, run, false);
    }),
  );

  router.on('GET', '/admin/poll', admin(async (p) => pollResultPage(p.view, runner.latest(), runner.running)));

  router.on('GET', '/admin/poll/status', async (req) => {
    const who = await deps.signIn.current(req);
    if (who?.kind !== 'admin') return json(401, { error: { code: 'unauthenticated', message: 'Sign in as the secretariat first.' } });
    return json(200, progressView(runner.latest(), runner.running));
  });
}
