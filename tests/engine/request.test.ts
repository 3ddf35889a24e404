import { Db } from '@cloudbase/database';
import { openTemp } from './helpers';

describe('Db.reqClass dispatch', () => {
  it('routes each Db to its own engine, so several databases coexist in one process', async () => {
    const first = openTemp();
    const second = openTemp();
    try {
      await first.db.collection('c').add({ _id: 'only-in-first' });
      expect((await first.db.collection('c').count()).total).toBe(1);
      expect((await second.db.collection('c').count()).total).toBe(0);
    } finally {
      first.cleanup();
      second.cleanup();
    }
  });

  it('keeps local Dbs local when someone (e.g. node-sdk app.database()) reassigns Db.reqClass', async () => {
    const local = openTemp();
    const sent: string[] = [];
    class RemoteRequest {
      async send(action: string): Promise<unknown> {
        sent.push(action);
        return { data: { total: 42 } };
      }
    }
    try {
      Db.reqClass = RemoteRequest;
      await local.db.collection('c').add({ v: 1 });
      expect((await local.db.collection('c').count()).total).toBe(1);
      // A Db without an engine key goes to the reassigned class.
      expect((await new Db({ env: 'cloud' }).collection('c').count()).total).toBe(42);
      expect(sent).toEqual(['database.calculateDocument']);
    } finally {
      local.cleanup();
    }
  });

  it('a closed database rejects further requests', async () => {
    const local = openTemp();
    local.cleanup();
    await expect(local.db.collection('c').get()).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });
});
