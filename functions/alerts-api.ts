// API Gateway HTTP API -> this function: e-mail alerts over HTTP (shared/routes/route-groups.ts,
// alertsGroup): POST /api/subscriptions (a confirmation mail through SES), the confirm, manage and
// unsubscribe pages behind the links in mails (signed with the token-signing key), and the admin's
// views of the outbox, the alerts queue and its dead letters, and a subscriber's data.
import { createLambdaAlerts } from '../lambda/alerts-context.ts';
import { createHttpFunction, withBearer } from '../lambda/http-function.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { alertsGroup } from '../shared/routes/route-groups.ts';
import * as alertRoutes from '../shared/web/routes-alerts.ts';
import type { MailHealth } from '../shared/alerts/context.ts';

const runtime = createLambdaRuntime({ needs: { adminToken: true, mail: true } });
const alerts = createLambdaAlerts(runtime);
/** Local hub only (local/handler-topology.ts): the functions of one process see the mail service as one. */
export function shareMailHealth(health: MailHealth): void {
  alerts.health = health;
}

export const handler = createHttpFunction(
  runtime,
  (adminToken) => alertsGroup(runtime.ctx, { publicUrl: runtime.config.publicUrl, adminToken, limits: runtime.config, alerts: { ctx: alerts, outbox: runtime.outbox } }, { alerts: alertRoutes }).handle,
  { needsAdminToken: withBearer },
);
