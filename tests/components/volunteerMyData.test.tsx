import { render, waitFor } from '@testing-library/react';
import type { MyDataExport } from '../../types/volunteer';
import MyDataPage from '../../miniprogram/src/packages/volunteer/my-data';
import { START } from './fixtures';
import { byId, findById, fire, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { page } from './volunteerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const EXPORT: MyDataExport = {
  exportedAt: START,
  registration: null,
  account: { recordedHours: 2, grantedHours: 0, pointsBalance: 2 },
  hours: [],
  points: [],
  signUps: [],
  corrections: [],
};

test('下载我的数据 asks first, then downloads a JSON file in H5', async () => {
  const blobs: Blob[] = [];
  const url = URL as unknown as { createObjectURL?: unknown; revokeObjectURL?: unknown };
  url.createObjectURL = jest.fn((b: Blob) => {
    blobs.push(b);
    return 'blob:export';
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
    await tap((await findById('data-export-btn')).id);
    expect(await findById('confirm-dialog-text')).toHaveTextContent('身份证号');
    expect(callsTo('volunteer', 'exportMyData')).toHaveLength(0);
    await tap('confirm-dialog-ok');
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]).toMatch(/^我的志愿服务数据-\d{8}\.json$/);
    const text = await new Promise<string>((resolve) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.readAsText(blobs[0]);
    });
    expect(JSON.parse(text)).toEqual(EXPORT);
  } finally {
    click.mockRestore();
    delete url.createObjectURL;
    delete url.revokeObjectURL;
  }
});

test('申请更正 validates, submits and lists requests with replies', async () => {
  let submitted = false;
  setHandlers({
    'volunteer.myCorrections': () =>
      page(
        submitted
          ? [
              {
                _id: 'c1',
                openid: 'u1',
                communityId: 'c1',
                field: 'hours' as const,
                message: '11月8日服务实际 3 小时，记录为 2 小时',
                status: 'accepted' as const,
                reply: '已核实并补录 1 小时',
                createdAt: START,
              },
            ]
          : [],
      ),
    'volunteer.requestCorrection': () => {
      submitted = true;
      return {};
    },
  });
  render(<MyDataPage />);
  await findById('corrections-empty');
  await tap('corr-submit');
  expect(byId('corr-field-error')).toHaveTextContent('请选择更正内容');
  expect(byId('corr-message-error')).toHaveTextContent('至少 5 个字');
  expect(callsTo('volunteer', 'requestCorrection')).toHaveLength(0);

  await tap('corr-field-hours');
  fire('corr-message', 'input', ' 11月8日服务实际 3 小时，记录为 2 小时 ');
  await tap('corr-submit');
  await waitFor(() =>
    expect(callsTo('volunteer', 'requestCorrection')).toEqual([
      { field: 'hours', message: '11月8日服务实际 3 小时，记录为 2 小时' },
    ]),
  );
  expect(await findById('correction-c1-reply')).toHaveTextContent('已核实并补录 1 小时');
  expect(byId('correction-c1')).toHaveTextContent('已采纳');
});
