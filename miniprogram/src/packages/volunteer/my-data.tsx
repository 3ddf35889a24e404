import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { CorrectionField, MyDataExport } from '../../../../types/volunteer';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, PagedBody } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { fromNow, shanghai } from '../../utils/time';
import { saveCsv, saveJson } from '../../utils/saveFile';
import { CORRECTION_FIELDS, CORRECTION_STATUS, HOUR_KIND, POINTS_KIND } from './shared';
import '../../styles/grievance.scss';
import './volunteer.scss';

const FIELD_LABEL = Object.fromEntries(CORRECTION_FIELDS.map((f) => [f.value, f.label])) as Record<
  CorrectionField,
  string
>;

/** Hours and points records as a spreadsheet: UTF-8 with a BOM (Excel reads the Chinese), CRLF. */
export function recordsCsv(data: MyDataExport): string {
  const cell = (v: string | number | undefined) => `"${String(v ?? '').replace(/"/g, '""')}"`;
  const day = (t: number) => shanghai(t).format('YYYY-MM-DD HH:mm');
  const rows: (string | number | undefined)[][] = [
    ['记录', '时间', '活动', '类型', '数量', '说明'],
    ...data.hours.map((h) => [
      '服务时长(小时)',
      day(h.at),
      h.activityTitle,
      HOUR_KIND[h.kind]?.label ?? h.kind,
      h.hours,
      h.reason,
    ]),
    ...data.points.map((p) => [
      '积分',
      day(p.at),
      '',
      POINTS_KIND[p.kind as keyof typeof POINTS_KIND]?.label ?? p.kind,
      p.points,
      p.reason,
    ]),
  ];
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** 我的数据: download everything the service holds about me; ask for corrections and see replies. */
export default function MyDataPage() {
  const [exporting, setExporting] = useState(false);
  const [field, setField] = useState<CorrectionField | ''>('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<{ field?: string; message?: string }>({});
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();
  const list = usePagedList(
    (cursor) => call('volunteer', 'myCorrections', { pageSize: 20, ...(cursor ? { cursor } : {}) }),
    'corrections',
  );

  const download = async () => {
    if (exporting) return;
    const ok = await confirm(
      '下载我的数据？',
      '文件包含你的完整姓名、身份证号和手机号，以及服务时长、积分和报名记录。请妥善保管，不要随意转发。',
      '下载',
    );
    if (!ok) return;
    setExporting(true);
    try {
      const data = await call('volunteer', 'exportMyData', {});
      const name = `我的志愿服务数据-${shanghai(data.exportedAt).format('YYYYMMDD')}.json`;
      const outcome = await saveJson(name, data);
      if (outcome !== 'cancelled')
        Taro.showToast({
          title: outcome === 'copied' ? '数据已复制到剪贴板' : outcome === 'shared' ? '已发送' : '已开始下载',
          icon: 'none',
        });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setExporting(false);
    }
  };

  // The readable copy: hours and points as a table (no identity data, so no warning first).
  const downloadCsv = async () => {
    if (exporting) return;
    setExporting(true);
    try {
      const data = await call('volunteer', 'exportMyData', {});
      const name = `我的服务时长和积分-${shanghai(data.exportedAt).format('YYYYMMDD')}.csv`;
      const summary = `服务时长 ${data.account.recordedHours + data.account.grantedHours} 小时，积分 ${data.account.pointsBalance}`;
      const outcome = await saveCsv(name, recordsCsv(data), summary);
      Taro.showToast({
        title:
          outcome === 'copied' ? '汇总已复制到剪贴板' : outcome === 'opened' ? '已打开表格' : '已开始下载',
        icon: 'none',
      });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setExporting(false);
    }
  };

  const submit = async () => {
    if (busy) return;
    const e: typeof errors = {};
    if (!field) e.field = '请选择更正内容';
    const text = message.trim();
    if (text.length < 5) e.message = '更正说明至少 5 个字';
    else if (text.length > 500) e.message = '更正说明最多 500 个字';
    setErrors(e);
    if (Object.keys(e).length > 0 || !field) return;
    setBusy(true);
    try {
      await call('volunteer', 'requestCorrection', { field, message: text });
      Taro.showToast({ title: '已提交，社区处理后会答复你', icon: 'none' });
      setField('');
      setMessage('');
      await list.reload();
    } catch (err) {
      if (err instanceof ApiCallError && err.fields)
        setErrors({ field: err.fields.field, message: err.fields.message });
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="volunteer-my-data-page">
      <Text className="page-title" {...heading(1)}>
        我的数据
      </Text>
      <View className="card" id="data-export">
        <Text className="section-title vol-card-title" {...heading(2)}>
          下载我的数据
        </Text>
        <Text className="muted">
          包含你的登记信息、服务时长、积分明细、报名记录和更正申请，以 JSON
          文件保存；只要服务时长和积分，可下载表格（CSV，Excel 可直接打开）。
        </Text>
        <View className="vol-actions">
          <Button
            id="data-export-btn"
            type="primary"
            loading={exporting}
            disabled={exporting}
            onClick={() => void download()}
          >
            下载我的数据
          </Button>
          <Button
            id="data-export-csv-btn"
            fill="outline"
            disabled={exporting}
            onClick={() => void downloadCsv()}
          >
            下载时长和积分表格
          </Button>
        </View>
      </View>

      <Text className="section-title" {...heading(2)}>
        申请更正
      </Text>
      <View id="correction-form">
        <Field id="corr-field" label="需要更正的内容" error={errors.field}>
          <Choices
            idPrefix="corr-field"
            label="需要更正的内容"
            items={CORRECTION_FIELDS}
            value={field}
            onChange={(v) => {
              setField(v);
              setErrors((x) => ({ ...x, field: undefined }));
            }}
          />
        </Field>
        <Field id="corr-message" label="更正说明" error={errors.message} hint="写清哪里不对、正确的是什么">
          <TextArea
            id="corr-message"
            label="更正说明"
            value={message}
            max={500}
            placeholder="例如：11月8日敬老助餐服务实际 3 小时，记录为 2 小时"
            invalid={!!errors.message}
            onChange={(v) => {
              setMessage(v);
              if (errors.message) setErrors((x) => ({ ...x, message: undefined }));
            }}
          />
        </Field>
        <Button
          id="corr-submit"
          className="block-btn"
          type="primary"
          block
          loading={busy}
          disabled={busy}
          onClick={() => void submit()}
        >
          提交更正申请
        </Button>
      </View>

      <Text className="section-title" {...heading(2)}>
        我的更正申请
      </Text>
      <View id="correction-list" aria-live="polite">
        <PagedBody
          list={list}
          skeletonRows={1}
          empty={<EmptyState id="corrections-empty" text="还没有更正申请，发现记录有误时可以在上方提交" />}
          renderItem={(c) => {
            const st = CORRECTION_STATUS[c.status];
            return (
              <View key={c._id} id={`correction-${c._id}`} className="card">
                <View className="vol-head">
                  <Text className="vol-title">更正{FIELD_LABEL[c.field] ?? c.field}</Text>
                  <StatusTag label={st.label} tone={st.tone} />
                </View>
                <Text className="detail-desc">{c.message}</Text>
                <Text className="muted">提交于 {fromNow(c.createdAt)}</Text>
                {c.reply ? (
                  <Text className="vol-line" id={`correction-${c._id}-reply`}>
                    社区答复：{c.reply}
                  </Text>
                ) : null}
              </View>
            );
          }}
        />
      </View>
      {confirmDialog}
    </PageShell>
  );
}
