import type { CollectionReference } from '@cloudbase/database';
import { openTemp } from './helpers';

/** What runTransaction hands its callback (the builder types the callback as `any`). */
interface Txn {
  collection(name: string): CollectionReference;
}

describe('transactions', () => {
  const local = openTemp();
  const { db } = local;
  const _ = db.command;

  afterAll(() => local.cleanup());
  beforeEach(() => local.clear());

  async function getDoc(collection: string, id: string): Promise<Record<string, unknown> | undefined> {
    return (await db.collection(collection).doc(id).get()).data[0];
  }

  it('commits all writes of the callback and returns its result', async () => {
    await db.collection('acc').add([
      { _id: 'a', balance: 100 },
      { _id: 'b', balance: 0 },
    ]);
    const result = await db.runTransaction(async (t: Txn) => {
      const a = (await t.collection('acc').doc('a').get()).data;
      expect(a).toEqual({ _id: 'a', balance: 100 }); // in a transaction doc().get() returns the doc itself
      await t
        .collection('acc')
        .doc('a')
        .update({ balance: _.inc(-30) });
      await t
        .collection('acc')
        .doc('b')
        .update({ balance: _.inc(30) });
      const added = await t.collection('log').add({ amount: 30 });
      await t.collection('acc').doc('c').set({ balance: 1 });
      return added.id;
    });
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 70 });
    expect(await getDoc('acc', 'b')).toMatchObject({ balance: 30 });
    expect(await getDoc('acc', 'c')).toEqual({ _id: 'c', balance: 1 });
    expect(await getDoc('log', result as string)).toEqual({ _id: result, amount: 30 });
  });

  it('rolls back everything when the callback throws', async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    await expect(
      db.runTransaction(async (t: Txn) => {
        await t
          .collection('acc')
          .doc('a')
          .update({ balance: _.inc(-30) });
        await t.collection('log').add({ _id: 'l1' });
        await t.collection('acc').doc('a').remove();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await getDoc('acc', 'a')).toEqual({ _id: 'a', balance: 100 });
    expect(await getDoc('log', 'l1')).toBeUndefined();
  });

  it('reads its own writes; others do not see them before commit', async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    const t = await db.startTransaction();
    await t.collection('acc').doc('a').update({ balance: 1 });
    await t.collection('acc').add({ _id: 'n', balance: 5 });
    expect((await t.collection('acc').doc('a').get()).data).toMatchObject({ balance: 1 });
    expect(
      (
        await t
          .collection('acc')
          .where({ balance: _.lt(10) })
          .get()
      ).data,
    ).toHaveLength(2);
    // A concurrent, non-transactional reader sees only committed state.
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 100 });
    expect(await getDoc('acc', 'n')).toBeUndefined();
    expect((await db.collection('acc').count()).total).toBe(1);
    await t.commit();
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 1 });
    expect(await getDoc('acc', 'n')).toMatchObject({ balance: 5 });
  });

  it('rollback() discards writes', async () => {
    const t = await db.startTransaction();
    await t.collection('acc').doc('x').set({ v: 1 });
    await t.rollback();
    expect(await getDoc('acc', 'x')).toBeUndefined();
  });

  /** The app's retry policy (cloudfunctions/core/db.ts), here over the raw query builder. */
  async function withRetries<T>(work: (t: Txn) => Promise<T>): Promise<T> {
    const deadline = Date.now() + 20_000; // generous: a loaded CI machine makes each attempt slow
    for (let attempt = 1; ; attempt++) {
      try {
        return (await db.runTransaction(work, 0)) as T;
      } catch (err) {
        if ((err as { code?: string }).code !== 'DATABASE_TRANSACTION_CONFLICT' || Date.now() > deadline)
          throw err;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  function capacityWork(i: number) {
    return async (t: Txn) => {
      const counter = (await t.collection('counter').doc('c').get()).data as {
        n: number;
        confirmed: number;
        capacity: number;
      };
      const existing = (await t.collection('signups').doc(`u${i}`).get()).data;
      if (existing) return 'duplicate';
      const status = counter.confirmed < counter.capacity ? 'confirmed' : 'waitlisted';
      await t.collection('signups').doc(`u${i}`).set({ status });
      await t
        .collection('counter')
        .doc('c')
        .update({ n: counter.n + 1, confirmed: counter.confirmed + (status === 'confirmed' ? 1 : 0) });
      return status;
    };
  }

  it('200 concurrent read-modify-write transactions on one document lose no update (with retries)', async () => {
    await db.collection('counter').add({ _id: 'c', n: 0, confirmed: 0, capacity: 150 });
    const results = await Promise.all(Array.from({ length: 200 }, (_v, i) => withRetries(capacityWork(i))));
    expect(await getDoc('counter', 'c')).toMatchObject({ n: 200, confirmed: 150 });
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(150);
    expect((await db.collection('signups').where({ status: 'confirmed' }).count()).total).toBe(150);
  }, 30_000);

  it('without retries, concurrent writers of one document conflict instead of overwriting each other', async () => {
    await db.collection('counter').add({ _id: 'c', n: 0, confirmed: 0, capacity: 150 });
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_v, i) => db.runTransaction(capacityWork(i), 0)),
    );
    const won = settled.filter((s) => s.status === 'fulfilled').length;
    const lost = settled.filter((s) => s.status === 'rejected');
    expect(won).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeGreaterThan(0); // they overlapped: not serialised behind a lock
    for (const l of lost)
      expect((l as PromiseRejectedResult).reason).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    // Exactly the winners' increments are there: nothing lost, nothing half-applied.
    expect(await getDoc('counter', 'c')).toMatchObject({ n: won, confirmed: won });
    expect((await db.collection('signups').count()).total).toBe(won);
  });

  it('takes its snapshot with its first operation, as MongoDB does, not at startTransaction', async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    const t = await db.startTransaction();
    await db.collection('acc').doc('a').update({ balance: 1 }); // committed before t's first read
    expect((await t.collection('acc').doc('a').get()).data).toMatchObject({ balance: 1 });
    await t
      .collection('acc')
      .doc('a')
      .update({ balance: _.inc(1) }); // no conflict: not newer than the snapshot
    await t.commit();
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 2 });
  });

  it("a transaction's first operation sees a commit that reached the database before it, though not yet flushed", async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    const t = await db.startTransaction();
    const write = db.collection('acc').doc('a').update({ balance: 7 });
    // Once the write's request is queued for the next group commit, t's first read arrives.
    await new Promise((resolve) => process.nextTick(resolve));
    expect((await t.collection('acc').doc('a').get()).data).toMatchObject({ balance: 7 });
    await write;
    await t.rollback();
  });

  it('reads see the snapshot taken by the first read, even after others commit', async () => {
    await db.collection('acc').add([
      { _id: 'a', balance: 100 },
      { _id: 'b', balance: 0 },
    ]);
    const t = await db.startTransaction();
    expect((await t.collection('acc').doc('a').get()).data).toMatchObject({ balance: 100 });
    await db.collection('acc').doc('a').update({ balance: 1 });
    await db.collection('acc').doc('b').update({ balance: 2 });
    await db.collection('acc').add({ _id: 'late', balance: 3 });
    // Neither a document it read before nor one it reads for the first time shows the new commits.
    expect((await t.collection('acc').doc('a').get()).data).toMatchObject({ balance: 100 });
    expect((await t.collection('acc').doc('b').get()).data).toMatchObject({ balance: 0 });
    expect((await t.collection('acc').doc('late').get()).data).toBeNull();
    await t.rollback();
  });

  it('the second of two transactions writing one document fails at once (first writer wins, as MongoDB)', async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    const first = await db.startTransaction();
    const second = await db.startTransaction();
    await second.collection('acc').doc('other').set({ touched: true });
    await first
      .collection('acc')
      .doc('a')
      .update({ balance: _.inc(-10) });
    await expect(
      second
        .collection('acc')
        .doc('a')
        .update({ balance: _.inc(-20) }),
    ).rejects.toMatchObject({
      code: 'DATABASE_TRANSACTION_CONFLICT',
    });
    await second.rollback();
    await first.commit();
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 90 });
    expect(await getDoc('acc', 'other')).toBeUndefined(); // the loser applied nothing
    // Once the first has finished, the document is free for the next transaction.
    const third = await db.startTransaction();
    await third
      .collection('acc')
      .doc('a')
      .update({ balance: _.inc(-1) });
    await third.commit();
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 89 });
  });

  it('a plain write after a transaction wrote the same document makes its commit fail', async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    const t = await db.startTransaction();
    await t
      .collection('acc')
      .doc('a')
      .update({ balance: _.inc(-10) });
    await t.collection('acc').doc('b').set({ v: 1 });
    await db
      .collection('acc')
      .doc('a')
      .update({ balance: _.inc(1) });
    await expect(t.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 101 });
    expect(await getDoc('acc', 'b')).toBeUndefined();
  });

  it('writing a document already changed since the snapshot fails at once', async () => {
    await db.collection('acc').add({ _id: 'a', balance: 100 });
    const t = await db.startTransaction();
    await t.collection('acc').doc('other').get(); // the snapshot is taken here
    await db.collection('acc').doc('a').update({ balance: 5 });
    await expect(t.collection('acc').doc('a').update({ balance: 6 })).rejects.toMatchObject({
      code: 'DATABASE_TRANSACTION_CONFLICT',
    });
    await t.rollback();
    expect(await getDoc('acc', 'a')).toMatchObject({ balance: 5 });
  });

  it('two transactions creating the same document: one wins, the retry sees it', async () => {
    const create = (who: string) =>
      withRetries(async (t: Txn) => {
        const holder = (await t.collection('holders').doc('id-hash').get()).data as { owner: string } | null;
        if (holder) return `taken by ${holder.owner}`;
        await t.collection('holders').doc('id-hash').set({ owner: who });
        return 'mine';
      });
    const results = await Promise.all([create('x'), create('y'), create('z')]);
    expect(results.filter((r) => r === 'mine')).toHaveLength(1);
    expect((await db.collection('holders').count()).total).toBe(1);
  });

  it('a non-transactional write to a document the transaction read causes a conflict, and runTransaction retries', async () => {
    await db.collection('counter').add({ _id: 'c', n: 0 });
    let attempts = 0;
    await db.runTransaction(async (t: Txn) => {
      attempts += 1;
      const { n } = (await t.collection('counter').doc('c').get()).data as { n: number };
      if (attempts === 1)
        await db
          .collection('counter')
          .doc('c')
          .update({ n: _.inc(100) }); // interleaved writer
      await t
        .collection('counter')
        .doc('c')
        .update({ n: n + 1 });
    });
    expect(attempts).toBe(2);
    expect(await getDoc('counter', 'c')).toMatchObject({ n: 101 });
  });

  it('a transaction that never finishes does not block others and is aborted after the timeout', async () => {
    const short = openTemp({ transactionTimeoutMs: 300 });
    const db = short.db;
    const getDoc = async (c: string, id: string) => (await db.collection(c).doc(id).get()).data[0];
    try {
      const stuck = await db.startTransaction();
      await stuck.collection('acc').doc('s').set({ v: 1 });
      const started = Date.now();
      await db.runTransaction(async (t: Txn) => {
        await t.collection('acc').doc('ok').set({ v: 2 });
      });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await getDoc('acc', 'ok')).toMatchObject({ v: 2 });
      await new Promise((r) => setTimeout(r, 400)); // past the 300 ms timeout
      await expect(stuck.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
      expect(await getDoc('acc', 's')).toBeUndefined();
    } finally {
      short.cleanup();
    }
  });
});
