/**
 * Database indexes, declared once. The deploy step creates them on CloudBase; the embedded engine
 * creates matching SQLite expression indexes and uses them to narrow queries. Index fields must be
 * scalar (string, number, boolean) in every document — or, for a one-key index marked `array`, an
 * array of scalars — which is what lets the engine push equality,
 * `$in` and range conditions, sorts, pages and counts on them down to SQLite (a query runs fully in
 * SQLite when every condition and sort key is on an indexed field; see
 * tools/runtime/engine/pushdown.ts). Every index costs writes: keep the set small.
 */
export interface IndexSpec {
  collection: string;
  name: string;
  /**
   * `array`: the field holds an array of scalars (a multikey index: equality and `$in` match any
   * element, as in MongoDB). An array key must be the index's only key.
   */
  keys: { field: string; direction: 1 | -1; array?: true }[];
  unique?: boolean;
}

export const INDEXES: IndexSpec[] = [
  // Party organisation life (cloudfunctions/branch): a community's branches; branches whose
  // compliance reminder is not yet out this month (timer).
  { collection: 'branches', name: 'community', keys: [{ field: 'communityId', direction: 1 }] },
  { collection: 'branches', name: 'reminded_for', keys: [{ field: 'remindedFor', direction: 1 }] },
  // A branch's roster (active members).
  {
    collection: 'branch_members',
    name: 'branch_active',
    keys: [
      { field: 'branchId', direction: 1 },
      { field: 'active', direction: 1 },
    ],
  },
  // A branch's meetings, newest first; the timer's due reminders (status, remindAt).
  {
    collection: 'branch_meetings',
    name: 'branch_start',
    keys: [
      { field: 'branchId', direction: 1 },
      { field: 'startAt', direction: -1 },
    ],
  },
  {
    collection: 'branch_meetings',
    name: 'status_remind',
    keys: [
      { field: 'status', direction: 1 },
      { field: 'remindAt', direction: 1 },
    ],
  },
  // 党员名录 (branch.searchMembers): a community's members by name prefix or last four phone digits.
  {
    collection: 'member_directory',
    name: 'community_name',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'active', direction: 1 },
      { field: 'nameKey', direction: 1 },
    ],
  },
  {
    collection: 'member_directory',
    name: 'community_phone',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'active', direction: 1 },
      { field: 'phoneLast4', direction: 1 },
    ],
  },
  // A meeting's attendance documents (roll-call, close).
  { collection: 'branch_attendance', name: 'meeting', keys: [{ field: 'meetingId', direction: 1 }] },
  // branch.compliance: a community's per-branch monthly counters of the last two quarters.
  {
    collection: 'branch_periods',
    name: 'community_period',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'period', direction: 1 },
    ],
  },
  // 责任区: a community's assigned buildings.
  {
    collection: 'branch_areas',
    name: 'community_member',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'openid', direction: 1 },
    ],
  },
  // activity.list, when upcoming / signingUp: communityId + status (+ type), newest or oldest first;
  // endAt and type ride along so their filters are checked on the index.
  {
    collection: 'activities',
    name: 'community_status_start',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'startAt', direction: 1 },
      { field: 'endAt', direction: 1 },
      { field: 'type', direction: 1 },
    ],
  },
  // activity.list, when all / ended: communityId (+ type, endAt), by startAt.
  {
    collection: 'activities',
    name: 'community_start',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'startAt', direction: 1 },
      { field: 'endAt', direction: 1 },
      { field: 'type', direction: 1 },
    ],
  },
  // activity.list without a community scope (admins).
  { collection: 'activities', name: 'start', keys: [{ field: 'startAt', direction: 1 }] },
  // Per-activity sign-ups: activity.participants by createdAt (status checked on the index),
  // counts and the start/end copy update.
  {
    collection: 'signups',
    name: 'activity_created',
    keys: [
      { field: 'activityId', direction: 1 },
      { field: 'createdAt', direction: 1 },
      { field: 'status', direction: 1 },
    ],
  },
  // 工作台 (user.workbench): a community's applications waiting for review, oldest first.
  {
    collection: 'signups',
    name: 'community_status_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'createdAt', direction: 1 },
    ],
  },
  // activity.mine: openid (+ endAt range), by startAt.
  {
    collection: 'signups',
    name: 'openid_start',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'startAt', direction: 1 },
      { field: 'endAt', direction: 1 },
    ],
  },
  // notify.list (newest first) and unread counts.
  {
    collection: 'messages',
    name: 'openid_created',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'read', direction: 1 },
    ],
  },
  // The dispatcher's sweep: messages due for a (re)try, and expired leases.
  {
    collection: 'messages',
    name: 'push_due',
    keys: [
      { field: 'push.status', direction: 1 },
      { field: 'push.nextAttemptAt', direction: 1 },
    ],
  },
  // Notices to participants (activity.noticeStatus): an event's entries by push state.
  {
    collection: 'messages',
    name: 'event_push',
    keys: [
      { field: 'eventId', direction: 1 },
      { field: 'push.status', direction: 1 },
    ],
  },
  // activity.notices: an activity's notices, newest first.
  {
    collection: 'notices',
    name: 'activity_created',
    keys: [
      { field: 'activityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  // The no-show tally (timer): ended activities not yet tallied (mark absent = null), by end.
  {
    collection: 'activities',
    name: 'noshow_tally',
    keys: [
      { field: 'noShowTalliedAt', direction: 1 },
      { field: 'endAt', direction: 1 },
    ],
  },
  // activity.noShowCounts: a community's yearly counters, most no-shows first.
  {
    collection: 'no_show_counts',
    name: 'community_year_rank',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'year', direction: 1 },
      { field: 'rankKey', direction: 1 },
    ],
  },
  // Background jobs (core/jobs.ts): the timer's due jobs, oldest due first.
  {
    collection: 'jobs',
    name: 'status_run_after',
    keys: [
      { field: 'status', direction: 1 },
      { field: 'runAfter', direction: 1 },
    ],
  },
  // The sweep: events not yet fanned out, oldest first.
  {
    collection: 'outbox',
    name: 'status_created',
    keys: [
      { field: 'status', direction: 1 },
      { field: 'createdAt', direction: 1 },
    ],
  },
  // The timer's overdue reminders: grievances whose current deadline has had no reminder yet.
  { collection: 'grievances', name: 'remind_due', keys: [{ field: 'remindKey', direction: 1 }] },
  // 回访 (grievance/followup.ts): resolved, unrated grievances whose next 回访 step is due.
  { collection: 'grievances', name: 'follow_up_due', keys: [{ field: 'followUpKey', direction: 1 }] },
  // Grievance work queues (grievance.queue, handlerQueue): keyset pages by queueKey (the deadline
  // that applies now, creation, id) in four segments (overdue or not × 重办 priority); overdue is
  // exactly queueKey < timeKey(now), so the overdue counts of the statistics (+ createdAt, category
  // or handler) run on the same indexes.
  {
    collection: 'grievances',
    name: 'community_priority_queue',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'priority', direction: 1 },
      { field: 'queueKey', direction: 1 },
      { field: 'category', direction: 1 },
    ],
  },
  {
    collection: 'grievances',
    name: 'community_stage_priority_queue',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'stage', direction: 1 },
      { field: 'priority', direction: 1 },
      { field: 'queueKey', direction: 1 },
      { field: 'category', direction: 1 },
    ],
  },
  {
    collection: 'grievances',
    name: 'community_queue_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'queueKey', direction: 1 },
      { field: 'createdAt', direction: 1 },
      { field: 'stage', direction: 1 },
      { field: 'category', direction: 1 },
    ],
  },
  {
    collection: 'grievances',
    name: 'community_category_queue',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'category', direction: 1 },
      { field: 'queueKey', direction: 1 },
      { field: 'createdAt', direction: 1 },
      { field: 'priority', direction: 1 },
    ],
  },
  {
    collection: 'grievances',
    name: 'handler_queue',
    keys: [
      { field: 'handlerKey', direction: 1 },
      { field: 'queueKey', direction: 1 },
      { field: 'createdAt', direction: 1 },
      { field: 'communityId', direction: 1 },
      { field: 'priority', direction: 1 },
    ],
  },
  // grievance.mine: the resident's own, newest first (stage checked on the index).
  {
    collection: 'grievances',
    name: 'openid_created',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'stage', direction: 1 },
    ],
  },
  // grievance.stats: a community's counters for the months and days of a period.
  {
    collection: 'grievance_stats',
    name: 'community_period',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'period', direction: 1 },
    ],
  },
  // report.dashboard: a community's sharded counters for the months of a period.
  {
    collection: 'dashboard_stats',
    name: 'community_month',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'month', direction: 1 },
    ],
  },
  { collection: 'communities', name: 'street', keys: [{ field: 'streetId', direction: 1 }] },
  { collection: 'sites', name: 'community', keys: [{ field: 'communityId', direction: 1 }] },
  // Regional alliance: lists by community, newest first; per-unit and per-project lookups.
  {
    collection: 'needs',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  { collection: 'resources', name: 'unit', keys: [{ field: 'unitId', direction: 1 }] },
  {
    collection: 'resource_requests',
    name: 'unit_created',
    keys: [
      { field: 'unitId', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  {
    collection: 'resource_requests',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  { collection: 'projects', name: 'community', keys: [{ field: 'communityId', direction: 1 }] },
  { collection: 'project_claims', name: 'project', keys: [{ field: 'projectId', direction: 1 }] },
  { collection: 'project_claims', name: 'unit', keys: [{ field: 'unitId', direction: 1 }] },
  // 工作台 (user.workbench): claims waiting in a community.
  {
    collection: 'project_claims',
    name: 'community_status',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
    ],
  },
  {
    collection: 'member_reports',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  { collection: 'member_reports', name: 'openid', keys: [{ field: 'openid', direction: 1 }] },
  // Alliance activity proposals: a unit's and a community's, newest first.
  {
    collection: 'activity_proposals',
    name: 'unit_created',
    keys: [
      { field: 'unitId', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  {
    collection: 'activity_proposals',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  // Volunteer service: registrations and requests a community reviews (newest first), the
  // volunteer's own requests.
  {
    collection: 'volunteers',
    name: 'community_submitted',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'submittedAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  {
    collection: 'corrections',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  {
    collection: 'corrections',
    name: 'openid_created',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  {
    collection: 'makeup_requests',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  {
    collection: 'makeup_requests',
    name: 'openid_created',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  // volunteer.listServices: a community's open listings (category checked on the index).
  {
    collection: 'services',
    name: 'community_status_last',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'lastSessionEndAt', direction: 1 },
      { field: 'category', direction: 1 },
    ],
  },
  // The ledgers: a volunteer's hours and points, newest first.
  {
    collection: 'service_hours',
    name: 'openid_at',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'at', direction: -1 },
      { field: 'kind', direction: 1 },
    ],
  },
  {
    collection: 'points_ledger',
    name: 'openid_at',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'at', direction: -1 },
      { field: 'kind', direction: 1 },
    ],
  },
  // Rankings: a community's period rows by hours; a volunteer's own rows for the profile.
  {
    collection: 'hour_totals',
    name: 'community_period_hours',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'period', direction: 1 },
      { field: 'hours', direction: -1 },
    ],
  },
  {
    collection: 'hour_totals',
    name: 'openid_period',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'period', direction: 1 },
    ],
  },
  {
    collection: 'certificates',
    name: 'openid_issued',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'issuedAt', direction: -1 },
    ],
  },
  // Points expiry sweep: accounts with a positive balance.
  { collection: 'service_accounts', name: 'balance', keys: [{ field: 'pointsBalance', direction: 1 }] },
  // Points mall: a community's goods (on sale), newest first.
  {
    collection: 'goods',
    name: 'community_onsale_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'onSale', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  // Redemptions: a volunteer's, a community's (by status), and the pickup-code lookup.
  {
    collection: 'redemptions',
    name: 'openid_created',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'createdAt', direction: -1 },
      { field: 'status', direction: 1 },
    ],
  },
  {
    collection: 'redemptions',
    name: 'community_status_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  {
    collection: 'redemptions',
    name: 'community_pickup_status',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'pickupCode', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  // Alliance at scale (issue 12): project lists paged by creation time or by phase (status and
  // deadline), a member's resolutions per year. (A unit's co-hosted activities are counted over the
  // `start` index: the engine's pushdown treats an indexed array field as a scalar.)
  {
    collection: 'projects',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  {
    collection: 'projects',
    name: 'community_status_deadline',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'deadline', direction: 1 },
    ],
  },
  {
    collection: 'grievances',
    name: 'member_handler_resolved',
    keys: [
      { field: 'handler.kind', direction: 1 },
      { field: 'handler.id', direction: 1 },
      { field: 'resolvedAt', direction: 1 },
    ],
  },
  // Public board (cloudfunctions/board): a community's published notices, pinned first, newest
  // first. 阵地 booking (cloudfunctions/sites): the sites a unit manages (a community's sites are
  // found by the array `communityIds`, left unindexed as the engine's index contract asks: a
  // community has a few); a booker's bookings, a site's, a community's or a unit's by start; a
  // site's slots of a date.
  {
    collection: 'board_notices',
    name: 'community_status_pinned_published',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'pinned', direction: -1 },
      { field: 'publishedAt', direction: -1 },
    ],
  },
  { collection: 'booking_sites', name: 'unit', keys: [{ field: 'unitId', direction: 1 }] },
  {
    collection: 'site_bookings',
    name: 'openid_start',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'startAt', direction: -1 },
    ],
  },
  {
    collection: 'site_bookings',
    name: 'site_status_start',
    keys: [
      { field: 'siteId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'startAt', direction: -1 },
    ],
  },
  {
    collection: 'site_bookings',
    name: 'community_status_start',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'startAt', direction: -1 },
    ],
  },
  {
    collection: 'site_bookings',
    name: 'unit_status_start',
    keys: [
      { field: 'unitId', direction: 1 },
      { field: 'status', direction: 1 },
      { field: 'startAt', direction: -1 },
    ],
  },
  // The timer's booker reminders: confirmed bookings whose reminder is still to come (remindKey:
  // when it is due; cleared once sent, and on cancel, turn-down and check-in).
  { collection: 'site_bookings', name: 'remind_due', keys: [{ field: 'remindKey', direction: 1 }] },
  {
    collection: 'site_slots',
    name: 'site_date',
    keys: [
      { field: 'siteId', direction: 1 },
      { field: 'date', direction: 1 },
    ],
  },
  // Reports (cloudfunctions/report): the grievance register of a community and period, by
  // creation; an export's chunks in order.
  {
    collection: 'grievances',
    name: 'community_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'createdAt', direction: 1 },
    ],
  },
  {
    collection: 'export_chunks',
    name: 'export_seq',
    keys: [
      { field: 'exportId', direction: 1 },
      { field: 'seq', direction: 1 },
    ],
  },
  // Service requests (cloudfunctions/service): open requests of a community (需求大厅) and a
  // worker's queue by stage, newest first; a requester's own; the timer's reminders and auto-close
  // (remindKey: the time of the next thing the timer must do).
  {
    collection: 'service_requests',
    name: 'community_stage_created',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'stage', direction: 1 },
      { field: 'createdAt', direction: 1 },
    ],
  },
  {
    collection: 'service_requests',
    name: 'openid_created',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'createdAt', direction: 1 },
    ],
  },
  { collection: 'service_requests', name: 'remind_due', keys: [{ field: 'remindKey', direction: 1 }] },
  // 需求大厅 near me: a community's open requests in the caller's ~5 km geo cell and its 8 neighbours.
  {
    collection: 'service_requests',
    name: 'community_stage_cell',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'stage', direction: 1 },
      { field: 'geoCell', direction: 1 },
      { field: 'createdAt', direction: -1 },
    ],
  },
  // What a person or their unit took (service.taking): any of the caller's taker keys.
  {
    collection: 'service_requests',
    name: 'taker_keys',
    keys: [{ field: 'takerKeys', direction: 1, array: true }],
  },
  // Who holds a role (in a community, of a unit): staff to notify, handlers, managers, 党员名录
  // refresh — `roleKeys` (domain/roles.ts) is derived from `roles` and written with it.
  {
    collection: 'users',
    name: 'role_keys',
    keys: [{ field: 'roleKeys', direction: 1, array: true }],
  },
  // Array fields: the units and bookable sites serving a community.
  {
    collection: 'units',
    name: 'community_ids',
    keys: [{ field: 'communityIds', direction: 1, array: true }],
  },
  {
    collection: 'booking_sites',
    name: 'community_ids',
    keys: [{ field: 'communityIds', direction: 1, array: true }],
  },
];
