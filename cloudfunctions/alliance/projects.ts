/**
 * 项目清单: co-governance projects. Workers publish; unit staff claim for their unit (the limit
 * holds under concurrency: the claim transaction reads and bumps the project's count); workers
 * review claims, mark milestones and complete; approved claimants post progress; people rate.
 */
import type { ClaimView, ProjectDetail, ProjectSummary } from '../../types/domain';
import type {
  AllianceUnit,
  Need,
  Project,
  ProjectClaim,
  ProjectRating,
  ProjectUpdate,
} from '../../types/domain';
import { cmd, collection, getAll, getById, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import type { ActionContext } from '../core/function';
import { assertManagesCommunity, canManageCommunity, hasRole, type Caller } from '../core/guard';
import { pageWindow, queryPage, toPage } from '../core/paging';
import { runtime } from '../core/runtime';
import * as rules from '../domain/alliance';
import { isStaffOf, requireStaffUnit, staffUnitId } from './access';
import {
  assertCleanText,
  assertFilesOwned,
  body,
  loadCommunity,
  loadDoc,
  loadUnit,
  manyByIds,
  newId,
  staffOf,
  type AllianceActions,
} from './common';

export const claimId = (projectId: string, unitId: string) => `${projectId}_${unitId}`;
const ratingId = (projectId: string, openid: string) => `${projectId}_${openid}`;

async function loadProject(projectId: string): Promise<Project> {
  return loadDoc<Project>('projects', projectId, '项目不存在');
}

async function txProject(t: TxDocs, projectId: string): Promise<Project> {
  const p = await t.get<Project>('projects', projectId);
  if (!p) throw notFound('项目不存在');
  return p;
}

export function toSummary(p: Project, now: number): ProjectSummary {
  return {
    _id: p._id,
    communityId: p.communityId,
    title: p.title,
    goal: p.goal,
    deadline: p.deadline,
    maxClaims: p.maxClaims,
    activeClaims: p.activeClaims,
    approvedClaims: p.approvedClaims,
    status: p.status,
    phase: rules.projectPhase(p, now),
    avgRating: rules.averageRating(p),
    ratingCount: p.ratingCount,
    createdAt: p.createdAt,
  };
}

const claimView = ({ claimedBy: _c, reviewedBy: _r, ...rest }: ProjectClaim): ClaimView => rest;

/** Staff of a unit whose claim on the project was approved. */
const approvedClaimant = (caller: Caller, claims: ProjectClaim[]) =>
  claims.some((c) => c.status === 'approved' && isStaffOf(caller, c.unitId));

/** The most claims a project shows (and may have: maxClaims is far below it). */
const CLAIMS_SHOWN = 100;

/** What a project's detail shows besides the project: its claims, the caller's rating and unit. */
interface DetailParts {
  claims: ProjectClaim[];
  rating: ProjectRating | undefined;
  unit: AllianceUnit | undefined;
}

/** Reads a project's detail parts at once (they need only its id and the caller). */
function readDetailParts(projectId: string, caller: Caller): Promise<DetailParts> {
  const unitId = staffUnitId(caller);
  return Promise.all([
    collection('project_claims')
      .where({ projectId })
      .limit(CLAIMS_SHOWN)
      .get()
      .then((r) => r.data as ProjectClaim[]),
    getById<ProjectRating>('project_ratings', ratingId(projectId, caller.openid)),
    unitId ? getById<AllianceUnit>('units', unitId) : Promise.resolve(undefined),
  ]).then(([claims, rating, unit]) => ({ claims, rating, unit }));
}

/** The detail in two round trips: the parts with the project, then the linked needs. */
async function toDetail(
  p: Project,
  caller: Caller,
  now: number,
  known?: DetailParts,
): Promise<ProjectDetail> {
  const [parts, needs] = await Promise.all([
    known ?? readDetailParts(p._id, caller),
    manyByIds<Need>('needs', p.needIds),
  ]);
  return buildDetail(p, caller, now, parts, needs);
}

async function buildDetail(
  p: Project,
  caller: Caller,
  now: number,
  { claims: found, rating, unit }: DetailParts,
  needs: Map<string, Need>,
): Promise<ProjectDetail> {
  const claims = [...found].sort((a, b) => a.createdAt - b.createdAt);
  const storage = runtime().storage;
  const updates = await Promise.all(
    p.updates.map(async ({ byOpenid: _who, photos, ...u }) => ({
      ...u,
      photoUrls: await storage.urls(photos),
    })),
  );
  const manages = canManageCommunity(caller, p.communityId);
  const unitId = staffUnitId(caller);
  const canClaimNow =
    !!unitId &&
    !!unit?.communityIds.includes(p.communityId) &&
    rules.canClaim(
      p,
      claims.find((c) => c.unitId === unitId),
      now,
    ).ok;
  const open = p.status === 'open';
  const can: ProjectDetail['can'] = {};
  if (canClaimNow) can.claim = true;
  if (manages && open && claims.some((c) => c.status === 'pending')) can.review = true;
  if (open && approvedClaimant(caller, claims)) can.progress = true;
  if (manages && open) can.milestone = true;
  if (manages && rules.canComplete(p).ok) can.complete = true;
  if (rules.canRate(p, !!rating).ok && !approvedClaimant(caller, claims)) can.rate = true;
  return {
    ...toSummary(p, now),
    tasks: p.tasks,
    wanted: p.wanted,
    needs: p.needIds.flatMap((id) => {
      const n = needs.get(id);
      return n ? [{ _id: n._id, title: n.title }] : [];
    }),
    claims: claims.map(claimView),
    updates,
    ...(rating ? { myRating: rating.stars } : {}),
    can,
  };
}

/** Append a timeline entry in a transaction, after `check` on the fresh project. */
async function appendUpdate(
  ctx: ActionContext,
  projectId: string,
  update: ProjectUpdate,
  check: (p: Project) => void,
  patch: Partial<Project> = {},
): Promise<ProjectDetail> {
  const after = await transaction(async (t) => {
    const p = await txProject(t, projectId);
    check(p);
    const next = { ...p, ...patch, updates: [...p.updates, update], updatedAt: ctx.now };
    await t.update('projects', projectId, {
      ...patch,
      updates: next.updates,
      updatedAt: ctx.now,
    } as Record<string, unknown>);
    return next;
  });
  return toDetail(after, ctx.caller, ctx.now);
}

function managerOf(caller: Caller, p: Project): void {
  if (!canManageCommunity(caller, p.communityId)) throw forbidden('只能管理本社区的项目');
}

function ensureOpen(p: Project): void {
  if (p.status !== 'open') throw conflict('项目已完成');
}

export const projectActions: AllianceActions<
  | 'publishProject'
  | 'listProjects'
  | 'projectDetail'
  | 'claimProject'
  | 'reviewClaim'
  | 'postProgress'
  | 'markMilestone'
  | 'completeProject'
  | 'rateProject'
> = {
  publishProject: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, data) {
      await loadCommunity(data.communityId);
      assertManagesCommunity(caller, data.communityId);
      if (data.deadline <= now)
        throw invalid('认领截止时间须晚于现在', { deadline: '认领截止时间须晚于现在' });
      await assertCleanText(`${data.title} ${data.goal}`, caller.openid, 'goal');
      const needIds = [...new Set(data.needIds)];
      const needs = await manyByIds<Need>('needs', needIds);
      for (const id of needIds) {
        if (needs.get(id)?.communityId !== data.communityId)
          throw invalid('关联的需求不存在或不属于本社区', { needIds: '需求无效' });
      }
      const project: Project = {
        _id: newId(),
        communityId: data.communityId,
        title: data.title,
        goal: data.goal,
        tasks: data.tasks,
        wanted: data.wanted,
        deadline: data.deadline,
        maxClaims: data.maxClaims,
        needIds,
        status: 'open',
        activeClaims: 0,
        approvedClaims: 0,
        ratingCount: 0,
        ratingSum: 0,
        updates: [],
        createdBy: caller.openid,
        createdAt: now,
        updatedAt: now,
      };
      await transaction(async (t) => {
        await t.set('projects', project._id, body(project));
        for (const id of needIds) await t.update('needs', id, { status: 'inProject' });
      });
      return toDetail(project, caller, now);
    },
  },

  listProjects: {
    roles: 'any',
    async handler({ now }, { communityId, phase, unitId, ...page }) {
      const summaries = (items: Project[]) => items.map((p) => toSummary(p, now));
      if (unitId) {
        // One unit's claims (a handful a year), their projects filtered and paged here.
        const claims = await getAll<ProjectClaim>(collection('project_claims').where({ unitId }));
        let projects = [
          ...(
            await manyByIds<Project>(
              'projects',
              claims.map((c) => c.projectId),
            )
          ).values(),
        ];
        if (communityId) projects = projects.filter((p) => p.communityId === communityId);
        if (phase) projects = projects.filter((p) => rules.projectPhase(p, now) === phase);
        projects.sort((a, b) => b.createdAt - a.createdAt);
        const win = pageWindow(page);
        return toPage(summaries(projects.slice(win.skip, win.skip + win.limit)), projects.length, win);
      }
      const _ = cmd();
      const where: Record<string, unknown> = communityId ? { communityId } : {};
      if (phase === 'completed') where.status = 'completed';
      if (phase === 'closed') Object.assign(where, { status: 'open', deadline: _.lte(now) });
      if (phase === 'claiming' || phase === 'full') {
        // Open projects before their deadline: the few being claimed now. Full or not depends on
        // two fields of each, so they are told apart here.
        const open = await getAll<Project>(
          collection('projects').where({ ...where, status: 'open', deadline: _.gt(now) }),
        );
        const projects = open
          .filter((p) => rules.projectPhase(p, now) === phase)
          .sort((a, b) => b.createdAt - a.createdAt);
        const win = pageWindow(page);
        return toPage(summaries(projects.slice(win.skip, win.skip + win.limit)), projects.length, win);
      }
      // Everything else pages in the database (completed and closed projects accumulate).
      return queryPage<Project, ProjectSummary>(
        collection('projects').where(where),
        { field: 'createdAt', order: 'desc' },
        page,
        summaries,
      );
    },
  },

  projectDetail: {
    roles: 'any',
    async handler({ caller, now }, { projectId }) {
      const parts = readDetailParts(projectId, caller);
      parts.catch(() => {}); // awaited in toDetail
      return toDetail(await loadProject(projectId), caller, now, await parts);
    },
  },

  claimProject: {
    roles: ['unitStaff'],
    async handler({ caller, now }, { projectId, plan }) {
      const unitId = requireStaffUnit(caller);
      await assertCleanText(plan, caller.openid, 'plan');
      // Read while the transaction starts: the unit, the project (for its needs) and the detail's
      // parts; the claim limit itself is checked on the project inside the transaction.
      const before = Promise.all([
        loadUnit(unitId),
        loadProject(projectId),
        readDetailParts(projectId, caller),
      ]);
      before.catch(() => {}); // awaited inside the transaction
      let needs: Promise<Map<string, Need>> | undefined;
      const { after, claim, parts } = await transaction(async (t) => {
        const [unit, first, parts] = await before;
        needs ??= manyByIds<Need>('needs', first.needIds);
        needs.catch(() => {});
        const id = claimId(projectId, unit._id);
        const [p, existing] = await Promise.all([
          txProject(t, projectId),
          t.get<ProjectClaim>('project_claims', id),
        ]);
        if (!unit.communityIds.includes(p.communityId))
          throw forbidden('本单位不是该社区的共建单位，不能认领');
        const allowed = rules.canClaim(p, existing, now);
        if (!allowed.ok) throw conflict(allowed.reason);
        const claim: ProjectClaim = {
          _id: id,
          projectId,
          communityId: p.communityId,
          unitId: unit._id,
          unitName: unit.name,
          plan,
          status: 'pending',
          claimedBy: caller.openid,
          createdAt: now,
        };
        await Promise.all([
          t.set('project_claims', id, body(claim)),
          t.update('projects', projectId, { activeClaims: p.activeClaims + 1, updatedAt: now }),
        ]);
        return { after: { ...p, activeClaims: p.activeClaims + 1, updatedAt: now }, claim, parts };
      });
      const claims = [...parts.claims.filter((c) => c._id !== claim._id), claim];
      return buildDetail(after, caller, now, { ...parts, claims }, await needs!);
    },
  },

  reviewClaim: {
    roles: ['worker', 'admin'],
    async handler(ctx, { projectId, unitId, approve, reason }) {
      const { caller, now } = ctx;
      // Read while the transaction starts: the project (who manages it, its needs), the unit's
      // staff to notify and the detail's parts; the claim and the counts are read inside.
      const before = Promise.all([
        loadProject(projectId),
        staffOf(unitId),
        readDetailParts(projectId, caller),
      ]);
      before.catch(() => {}); // awaited inside the transaction
      let needs: Promise<Map<string, Need>> | undefined;
      const { after, claim, parts } = await transaction(async (t) => {
        const [first, staffUsers, parts] = await before;
        managerOf(caller, first);
        needs ??= manyByIds<Need>('needs', first.needIds);
        needs.catch(() => {});
        const [p, claim] = await Promise.all([
          txProject(t, projectId),
          t.get<ProjectClaim>('project_claims', claimId(projectId, unitId)),
        ]);
        if (!claim) throw notFound('该单位没有认领此项目');
        const review = rules.reviewClaim(p, claim, approve, reason, caller.openid, now);
        if ('error' in review) throw conflict(review.error);
        const staff = staffUsers.map((u) => u.openid);
        await Promise.all([
          t.update('project_claims', claim._id, review.claim),
          t.update('projects', projectId, { ...review.counts, updatedAt: now }),
          staff.length
            ? ctx.emit(t, {
                kind: 'claimReviewed',
                payload: {
                  projectId,
                  projectTitle: p.title,
                  unitName: claim.unitName,
                  approved: approve,
                  ...(reason ? { reason } : {}),
                  at: now,
                },
                recipients: { openids: staff },
              })
            : undefined,
        ]);
        return {
          after: { ...p, ...review.counts, updatedAt: now },
          claim: { ...claim, ...review.claim },
          parts,
        };
      });
      const claims = [...parts.claims.filter((c) => c._id !== claim._id), claim];
      return buildDetail(after, caller, now, { ...parts, claims }, await needs!);
    },
  },

  postProgress: {
    roles: ['unitStaff'],
    async handler(ctx, { projectId, text, photos }) {
      const { caller, now } = ctx;
      const unitId = requireStaffUnit(caller);
      const claim = await getById<ProjectClaim>('project_claims', claimId(projectId, unitId));
      if (!claim) await loadProject(projectId); // a missing project reads as such
      if (claim?.status !== 'approved') throw forbidden('只有认领已通过的单位才能发布项目进展');
      await assertFilesOwned(photos, caller.openid);
      await assertCleanText(text, caller.openid);
      return appendUpdate(
        ctx,
        projectId,
        {
          kind: 'progress',
          at: now,
          byOpenid: caller.openid,
          unitId,
          unitName: claim.unitName,
          text,
          photos,
        },
        ensureOpen,
      );
    },
  },

  markMilestone: {
    roles: ['worker', 'admin'],
    async handler(ctx, { projectId, text }) {
      managerOf(ctx.caller, await loadProject(projectId));
      return appendUpdate(
        ctx,
        projectId,
        { kind: 'milestone', at: ctx.now, byOpenid: ctx.caller.openid, text, photos: [] },
        ensureOpen,
      );
    },
  },

  completeProject: {
    roles: ['worker', 'admin'],
    async handler(ctx, { projectId, summary }) {
      managerOf(ctx.caller, await loadProject(projectId));
      return appendUpdate(
        ctx,
        projectId,
        { kind: 'completed', at: ctx.now, byOpenid: ctx.caller.openid, text: summary, photos: [] },
        (p) => {
          const allowed = rules.canComplete(p);
          if (!allowed.ok) throw conflict(allowed.reason);
        },
        { status: 'completed', completedAt: ctx.now },
      );
    },
  },

  rateProject: {
    roles: 'any',
    async handler({ caller, now }, { projectId, stars, comment }) {
      const before = await loadProject(projectId);
      const claims = await getAll<ProjectClaim>(collection('project_claims').where({ projectId }));
      if (approvedClaimant(caller, claims)) throw forbidden('认领单位不能评价自己参与的项目');
      if (comment) await assertCleanText(comment, caller.openid, 'comment');
      const raterRole =
        hasRole(caller, 'worker', { communityId: before.communityId }) || hasRole(caller, 'admin')
          ? ('worker' as const)
          : ('resident' as const);
      const after = await transaction(async (t) => {
        const p = await txProject(t, projectId);
        const id = ratingId(projectId, caller.openid);
        const allowed = rules.canRate(p, !!(await t.get<ProjectRating>('project_ratings', id)));
        if (!allowed.ok) throw conflict(allowed.reason);
        const rating: ProjectRating = {
          _id: id,
          projectId,
          openid: caller.openid,
          raterRole,
          stars,
          ...(comment ? { comment } : {}),
          at: now,
        };
        await t.set('project_ratings', id, body(rating));
        const counts = { ratingCount: p.ratingCount + 1, ratingSum: p.ratingSum + stars };
        await t.update('projects', projectId, { ...counts, updatedAt: now });
        return { ...p, ...counts };
      });
      return toDetail(after, caller, now);
    },
  },
};
