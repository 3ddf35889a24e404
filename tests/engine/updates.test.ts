import { openTemp } from './helpers';

describe('writes through the CloudBase query builder', () => {
  const local = openTemp();
  const { db } = local;
  const _ = db.command;

  afterAll(() => local.cleanup());
  beforeEach(() => local.clear());

  async function getDoc(id: string): Promise<Record<string, unknown> | undefined> {
    return (await db.collection('u').doc(id).get()).data[0];
  }

  it('doc(id).update() merges; on a missing doc it updates nothing', async () => {
    await db.collection('u').add({ _id: 'a', x: 1, nested: { p: 1, q: 2 } });
    const res = await db
      .collection('u')
      .doc('a')
      .update({ y: 2, nested: { p: 9 } });
    expect(res.updated).toBe(1);
    // Nested objects are merged field by field (the builder flattens them to dotted $set paths).
    expect(await getDoc('a')).toEqual({ _id: 'a', x: 1, y: 2, nested: { p: 9, q: 2 } });
    expect((await db.collection('u').doc('ghost').update({ y: 1 })).updated).toBe(0);
    expect(await getDoc('ghost')).toBeUndefined();
    // A no-op update reports 0, like MongoDB's nModified.
    expect((await db.collection('u').doc('a').update({ y: 2 })).updated).toBe(0);
  });

  it('doc(id).set() replaces an existing doc or creates it', async () => {
    await db.collection('u').add({ _id: 'a', x: 1, y: 2 });
    const replaced = await db.collection('u').doc('a').set({ z: 3 });
    expect(replaced.updated).toBe(1);
    expect(await getDoc('a')).toEqual({ _id: 'a', z: 3 });
    const created = await db.collection('u').doc('b').set({ w: 1 });
    expect(created).toMatchObject({ updated: 0, upsertedId: 'b' });
    expect(await getDoc('b')).toEqual({ _id: 'b', w: 1 });
  });

  it('where().update() and where().remove() affect every match', async () => {
    await db.collection('u').add([
      { _id: '1', k: 'a', n: 1 },
      { _id: '2', k: 'a', n: 2 },
      { _id: '3', k: 'b', n: 3 },
    ]);
    expect(
      (
        await db
          .collection('u')
          .where({ k: 'a' })
          .update({ n: _.inc(10) })
      ).updated,
    ).toBe(2);
    const { data } = await db.collection('u').orderBy('_id', 'asc').get();
    expect(data.map((d: { n: number }) => d.n)).toEqual([11, 12, 3]);
    expect(
      (
        await db
          .collection('u')
          .where({ n: _.gt(5) })
          .remove()
      ).deleted,
    ).toBe(2);
    expect((await db.collection('u').count()).total).toBe(1);
    expect((await db.collection('u').doc('3').remove()).deleted).toBe(1);
    expect((await db.collection('u').doc('3').remove()).deleted).toBe(0);
  });

  it('field update operators: set (dotted), inc, mul, remove, min, max, rename', async () => {
    await db
      .collection('u')
      .add({ _id: 'a', n: 5, m: 3, gone: true, lo: 5, hi: 5, old: 'v', obj: { a: 1, b: 2 } });
    await db
      .collection('u')
      .doc('a')
      .update({
        n: _.inc(2),
        m: _.mul(4),
        gone: _.remove(),
        lo: _.min(1),
        hi: _.max(9),
        old: _.rename('renamed'),
        'deep.path': 'x',
        obj: _.set({ c: 3 }),
      });
    expect(await getDoc('a')).toEqual({
      _id: 'a',
      n: 7,
      m: 12,
      lo: 1,
      hi: 9,
      renamed: 'v',
      deep: { path: 'x' },
      obj: { c: 3 },
    });
  });

  it('array update operators: push (each/position/slice/sort), pull, pullAll, addToSet, pop, shift, unshift', async () => {
    await db
      .collection('u')
      .add({ _id: 'a', p: [3], q: [1, 2, 3, 4], r: [1, 2, 1, 3], s: ['x'], t: [1, 2, 3], v: [1, 2, 3] });
    await db
      .collection('u')
      .doc('a')
      .update({
        p: _.push({ each: [9, 1, 5], sort: 1, slice: 3 }),
        q: _.pull(_.gt(2)),
        r: _.pullAll([1]),
        s: _.addToSet('x'),
        t: _.pop(),
        v: _.shift(),
      });
    expect(await getDoc('a')).toEqual({
      _id: 'a',
      p: [1, 3, 5],
      q: [1, 2],
      r: [2, 3],
      s: ['x'],
      t: [1, 2],
      v: [2, 3],
    });
    await db
      .collection('u')
      .doc('a')
      .update({
        p: _.push({ each: [0], position: 0 }),
        s: _.addToSet({ $each: ['y', 'x'] }),
        t: _.unshift([7]),
      });
    expect(await getDoc('a')).toMatchObject({ p: [0, 1, 3, 5], s: ['x', 'y'], t: [7, 1, 2] });
    await db
      .collection('u')
      .doc('a')
      .update({ p: _.push([8]) });
    expect(await getDoc('a')).toMatchObject({ p: [0, 1, 3, 5, 8] });
  });
});
