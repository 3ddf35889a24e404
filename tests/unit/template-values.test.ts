import { NOTIFY_KINDS } from '../../types/domain';
import {
  SCENES,
  templateOf,
  type ActivityEventPayload,
  type EventPayload,
  type GrievanceEventPayload,
} from '../../cloudfunctions/core/notify/templates';
import {
  phrase,
  thing,
  time,
  truncate,
  withinLimits,
  characterString,
} from '../../cloudfunctions/domain/template-values';

const FAMILY = '👨‍👩‍👧‍👦'; // one grapheme, 11 UTF-16 units
const LONG = `${'邻里守望'.repeat(8)}${FAMILY}🎉🎉😀 long latin text`;

describe('field values', () => {
  it('cuts thing to 20 units with an ellipsis and never splits a grapheme', () => {
    expect(thing('短标题')).toBe('短标题');
    const cut = thing(LONG);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut.endsWith('…')).toBe(true);
    const emoji = thing(`${'一二三四五六七八九'}${FAMILY}${FAMILY}`);
    expect(emoji.length).toBeLessThanOrEqual(20);
    expect(emoji).toBe('一二三四五六七八九…'); // the family does not fit whole: dropped, not split
    expect(truncate('🎉'.repeat(30), 20)).toBe(`${'🎉'.repeat(9)}…`);
    expect(thing('   ')).toBe('—'); // WeChat rejects empty values
  });

  it('keeps phrase to at most 5 Chinese characters', () => {
    expect(phrase('时间变更')).toBe('时间变更');
    expect(phrase('活动已经被取消了')).toBe('活动已经被');
    expect(phrase('OK 2 已 🎉 取消')).toBe('已取消');
    expect(phrase('123')).toBe('通知');
  });

  it('formats time in Asia/Shanghai as WeChat expects', () => {
    expect(time(Date.UTC(2026, 10, 21, 7, 1))).toBe('2026年11月21日 15:01');
    expect(time(Date.UTC(2026, 11, 31, 16, 30))).toBe('2027年1月1日 00:30');
  });

  it('character_string keeps printable ASCII only, 32 at most', () => {
    expect(characterString('NO.2026-11 编号')).toBe('NO.2026-11');
    expect(characterString('x'.repeat(40))).toHaveLength(32);
  });
});

