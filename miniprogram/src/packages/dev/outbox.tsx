import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { SinkRecord } from '../../../../types/api';
import { errorMessage, fetchDevOutbox } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { NOTIFY_KIND_LABEL } from '../../utils/labels';
import { shanghai } from '../../utils/time';
import './outbox.scss';

function resultTag(result: SinkRecord['result']) {
  return result === 'ok' ? (
    <StatusTag label="已发送" tone="green" />
  ) : (
    <StatusTag label={`失败 ${result}`} tone="red" />
  );
}

/** Demo mode (H5): the subscription messages the local sink received instead of WeChat. */
export default function DevOutboxPage() {
  const [records, setRecords] = useState<SinkRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    setLoading(true);
    try {
      const r = await fetchDevOutbox();
      setRecords([...r.records].sort((a, b) => b.at - a.at));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  return (
    <PageShell id="dev-outbox-page">
      <View className="outbox__head">
        <Text className="page-title" {...heading(1)}>
          订阅消息记录
        </Text>
        <Button
          id="dev-outbox-refresh"
          type="primary"
          fill="outline"
          size="small"
          loading={loading}
          disabled={loading}
          onClick={() => void load()}
        >
          刷新
        </Button>
      </View>
      <Text className="outbox__intro">
        演示模式下不会真的发送微信通知，本地收到的订阅消息记录在这里，最新的在前。
      </Text>
      <View id="dev-outbox-list" aria-live="polite">
        {error && !records ? (
          <ErrorState message={error} onRetry={() => void load()} />
        ) : !records ? (
          <ListSkeleton rows={2} />
        ) : records.length === 0 ? (
          <EmptyState text="还没有订阅消息" hint="报名活动并同意接收通知后，再触发一次提醒或变更试试" />
        ) : (
          records.map((r) => (
            <View key={r._id} id={`outbox-${r._id}`} className="card outbox">
              <View className="outbox__head">
                <Text className="outbox__kind" {...heading(2)}>
                  {NOTIFY_KIND_LABEL[r.kind] ?? r.kind}
                </Text>
                {resultTag(r.result)}
              </View>
              <View className="outbox__line">
                <Text className="line-label">时间</Text>
                <Text>{shanghai(r.at).format('YYYY-MM-DD HH:mm:ss')}</Text>
              </View>
              <View className="outbox__line">
                <Text className="line-label">接收人</Text>
                <Text>{r.touser}</Text>
              </View>
              <View className="outbox__line">
                <Text className="line-label">页面</Text>
                <Text>{r.page || '-'}</Text>
              </View>
              <View className="outbox__line">
                <Text className="line-label">模板</Text>
                <Text>{r.templateId}</Text>
              </View>
              <View className="outbox__fields">
                {Object.entries(r.data).map(([key, v]) => (
                  <Text key={key} className="outbox__field">
                    <Text className="outbox__field-key">{key}: </Text>
                    {v.value}
                  </Text>
                ))}
              </View>
            </View>
          ))
        )}
      </View>
    </PageShell>
  );
}
