import {
  BOM,
  MEMBER_RECORD_HEADER,
  memberRecordFileName,
  memberRecordRows,
  shanghaiDate,
  toCsv,
} from '../../cloudfunctions/domain/alliance-csv';
import type { MemberRecord } from '../../types/domain';

describe('toCsv', () => {
  it('starts with a UTF-8 BOM, quotes every field and ends rows with CRLF', () => {
    expect(toCsv([['a', 1, 2.5]])).toBe(`${BOM}"a","1","2.5"\r\n`);
    expect(BOM).toBe('\uFEFF');
    expect(Buffer.from(toCsv([['x']]), 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('doubles inner quotes and keeps commas and newlines inside the quoted field', () => {
    const csv = toCsv([['他说"你好"', 'a,b', '第一行\n第二行', 'x\r\ny']]);
    expect(csv).toBe(`${BOM}"他说""你好""","a,b","第一行\n第二行","x\r\ny"\r\n`);
  });

  it('writes empty, null and undefined cells as empty quoted fields, and empty rows as blank lines', () => {
    expect(toCsv([['', null, undefined], [], ['z']])).toBe(`${BOM}"","",""\r\n\r\n"z"\r\n`);
  });

  it('round-trips through a minimal RFC 4180 parser', () => {
    const rows = [
      ['姓名', '备注'],
      ['张"三', '逗号,换行\n引号"结束'],
    ];
    const parsed = parse(toCsv(rows).slice(1));
    expect(parsed).toEqual(rows);
  });
});

/** A small RFC 4180 reader, for the round trip only. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else v += text[i++];
      }
      row.push(v);
    }
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    }
  }
  return rows;
}

describe('member record CSV rows', () => {
  const at = (d: string) => Date.parse(`${d}T10:00:00+08:00`);
  const record: MemberRecord = {
    openid: 'u1',
    nickName: '张 三/李',
    year: 2030,
    targetHours: 50,
    hours: 12.5,
    progress: 0.25,
    services: 4,
    activities: [
      { activityId: 'a1', title: '重阳节敬老', endAt: at('2030-10-12'), hours: 2.5 },
      { activityId: 'a2', title: '义诊', endAt: at('2030-03-02'), hours: 10 },
    ],
    grievances: [{ grievanceId: 'g1', number: 'XF-2030-0001', resolvedAt: at('2030-05-01') }],
    posts: [{ communityId: 'c1', name: '楼道长', since: at('2030-01-05'), until: at('2030-06-30') }],
    report: { communityId: 'c1', employerName: '区人民医院', partyOrg: '第二支部', status: 'confirmed' },
  };

  it('has the Chinese header, the summary row and one dated row per service in date order', () => {
    const rows = memberRecordRows(record, '幸福里社区');
    expect(rows[0]).toEqual(MEMBER_RECORD_HEADER);
    expect(rows[1]).toEqual([
      '张 三/李',
      '幸福里社区',
      '区人民医院',
      2030,
      4,
      12.5,
      50,
      '25%',
      '楼道长（已卸任）',
    ]);
    expect(rows[2]).toEqual([]);
    expect(rows.slice(4)).toEqual([
      ['2030-01-05', '服务岗位', '楼道长（至 2030-06-30）', ''],
      ['2030-03-02', '志愿服务活动', '义诊', 10],
      ['2030-05-01', '办理诉求', '诉求 XF-2030-0001', ''],
      ['2030-10-12', '志愿服务活动', '重阳节敬老', 2.5],
    ]);
  });

  it('dates in Asia/Shanghai and a file name without unsafe characters', () => {
    expect(shanghaiDate(Date.parse('2030-12-31T23:30:00+08:00'))).toBe('2030-12-31');
    expect(shanghaiDate(Date.parse('2030-12-31T16:30:00Z'))).toBe('2031-01-01');
    expect(memberRecordFileName(record)).toBe('张_三_李-2030年度服务记录.csv');
    expect(memberRecordFileName({ nickName: '', year: 2031 })).toBe('党员-2031年度服务记录.csv');
  });
});
