import { Picker, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ServiceCategory, ServiceSummary } from '../../../../types/volunteer';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, PagedBody } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { usePagedList } from '../../hooks/usePagedList';
import { currentCommunity, loadMe, useSession } from '../../store/session';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { formatInstant, shanghai } from '../../utils/time';
import { SERVICE_CATEGORY_LIST, hoursText, locate, openVolunteer } from './shared';
import './volunteer.scss';

type CategoryTab = 'all' | ServiceCategory;
type DateTab = 'any' | 'today' | 'tomorrow' | 'pick';
type Near = { lat: number; lng: number };

const CATEGORY_TABS = [
  { value: 'all' as CategoryTab, label: '全部' },
  ...SERVICE_CATEGORY_LIST.map((c) => ({ value: c as CategoryTab, label: c })),
];

function dayKey(offsetDays: number): string {
  return shanghai(Date.now()).add(offsetDays, 'day').format('YYYY-MM-DD');
}

/** 1.2 公里 / 350 米 */
function distanceText(m: number): string {
  return m >= 1000 ? `${(Math.round(m / 100) / 10).toString()} 公里` : `${Math.max(1, Math.round(m))} 米`;
}

function FilterChip({
  id,
  label,
  active,
  onClick,
  ariaLabel,
}: {
  id: string;
  label: string;
  active: boolean;
  onClick?: () => void;
  ariaLabel?: string;
}) {
  return (
    <View
      id={id}
      className={`vol-filter ${active ? 'vol-filter--active' : ''}`}
      aria-pressed={active}
      aria-label={ariaLabel ?? label}
      {...roleProps('button')}
      {...(onClick ? keyboardActivatable(onClick) : {})}
      onClick={onClick}
    >
      <Text>{label}</Text>
    </View>
  );
}

function ServiceCard({ item }: { item: ServiceSummary }) {
  const go = () => openVolunteer('service', { id: item._id });
  const open = item.status === 'published' && item.openSessions > 0;
  return (
    <View
      id={`service-${item._id}`}
      className="card"
      aria-label={`${item.title} · ${item.post}，${open ? '可报名' : '暂无可报名场次'}`}
      {...roleProps('link')}
      {...keyboardActivatable(go)}
      onClick={go}
    >
      <View className="vol-head">
        <Text className="vol-title" {...roleProps('heading', { 'aria-level': 2 })}>
          {item.title} · {item.post}
        </Text>
        <StatusTag label={open ? '报名中' : '已结束'} tone={open ? 'green' : 'grey'} />
      </View>
      <View className="activity-card__line">
        <Text className="line-label">时间</Text>
        <Text>{item.nextSessionAt > 0 ? `${formatInstant(item.nextSessionAt)} 起` : '暂无后续场次'}</Text>
      </View>
      <View className="activity-card__line">
        <Text className="line-label">地点</Text>
        <Text>
          {item.placeName}
          {item.distanceMeters !== undefined ? ` · 距你 ${distanceText(item.distanceMeters)}` : ''}
        </Text>
      </View>
      <View className="activity-card__foot">
        <Text className="activity-card__type">{item.category}</Text>
        <Text className="activity-card__places">
          每场 {hoursText(item.hoursPerSession)} 小时 · {item.openSessions}/{item.sessionCount} 场可报名
        </Text>
        {item.review ? <StatusTag label="需审核" tone="orange" /> : null}
      </View>
    </View>
  );
}

/** Service listings with category, date and distance filters; infinite scroll, pull-to-refresh. */
export default function ServicesPage() {
  const { me, meError } = useSession();
  const communityId = currentCommunity(me)?._id;
  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);
  const [category, setCategory] = useState<CategoryTab>('all');
  const [dateTab, setDateTab] = useState<DateTab>('any');
  const [pickedDate, setPickedDate] = useState('');
  const [near, setNear] = useState<Near | null>(null);
  const [locating, setLocating] = useState(false);

  const date =
    dateTab === 'today'
      ? dayKey(0)
      : dateTab === 'tomorrow'
        ? dayKey(1)
        : dateTab === 'pick'
          ? pickedDate
          : '';

  const list = usePagedList(
    (cursor) =>
      call('volunteer', 'listServices', {
        ...(communityId ? { communityId } : {}),
        ...(category !== 'all' ? { category } : {}),
        ...(date ? { date } : {}),
        ...(near ? { near, sort: 'distance' as const } : { sort: 'soon' as const }),
        pageSize: 10,
        ...(cursor ? { cursor } : {}),
      }),
    `${communityId ?? ''}|${category}|${date}|${near ? `${near.lat},${near.lng}` : ''}`,
    // The current community comes with the session; without it the server uses the caller's.
    !!me || !!meError,
  );

  const toggleNear = async () => {
    if (locating) return;
    if (near) {
      setNear(null);
      return;
    }
    setLocating(true);
    try {
      const pos = await locate('已按开始时间排序');
      if (pos) setNear(pos);
    } finally {
      setLocating(false);
    }
  };

  const clearFilters = () => {
    setCategory('all');
    setDateTab('any');
    setPickedDate('');
    setNear(null);
  };
  const filtered = category !== 'all' || !!date || !!near;

  return (
    <PageShell id="volunteer-services-page">
      <Text className="page-title" {...heading(1)}>
        志愿服务
      </Text>
      <SegmentTabs
        label="服务类别"
        idPrefix="svc-cat"
        items={CATEGORY_TABS}
        value={category}
        onChange={setCategory}
        scroll
      />
      <View className="vol-filter-row" aria-label="日期和距离" {...roleProps('group')}>
        <FilterChip
          id="svc-date-any"
          label="不限日期"
          active={dateTab === 'any'}
          onClick={() => setDateTab('any')}
        />
        <FilterChip
          id="svc-date-today"
          label="今天"
          active={dateTab === 'today'}
          onClick={() => setDateTab('today')}
        />
        <FilterChip
          id="svc-date-tomorrow"
          label="明天"
          active={dateTab === 'tomorrow'}
          onClick={() => setDateTab('tomorrow')}
        />
        <Picker
          mode="date"
          value={pickedDate || dayKey(0)}
          start={dayKey(0)}
          onChange={(e) => {
            setPickedDate(String(e.detail.value));
            setDateTab('pick');
          }}
        >
          <FilterChip
            id="svc-date-pick"
            label={dateTab === 'pick' && pickedDate ? pickedDate : '选日期'}
            ariaLabel={dateTab === 'pick' && pickedDate ? `日期 ${pickedDate}，点按更改` : '选择日期'}
            active={dateTab === 'pick'}
          />
        </Picker>
        <FilterChip
          id="svc-near"
          label={locating ? '定位中…' : '离我最近'}
          active={!!near}
          onClick={() => void toggleNear()}
        />
      </View>

      <View id="service-list" aria-live="polite">
        <PagedBody
          list={list}
          empty={
            filtered ? (
              <EmptyState text="没有符合条件的志愿服务" actionText="清除筛选" onAction={clearFilters} />
            ) : (
              <EmptyState
                text="暂时没有志愿服务，过几天再来看看"
                actionText="返回志愿服务首页"
                onAction={() => openVolunteer('index')}
              />
            )
          }
          renderItem={(s) => <ServiceCard key={s._id} item={s} />}
        />
      </View>
    </PageShell>
  );
}
