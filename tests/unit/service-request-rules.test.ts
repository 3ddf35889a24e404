import {
  applyServiceAction,
  canServiceAction,
  dueAt,
  hoursOnConfirm,
  nearestFirst,
  needsAutoClose,
  needsOverdueReminder,
  newServiceRequest,
  remindKeyOf,
  ServiceRuleError,
  serviceHours,
  SERVICE_POLICY,
} from '../../cloudfunctions/domain/service-request';
import { timeKey } from '../../cloudfunctions/domain/grievance-tally';
import type { ServiceRequest, ServiceTaker } from '../../types/service';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 21, 2);

function req(over: Partial<Parameters<typeof newServiceRequest>[0]> = {}): ServiceRequest {
  return newServiceRequest(
    {
      _id: 'r1',
      communityId: 'c1',
      openid: 'owner',
      category: 'errands',
      text: '帮忙去超市买米和油，家里老人腿脚不便',
      photos: [],
      startAt: NOW + DAY,
      durationHours: 2,
      place: { area: '幸福里小区 3 栋', address: '幸福里 3 栋 2 单元 501', lat: 28.19, lng: 112.98 },
      slots: 1,
      trusted: false,
      ...over,
    },
    NOW,
  );
}
const taker = (id: string, caps: ServiceTaker['capacities'] = ['volunteer']): ServiceTaker => ({
  kind: 'person',
  id,
  name: id,
  capacities: caps,
  takenAt: NOW,
  by: id,
});
const step = (
  r: ServiceRequest,
  ...args: Parameters<typeof applyServiceAction> extends [unknown, ...infer R] ? R : never
) => {
  const { patch, entry } = applyServiceAction(r, ...args);
  return { ...r, ...patch, timeline: [...r.timeline, entry] } as ServiceRequest;
};

describe('stage machine', () => {
  it('walks pending → open → taken → done → rated, one timeline entry per step', () => {
    let r = req();
    expect(r.stage).toBe('pending');
    r = step(r, 'approve', {}, { role: 'worker', openid: 'w' }, NOW);
    expect(r.stage).toBe('open');
    r = step(r, 'take', { taker: taker('v1') }, { role: 'taker', openid: 'v1' }, NOW + HOUR);
    expect(r).toMatchObject({
      stage: 'taken',
      taken: 1,
      doneBy: r.startAt + SERVICE_POLICY.doneGraceHours * HOUR,
    });
    r = step(r, 'complete', { note: '已送到', hours: 3 }, { role: 'taker', openid: 'v1' }, NOW + 2 * HOUR);
    expect(r.stage).toBe('done');
    expect(r.result?.hours).toBe(2); // capped at the planned duration
    expect(r.confirmBy).toBe(NOW + 2 * HOUR + 3 * DAY);
    r = step(
      r,
      'confirm',
      { rating: { stars: 5, tags: ['准时'] } },
      { role: 'resident', openid: 'owner' },
      NOW + 3 * HOUR,
    );
    expect(r.stage).toBe('rated');
    expect(r.timeline.map((e) => e.action)).toEqual(['submit', 'approve', 'take', 'complete', 'confirm']);
    expect(() => step(r, 'rate', { rating: { stars: 1, tags: [] } }, { role: 'resident' }, NOW)).toThrow(
      '已经评价过了',
    );
  });

  it('trusted categories publish at once', () => {
    expect(req({ trusted: true }).stage).toBe('open');
  });

  it('keeps a request open until every slot is taken; refuses a second take by the same person and the owner', () => {
    let r = step(req({ slots: 2, trusted: true }), 'take', { taker: taker('a') }, { role: 'taker' }, NOW);
    expect(r).toMatchObject({ stage: 'open', taken: 1 });
    expect(canServiceAction(r, 'take', 'taker', { takerId: 'a' })).toEqual({
      ok: false,
      reason: '已经接过这个需求了',
    });
    expect(canServiceAction(r, 'take', 'taker', { takerId: 'owner' })).toEqual({
      ok: false,
      reason: '不能接自己发布的需求',
    });
    r = step(r, 'take', { taker: taker('b') }, { role: 'taker' }, NOW);
    expect(r).toMatchObject({ stage: 'taken', taken: 2 });
    expect(() => step(r, 'take', { taker: taker('c') }, { role: 'taker' }, NOW)).toThrow('名额已满');
  });

  it('rejects need a reason; cancel only before anyone took it; only the right role acts', () => {
    const r = req();
    expect(() => step(r, 'reject', {}, { role: 'worker' }, NOW)).toThrow(ServiceRuleError);
    expect(step(r, 'reject', { note: '不属于服务范围' }, { role: 'worker' }, NOW)).toMatchObject({
      stage: 'rejected',
      rejectReason: '不属于服务范围',
    });
    expect(() => step(r, 'approve', {}, { role: 'resident' }, NOW)).toThrow('只有社区工作者可以审核通过');
    const taken = step(
      step(r, 'approve', {}, { role: 'worker' }, NOW),
      'take',
      { taker: taker('v') },
      { role: 'taker' },
      NOW,
    );
    expect(() => step(taken, 'cancel', {}, { role: 'resident' }, NOW)).toThrow();
  });

  it('refuses a time in the past', () => {
    expect(() => req({ startAt: NOW - 2 * HOUR })).toThrow('服务时间不能早于现在');
  });
});

