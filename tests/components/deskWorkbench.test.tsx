/** Desk workbench (issue 14 item 4): DataTable sorting and paging, its phone fallback, the side navigation. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { DataTable, pageOf, sortRows, type Column } from '../../miniprogram/src/components/DataTable';
import { DeskNav, isDeskPath, WORKBENCH_TOOLS } from '../../miniprogram/src/components/DeskNav';

interface Row {
  id: string;
  name: string;
  at: number;
}
const rows: Row[] = Array.from({ length: 25 }, (_, i) => ({
  id: `r${i}`,
  name: ['张三', '李四', '王五'][i % 3] as string,
  at: 1000 - i,
}));
const columns: Column<Row>[] = [
  { key: 'name', title: '姓名', render: (r) => r.name, sortValue: (r) => r.name },
  { key: 'at', title: '时间', render: (r) => String(r.at), sortValue: (r) => r.at },
  { key: 'id', title: '编号', render: (r) => r.id },
];

const bodyCells = (col: number) =>
  [...document.querySelectorAll('tbody tr')].map((tr) => tr.children[col]?.textContent);

function setDesk(matches: boolean) {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (media: string) => ({ matches, media, addEventListener() {}, removeEventListener() {} }),
  });
}

afterEach(() => {
  delete (window as { matchMedia?: unknown }).matchMedia;
});

describe('sortRows and pageOf', () => {
  it('sorts stably by numbers or Chinese text, either way, and leaves unsorted rows alone', () => {
    expect(sortRows(rows, columns, null)).toEqual(rows);
    const byTime = sortRows(rows, columns, { key: 'at', dir: 'asc' });
    expect(byTime[0]?.at).toBe(976);
    expect(sortRows(rows, columns, { key: 'at', dir: 'desc' })[0]?.at).toBe(1000);
    const byName = sortRows(rows, columns, { key: 'name', dir: 'asc' });
    // Stable: equal names keep their order.
    const zhang = byName.filter((r) => r.name === '张三').map((r) => r.id);
    expect(zhang).toEqual(rows.filter((r) => r.name === '张三').map((r) => r.id));
    expect(sortRows(rows, columns, { key: 'id', dir: 'asc' })).toEqual(rows); // not sortable
  });

  it('pages, clamping the page number', () => {
    expect(pageOf(rows, 0, 10)).toMatchObject({ pages: 3 });
    expect(pageOf(rows, 2, 10).items).toHaveLength(5);
    expect(pageOf(rows, 9, 10).items).toEqual(rows.slice(20));
    expect(pageOf([], 0, 10)).toEqual({ items: [], pages: 1 });
  });
});

describe('DataTable', () => {
  it('on a phone (or the mini-program) renders the cards it wraps, no table', () => {
    setDesk(false);
    render(
      <DataTable id="t" caption="名单" columns={columns} rows={rows} rowKey={(r) => r.id}>
        <div id="cards">cards</div>
      </DataTable>,
    );
    expect(document.getElementById('cards')).toBeInTheDocument();
    expect(document.querySelector('table')).toBeNull();
  });

  it('at desk width: a captioned table; headers sort with aria-sort; pages of 10', async () => {
    setDesk(true);
    const more = jest.fn();
    render(
      <DataTable
        id="t"
        caption="报名名单"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        total={40}
        hasMore
        onLoadMore={more}
      >
        <div id="cards">cards</div>
      </DataTable>,
    );
    expect(document.getElementById('cards')).toBeNull();
    expect(screen.getByRole('table', { name: '报名名单' })).toBeInTheDocument();
    expect(document.querySelectorAll('th[scope="col"]')).toHaveLength(3);
    expect(document.querySelectorAll('tbody tr')).toHaveLength(10);
    expect(document.getElementById('t-pageinfo')).toHaveTextContent('第 1 / 3+ 页，共 40 条');
    expect(document.getElementById('t-prev')).toBeDisabled();

    await act(async () => fireEvent.click(document.getElementById('t-sort-at')!));
    const th = document.getElementById('t-sort-at')!.closest('th')!;
    expect(th).toHaveAttribute('aria-sort', 'ascending');
    expect(bodyCells(1)[0]).toBe('976');
    await act(async () => fireEvent.click(document.getElementById('t-sort-at')!));
    expect(th).toHaveAttribute('aria-sort', 'descending');
    expect(bodyCells(1)[0]).toBe('1000');
    await act(async () => fireEvent.click(document.getElementById('t-sort-at')!));
    expect(th).not.toHaveAttribute('aria-sort');
    expect(bodyCells(2)[0]).toBe('r0');

    await act(async () => fireEvent.click(document.getElementById('t-next')!));
    expect(bodyCells(2)[0]).toBe('r10');
    await act(async () => fireEvent.click(document.getElementById('t-next')!));
    expect(bodyCells(2)).toEqual(rows.slice(20).map((r) => r.id));
    expect(more).not.toHaveBeenCalled();
    // Past the loaded rows: ask the page's list for more.
    await act(async () => fireEvent.click(document.getElementById('t-next')!));
    expect(more).toHaveBeenCalledTimes(1);
  });

  it('keeps the page states while there are no rows', () => {
    setDesk(true);
    render(
      <DataTable id="t" caption="名单" columns={columns} rows={[]} rowKey={(r) => r.id}>
        <div id="empty">暂无</div>
      </DataTable>,
    );
    expect(document.getElementById('empty')).toBeInTheDocument();
    expect(document.querySelector('table')).toBeNull();
  });
});

describe('DeskNav', () => {
  it('lists 工作台 and every workbench tool; the current page is marked; others navigate', async () => {
    render(<DeskNav path="/packages/worker/grievances" isAdmin={false} />);
    const nav = screen.getByRole('navigation', { name: '工作台导航' });
    const links = [...nav.querySelectorAll('[role="link"]')].map((l) => l.textContent);
    expect(links).toEqual(['工作台', ...WORKBENCH_TOOLS.map((t) => t.name)]);
    expect(document.getElementById('desk-nav-grievances')).toHaveAttribute('aria-current', 'page');
    expect(document.getElementById('desk-nav-admin')).toBeNull();
    await act(async () => fireEvent.click(document.getElementById('desk-nav-volunteers')!));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/volunteers' });
  });

  it('shows 街道管理 to the street admin, current on every admin page', () => {
    render(<DeskNav path="packages/admin/staff" isAdmin />);
    expect(document.getElementById('desk-nav-admin')).toHaveAttribute('aria-current', 'page');
  });

  it('belongs to the worker and admin subpackages only', () => {
    expect(isDeskPath('/packages/worker/participants')).toBe(true);
    expect(isDeskPath('/packages/admin/index')).toBe(true);
    expect(isDeskPath('/pages/index/index')).toBe(false);
    expect(isDeskPath('/packages/volunteer/hub')).toBe(false);
    expect(isDeskPath(undefined)).toBe(false);
  });
});
