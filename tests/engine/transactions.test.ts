import type { CollectionReference } from '@cloudbase/database';
import { openTemp } from './helpers';

/** What runTransaction hands its callback (the builder types the callback as `any`). */
interface Txn {
  collection(name: string): CollectionReference;
}

describe('transactions', () => {
  const local = openTemp({ transactionTimeoutMs: 300 });
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

  it('200 concurrent read-modify-write transactions on one document are serializable', async () => {
    await db.collection('counter').add({ _id: 'c', n: 0, confirmed: 0, capacity: 150 });
    const work = Array.from({ length: 200 }, (_v, i) =>
      db.runTransaction(async (t: Txn) => {
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
      }),
    );
    const results = await Promise.all(work);
    expect(await getDoc('counter', 'c')).toMatchObject({ n: 200, confirmed: 150 });
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(150);
    expect((await db.collection('signups').where({ status: 'confirmed' }).count()).total).toBe(150);
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

  it('a transaction that never finishes is aborted after the timeout and does not block others', async () => {
    const stuck = await db.startTransaction();
    await stuck.collection('acc').doc('s').set({ v: 1 });
    const started = Date.now();
    await db.runTransaction(async (t: Txn) => {
      await t.collection('acc').doc('ok').set({ v: 2 });
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await getDoc('acc', 'ok')).toMatchObject({ v: 2 });
    await expect(stuck.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(await getDoc('acc', 's')).toBeUndefined();
  });
});
