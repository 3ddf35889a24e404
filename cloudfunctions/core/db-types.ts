import type { Db } from '@cloudbase/database';

/** The CloudBase database API (the query builder from @cloudbase/database, as node-sdk uses it). */
export type Database = Db;
