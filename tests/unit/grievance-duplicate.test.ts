import {
  DUPLICATE_WINDOW_MS,
  findRecentDuplicate,
  isNearDuplicate,
  normalizeGrievanceText,
  textSimilarity,
} from '../../cloudfunctions/domain/grievance-duplicate';

const TEXT = '幸福里小区3号楼二单元楼道灯坏了一个多星期，晚上老人上下楼很不方便，请尽快维修。';
const HOUR = 3600_000;
const NOW = Date.UTC(2030, 10, 20, 4, 0);

describe('normalizeGrievanceText', () => {
  it('drops whitespace, punctuation and symbols, folds width and case', () => {
    expect(normalizeGrievanceText(' 楼道灯 坏了！！ ABC，ｄｅｆ… ★ ')).toBe('楼道灯坏了abcdef');
  });
});

describe('textSimilarity (character-bigram Dice)', () => {
  it('is 1 for the same text and for texts that differ only in spacing and punctuation', () => {
    expect(textSimilarity(TEXT, TEXT)).toBe(1);
    expect(textSimilarity(TEXT, TEXT.replace(/，/g, ', ').replace('。', '!!!'))).toBe(1);
  });

  it('counts bigrams as a multiset: 2·shared / (|A| + |B|)', () => {
    // 楼道灯坏 → 楼道 道灯 灯坏; 楼道灯亮 → 楼道 道灯 灯亮: 2·2 / 6
    expect(textSimilarity('楼道灯坏', '楼道灯亮')).toBeCloseTo(2 / 3, 10);
    // repeated bigrams count once each time they occur
    expect(textSimilarity('哈哈哈', '哈哈')).toBeCloseTo((2 * 1) / 3, 10);
    expect(textSimilarity('', '')).toBe(1);
    expect(textSimilarity('灯', '灯')).toBe(1);
    expect(textSimilarity('灯', '水')).toBe(0);
  });

  it('treats a small edit as a near duplicate and a different grievance as not', () => {
    const edited = TEXT.replace('一个多星期', '一周多');
    expect(textSimilarity(TEXT, edited)).toBeGreaterThanOrEqual(0.85);
    expect(isNearDuplicate(TEXT, edited)).toBe(true);
    const other = '幸福里小区3号楼门口的垃圾桶满了三天没人清理，气味很大，请安排清运。';
    expect(textSimilarity(TEXT, other)).toBeLessThan(0.5);
    expect(isNearDuplicate(TEXT, other)).toBe(false);
  });

  it('has the threshold at 0.85', () => {
    // 20 distinct bigrams each side, 17 shared: 0.85 exactly
    const a = 'abcdefghijklmnopqrstu';
    const b = 'abcdefghijklmnopqrxyz';
    expect(textSimilarity(a, b)).toBeCloseTo(0.85, 10);
    expect(isNearDuplicate(a, b)).toBe(true);
    expect(isNearDuplicate(a, 'abcdefghijklmnopqwxyz')).toBe(false);
  });
});

describe('findRecentDuplicate', () => {
  const mine = [
    { _id: 'g-other', preview: '垃圾桶满了三天没人清理，气味很大，请安排清运。', createdAt: NOW - HOUR },
    { _id: 'g-same', preview: TEXT.slice(0, 60), createdAt: NOW - 5 * HOUR },
  ];

  it('finds the earlier near-duplicate from the last 24 hours, comparing a 60-character preview with the start of the text', () => {
    expect(TEXT.length).toBeLessThan(60);
    expect(findRecentDuplicate(TEXT, mine, NOW)?._id).toBe('g-same');
    const long = TEXT.repeat(3); // the preview is its first 60 characters
    const earlier = [{ _id: 'g-long', preview: long.slice(0, 60), createdAt: NOW - HOUR }];
    expect(findRecentDuplicate(long + '另外补充一句', earlier, NOW)?._id).toBe('g-long');
  });

  it('ignores grievances older than a day and different texts', () => {
    const old = [{ _id: 'g-old', preview: TEXT, createdAt: NOW - DUPLICATE_WINDOW_MS - 1 }];
    expect(findRecentDuplicate(TEXT, old, NOW)).toBeUndefined();
    expect(
      findRecentDuplicate('小区健身器材坏了，孩子玩的时候很危险，希望尽快修理。', mine, NOW),
    ).toBeUndefined();
    expect(findRecentDuplicate(TEXT, [], NOW)).toBeUndefined();
  });
});
