/**
 * One mechanism for every cloud function: an action table in, a CloudBase `main(event, context)`
 * out. For each call it resolves the caller from the platform, validates `data` against the
 * action's schema (unknown fields rejected), checks the caller's roles with the single guard, runs
 * the handler and wraps the outcome as `{ ok, data }` / `{ ok: false, error }`.
 */
import { ZodError, type z } from 'zod';
import type {
  ActionName,
  ApiContract,
  CallEvent,
  FunctionName,
  RequestOf,
  ResponseOf,
  Result,
} from '../../types/api';
import type { Schemas } from '../../types/schemas';
import { AppError } from './errors';
import { runtime } from './runtime';
import { loadCaller, type Caller, type RoleRequirement, assertRoles } from './guard';
import { busy, isTransactionConflict, type TxDocs } from './db';
import { recordEvent, type EmitInput } from './notify/outbox';
import { enqueue, newRunner, runFirstBatch, type JobDef } from './jobs';

export interface ActionContext {
  caller: Caller;
  now: number;
  /**
   * Record a notification event in the outbox inside the caller's transaction (so it exists
   * only if the change commits), with its message-centre entries when it has a few named
   * recipients, else a fan-out job (see core/notify/outbox.ts). Sends happen in the timer.
   */
  emit(t: TxDocs, event: EmitInput): Promise<void>;
  /**
   * Create a background job inside the caller's transaction (core/jobs.ts). Before answering,
   * the call runs ONE small batch of it (awaited); the timer does the rest.
   */
  enqueue<P>(t: TxDocs, def: JobDef<P>, payload: P): Promise<string>;
}

export interface ActionDef<F extends FunctionName, A extends ActionName<F>> {
  /** Who may call: 'any' for every logged-in user, or roles (any one suffices). Scope checks
   *  (which community, whose record) happen in the handler with the guard helpers. */
  roles: RoleRequirement;
  handler: (
    ctx: ActionContext,
    data: A extends keyof Schemas[F]
      ? Schemas[F][A] extends z.ZodTypeAny
        ? z.output<Schemas[F][A]>
        : never
      : never,
  ) => Promise<ResponseOf<F, A>>;
}

export type ActionTable<F extends FunctionName> = { [A in ActionName<F>]: ActionDef<F, A> };

export type CloudMain = (event: unknown, context?: unknown) => Promise<Result<unknown>>;

export function createFunction<F extends FunctionName>(
  name: F,
  schemas: Schemas[F],
  actions: ActionTable<F>,
): CloudMain {
  return async (event, context) => {
    const rt = runtime();
    try {
      const { action, data } = parseEvent(event);
      if (!Object.prototype.hasOwnProperty.call(actions, action)) {
        throw new AppError('INVALID_INPUT', `未知的操作：${name}.${action}`);
      }
      const def = actions[action as ActionName<F>];
      const schema = (schemas as Record<string, z.ZodTypeAny>)[action];
      const parsed = validate(schema, data ?? {});
      const openid = rt.identity.callerOpenid(context);
      if (!openid) throw new AppError('UNAUTHENTICATED', '请先登录');
      const now = rt.now();
      const caller = await loadCaller(openid, now);
      assertRoles(caller, def.roles);
      // Jobs this call created (in its transaction, leased to this call): their first batch runs
      // before the answer. A transaction attempt that was retried leaves ids of jobs that never
      // committed; runFirstBatch finds nothing for them.
      const runner = newRunner();
      const jobs = new Set<string>();
      const ctx: ActionContext = {
        caller,
        now,
        async emit(t, event) {
          const { jobId } = await recordEvent(t, event, now, { leaseTo: runner });
          if (jobId) jobs.add(jobId);
        },
        async enqueue(t, jobDef, payload) {
          const id = await enqueue(t, jobDef, payload, now, { leaseTo: runner });
          jobs.add(id);
          return id;
        },
      };
      // The handler's data type is tied to its schema by ActionDef.
      const result = await (def.handler as (c: ActionContext, d: unknown) => Promise<unknown>)(ctx, parsed);
      if (jobs.size) await Promise.all([...jobs].map((id) => runFirstBatch(id, runner, now)));
      return { ok: true, data: result };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toJSON() };
      // A conflict outside `transaction()` (e.g. a plain write racing one) is still "try again".
      if (isTransactionConflict(err)) return { ok: false, error: busy().toJSON() };
      rt.log('error', `${name} failed`, { error: err instanceof Error ? err.stack : String(err) });
      return { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } };
    }
  };
}

function parseEvent(event: unknown): CallEvent {
  if (!event || typeof event !== 'object') throw new AppError('INVALID_INPUT', '请求格式不正确');
  const { action, data } = event as Record<string, unknown>;
  if (typeof action !== 'string' || !action) throw new AppError('INVALID_INPUT', '缺少 action');
  return { action, data };
}

function validate(schema: z.ZodTypeAny, data: unknown): unknown {
  try {
    return schema.parse(data);
  } catch (err) {
    if (err instanceof ZodError) {
      const fields: Record<string, string> = {};
      for (const issue of err.issues) {
        const path = issue.path.join('.') || '_';
        if (!fields[path]) fields[path] = issueMessage(issue);
      }
      const first = Object.values(fields)[0] ?? '参数不正确';
      throw new AppError('INVALID_INPUT', first, fields);
    }
    throw err;
  }
}

function issueMessage(issue: z.ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `不支持的字段：${issue.keys.join('、')}`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined')
    return `缺少字段：${issue.path.join('.')}`;
  // Our schemas carry Chinese messages; zod's defaults are English, so give a generic one.
  return /[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : `字段 ${issue.path.join('.')} 不正确`;
}

/** Typed helper so an action table reads like the contract. */
export function defineActions<F extends FunctionName>(_name: F, table: ActionTable<F>): ActionTable<F> {
  return table;
}

export type { RequestOf, ApiContract };

export interface TimerReport {
  ok: true;
  data: Record<string, unknown>;
}

/**
 * Timer-triggered functions have no caller: they run named jobs in order and report what each
 * did. A failing job is logged and does not stop the others.
 */
export function createTimerFunction(
  jobs: Record<string, (now: number) => Promise<unknown>>,
): (event?: unknown, context?: unknown) => Promise<TimerReport> {
  return async () => {
    const rt = runtime();
    const now = rt.now();
    const data: Record<string, unknown> = {};
    for (const [name, job] of Object.entries(jobs)) {
      try {
        data[name] = await job(now);
      } catch (err) {
        rt.log('error', `timer job ${name} failed`, {
          error: err instanceof Error ? err.stack : String(err),
        });
        data[name] = { error: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ok: true, data };
  };
}
