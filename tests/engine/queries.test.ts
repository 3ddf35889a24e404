import { openTemp } from './helpers';

type Row = Record<string, unknown>;

describe('queries through the CloudBase query builder', () => {
  const local = openTemp({ now: () => Date.UTC(2025, 0, 1) });
  const { db } = local;
  const _ = db.command;

  afterAll(() => local.cleanup());

  beforeEach(() => local.clear());

  async function seed(collection: string, docs: Row[]): Promise<void> {
    await db.collection(collection).add(docs);
  }

  it('get() returns at most 100 documents, and limit is capped at 1000', async () => {
    await seed(
      'many',
      Array.from({ length: 1200 }, (_v, i) => ({ i })),
    );
    expect((await db.collection('many').get()).data).toHaveLength(100);
    expect((await db.collection('many').limit(5000).get()).data).toHaveLength(1000);
    expect((await db.collection('many').limit(7).get()).data).toHaveLength(7);
    expect((await db.collection('many').count()).total).toBe(1200);
  });

  it('doc(id).get() returns an array; add() returns a 32-hex id', async () => {
    const { id } = await db.collection('c').add({ name: 'x' });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const res = await db
      .collection('c')
      .doc(id as string)
      .get();
    expect(Array.isArray(res.data)).toBe(true);
    expect(res.data).toEqual([{ _id: id, name: 'x' }]);
    expect((await db.collection('c').doc('missing').get()).data).toEqual([]);
  });

  it('rejects a duplicate _id on add', async () => {
    await db.collection('c').add({ _id: 'same', v: 1 });
    await expect(db.collection('c').add({ _id: 'same', v: 2 })).rejects.toMatchObject({
      code: 'DATABASE_DUPLICATE_WRITE',
    });
  });

  it('where({ x: undefined }) throws in the query builder', () => {
    expect(() => db.collection('c').where({ x: undefined })).toThrow();
  });

  describe('command operators', () => {
    beforeEach(() =>
      seed('people', [
        {
          _id: 'a',
          name: 'Alice',
          age: 30,
          tags: ['x', 'y'],
          scores: [{ s: 5 }, { s: 9 }],
          addr: { city: 'SH' },
        },
        { _id: 'b', name: 'bob', age: 20, tags: ['y'], scores: [{ s: 1 }] },
        { _id: 'c', name: 'Carol', age: 40, tags: [], nick: null },
      ]),
    );

    async function ids(query: object): Promise<string[]> {
      const { data } = await db.collection('people').where(query).orderBy('_id', 'asc').get();
      return data.map((d: Row) => d._id as string);
    }

    it('comparison: eq/neq/lt/lte/gt/gte/in/nin', async () => {
      expect(await ids({ age: _.eq(30) })).toEqual(['a']);
      expect(await ids({ age: _.neq(30) })).toEqual(['b', 'c']);
      expect(await ids({ age: _.lt(30) })).toEqual(['b']);
      expect(await ids({ age: _.lte(30) })).toEqual(['a', 'b']);
      expect(await ids({ age: _.gt(30) })).toEqual(['c']);
      expect(await ids({ age: _.gte(30) })).toEqual(['a', 'c']);
      expect(await ids({ age: _.in([20, 40]) })).toEqual(['b', 'c']);
      expect(await ids({ age: _.nin([20, 40]) })).toEqual(['a']);
      expect(await ids({ 'addr.city': 'SH' })).toEqual(['a']);
      expect(await ids({ addr: { city: 'SH' } })).toEqual(['a']);
    });

    it('logic: and/or/nor/not', async () => {
      expect(await ids({ age: _.gt(15).and(_.lt(35)) })).toEqual(['a', 'b']);
      expect(await ids(_.or([{ age: 20 }, { name: 'Carol' }]))).toEqual(['b', 'c']);
      expect(await ids({ age: _.or(_.eq(20), _.gt(35)) })).toEqual(['b', 'c']);
      expect(await ids(_.and([{ age: _.gt(15) }, { tags: 'x' }]))).toEqual(['a']);
      expect(await ids(_.nor([{ age: 20 }, { age: 40 }]))).toEqual(['a']);
      expect(await ids({ age: _.not(_.eq(30)) })).toEqual(['b', 'c']);
    });

    it('element and array: exists/size/elemMatch/all', async () => {
      expect(await ids({ addr: _.exists(true) })).toEqual(['a']);
      expect(await ids({ addr: _.exists(false) })).toEqual(['b', 'c']);
      expect(await ids({ tags: _.size(0) })).toEqual(['c']);
      expect(await ids({ scores: _.elemMatch({ s: _.gt(6) }) })).toEqual(['a']);
      expect(await ids({ tags: _.all(['x', 'y']) })).toEqual(['a']);
      expect(await ids({ tags: 'y' })).toEqual(['a', 'b']);
      expect(await ids({ nick: null })).toEqual(['a', 'b', 'c']);
    });

    it('regular expressions via db.RegExp and JS literals', async () => {
      expect(await ids({ name: db.RegExp({ regexp: '^b', options: 'i' }) })).toEqual(['b']);
      expect(await ids({ name: /^[AC]/ })).toEqual(['a', 'c']);
      expect(await ids({ name: /^a/ })).toEqual([]);
    });

    it('orderBy on several fields, skip, limit and field()', async () => {
      await seed('people', [{ _id: 'd', name: 'Dan', age: 30 }]);
      const { data } = await db
        .collection('people')
        .orderBy('age', 'desc')
        .orderBy('name', 'asc')
        .skip(1)
        .limit(2)
        .field({ name: true })
        .get();
      expect(data).toEqual([
        { _id: 'a', name: 'Alice' },
        { _id: 'd', name: 'Dan' },
      ]);
      const excluded = await db.collection('people').doc('a').field({ tags: false, scores: false }).get();
      expect(excluded.data).toEqual([{ _id: 'a', name: 'Alice', age: 30, addr: { city: 'SH' } }]);
    });

    it('count() honours the query', async () => {
      expect(
        (
          await db
            .collection('people')
            .where({ age: _.gte(30) })
            .count()
        ).total,
      ).toBe(2);
      expect((await db.collection('nothing').count()).total).toBe(0);
    });
  });

  it('db.serverDate() is the engine clock plus offset, in writes and in queries', async () => {
    const now = Date.UTC(2025, 0, 1);
    const { id } = await db
      .collection('t')
      .add({ at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) });
    const [doc] = (
      await db
        .collection('t')
        .doc(id as string)
        .get()
    ).data;
    expect(doc.at).toEqual(new Date(now));
    expect(doc.later).toEqual(new Date(now + 60_000));
    await db
      .collection('t')
      .doc(id as string)
      .update({ touched: db.serverDate({ offset: 1000 }) });
    expect(
      (
        await db
          .collection('t')
          .where({ touched: _.gt(db.serverDate()) })
          .count()
      ).total,
    ).toBe(1);
    expect(
      (
        await db
          .collection('t')
          .where({ touched: _.gt(db.serverDate({ offset: 5000 })) })
          .count()
      ).total,
    ).toBe(0);
  });

  it('Dates round-trip through storage', async () => {
    const when = new Date('2024-05-06T07:08:09.123Z');
    const { id } = await db.collection('d').add({ when, nested: { list: [when] } });
    const [doc] = (
      await db
        .collection('d')
        .doc(id as string)
        .get()
    ).data;
    expect(doc.when).toBeInstanceOf(Date);
    expect(doc.when.getTime()).toBe(when.getTime());
    expect(doc.nested.list[0].getTime()).toBe(when.getTime());
    expect(
      (
        await db
          .collection('d')
          .where({ when: _.lte(new Date('2025-01-01')) })
          .count()
      ).total,
    ).toBe(1);
  });
});
