/**
 * The caller's user document is cached per instance for a few seconds (core/guard.ts) so a user's
 * repeated calls skip that round trip; role changes made through the functions take effect on the
 * very next call, and every runtime (instance) has its own cache.
 */
import { createHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const NEWCOMER = 'cache-newcomer';

it('a repeated call does not read the caller again', async () => {
  const first = await h.rt.metered('user', { action: 'me', data: {} }, 'demo-resident');
  const second = await h.rt.metered('user', { action: 'me', data: {} }, 'demo-resident');
  expect(first.log.filter((l) => l === 'getDocument users')).toHaveLength(1);
  expect(second.log).not.toContain('getDocument users');
  expect(second.requests).toBe(first.requests - 1);
});

it('a role granted by someone else counts on the next call, and a revoked one stops counting', async () => {
  // The newcomer's first call caches them as a plain resident.
  const before = await h.rt.call('grievance', { action: 'queue', data: { pageSize: 10 } }, NEWCOMER);
  expect(before).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await h.call('demo-admin', 'user', 'grantRole', {
    openid: NEWCOMER,
    role: 'worker',
    communityId: 'community-xingfuli',
  });
  const after = await h.rt.call('grievance', { action: 'queue', data: { pageSize: 10 } }, NEWCOMER);
  expect(after.ok).toBe(true);
  await h.call('demo-admin', 'user', 'revokeRole', {
    openid: NEWCOMER,
    role: 'worker',
    communityId: 'community-xingfuli',
  });
  const revoked = await h.rt.call('grievance', { action: 'queue', data: { pageSize: 10 } }, NEWCOMER);
  expect(revoked).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

it('a call racing a role change does not keep the old roles cached', async () => {
  await h.call(NEWCOMER, 'user', 'me', {});
  await h.interleaved(() =>
    Promise.all([
      h.call('demo-admin', 'user', 'grantRole', {
        openid: NEWCOMER,
        role: 'worker',
        communityId: 'community-xingfuli',
      }),
      h.call(NEWCOMER, 'user', 'me', {}),
      h.call(NEWCOMER, 'user', 'me', {}),
    ]),
  );
  const me = await h.call(NEWCOMER, 'user', 'me', {});
  expect(me.user.roles).toContainEqual(
    expect.objectContaining({ role: 'worker', communityId: 'community-xingfuli' }),
  );
});

it('each runtime has its own cache', async () => {
  await h.call('demo-resident', 'user', 'me', {});
  const other = await createHarness();
  try {
    const { log } = await other.rt.metered('user', { action: 'me', data: {} }, 'demo-resident');
    expect(log).toContain('getDocument users');
  } finally {
    other.close();
  }
});
