import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { MemberRecord } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { REPORT_STATUS } from '../../utils/labels';
import { shanghai } from '../../utils/time';
import { saveCsv } from '../../utils/saveFile';
import { hoursText, MemberRecordCard } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

/** The text copied when the file cannot be opened on this device. */
function summaryText(r: MemberRecord): string {
  const lines = [
    `${r.nickName} ${r.year} 年度服务记录`,
    r.report ? `工作单位：${r.report.employerName}` : '',
    `服务 ${r.services} 次，时长 ${hoursText(r.hours)} / ${r.targetHours} 小时（完成 ${Math.round(r.progress * 100)}%）`,
    r.posts.length ? `服务岗位：${r.posts.map((p) => p.name).join('、')}` : '',
    ...r.activities.map((a) => `· ${a.title} ${a.hours} 小时`),
  ];
  return lines.filter(Boolean).join('\n');
}

/** 党员年度记录: a member's record for a year (self, community workers, employer staff), with export. */
export default function MemberRecordPage() {
  const router = useRouter();
  const openid = router.params.openid ? decodeURIComponent(router.params.openid) : undefined;
  const thisYear = shanghai(Date.now()).year();
  const asked = Number(router.params.year);
  const [year, setYear] = useState(Number.isInteger(asked) && asked >= 2000 ? asked : thisYear);
  const [record, setRecord] = useState<MemberRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setRecord(await call('alliance', 'memberRecord', { ...(openid ? { openid } : {}), year }));
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'FORBIDDEN'
          ? '只能查看本人、本社区报到党员或本单位党员的记录'
          : errorMessage(err),
      );
    }
  }, [openid, year]);

  useEffect(() => {
    setRecord(null);
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const exportRecord = async () => {
    if (!record || busy) return;
    setBusy(true);
    try {
      const file = await call('alliance', 'exportMemberRecord', { ...(openid ? { openid } : {}), year });
      const outcome = await saveCsv(file.fileName, file.csv, summaryText(record));
      Taro.showToast({
        title: outcome === 'copied' ? '本机无法打开表格，已复制记录摘要' : '已导出年度记录',
        icon: outcome === 'copied' ? 'none' : 'success',
        duration: 2500,
      });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const years = [thisYear, thisYear - 1, thisYear - 2];
  let body;
  if (error) body = <ErrorState message={error} onRetry={() => void load()} />;
  else if (!record) body = <ListSkeleton rows={2} />;
  else {
    const st = record.report ? REPORT_STATUS[record.report.status] : null;
    body = (
      <>
        <View className="card" id="member-record-head">
          <Text className="grievance-number" id="member-record-name" {...heading(1)}>
            {record.nickName || '党员'} · 年度记录
          </Text>
          {record.report ? (
            <>
              <View className="alliance-card__line">
                <Text className="line-label">工作单位</Text>
                <Text>{record.report.employerName}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">党组织</Text>
                <Text>{record.report.partyOrg}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">报到</Text>
                <Text>{st?.label}</Text>
              </View>
            </>
          ) : null}
        </View>
        <MemberRecordCard record={record}>
          <Button
            id="export-record"
            size="small"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() => void exportRecord()}
          >
            导出年度记录
          </Button>
        </MemberRecordCard>
      </>
    );
  }

  return (
    <PageShell id="member-record-page">
      <SegmentTabs
        label="年度"
        idPrefix="member-record-year"
        items={years.map((y) => ({ value: String(y), label: `${y} 年` }))}
        value={String(year)}
        onChange={(v) => setYear(Number(v))}
      />
      <View id="member-record-body" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