describe('deadlines and the timer key', () => {
  it('review, take and done deadlines apply by stage; each is reminded once; done closes after 3 days', () => {
    const r = req();
    expect(dueAt(r)).toBe(NOW + 24 * HOUR);
    expect(needsOverdueReminder(r, NOW + 25 * HOUR)).toBe(true);
    const reminded = step(r, 'remindOverdue', {}, { role: 'system' }, NOW + 25 * HOUR);
    expect(needsOverdueReminder(reminded, NOW + 26 * HOUR)).toBe(false);
    expect(remindKeyOf(reminded)).toBeUndefined();
    expect(remindKeyOf(r)).toBe(timeKey(NOW + 24 * HOUR));
    const open = step(r, 'approve', {}, { role: 'worker' }, NOW);
    expect(dueAt(open)).toBe(open.startAt);
    const done = step(
      step(open, 'take', { taker: taker('v') }, { role: 'taker' }, NOW),
      'complete',
      { note: '好了', hours: 1 },
      { role: 'taker' },
      NOW,
    );
    expect(dueAt(done)).toBeUndefined();
    expect(remindKeyOf(done)).toBe(timeKey(NOW + 3 * DAY));
    expect(needsAutoClose(done, NOW + 3 * DAY)).toBe(false);
    expect(needsAutoClose(done, NOW + 3 * DAY + 1)).toBe(true);
    expect(step(done, 'autoClose', {}, { role: 'system' }, NOW + 4 * DAY).stage).toBe('unconfirmed');
  });
});

describe('hours and distance', () => {
  it('caps at the planned duration, rounds down to 0.5 h, only volunteers not yet recorded', () => {
    expect(serviceHours(1.7, 4)).toBe(1.5);
    expect(serviceHours(9, 2)).toBe(2);
    expect(serviceHours(0, 2)).toBe(0);
    let r = step(req({ slots: 3, trusted: true }), 'take', { taker: taker('v') }, { role: 'taker' }, NOW);
    r = step(r, 'take', { taker: taker('m', ['member']) }, { role: 'taker' }, NOW);
    r = step(r, 'complete', { note: '完成', hours: 1.5 }, { role: 'taker' }, NOW);
    expect(hoursOnConfirm(r).map((x) => [x.taker.id, x.hours])).toEqual([['v', 1.5]]);
  });

  it('sorts nearest first, rounded to 100 m', () => {
    const from = { lat: 28.19, lng: 112.98 };
    const list = [
      { id: 'far', place: { lat: 28.2, lng: 112.98 }, startAt: 1, createdAt: 1 },
      { id: 'near', place: { lat: 28.1905, lng: 112.98 }, startAt: 2, createdAt: 2 },
    ];
    const sorted = nearestFirst(list, from);
    expect(sorted.map((x) => x.id)).toEqual(['near', 'far']);
    expect(sorted[0]!.distanceM).toBe(100);
    expect(sorted[1]!.distanceM).toBe(1100);
  });
});
