// The account actions (start trial, move stage, hand off to AE, close). They call the playbook
// functions handed in as deps.actions; without them the forms are disabled and these answer 409.
import type { Context, Hono } from 'hono';
import { OPP_STAGES, type OppStage } from '../core/playbooks/opportunity.ts';
import type { DashboardActions, DashboardDeps } from './deps.ts';
import { authed, type GuardDeps } from './guard.ts';
import type { Session } from './session.ts';
import { registerSalesActions } from './routes-sales.ts';

export function registerActions(app: Hono, deps: DashboardDeps, guard: GuardDeps): void {
  const back = (c: Context, s: Session, account: string, message: string) => {
    s.flash = message;
    return c.redirect(`/accounts/${encodeURIComponent(account)}`, 303);
  };
  /** Runs an action on an opportunity, turning a refusal (unknown stage, closed deal) into the flash message. */
  const onOpportunity = (run: (a: DashboardActions, id: string, body: Record<string, unknown>, by: string) => Promise<string>) =>
    authed(guard, async (c, s) => {
      const id = c.req.param('oid') ?? '';
      const opp = await deps.store.getOpportunity(id).catch(() => undefined);
      if (!deps.actions || !opp) return c.text(deps.actions ? `no opportunity "${id}"` : 'playbook actions are not available on this server', deps.actions ? 404 : 409);
      const body = await c.req.parseBody();
      try {
        return back(c, s, opp.account, await run(deps.actions, id, body, s.keyName));
      } catch (err) {
        return back(c, s, opp.account, `Not done: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, { form: true });

  app.post('/accounts/:id/trial', authed(guard, async (c, s) => {
    const account = c.req.param('id') ?? '';
    if (!deps.actions) return c.text('playbook actions are not available on this server', 409);
    try {
      return back(c, s, account, await deps.actions.startTrial(account, deps.now(), s.keyName));
    } catch (err) {
      return back(c, s, account, `Not done: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, { form: true }));

  app.post('/opportunities/:oid/stage', onOpportunity((a, id, body, by) => {
    const stage = String(body['stage'] ?? '');
    if (!(OPP_STAGES as readonly string[]).includes(stage)) throw new Error(`unknown stage "${stage}"`);
    return a.moveStage(id, stage as OppStage, deps.now(), by);
  }));
  app.post('/opportunities/:oid/handoff', onOpportunity((a, id, body, by) => {
    const to = String(body['to'] ?? '').trim().slice(0, 200);
    if (!to) throw new Error('name the AE to hand off to');
    return a.handOff(id, to, deps.now(), by);
  }));
  app.post('/opportunities/:oid/close', onOpportunity((a, id, body, by) =>
    a.close(id, body['outcome'] === 'won', deps.now(), by, typeof body['loss_reason'] === 'string' && body['loss_reason'] ? body['loss_reason'] : undefined)));
  registerSalesActions(app, deps, guard, back, onOpportunity);
}
