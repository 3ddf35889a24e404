import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RankingView } from '../../../../types/volunteer';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Switch } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { hoursText, openVolunteer } from './shared';
import './volunteer.scss';

type Period = 'month' | 'year';
const TABS: { value: Period; label: string }[] = [
  { value: 'month', label: '本月' },
  { value: 'year', label: '本年' },
];

function periodText(v: RankingView): string {
  if (v.period === 'year') return `${v.periodKey} 年`;
  const [y, m] = v.periodKey.split('-');
  return `${y} 年 ${Number(m)} 月`;
}

/** 服务排行: this month / this year by hours in my community; my rank; opting out. */
export default function RankingsPage() {
  const [period, setPeriod] = useState<Period>('month');
  const [view, setView] = useState<RankingView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const seq = useRef(0);

  const load = useCallback(async (p: Period) => {
    const my = ++seq.current;
    setError(null);
    try {
      const v = await call('volunteer', 'rankings', { period: p });
      if (my === seq.current) setView(v);
    } catch (err) {
      if (my === seq.current) setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    setView(null);
    void load(period);
  }, [period, load]);
  usePullDownRefresh(() => {
    void load(period).finally(() => Taro.stopPullDownRefresh());
  });

  const setOptOut = async (optOut: boolean) => {
    if (saving) return;
    setSaving(true);
    try {
      await call('volunteer', 'setRankingOptOut', { optOut });
      Taro.showToast({ title: optOut ? '已退出排行' : '已参与排行', icon: 'none' });
      await load(period);
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setSaving(false);
    }
  };

  const me = view?.me;

  return (
    <PageShell id="volunteer-rankings-page">
      <Text className="page-title" {...heading(1)}>
        志愿服务排行
      </Text>
      <SegmentTabs label="排行周期" idPrefix="rank-tab" items={TABS} value={period} onChange={setPeriod} />
      {error && !view ? (
        <ErrorState message={error} onRetry={() => void load(period)} />
      ) : !view ? (
        <ListSkeleton rows={2} />
      ) : (
        <>
          <View className="card" id="rank-me">
            {me ? (
              <>
                <Text className="muted">{periodText(view)} · 我的服务时长</Text>
                <View className="vol-switch-row">
                  <Text className="vol-big" id="rank-me-hours">
                    {hoursText(me.hours)} 小时
                  </Text>
                  <Text id="rank-me-rank" className="vol-title" style={{ textAlign: 'right' }}>
                    {me.optedOut ? '未参与排行' : me.rank ? `第 ${me.rank} 名` : '暂未上榜'}
                  </Text>
                </View>
                <View className="vol-switch-row">
                  <View>
                    <Text className="vol-block">不参与排行</Text>
                    <Text className="muted vol-block">开启后别人看不到你的名字和时长</Text>
                  </View>
                  <Switch
                    id="rank-optout"
                    aria-label="不参与排行"
                    {...roleProps('switch', { 'aria-checked': me.optedOut })}
                    checked={me.optedOut}
                    disabled={saving}
                    onChange={(v: boolean) => void setOptOut(v)}
                  />
                </View>
              </>
            ) : (
              <View className="vol-switch-row">
                <Text className="muted">登记成为志愿者后参与排行</Text>
                <Text
                  className="vol-link"
                  id="rank-register"
                  {...roleProps('link')}
                  {...keyboardActivatable(() => openVolunteer('register'))}
                  onClick={() => openVolunteer('register')}
                >
                  去登记 ›
                </Text>
              </View>
            )}
          </View>

          {view.items.length === 0 ? (
            <EmptyState id="rank-empty" text={`${periodText(view)}还没有服务记录，快去参加志愿服务吧`} />
          ) : (
            <View
              className="card"
              id="rank-list"
              {...roleProps('list')}
              aria-label={`${periodText(view)}排行`}
            >
              {view.items.map((r) => (
                <View key={r.openid} id={`rank-${r.rank}`} className="vol-row" {...roleProps('listitem')}>
                  <Text className={`vol-rank ${r.rank <= 3 ? 'vol-rank--top' : ''}`}>{r.rank}</Text>
                  <View className="vol-row__main">
                    <Text className="vol-row__title">{r.nickName || '志愿者'}</Text>
                  </View>
                  <Text className="vol-amount">{hoursText(r.hours)} 小时</Text>
                </View>
              ))}
            </View>
          )}
        </>
      )}
    </PageShell>
  );
}
