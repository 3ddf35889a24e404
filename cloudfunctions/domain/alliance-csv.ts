/**
 * CSV for the employer organisation: a member's annual record as a spreadsheet file. RFC 4180
 * style — every field quoted, inner quotes doubled, CRLF between rows — behind a UTF-8 BOM so
 * Excel opens the Chinese text correctly. Pure functions.
 */
import type { MemberRecord } from '../../types/domain';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from './shanghai';

export const BOM = '\uFEFF';

export type CsvCell = string | number | null | undefined;

/** Quote every field and double the quotes inside; rows joined by CRLF, BOM first. */
export function toCsv(rows: CsvCell[][]): string {
  const field = (v: CsvCell) => `"${(v ?? '').toString().replace(/"/g, '""')}"`;
  return BOM + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export const MEMBER_RECORD_HEADER = [
  '姓名',
  '报到社区',
  '工作单位',
  '年度',
  '服务次数',
  '服务时长(小时)',
  '年度目标(小时)',
  '完成率',
  '服务岗位',
];

export const SERVICE_HEADER = ['日期', '类型', '内容', '时长(小时)'];

/** YYYY-MM-DD in Asia/Shanghai. */
export function shanghaiDate(t: number): string {
  return new Date(t + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}

const percent = (p: number) => `${Math.round(p * 1000) / 10}%`;

/**
 * The summary row under the header, then one row per service: activities served (with hours),
 * grievances handled and service posts held (from the date taken up).
 */
export function memberRecordRows(record: MemberRecord, communityName: string): CsvCell[][] {
  const posts = record.posts.map((p) => `${p.name}${p.until ? '（已卸任）' : ''}`).join('、');
  const services: { at: number; row: CsvCell[] }[] = [
    ...record.activities.map((a) => ({
      at: a.endAt,
      row: [shanghaiDate(a.endAt), '志愿服务活动', a.title, a.hours],
    })),
    ...record.grievances.map((g) => ({
      at: g.resolvedAt,
      row: [shanghaiDate(g.resolvedAt), '办理诉求', `诉求 ${g.number}`, ''],
    })),
    ...record.posts.map((p) => ({
      at: p.since,
      row: [
        shanghaiDate(p.since),
        '服务岗位',
        p.until ? `${p.name}（至 ${shanghaiDate(p.until)}）` : p.name,
        '',
      ],
    })),
  ].sort((a, b) => a.at - b.at);
  return [
    MEMBER_RECORD_HEADER,
    [
      record.nickName,
      communityName,
      record.report?.employerName ?? '',
      record.year,
      record.services,
      record.hours,
      record.targetHours,
      percent(record.progress),
      posts,
    ],
    [],
    SERVICE_HEADER,
    ...services.map((s) => s.row),
  ];
}

/** e.g. 张三-2030年度服务记录.csv; characters file systems refuse are replaced. */
export function memberRecordFileName(record: Pick<MemberRecord, 'nickName' | 'year'>): string {
  const name = (record.nickName || '党员').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 20);
  return `${name}-${record.year}年度服务记录.csv`;
}
