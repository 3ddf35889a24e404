import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import type {
  AttendanceRowView,
  ComplianceItem,
  MeetingKind,
  MeetingSummary,
} from '../../../../types/branch';
import { StatusTag } from '../../components/StatusTag';
import { keyboardActivatable, roleProps } from '../../utils/a11y';
import type { TagTone } from '../../utils/labels';
import { useSubscribeAsk } from '../../utils/subscribe';
import { formatRange } from '../../utils/time';

/** Kind names (kept here: types/branch is imported as types only). */
export const KIND_NAMES: Record<MeetingKind, string> = {
  general: '支部党员大会',
  committee: '支部委员会',
  group: '党小组会',
  lecture: '党课',
  themeDay: '主题党日',
};

export const KINDS = Object.keys(KIND_NAMES) as MeetingKind[];

type Standing = NonNullable<MeetingSummary['mine']> | AttendanceRowView['status'];

export const STANDING: Record<Standing, { label: string; tone: TagTone }> = {
  present: { label: '已签到', tone: 'green' },
  leavePending: { label: '请假待批', tone: 'orange' },
  leaveApproved: { label: '已请假', tone: 'blue' },
  leaveRejected: { label: '请假未批', tone: 'red' },
  absent: { label: '缺席', tone: 'red' },
  expected: { label: '应到', tone: 'grey' },
};

export const COMPLIANCE: Record<ComplianceItem['status'], { label: string; tone: TagTone }> = {
  done: { label: '已完成', tone: 'green' },
  due: { label: '待召开', tone: 'orange' },
  overdue: { label: '已超期', tone: 'red' },
};

/** Loads on mount and again whenever the page is shown after that (back from another page). */
export function useLoadOnShow(load: () => Promise<void>): void {
  const shown = useRef(false);
  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (shown.current) void load();
    shown.current = true;
  });
}

export const go = (url: string) => () => void Taro.navigateTo({ url });

export function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="activity-card__line">
      <Text className="line-label">{label}</Text>
      <Text>{children}</Text>
    </View>
  );
}

/** A meeting in a list: kind, title, status of the caller, time and place. */
export function MeetingCard({ m, onOpen }: { m: MeetingSummary; onOpen: () => void }) {
  const mine = m.mine ? STANDING[m.mine] : null;
  return (
    <View
      id={`meeting-${m._id}`}
      className="card branch-card"
      {...roleProps('button')}
      aria-label={`${m.kindName}：${m.title}`}
      {...keyboardActivatable(onOpen)}
      onClick={onOpen}
    >
      <View className="activity-card__head">
        <Text className="activity-card__title">
          {m.kindName} · {m.title}
        </Text>
        {mine ? (
          <StatusTag label={mine.label} tone={mine.tone} />
        ) : (
          <StatusTag
            label={m.status === 'closed' ? '已结束' : '待召开'}
            tone={m.status === 'closed' ? 'grey' : 'green'}
          />
        )}
      </View>
      <Line label="时间">{formatRange(m.startAt, m.endAt)}</Line>
      <Line label="地点">{m.place}</Line>
      {m.tally ? (
        <Line label="考勤">
          应到 {m.tally.expected} · 实到 {m.tally.present} · 请假 {m.tally.leave} · 缺席 {m.tally.absent}
        </Line>
      ) : null}
    </View>
  );
}

/** One branch's compliance: each required kind with its status. */
export function ComplianceList({ items, idPrefix }: { items: ComplianceItem[]; idPrefix: string }) {
  return (
    <View className="branch-compliance">
      {items.map((i) => (
        <View key={i.kind} id={`${idPrefix}-${i.kind}`} className="branch-compliance__row">
          <Text className="branch-compliance__name">
            {i.name}
            <Text className="muted">（{i.every === 'month' ? '每月' : '每季度'}）</Text>
          </Text>
          <StatusTag
            label={`${COMPLIANCE[i.status].label}${i.held ? ` ${i.held}次` : ''}`}
            tone={COMPLIANCE[i.status].tone}
          />
        </View>
      ))}
    </View>
  );
}

/**
 * Asks for the branch's messages (meeting notices, reminders, leave decisions: scene
 * `branchMeeting`) at the first tap that acts on a branch page — opening a meeting, checking in,
 * asking leave — and at most once per visit of the page. Call it first thing in the tap (WeChat
 * shows the dialog only from a tap) and await what it returns, if anything, before going on.
 */
export function useBranchSubscribe(enabled = true): () => Promise<void> | null {
  const ask = useSubscribeAsk('branchMeeting', enabled);
  const asked = useRef(false);
  return useCallback(() => {
    if (asked.current) return null;
    const shown = ask();
    if (shown) asked.current = true;
    return shown;
  }, [ask]);
}
