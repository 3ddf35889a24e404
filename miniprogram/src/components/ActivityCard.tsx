import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ActivitySummary } from '../../../types/api';
import type { SignUpStatus } from '../../../types/domain';
import { PHASE, SIGNUP_STATUS, TYPE_LABEL, placesText } from '../utils/labels';
import { formatRange } from '../utils/time';
import { keyboardActivatable, roleProps } from '../utils/a11y';
import { StatusTag } from './StatusTag';

export function openActivity(id: string): void {
  Taro.navigateTo({ url: `/pages/activity/detail?id=${encodeURIComponent(id)}` });
}

/** One activity in a list: title, status tag, time, place, places left (and my sign-up). */
export function ActivityCard({ item, signUpStatus }: { item: ActivitySummary; signUpStatus?: SignUpStatus }) {
  const phase = PHASE[item.phase];
  const mine = signUpStatus ?? item.mySignUp;
  const showPlaces = item.phase !== 'ended' && item.phase !== 'cancelled';
  return (
    <View
      id={`activity-${item._id}`}
      className="card activity-card"
      {...roleProps('link')}
      {...keyboardActivatable(() => openActivity(item._id))}
      aria-label={`${item.title}，${phase.label}`}
      onClick={() => openActivity(item._id)}
    >
      <View className="activity-card__head">
        <Text className="activity-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.title}
        </Text>
        <StatusTag label={phase.label} tone={phase.tone} />
      </View>
      <View className="activity-card__line">
        <Text className="line-label">时间</Text>
        <Text>{formatRange(item.startAt, item.endAt)}</Text>
      </View>
      <View className="activity-card__line">
        <Text className="line-label">地点</Text>
        <Text>{item.placeName}</Text>
      </View>
      <View className="activity-card__foot">
        <Text className="activity-card__type">{TYPE_LABEL[item.type]}</Text>
        {showPlaces ? (
          <Text className="activity-card__places">
            {placesText(item.capacity, item.confirmedCount, item.waitlistCount)}
          </Text>
        ) : null}
        {mine && mine !== 'cancelled' ? (
          <StatusTag
            id={`activity-${item._id}-mine`}
            label={SIGNUP_STATUS[mine].label}
            tone={SIGNUP_STATUS[mine].tone}
          />
        ) : null}
        {signUpStatus === 'cancelled' ? (
          <StatusTag label={SIGNUP_STATUS.cancelled.label} tone="grey" />
        ) : null}
      </View>
    </View>
  );
}
