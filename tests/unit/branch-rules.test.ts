/**
 * Party organisation life rules (cloudfunctions/domain/branch.ts): compliance against the 支部工作条例
 * frequencies for months with and without meetings, roll-call (absent without any record), leave
 * and check-in windows, reminder times and the points summary.
 */
import {
  checkInRefusal,
  complianceMonths,
  complianceOf,
  complianceReminderDue,
  decideRefusal,
  defaultAgenda,
  expectedAttendees,
  leaveRefusal,
  monthOf,
  nextReminder,
  pointsSummary,
  quarterMonths,
  rollCall,
  THEME_DAY_AGENDA,
} from '../../cloudfunctions/domain/branch';
import type { ComplianceItem, MeetingKind } from '../../types/branch';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** 2026-11-21 10:00 Asia/Shanghai. */
const NOV21 = Date.UTC(2026, 10, 21, 2);
const LONG_AGO = Date.UTC(2025, 0, 1);
const byKind = (items: ComplianceItem[]) =>
  Object.fromEntries(items.map((i) => [i.kind, i])) as Record<MeetingKind, ComplianceItem>;

describe('compliance against the 条例 frequencies', () => {
  it('a month without any meeting: every kind is open; monthly kinds missed last month are overdue', () => {
    const items = byKind(complianceOf({}, NOV21, LONG_AGO));
    for (const k of ['general', 'committee', 'group', 'lecture', 'themeDay'] as const)
      expect(items[k].held).toBe(0);
    expect(items.themeDay.status).toBe('overdue'); // October had none either
    expect(items.committee.status).toBe('overdue');
    expect(items.general.every).toBe('quarter');
    expect(items.general.period).toBe('2026-Q4');
    expect(items.themeDay.period).toBe('2026-11');
    expect(items.general.status).toBe('overdue'); // Q3 had none
  });

  it('a month with meetings: held kinds are done, the rest due when last period was kept', () => {
    const held = {
      '2026-10': { themeDay: 1, committee: 1, group: 1 },
      '2026-08': { general: 1, lecture: 1 },
      '2026-11': { themeDay: 1 },
    };
    const items = byKind(complianceOf(held, NOV21, LONG_AGO));
    expect(items.themeDay).toMatchObject({ status: 'done', held: 1 });
    expect(items.committee).toMatchObject({ status: 'due', held: 0, previousMissed: false });
    expect(items.group.status).toBe('due');
    // quarterly: Q4 (Oct–Dec) has none yet, Q3 had one → due, by the end of December
    expect(items.general.status).toBe('due');
    expect(items.general.dueBy).toBe(Date.UTC(2026, 11, 31, 16));
    expect(items.lecture.status).toBe('due');
  });

  it('a quarterly kind held in any month of the quarter counts for the whole quarter', () => {
    const items = byKind(complianceOf({ '2026-10': { general: 2, lecture: 1 } }, NOV21, LONG_AGO));
    expect(items.general).toMatchObject({ status: 'done', held: 2 });
    expect(items.lecture).toMatchObject({ status: 'done', held: 1 });
  });

  it('a branch created this month is never overdue for the month before', () => {
    const items = byKind(complianceOf({}, NOV21, Date.UTC(2026, 10, 3)));
    expect(items.themeDay.status).toBe('due');
    expect(items.general.status).toBe('due');
  });

  it('months are Asia/Shanghai months', () => {
    // 2026-11-30 17:00 UTC is 12-01 01:00 in Shanghai
    expect(monthOf(Date.UTC(2026, 10, 30, 17))).toBe('2026-12');
    expect(quarterMonths('2026-12')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(complianceMonths(NOV21)).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
  });

  it('the compliance reminder goes out once a month, from the 15th', () => {
    expect(complianceReminderDue(Date.UTC(2026, 10, 10, 2), '')).toBe(false);
    expect(complianceReminderDue(NOV21, '2026-10')).toBe(true);
    expect(complianceReminderDue(NOV21, '2026-11')).toBe(false);
  });
});

describe('roll-call', () => {
  it('absent = expected − present − approved leave, with no record needed for the absent', () => {
    const r = rollCall(
      ['a', 'b', 'c', 'd', 'e'],
      [
        { openid: 'a', status: 'present' },
        { openid: 'b', status: 'leaveApproved' },
        { openid: 'c', status: 'leavePending' },
        { openid: 'x', status: 'present' }, // not expected: ignored
      ],
    );
    expect(r).toMatchObject({ expected: 5, present: 1, leave: 1, absent: 3 });
    expect(r.absentees.sort()).toEqual(['c', 'd', 'e']);
  });

  it('expected attendees follow the audience', () => {
    const roster = [
      { openid: 's', group: '一组' },
      { openid: 'c1', group: '一组' },
      { openid: 'm1', group: '二组' },
    ];
    expect(expectedAttendees('all', roster, ['c1'], 's')).toEqual(['s', 'c1', 'm1']);
    expect(expectedAttendees('committee', roster, ['c1'], 's')).toEqual(['s', 'c1']);
    expect(expectedAttendees('group', roster, ['c1'], 's', '二组')).toEqual(['m1']);
  });

  it('the 主题党日 agenda has the six steps; other kinds their own', () => {
    expect(defaultAgenda('themeDay')).toEqual(THEME_DAY_AGENDA);
    expect(THEME_DAY_AGENDA).toHaveLength(6);
    expect(defaultAgenda('lecture')).toContain('党课讲授');
  });
});

describe('leave and check-in rules', () => {
  const m = { startAt: NOV21 + DAY, endAt: NOV21 + DAY + 2 * HOUR, status: 'scheduled' as const };
  it('leave is asked before the start, once, and not after checking in', () => {
    expect(leaveRefusal(m, undefined, NOV21)).toBeNull();
    expect(leaveRefusal(m, 'leaveRejected', NOV21)).toBeNull();
    expect(leaveRefusal(m, 'leavePending', NOV21)).toMatch(/等待/);
    expect(leaveRefusal(m, 'leaveApproved', NOV21)).toMatch(/已批准/);
    expect(leaveRefusal(m, 'present', NOV21)).toMatch(/已签到/);
    expect(leaveRefusal(m, undefined, m.startAt)).toMatch(/已开始/);
    expect(leaveRefusal({ ...m, status: 'closed' }, undefined, NOV21)).toMatch(/已结束/);
  });
  it('only a pending request is decided, while the meeting is open', () => {
    expect(decideRefusal(m, 'leavePending')).toBeNull();
    expect(decideRefusal(m, undefined)).toMatch(/没有/);
    expect(decideRefusal({ status: 'closed' }, 'leavePending')).toMatch(/已结束/);
  });
  it('check-in opens 30 minutes before and closes 2 hours after the end', () => {
    expect(checkInRefusal(m, m.startAt - 31 * 60_000)).toMatch(/30 分钟/);
    expect(checkInRefusal(m, m.startAt - 29 * 60_000)).toBeNull();
    expect(checkInRefusal(m, m.endAt + 2 * HOUR + 1)).toMatch(/截止/);
    expect(checkInRefusal({ ...m, status: 'closed' }, m.startAt)).toMatch(/已结束/);
  });
});

describe('reminders and points', () => {
  it('the day before, then 2 hours before, then none', () => {
    const start = NOV21 + 3 * DAY;
    expect(nextReminder(start, [], NOV21)).toEqual({ at: start - DAY, which: 'day' });
    expect(nextReminder(start, ['day'], NOV21)).toEqual({ at: start - 2 * HOUR, which: 'hours' });
    expect(nextReminder(start, ['day', 'hours'], NOV21)).toBeNull();
    // created 90 minutes before the start: only the 2-hour reminder, due at once
    expect(nextReminder(start, [], start - 90 * 60_000)).toEqual({ at: start - 2 * HOUR, which: 'hours' });
    expect(nextReminder(start, [], start)).toBeNull();
  });
  it('points are derived from attendance, hours and requests with the branch rule', () => {
    const p = pointsSummary(
      { perAttendance: 2, perServiceHour: 0.5, perRequest: 3 },
      { present: 10, serviceHours: 7, requests: 2 },
    );
    expect(p).toMatchObject({ attendance: 20, service: 3.5, requests: 6, total: 29.5 });
    expect(pointsSummary(p.rule, { present: 1, serviceHours: 0, requests: null }).total).toBe(2);
  });
});
