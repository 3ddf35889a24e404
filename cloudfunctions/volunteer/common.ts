/**
 * Shared pieces of the volunteer function: the action-table type, the field cipher, loading
 * documents with Chinese not-found messages, the registration view (masked only), the audit log,
 * the per-community settings and a worker's decision on a pending request.
 */
import type { ActionName } from '../../types/api';
import type {
  Activity,
  AuditEntry,
  Community,
  RegistrationView,
  SignUp,
  VolunteerRegistration,
  VolunteerSettings,
} from '../../types/domain';
import { byIds, getById, loadDoc, transaction, type CollectionName, type TxDocs } from '../core/db';
import { dataCipher, type FieldCipher } from '../core/crypto';
import { conflict, notFound } from '../core/errors';
import type { ActionContext, ActionTable } from '../core/function';
import type { VolunteerReviewedPayload } from '../core/notify/templates';
import { assertManagesCommunity, canManageCommunity, hasRole, type Caller } from '../core/guard';
import { runtime } from '../core/runtime';
import { audit } from './ledgers';

export { body, loadDoc, newId } from '../core/db';
export { audit };

export type VolunteerActions<A extends ActionName<'volunteer'>> = Pick<ActionTable<'volunteer'>, A>;

export const cipher = (): FieldCipher => dataCipher(process.env, { demo: runtime().demo });

export const signUpId = (activityId: string, openid: string) => `${activityId}_${openid}`;

export const loadActivity = (id: string) => loadDoc<Activity>('activities', id, '活动不存在或已删除');
export const loadCommunity = (id: string) => loadDoc<Community>('communities', id, '社区不存在');
export const loadRegistration = (openid: string) => getById<VolunteerRegistration>('volunteers', openid);
export const loadSignUp = (activityId: string, openid: string) =>
  getById<SignUp>('signups', signUpId(activityId, openid));

export async function requireRegistration(openid: string): Promise<VolunteerRegistration> {
  const r = await loadRegistration(openid);
  if (!r) throw notFound('你还没有登记为志愿者，请先完成实名登记');
  return r;
}

export async function communityNames(ids: string[]): Promise<Map<string, string>> {
  const found = await byIds<Community>('communities', [...new Set(ids)]);
  return new Map([...found.values()].map((c) => [c._id, c.name]));
}

export function toRegistrationView(r: VolunteerRegistration, communityName: string): RegistrationView {
  return {
    openid: r.openid,
    communityId: r.communityId,
    communityName,
    name: r.name,
    idMasked: r.idMasked,
    phoneMasked: r.phoneMasked,
    skills: r.skills,
    preferences: r.preferences,
    status: r.status,
    ...(r.rejectReason ? { rejectReason: r.rejectReason } : {}),
    submittedAt: r.submittedAt,
    ...(r.reviewedAt ? { reviewedAt: r.reviewedAt } : {}),
    rankingOptOut: r.rankingOptOut,
  };
}

export async function registrationViews(items: VolunteerRegistration[]): Promise<RegistrationView[]> {
  const names = await communityNames(items.map((r) => r.communityId));
  return items.map((r) => toRegistrationView(r, names.get(r.communityId) ?? ''));
}

export const registrationView = async (r: VolunteerRegistration) => (await registrationViews([r]))[0]!;

export const DEFAULT_SETTINGS = { pointsPerHour: 1, pointsExpiry: null } as const;

export async function loadSettings(communityId: string): Promise<VolunteerSettings> {
  const s = await getById<VolunteerSettings>('volunteer_settings', communityId);
  return s ?? { _id: communityId, ...DEFAULT_SETTINGS, updatedAt: 0, updatedBy: '' };
}

/**
 * Who runs a session or listing: a worker of its community (or an admin), or staff of one of its
 * host units.
 */
export function canRun(caller: Caller, x: { communityId: string; hostUnitIds: string[] }): boolean {
  return (
    canManageCommunity(caller, x.communityId) ||
    x.hostUnitIds.some((unitId) => hasRole(caller, 'unitStaff', { unitId }))
  );
}

/** A volunteer's request that a worker of its community decides once (registration, correction, 补卡). */
interface Pending {
  openid: string;
  communityId: string;
  activityId?: string;
  status: string;
}

/**
 * A worker's decision on a pending request: load it (NOT_FOUND with `missing`), check the caller
 * manages its community, run `prepare` on it, then in one transaction re-read it (CONFLICT with
 * `handled` unless still pending), `apply` the decision's writes, and append the audit line and
 * the `volunteerReviewed` notice to the volunteer. Returns what `apply` returns.
 */
export async function decidePending<D extends Pending, P, R>(
  { caller, now, emit }: ActionContext,
  req: {
    collection: CollectionName;
    id: string;
    missing: string;
    handled: string;
    subject: VolunteerReviewedPayload['subject'];
    approved: boolean;
    reason?: string;
    action: AuditEntry['action'];
    detail: (doc: D) => string;
    prepare?: (doc: D) => Promise<P>;
    apply: (t: TxDocs, doc: D, prepared: P) => Promise<R>;
  },
): Promise<R> {
  const before = await loadDoc<D>(req.collection, req.id, req.missing);
  assertManagesCommunity(caller, before.communityId);
  const prepared = (await req.prepare?.(before)) as P;
  return transaction(async (t) => {
    const doc = await t.get<D>(req.collection, req.id);
    if (!doc) throw notFound(req.missing);
    if (doc.status !== 'pending') throw conflict(req.handled);
    const result = await req.apply(t, doc, prepared);
    await audit(t, {
      at: now,
      actor: caller.openid,
      action: req.action,
      subject: doc.openid,
      communityId: doc.communityId,
      ...(doc.activityId ? { activityId: doc.activityId } : {}),
      detail: req.detail(doc),
    });
    await emit(t, {
      kind: 'volunteerReviewed',
      payload: {
        subject: req.subject,
        approved: req.approved,
        ...(req.reason ? { reason: req.reason } : {}),
        at: now,
      },
      recipients: { openids: [doc.openid] },
    });
    return result;
  });
}
