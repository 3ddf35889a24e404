/**
 * 公示栏 (cloudfunctions/board): a community's public board — monthly 三率 of grievances, service
 * requests met, co-governance projects, units' contributions, volunteer hours and the community's
 * notices (公告). Nothing personal: no openid, name or phone appears in any answer.
 * The contract of the `board` function; its input schemas are in ./board-schemas.
 */
import type { Action, In, Page } from './api';
import type { BoardSchemas } from './board-schemas';

/** A notice (公告) published by a worker (collection `board_notices`). */
export interface BoardNotice {
  _id: string;
  communityId: string;
  title: string;
  body: string;
  pinned: boolean;
  status: 'published' | 'removed';
  /** Worker openid: stored, never answered. */
  publishedBy: string;
  publishedAt: number;
  removedAt?: number;
}

/** A notice as everyone reads it. */
export interface NoticeView {
  noticeId: string;
  communityId: string;
  title: string;
  body: string;
  pinned: boolean;
  publishedAt: number;
}

export interface BoardRates {
  received: number;
  resolved: number;
  rated: number;
  satisfied: number;
  /** Resolved, closed as 未评价 after the 回访: counted apart, never as satisfied. */
  unrated: number;
  /** 响应率 / 解决率 / 满意率, 0–1. */
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
}

/**
 * Service requests (点单) of the month: posted, met (confirmed or closed as done) and rated, with
 * the average stars — from the `svc_*` counters the `service` function keeps in the community's
 * dashboard buckets (`dashboard_stats`, one per shard, summed). `available` is false when none has
 * been counted for the month.
 */
export interface BoardService {
  available: boolean;
  posted: number;
  met: number;
  rated: number;
  avgRating: number | null;
}

export interface BoardProject {
  projectId: string;
  title: string;
  status: 'open' | 'completed';
  /** Units whose claim was approved. */
  units: number;
  ratingCount: number;
  avgRating: number | null;
  completedAt?: number;
}

export interface BoardUnit {
  rank: number;
  unitName: string;
  completedProjects: number;
  avgRating: number | null;
  resourcesProvided: number;
  activitiesCoHosted: number;
  memberHours: number;
  venuesOpened: number;
  siteBookings: number;
  score: number;
}

export interface BoardView {
  communityId: string;
  communityName: string;
  /** 'YYYY-MM' (Asia/Shanghai). */
  month: string;
  grievances: BoardRates;
  service: BoardService;
  projects: {
    /** Open projects with at least one approved claim. */
    claimed: number;
    completed: number;
    completedThisMonth: number;
    items: BoardProject[];
  };
  units: { year: number; items: BoardUnit[] };
  volunteerHours: { month: number; volunteers: number };
  notices: NoticeView[];
}

type B<A extends keyof BoardSchemas> = In<BoardSchemas[A]>;

export interface BoardContract {
  view: Action<B<'view'>, BoardView, 'NOT_FOUND'>;
  notices: Action<B<'notices'>, Page<NoticeView>>;
  notice: Action<B<'notice'>, NoticeView, 'NOT_FOUND'>;
  publishNotice: Action<B<'publishNotice'>, NoticeView, 'FORBIDDEN' | 'NOT_FOUND'>;
  removeNotice: Action<B<'removeNotice'>, { noticeId: string; removed: true }, 'FORBIDDEN' | 'NOT_FOUND'>;
}
