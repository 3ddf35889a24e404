/** 我的数据 → 下载时长和积分表格: a CSV (UTF-8 BOM, CRLF, quoted) of hours and points records. */
import { waitFor, render } from '@testing-library/react';
import type { MyDataExport } from '../../types/volunteer';
import MyDataPage from '../../miniprogram/src/packages/volunteer/my-data';
import { START } from './fixtures';
import { findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { page } from './volunteerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const EXPORT: MyDataExport = {
  exportedAt: START,
  registration: null,
  account: { recordedHours: 3, grantedHours: 1, pointsBalance: 3 },
  hours: [
    {
      _id: 'rec_1',
      openid: 'u1',
      communityId: 'c1',
      activityId: 'a1',
      activityTitle: '重阳节敬老志愿服务, "送餐"',
      kind: 'recorded',
      hours: 3,
      at: START,
    },
    {
      _id: 'h2',
      openid: 'u1',
      communityId: 'c1',
      activityId: 'a1',
      activityTitle: '重阳节敬老志愿服务',
      kind: 'granted',
      hours: 1,
      at: START,
      reason: '表现突出',
    },
  ],
  points: [{ kind: 'earned', points: 3, at: START, reason: '服务 3 小时' }],
  signUps: [],
  corrections: [],
};

test('下载时长和积分表格 downloads an Excel-friendly CSV of hours and points in H5', async () => {
  const blobs: Blob[] = [];
  const url = URL as unknown as { createObjectURL?: unknown; revokeObjectURL?: unknown };
  url.createObjectURL = jest.fn((b: Blob) => {
    blobs.push(b);
    return 'blob:csv';
  });
  url.revokeObjectURL = jest.fn();
  const clicked: string[] = [];
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    clicked.push(this.download);
  });
  setHandlers({
    'volunteer.myCorrections': () => page([]),
    'volunteer.exportMyData': () => EXPORT,
  });
  try {
    render(<MyDataPage />);
    await tap((await findById('data-export-csv-btn')).id);
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(callsTo('volunteer', 'exportMyData')).toHaveLength(1);
    expect(clicked[0]).toMatch(/^我的服务时长和积分-\d{8}\.csv$/);
    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(
      await new Promise<ArrayBuffer>((resolve) => {
        const r = new FileReader();
        r.onload = () => resolve(r.result as ArrayBuffer);
        r.readAsArrayBuffer(blobs[0]);
      }),
    );
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    const text = Buffer.from(bytes.slice(3)).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('"记录","时间","活动","类型","数量","说明"');
    expect(lines[1]).toMatch(
      /^"服务时长\(小时\)","\d{4}-\d{2}-\d{2} \d{2}:\d{2}","重阳节敬老志愿服务, ""送餐""","信用时长","3",""$/,
    );
    expect(lines[2]).toContain('"荣誉时长","1","表现突出"');
    expect(lines[3]).toMatch(/^"积分",".+","","获得","3","服务 3 小时"$/);
    expect(lines[4]).toBe('');
  } finally {
    click.mockRestore();
    delete url.createObjectURL;
    delete url.revokeObjectURL;
  }
});
