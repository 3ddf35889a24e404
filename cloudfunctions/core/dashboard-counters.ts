/**
 * The dashboard counters (domain/dashboard-tally) inside a caller's transaction, in its existing
 * rounds: `open` reads the planned buckets and markers (send it alongside the caller's reads),
 * `add` / `markActive` apply changes in memory, `writes` returns the writes to send with the
 * caller's. An existing bucket gets `db.command.inc` on the changed fields; a missing one is set
 * whole (two transactions creating one bucket conflict at commit, and the retry increments).
 */
import {
  ACTIVE_FIELD,
  activeMarkId,
  addCounters,
  bucketIdOf,
  bucketWrite,
  DASHBOARD_SHARDS,
  dashboardBucketId,
  monthKey,
  type BucketRef,
  type Counters,
} from '../domain/dashboard-tally';
import { cmd, type TxDocs } from './db';

export class DashboardCounters {
  private readonly deltas = new Map<string, Counters>();
  private readonly newMarks = new Map<string, Record<string, unknown>>();

  private constructor(
    private readonly t: TxDocs,
    private readonly buckets: Map<string, object | undefined>,
    private readonly marks: Map<string, boolean>,
  ) {}

  /**
   * Reads at once the buckets of `refs`, every shard of the months of `months` (when who is
   * counted is known only after the read, e.g. waitlist promotions) and the active markers of
   * `active` (person × month).
   */
  static async open(
    t: TxDocs,
    plan: { refs?: BucketRef[]; months?: Array<Pick<BucketRef, 'communityId' | 'at'>>; active?: BucketRef[] },
  ): Promise<DashboardCounters> {
    const { refs = [], months = [], active = [] } = plan;
    const ids = [
      ...new Set([
        ...refs.map(bucketIdOf),
        ...months.flatMap((m) =>
          Array.from({ length: DASHBOARD_SHARDS }, (_, i) =>
            dashboardBucketId(m.communityId, monthKey(m.at), i),
          ),
        ),
      ]),
    ];
    const markIds = [...new Set(active.map((r) => activeMarkId(r.communityId, monthKey(r.at), r.openid)))];
    const [docs, marks] = await Promise.all([
      Promise.all(ids.map((id) => t.get<object>('dashboard_stats', id))),
      Promise.all(markIds.map((id) => t.get<object>('dashboard_marks', id))),
    ]);
    return new DashboardCounters(
      t,
      new Map(ids.map((id, i) => [id, docs[i]])),
      new Map(markIds.map((id, i) => [id, !!marks[i]])),
    );
  }

  /** Adds `delta` to the bucket of `ref` (which must have been planned). */
  add(ref: BucketRef, delta: Counters): void {
    const id = bucketIdOf(ref);
    if (!this.buckets.has(id)) throw new Error(`dashboard bucket ${id} was not planned`);
    this.deltas.set(id, addCounters(this.deltas.get(id) ?? {}, delta));
  }

  /** Counts `ref.openid` active in its month once: a marker is created with the first count. */
  markActive(ref: BucketRef): void {
    const month = monthKey(ref.at);
    const id = activeMarkId(ref.communityId, month, ref.openid);
    if (!this.marks.has(id)) throw new Error(`dashboard marker ${id} was not planned`);
    if (this.marks.get(id)) return;
    this.marks.set(id, true);
    this.newMarks.set(id, { communityId: ref.communityId, month, openid: ref.openid, at: ref.at });
    this.add(ref, { [ACTIVE_FIELD]: 1 });
  }

  /** The writes (call each once, together with the caller's own writes). */
  writes(): Array<() => Promise<unknown>> {
    const out: Array<() => Promise<unknown>> = [];
    for (const [id, delta] of this.deltas) {
      const w = bucketWrite(id, this.buckets.get(id), delta);
      if (!w) continue;
      if (w.kind === 'set') out.push(() => this.t.set('dashboard_stats', id, w.doc));
      else {
        const _ = cmd();
        const patch = Object.fromEntries(Object.entries(w.fields).map(([k, v]) => [k, _.inc(v)]));
        out.push(() => this.t.update('dashboard_stats', id, patch));
      }
    }
    for (const [id, doc] of this.newMarks) out.push(() => this.t.set('dashboard_marks', id, doc));
    return out;
  }
}
