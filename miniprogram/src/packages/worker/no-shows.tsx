/**
 * 未到场名单 (issue 14 item 3): after an activity ends, the confirmed people who never checked in
 * (activity.noShows), each with their no-shows this year — 3 or more stand out — and the
 * community's yearly counts, most first (activity.noShowCounts, paged). At desk width both are
 * tables (PagedTable, shared with 报名名单). Opened from 报名名单 (?id=<activity>) or the 工作台 (yearly counts only).
 */
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { NoShowCountView, NoShowItem, NoShowList } from '../../../../types/notices';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { StatusTag } from '../../components/StatusTag';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import { formatInstant, shanghai } from '../../utils/time';
import { PagedTable } from './paged-table';
import { useWorkerCommunity } from './volunteer-shared';
import './notice.scss';

/** From this many no-shows in a year a person is marked 多次未到. */
export const MANY_NO_SHOWS = 3;

const decode = (v: string | undefined) => (v ? decodeURIComponent(v) : '');

type Tab = 'activity' | 'year';

/** "今年未到 N 次", red and tagged 多次未到 from MANY_NO_SHOWS on (never by colour alone). */
function YearCount({ count, id, label = '今年未到' }: { count: number; id?: string; label?: string }) {
  const many = count >= MANY_NO_SHOWS;
  return (
    <View className="noshow-tags" id={id}>
      <Text className={`noshow-count ${many ? 'noshow-count--many' : ''}`}>
        {label ? `${label} ${count} 次` : `${count} 次`}
      </Text>
      {many ? <StatusTag label="多次未到" tone="red" /> : null}
    </View>
  );
}

export default function NoShowsPage() {
  const router = useRouter();
  const activityId = decode(router.params.id);
  const worker = useWorkerCommunity();
  const thisYear = shanghai(Date.now()).year();
  const [tab, setTab] = useState<Tab>(activityId && router.params.tab !== 'year' ? 'activity' : 'year');
  const [year, setYear] = useState<number>(thisYear);
  const [meta, setMeta] = useState<Pick<NoShowList, 'year' | 'tallied'> | null>(null);

  const people = usePagedList<NoShowItem>(
    async (cursor) => {
      const page = await call('activity', 'noShows', {
        activityId,
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      });
      setMeta({ year: page.year, tallied: page.tallied });
      return page;
    },
    `noShows|${activityId}`,
    !!activityId && tab === 'activity',
  );
  // The activity's year is the one its counts refer to: the yearly view opens on it.
  useEffect(() => {
    if (meta) setYear(meta.year);
  }, [meta]);

  const counts = usePagedList<NoShowCountView>(
    (cursor) =>
      call('activity', 'noShowCounts', {
        communityId: worker.communityId,
        year,
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    `counts|${worker.communityId}|${year}`,
    !!worker.communityId && tab === 'year',
  );

  const tabs: Segment<Tab>[] = [
    ...(activityId ? [{ value: 'activity' as const, label: '本场未到' }] : []),
    { value: 'year', label: '全年统计' },
  ];
  const years = Array.from(new Set([thisYear, year, thisYear - 1])).sort((a, b) => b - a);
  const yearTabs: Segment<string>[] = years.map((y) => ({ value: String(y), label: `${y} 年` }));

  let body;
  if (tab === 'activity') {
    body = (
      <PagedTable
        list={people}
        id="noshow-table"
        caption="本场未到场名单"
        rowKey={(p) => p.openid}
        errorId="noshow-error"
        empty={
          <EmptyState
            id="noshow-empty"
            icon="checklist"
            text="报名的居民都签到了，没有未到场的人"
            actionText="查看全年统计"
            onAction={() => setTab('year')}
          />
        }
        before={
          <Text className="muted noshow-summary" id="noshow-total">
            {`本场未到 ${people.total} 人${meta && !meta.tallied ? '（活动结束 3 天后计入全年统计，次数暂不含本场）' : ''}`}
          </Text>
        }
        columns={[
          {
            key: 'name',
            title: '昵称',
            render: (p) => p.nickName || '居民',
            sortValue: (p) => p.nickName,
          },
          {
            key: 'signedUp',
            title: '报名时间',
            render: (p) => formatInstant(p.signedUpAt),
            sortValue: (p) => p.signedUpAt,
          },
          {
            key: 'yearCount',
            title: `${meta?.year ?? ''} 年未到次数`,
            render: (p) => <YearCount count={p.yearCount} label="" />,
            sortValue: (p) => p.yearCount,
          },
        ]}
        cardsId="noshow-list"
        renderCard={(p) => (
          <View key={p.openid} id={`noshow-${p.openid}`} className="noshow-row">
            <View className="noshow-row__main">
              <Text className="noshow-row__name">{p.nickName || '居民'}</Text>
              <Text className="muted">{`报名于 ${formatInstant(p.signedUpAt)}`}</Text>
            </View>
            <YearCount
              id={`noshow-count-${p.openid}`}
              count={p.yearCount}
              label={meta && meta.year !== thisYear ? `${meta.year} 年未到` : '今年未到'}
            />
          </View>
        )}
      />
    );
  } else if (!worker.communityId) {
    body = worker.error ? <ErrorState message={worker.error} onRetry={worker.retry} /> : <ListSkeleton />;
  } else {
    body = (
      <>
        <SegmentTabs
          label="年份"
          idPrefix="noshow-year"
          items={yearTabs}
          value={String(year)}
          onChange={(v) => setYear(Number(v))}
        />
        <PagedTable
          list={counts}
          id="noshow-counts-table"
          caption={`${year} 年未到场次数`}
          rowKey={(c) => c.openid}
          errorId="noshow-counts-error"
          empty={
            <EmptyState id="noshow-counts-empty" icon="checklist" text={`${year} 年还没有未到场的记录`} />
          }
          before={
            <Text className="muted noshow-summary" id="noshow-counts-total">
              {`${year} 年有未到记录的 ${counts.total} 人，次数多的在前；活动结束 3 天后计入`}
            </Text>
          }
          columns={[
            {
              key: 'name',
              title: '昵称',
              render: (c) => c.nickName || '居民',
              sortValue: (c) => c.nickName,
            },
            {
              key: 'count',
              title: '未到次数',
              render: (c) => <YearCount count={c.count} label="" />,
              sortValue: (c) => c.count,
            },
          ]}
          cardsId="noshow-counts-list"
          renderCard={(c) => (
            <View key={c.openid} id={`noshow-year-${c.openid}`} className="noshow-row">
              <View className="noshow-row__main">
                <Text className="noshow-row__name">{c.nickName || '居民'}</Text>
              </View>
              <YearCount count={c.count} label={`${year} 年未到`} />
            </View>
          )}
        />
      </>
    );
  }

  return (
    <PageShell id="noshows-page">
      <Text className="page-title" {...heading(1)}>
        未到场名单
      </Text>
      {tabs.length > 1 ? (
        <SegmentTabs
          label="未到场名单分类"
          idPrefix="noshow-tab"
          items={tabs}
          value={tab}
          onChange={setTab}
        />
      ) : null}
      <View id="noshow-body" aria-live="polite">
        {body}
      </View>
      {!activityId ? null : (
        <Text className="form-hint" id="noshow-hint">
          未到场：报名成功、活动结束时没有签到的居民。
        </Text>
      )}
    </PageShell>
  );
}
