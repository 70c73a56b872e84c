// The account page's sales forms: raise an opportunity by hand, save the qualification checklist.
// They call the app's use cases through deps.actions, like the other account actions.
import type { Context, Hono } from 'hono';
import { QUAL_ITEMS } from '../core/sales/types.ts';
import type { DashboardActions, DashboardDeps } from './deps.ts';
import { authed, type GuardDeps } from './guard.ts';
import type { Session } from './session.ts';

type Back = (c: Context, s: Session, account: string, message: string) => Response;
type OnOpportunity = (run: (a: DashboardActions, id: string, body: Record<string, unknown>, by: string) => Promise<string>) => (c: Context) => Promise<Response>;

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');

export function registerSalesActions(app: Hono, deps: DashboardDeps, guard: GuardDeps, back: Back, onOpportunity: OnOpportunity): void {
  app.post('/accounts/:id/opportunities', authed(guard, async (c, s) => {
    const account = c.req.param('id') ?? '';
    const create = deps.actions?.createOpportunity;
    if (!create) return c.text('playbook actions are not available on this server', 409);
    const body = await c.req.parseBody();
    const note = text(body['note'], 500);
    try {
      return back(c, s, account, await create(account, { offer: text(body['offer'], 200), source: text(body['source'], 50), ...(note ? { note } : {}) }, deps.now(), s.keyName));
    } catch (err) {
      return back(c, s, account, `Not done: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, { form: true }));

  // unchecked boxes are not sent: every item the form shows is answered, yes or no
  app.post('/opportunities/:oid/qualification', onOpportunity((a, id, body, by) => {
    if (!a.qualify) throw new Error('qualification is not available on this server');
    const answers: Record<string, { met: boolean; note?: string }> = {};
    for (const k of QUAL_ITEMS) {
      const note = text(body[`${k}_note`], 200);
      answers[k] = { met: body[k] === 'yes', ...(note ? { note } : {}) };
    }
    return a.qualify(id, answers, deps.now(), by);
  }));
}
