/**
 * Builds the .xlsx (exceljs, server side only): a title row (community, what, period), a header
 * row in Chinese, the rows, and a 合计 row for the summed columns. Dates are real Excel dates
 * showing Asia/Shanghai time (the runtime's zone is not Shanghai, so the +8 h is applied here).
 */
import type ExcelJSModule from 'exceljs';

/**
 * exceljs is loaded on first use, not with the function: the timer (which runs export jobs) and
 * `report` would otherwise pay for evaluating it on every cold start.
 */
function excel(): typeof ExcelJSModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof ExcelJSModule;
}
import type { Cell, Column } from './sources';
import { SHANGHAI_OFFSET_MS } from '../domain/shanghai';
import { shanghaiText } from './period';

export interface WorkbookInput {
  title: string;
  subtitle: string;
  sheetName: string;
  columns: Column[];
  rows: Cell[][];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Sums of the `sum` columns (null elsewhere), as the 合计 row shows them. */
export function totals(columns: Column[], rows: Cell[][]): (number | null)[] {
  return columns.map((c, i) =>
    c.sum ? round2(rows.reduce((n, r) => n + (typeof r[i] === 'number' ? (r[i] as number) : 0), 0)) : null,
  );
}

export async function buildWorkbook(input: WorkbookInput): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  wb.creator = '同心圆';
  wb.created = new Date();
  const ws = wb.addWorksheet(input.sheetName.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  const n = input.columns.length;
  ws.columns = input.columns.map((c) => ({
    width: c.width,
    style: c.date ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
  }));

  const title = ws.addRow([input.title]);
  ws.mergeCells(1, 1, 1, n);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  title.height = 24;
  const sub = ws.addRow([input.subtitle]);
  ws.mergeCells(2, 1, 2, n);
  sub.alignment = { horizontal: 'left' };
  const header = ws.addRow(input.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  });

  const dateCols = input.columns.map((c) => !!c.date);
  for (const r of input.rows) {
    ws.addRow(
      r.map((v, i) =>
        dateCols[i] && typeof v === 'number' ? new Date(v + SHANGHAI_OFFSET_MS) : v === null ? null : v,
      ),
    );
  }
  if (input.columns.some((c) => c.sum)) {
    const sums = totals(input.columns, input.rows);
    const row = ws.addRow(sums.map((v, i) => (i === 0 ? '合计' : v)));
    row.font = { bold: true };
  }
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: n } };
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

export const generatedAt = (now: number) => `导出时间：${shanghaiText(now)}`;
