import { openTemp } from './helpers';

describe('aggregate() pipelines', () => {
  const local = openTemp();
  const { db } = local;
  const _ = db.command;
  const $ = db.command.aggregate;

  afterAll(() => local.cleanup());

  beforeAll(async () => {
    await db.collection('activities').add([
      { _id: 'a1', title: 'Clean-up', community: 'c1', capacity: 10 },
      { _id: 'a2', title: 'Lecture', community: 'c1', capacity: 50 },
      { _id: 'a3', title: 'Concert', community: 'c2', capacity: 100 },
    ]);
    await db.collection('signups').add([
      { activityId: 'a1', openid: 'u1', tags: ['x', 'y'] },
      { activityId: 'a1', openid: 'u2', tags: ['y'] },
      { activityId: 'a3', openid: 'u1', tags: [] },
    ]);
  });

  it('$match + $group + $sort', async () => {
    const { data } = await db
      .collection('activities')
      .aggregate()
      .match({ capacity: _.gte(10) })
      .group({ _id: '$community', total: $.sum('$capacity'), n: $.sum(1) })
      .sort({ total: -1 })
      .end();
    expect(data).toEqual([
      { _id: 'c2', total: 100, n: 1 },
      { _id: 'c1', total: 60, n: 2 },
    ]);
  });

  it('$lookup + $addFields + $project + $skip + $limit', async () => {
    const { data } = await db
      .collection('activities')
      .aggregate()
      .lookup({ from: 'signups', localField: '_id', foreignField: 'activityId', as: 'signups' })
      .addFields({ signed: $.size('$signups') })
      .project({ _id: 0, title: 1, signed: 1 })
      .sort({ signed: -1, title: 1 })
      .skip(1)
      .limit(1)
      .end();
    expect(data).toEqual([{ title: 'Concert', signed: 1 }]);
  });

  it('$unwind + $count', async () => {
    const { data } = await db
      .collection('signups')
      .aggregate()
      .unwind('$tags')
      .match({ tags: 'y' })
      .count('n')
      .end();
    expect(data).toEqual([{ n: 2 }]);
  });
});
