/** Pure rules of branch management (domain/branch): appointments, removal, 党员名录, message limit. */
import {
  AREA_MESSAGE_DAILY_LIMIT,
  appointRefusal,
  areaMessageCounterId,
  areaMessageRefusal,
  directoryEntry,
  expectedAtClose,
  maskPersonName,
  meetingsToRelease,
  nameKeyOf,
  phoneLast4,
} from '../../cloudfunctions/domain/branch';

const NOW = Date.UTC(2026, 10, 21, 2); // 2026-11-21 10:00 Asia/Shanghai

test('a worker appoints anyone; the secretary only the committee; others nobody', () => {
  expect(appointRefusal({ worker: true, secretary: false }, { secretary: 'b' }, 'a')).toBeNull();
  expect(appointRefusal({ worker: false, secretary: true }, { committee: ['c'] }, 'a')).toBeNull();
  expect(
    appointRefusal({ worker: false, secretary: true }, { secretary: 'a', committee: [] }, 'a'),
  ).toBeNull();
  expect(appointRefusal({ worker: false, secretary: true }, { secretary: 'b' }, 'a')).toBe(
    '改任书记须由社区工作者办理',
  );
  expect(appointRefusal({ worker: false, secretary: false }, { committee: ['c'] }, 'a')).toMatch(/只有/);
});

test('removal releases only meetings not yet started that expect the member', () => {
  const m = (startAt: number, status: 'scheduled' | 'closed', expected = ['x', 'y']) => ({
    startAt,
    status,
    expected,
  });
  const list = [
    m(NOW + 1, 'scheduled'),
    m(NOW, 'scheduled'),
    m(NOW - 1, 'closed'),
    m(NOW + 5, 'scheduled', ['y']),
  ];
  expect(meetingsToRelease(list, 'x', NOW)).toEqual([list[0]]);
});

test('names and phones for the 党员名录: normalised keys, masks, last four digits', () => {
  expect(nameKeyOf(' 李 建国 ')).toBe('李建国');
  expect(nameKeyOf('ＡＢ c')).toBe('abc');
  expect(maskPersonName('李建国')).toBe('李*国');
  expect(maskPersonName('陈明')).toBe('陈*');
  expect(maskPersonName('欧阳小明')).toBe('欧**明');
  expect(maskPersonName('王')).toBe('王');
  expect(phoneLast4('138****5678')).toBe('5678');
  expect(phoneLast4(undefined)).toBe('');
  const user = { openid: 'u1', nickName: '小李' };
  expect(
    directoryEntry(user, { name: '李建国', phoneMasked: '138****5678', status: 'approved' }, 'c1', true, NOW),
  ).toEqual({
    communityId: 'c1',
    openid: 'u1',
    name: '李建国',
    nameKey: '李建国',
    phoneLast4: '5678',
    phoneMasked: '138****5678',
    active: true,
    updatedAt: NOW,
  });
  // a registration not yet approved is not used
  expect(
    directoryEntry(user, { name: '李建国', phoneMasked: '138****5678', status: 'pending' }, 'c1', true, NOW),
  ).toMatchObject({
    name: '小李',
    phoneLast4: '',
    phoneMasked: '',
  });
});

test('messages to area members: a per-sender counter per Asia/Shanghai day, refused at the limit', () => {
  expect(areaMessageCounterId('u1', NOW)).toBe('branch-area-msg:u1:2026-11-21');
  // 2026-11-21 23:30 Shanghai is still the 21st; 00:30 is the 22nd
  expect(areaMessageCounterId('u1', Date.UTC(2026, 10, 21, 15, 30))).toBe('branch-area-msg:u1:2026-11-21');
  expect(areaMessageCounterId('u1', Date.UTC(2026, 10, 21, 16, 30))).toBe('branch-area-msg:u1:2026-11-22');
  expect(areaMessageRefusal(AREA_MESSAGE_DAILY_LIMIT - 1)).toBeNull();
  expect(areaMessageRefusal(AREA_MESSAGE_DAILY_LIMIT)).toContain(
    `最多给责任区党员留言 ${AREA_MESSAGE_DAILY_LIMIT} 条`,
  );
});

test('closing drops members removed before the start, keeps those removed after it', () => {
  const removed = [
    { openid: 'a', active: false, removedAt: NOW - 1 },
    { openid: 'b', active: false, removedAt: NOW + 1 },
    { openid: 'c', active: true, removedAt: NOW - 1 }, // re-added
    { openid: 'd', active: false },
  ];
  expect(expectedAtClose(['a', 'b', 'c', 'd', 'e'], removed, NOW)).toEqual(['b', 'c', 'd', 'e']);
});
