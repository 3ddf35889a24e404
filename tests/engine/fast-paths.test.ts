/**
 * The engine's fast paths must agree with the libraries they bypass: direct $set/$inc/$unset with
 * mingo's update, the JSON.parse reviver with the bson library's EJSON, and group commit with
 * one-request-at-a-time answers.
 */
import { EJSON } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { applyUpdate } from '../../tools/runtime/engine/apply-update';
import { decodeDoc, decodeParam, encodeDoc, revive } from '../../tools/runtime/engine/ejson';
import { openTemp } from './helpers';

const clone = <T>(x: T): T => structuredClone(x);

describe('applyUpdate', () => {
  const base = { _id: 'x', n: 1, s: 'a', nested: { k: 2, deep: { z: 1 } }, list: [1, 2], flag: true };
  const cases: Record<string, unknown>[] = [
    { $set: { s: 'b', n: 5 } },
    { $inc: { n: 2, 'nested.k': -1, fresh: 3 } },
    { $set: { 'nested.deep.z': 9, 'made.up.path': 'v' } },
    { $unset: { s: '', 'nested.k': '', missing: '' } },
    { $set: { when: new Date(5) }, $inc: { n: 0.5 } },
    { $set: { 'list.1': 7 } }, // array position: mingo's path
    { $push: { list: 3 } }, // other operator: mingo's path
    { $set: { 'n.x': 1 } }, // through a scalar: mingo decides
    { $set: { nested: { k: 1 } }, $inc: { 'nested.k': 1 } }, // overlapping paths: mingo decides
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c]))('%s matches mingo', (_name, update) => {
    const ours = clone(base);
    const theirs = clone(base);
    let ourError: unknown;
    let theirError: unknown;
    try {
      applyUpdate(ours, clone(update as Record<string, unknown>));
    } catch (e) {
      ourError = e;
    }
    try {
      mingoUpdate(theirs, clone(update as Record<string, unknown>));
    } catch (e) {
      theirError = e;
    }
    expect(Boolean(ourError)).toBe(Boolean(theirError));
    if (!ourError) expect(ours).toEqual(theirs);
  });
});

describe('EJSON parameters', () => {
  const params = [
    { n: 1, d: 2.5, big: 2 ** 40, neg: -3, s: 'x', b: true, nil: null },
    { when: new Date(12345), list: [1, 'a', { k: new Date(0) }] },
    { field: { $gt: 3, $in: [1, 2] }, $or: [{ a: 1 }, { b: { $exists: true } }] },
    { name: /^张/i },
    { inc: { $inc: { n: 1 } } },
  ];
  it.each(params.map((p) => [JSON.stringify(p), p]))('%s decodes as the bson library does', (_n, value) => {
    const canonical = EJSON.stringify(value, { relaxed: false });
    expect(decodeParam(canonical, 0)).toEqual(revive(EJSON.parse(canonical, { relaxed: true }), 0));
  });

  it('turns db.serverDate() into the clock plus its offset', () => {
    expect(decodeParam('{"at":{"$tcb_server_date":{"offset":{"$numberInt":"1000"}}}}', 5000)).toEqual({
      at: new Date(6000),
    });
  });

  it('unwraps number wrappers only where they are wrappers, not inside strings', () => {
    const value = {
      text: '{"$numberInt":"5"} and "$date" in a string',
      n: 5,
      x: 1.5,
      big: 1790000000000,
      neg: -0,
      nan: NaN,
      inf: -Infinity,
      set: { $set: { count: 3 } },
    };
    const canonical = EJSON.stringify(value, { relaxed: false });
    expect(canonical).toContain('$numberInt'); // the wrapped form is what the query builder sends
    const decoded = decodeParam(canonical, 0) as typeof value;
    expect(decoded).toEqual(revive(EJSON.parse(canonical, { relaxed: true }), 0));
    expect(decoded.text).toBe(value.text);
  });

  it('falls back to the library for other EJSON types', () => {
    const text = EJSON.stringify({ id: { $oid: '5f1d7f5b1c9d440000a1b2c3' } }, { relaxed: false });
    expect(() => decodeParam(text, 0)).not.toThrow();
  });
});

describe('stored documents', () => {
  const docs: Record<string, unknown>[] = [
    {
      _id: 'a',
      n: 1,
      x: 2.5,
      s: '中文',
      b: false,
      nil: null,
      list: [1, 'a', [2], { k: 'v' }],
      o: { p: { q: 1 } },
    },
    { _id: 'b', when: new Date(12345), nested: { at: new Date(0) } }, // Dates: the library's form
    { _id: 'c', zero: -0, nan: NaN, inf: Infinity, big: 2 ** 60 },
    { _id: 'd', gone: undefined, list: [undefined, 1] },
    { _id: 'e', re: /x/i, '$weird key': 1, 'dotted.key': 2 },
    { _id: 'f', proto: Object.assign(Object.create(null) as object, { k: 1 }) },
  ];
  it.each(docs.map((d) => [String(d._id), d]))('%s is stored as the bson library writes it', (_id, doc) => {
    expect(encodeDoc(doc)).toBe(EJSON.stringify(doc, { relaxed: true }));
    const library = EJSON.parse(EJSON.stringify(doc, { relaxed: true }), { relaxed: true });
    expect(decodeDoc(encodeDoc(doc))).toEqual(revive(library, 0));
  });
});

describe('group commit', () => {
  it('answers concurrent requests from shared batches, each with its own outcome', async () => {
    const local = openTemp();
    try {
      const { db } = local;
      await db.collection('g').add({ _id: 'dup', v: 0 });
      const results = await Promise.allSettled([
        ...Array.from({ length: 20 }, (_, i) => db.collection('g').add({ _id: `k${i}`, v: i })),
        db.collection('g').add({ _id: 'dup', v: 1 }), // fails alone
        db.collection('g').where({ v: 0 }).get(),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect((await db.collection('g').count()).total).toBe(21);
    } finally {
      local.cleanup();
    }
  });
});
