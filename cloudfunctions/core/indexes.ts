/**
 * Database indexes, declared once. The deploy step creates them on CloudBase; the embedded engine
 * creates matching SQLite expression indexes and uses them to narrow queries. Index fields must be
 * scalar (string, number, boolean) in every document, which is what lets the engine push equality
 * and range conditions on them down to SQLite.
 */
export interface IndexSpec {
  collection: string;
  name: string;
  keys: { field: string; direction: 1 | -1 }[];
  unique?: boolean;
}

export const INDEXES: IndexSpec[] = [
  {
    collection: 'activities',
    name: 'community_start',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'startAt', direction: 1 },
    ],
  },
  { collection: 'activities', name: 'start', keys: [{ field: 'startAt', direction: 1 }] },
  {
    collection: 'signups',
    name: 'activity_status',
    keys: [
      { field: 'activityId', direction: 1 },
      { field: 'status', direction: 1 },
    ],
  },
  {
    collection: 'signups',
    name: 'openid_start',
    keys: [
      { field: 'openid', direction: 1 },
      { field: 'startAt', direction: -1 },
    ],
  },
  { collection: 'communities', name: 'street', keys: [{ field: 'streetId', direction: 1 }] },
  { collection: 'sites', name: 'community', keys: [{ field: 'communityId', direction: 1 }] },
];