describe('every template', () => {
  const hostile: ActivityEventPayload = {
    activityId: 'a'.repeat(32),
    title: LONG,
    placeName: `${'幸福里党群服务中心多功能厅'.repeat(3)}${FAMILY}`,
    startAt: Date.UTC(2026, 10, 21, 7, 1),
    endAt: Date.UTC(2026, 10, 21, 9, 1),
    reason: `${'因天气原因'.repeat(10)}🌧️`,
  };

  const hostileGrievance: GrievanceEventPayload = {
    grievanceId: 'g'.repeat(32),
    number: '20261121-0007',
    categoryName: `邻里纠纷${FAMILY}`.repeat(3),
    stageName: '已上报街道办事处',
    summary: `${'已派单给物业公司处理，请耐心等待'.repeat(3)}🙏`,
    dueAt: Date.UTC(2026, 10, 22, 6, 0),
  };
  const alliance: Partial<Record<(typeof NOTIFY_KINDS)[number], EventPayload[]>> = {
    claimReviewed: [true, false].map((approved) => ({
      projectId: 'a'.repeat(32),
      projectTitle: LONG,
      unitName: `${'区人民医院党委'.repeat(4)}${FAMILY}`,
      approved,
      reason: approved ? undefined : `${'方案不够具体'.repeat(8)}🙏`,
      at: Date.UTC(2026, 10, 21, 7, 1),
    })),
    reportReviewed: [true, false].map((confirmed) => ({
      reportId: 'a'.repeat(32),
      communityName: `${'幸福里社区'.repeat(6)}${FAMILY}`,
      confirmed,
      reason: confirmed ? undefined : `${'工作单位填写有误'.repeat(5)}`,
      at: Date.UTC(2026, 10, 21, 7, 1),
    })),
    volunteerReviewed: (['registration', 'makeup', 'correction'] as const).flatMap((subject) =>
      [true, false].map((approved) => ({
        subject,
        approved,
        reason: approved ? undefined : `${'身份证号码与姓名不一致'.repeat(4)}${FAMILY}`,
        at: Date.UTC(2026, 10, 21, 7, 1),
      })),
    ),
    branchNotice: [
      {
        branchId: 'b'.repeat(32),
        meetingId: 'a'.repeat(32),
        subject: `${'主题党日'.repeat(8)}${FAMILY}`,
        title: LONG,
        text: `${'请于会前向书记请假'.repeat(30)}🙏`,
        at: Date.UTC(2026, 10, 22, 6, 0),
        page: 'packages/branch/meeting?id=' + 'a'.repeat(32),
      },
    ],
    activityNotice: [
      {
        ...hostile,
        noticeTitle: `${'集合地点调整'.repeat(5)}🙏`,
        text: `${'请于东门集合'.repeat(50)}${FAMILY}`,
      },
    ],
    signUpReviewed: (['confirmed', 'waitlisted', 'rejected'] as const).map((outcome) => ({
      activityId: 'a'.repeat(32),
      title: LONG,
      startAt: Date.UTC(2026, 10, 22, 1, 0),
      outcome,
      reason: outcome === 'rejected' ? `${'本岗位需要急救证书'.repeat(4)}🙏` : undefined,
    })),
    ...Object.fromEntries(
      (['bookingStatus', 'bookingTask', 'bookingReminder'] as const).map((kind) => [
        kind,
        (['confirmed', 'rejected', 'cancelled', 'pending'] as const).flatMap((outcome) =>
          [undefined, `${'场地临时维修，请改约其他时段'.repeat(6)}${FAMILY}`].map((reason) => ({
            bookingId: 'a'.repeat(32),
            siteName: `${'幸福里党群服务中心多功能厅'.repeat(3)}${FAMILY}`,
            date: '2026-11-23',
            start: '09:00',
            end: '10:30',
            startAt: Date.UTC(2026, 10, 23, 1, 0),
            outcome,
            ...(reason ? { reason } : {}),
            bookerName: `${'王阿姨'.repeat(10)}🎉`,
            people: 40,
            purpose: `${'楼栋议事会与邻里协商'.repeat(10)}${FAMILY}`,
          })),
        ),
      ]),
    ),
    ...Object.fromEntries(
      (['serviceStatus', 'serviceTask'] as const).map((kind) => [
        kind,
        [
          {
            requestId: 'a'.repeat(32),
            categoryName: LONG,
            stageName: '已完成(待确认)',
            summary: `${'志愿者已接单，请保持电话畅通'.repeat(5)}${FAMILY}`,
            at: Date.UTC(2026, 10, 22, 1, 0),
          },
        ],
      ]),
    ),
  };
  const variants = (kind: (typeof NOTIFY_KINDS)[number]): EventPayload[] =>
    alliance[kind] ??
    (kind.startsWith('grievance')
      ? [hostileGrievance, { ...hostileGrievance, dueAt: undefined }]
      : ([undefined, 'time', 'place', 'details', 'cancelled'] as const).map((change) => ({
          ...hostile,
          change,
        })));

  it.each(NOTIFY_KINDS)('%s stays within WeChat limits for long Chinese and emoji input', (kind) => {
    const spec = templateOf(kind);
    for (const payload of variants(kind)) {
      const data = spec.data(payload);
      expect(withinLimits(data)).toBe(true);
      expect(Object.keys(data).length).toBeGreaterThan(0);
      expect(spec.message(payload).title.length).toBeGreaterThan(0);
      expect(spec.page(payload)).toMatch(/^(pages|packages)\/[a-z/-]+(\?id=[ag]{32})?$/);
    }
  });

  it('the limit check itself rejects values over the limit', () => {
    expect(withinLimits({ thing1: { value: 'x'.repeat(21) } })).toBe(false);
    expect(withinLimits({ phrase2: { value: '太长的短语呀' } })).toBe(false);
    expect(withinLimits({ time3: { value: '2026-11-21 15:01' } })).toBe(false);
    expect(withinLimits({ unknown4: { value: 'x' } })).toBe(false);
  });

  it('booking messages say what happened, when, and why', () => {
    const p = {
      bookingId: 'a'.repeat(32),
      siteName: '幸福里党群服务中心',
      date: '2026-11-23',
      start: '09:00',
      end: '10:30',
      startAt: Date.UTC(2026, 10, 23, 1, 0),
    };
    const status = templateOf('bookingStatus');
    expect(status.message({ ...p, outcome: 'confirmed' })).toEqual({
      title: '阵地预约已通过',
      body: '你预约的「幸福里党群服务中心」11月23日 09:00–10:30已通过审核，请按时到场，凭签到码签到。',
    });
    expect(status.message({ ...p, outcome: 'rejected', reason: '当天有活动' }).body).toBe(
      '你预约的「幸福里党群服务中心」11月23日 09:00–10:30未通过审核：当天有活动',
    );
    expect(status.data({ ...p, outcome: 'cancelled', reason: '维修' })).toEqual({
      thing1: { value: '幸福里党群服务中心' },
      time2: { value: '2026年11月23日 09:00' },
      phrase3: { value: '已取消' },
      thing4: { value: '维修' },
    });
    const task = templateOf('bookingTask').message({
      ...p,
      outcome: 'pending',
      bookerName: '王阿姨',
      people: 8,
      purpose: '楼栋议事会',
    });
    expect(task.body).toBe('王阿姨预约「幸福里党群服务中心」11月23日 09:00–10:30，8 人：楼栋议事会。');
  });

  it('asks for at most 3 templates per scene', () => {
    for (const kinds of Object.values(SCENES)) expect(kinds.length).toBeLessThanOrEqual(3);
  });
});
