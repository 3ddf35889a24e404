import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NotifyPreference } from '../../../../types/api';
import type { NotifyKind } from '../../../../types/domain';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Switch } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import './notify.scss';

export default function NotifySettingsPage() {
  const [items, setItems] = useState<NotifyPreference[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState<NotifyKind | null>(null);
  const savingRef = useRef(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await call('notify', 'preferences', {});
      setItems(r.items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const toggle = async (kind: NotifyKind, ask: boolean) => {
    if (!items || savingRef.current) return;
    savingRef.current = true;
    const before = items;
    setItems(items.map((p) => (p.kind === kind ? { ...p, ask } : p)));
    setSaving(kind);
    try {
      const r = await call('notify', 'setPreference', { kind, ask });
      setItems(r.items);
    } catch (err) {
      setItems(before);
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      savingRef.current = false;
      setSaving(null);
    }
  };

  return (
    <PageShell id="notify-settings-page">
      <Text className="page-title" {...heading(1)}>
        消息设置
      </Text>
      <Text className="pref__intro">
        {process.env.TARO_ENV === 'weapp'
          ? '报名活动时，我们会询问你是否接收下面这些微信通知。每同意一次，可以收到一条。所有通知也都会出现在「消息」里。'
          : '微信通知只在小程序里发送；所有通知都会出现在「消息」里。'}
      </Text>
      {error && !items ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !items ? (
        <ListSkeleton rows={3} />
      ) : items.length === 0 ? (
        <EmptyState text="暂无可设置的通知" />
      ) : (
        <View id="notify-pref-list">
          {items.map((p) => {
            const flip = () => void toggle(p.kind, !p.ask);
            return (
              <View key={p.kind} id={`pref-${p.kind}`} className="card pref">
                <Text className="pref__title" {...heading(2)}>
                  {p.label}
                </Text>
                {p.description ? <Text className="pref__desc">{p.description}</Text> : null}
                <Text id={`pref-${p.kind}-quota`} className="pref__quota">
                  {`还可接收 ${p.quota} 条微信通知`}
                </Text>
                <View className="pref__ask">
                  <Text aria-hidden="true">报名时询问我</Text>
                  <Switch
                    id={`pref-${p.kind}-switch`}
                    aria-label={`${p.label}：报名时询问我`}
                    {...roleProps('switch', { 'aria-checked': p.ask })}
                    {...keyboardActivatable(flip)}
                    checked={p.ask}
                    disabled={saving === p.kind}
                    onChange={(v: boolean) => void toggle(p.kind, v)}
                  />
                </View>
              </View>
            );
          })}
        </View>
      )}
    </PageShell>
  );
}
