// API Gateway HTTP API (/feeds/{proxy+}) -> this function: the merged feeds, RSS, Atom and JSON Feed,
// of all members or one (shared/routes/route-groups.ts, feedsGroup). CloudFront keeps each for as long
// as its Cache-Control says and answers readers' conditional requests itself; this function renders
// from the table and keeps a rendered feed for a minute. Public and read-only: it holds no secret and
// may only read the table.
import { createHttpFunction } from '../lambda/http-function.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { FeedCache } from '../shared/http/feed-cache.ts';
import { feedsGroup } from '../shared/routes/route-groups.ts';
import * as feeds from '../shared/http/routes-feeds.ts';
import { loadAllPublications, PublicationIndex } from '../shared/app/publication-index.ts';

const runtime = createLambdaRuntime();
const { ctx, config } = runtime;
const state = { cache: new FeedCache(60), publications: new PublicationIndex(() => loadAllPublications(ctx.store), { ttlSeconds: 60, clock: () => ctx.now().getTime(), log: ctx.log }) };

/** Local hub only (local/handler-topology.ts): a poll in the same process stored publications. */
export function publicationsChanged(): void {
  state.cache.invalidate();
  state.publications.invalidate();
}

export const handler = createHttpFunction(runtime, (adminToken) => feedsGroup(ctx, { publicUrl: config.publicUrl, adminToken, limits: config }, state, { feeds }).handle);
