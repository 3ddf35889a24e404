import { Text, View } from '@tarojs/components';
import type { ServiceSummary } from '../../../../types/service';
import { StatusTag } from '../../components/StatusTag';
import { keyboardActivatable } from '../../utils/a11y';
import { distanceText, openDetail, STAGE_TONE, whenText } from './labels';

export function ServiceCard({ item }: { item: ServiceSummary }) {
  return (
    <View
      className="card service-card"
      id={`service-${item._id}`}
      aria-label={`${item.categoryName}需求，${item.stageName}`}
      onClick={() => openDetail(item._id)}
      {...keyboardActivatable(() => openDetail(item._id))}
    >
      <View className="card-row">
        <Text className="card-title">{item.categoryName}</Text>
        <StatusTag label={item.stageName} tone={STAGE_TONE[item.stage]} />
      </View>
      <Text className="card-line">{item.preview}</Text>
      <Text className="card-line">
        时间：{whenText(item.startAt)}（约 {item.durationHours} 小时）
      </Text>
      <Text className="card-line">
        地点：{item.area}
        {item.distanceM !== undefined ? ` · 距你 ${distanceText(item.distanceM)}` : ''}
      </Text>
      {item.slots > 1 ? (
        <Text className="card-line">
          已接 {item.taken}/{item.slots} 人
        </Text>
      ) : null}
    </View>
  );
}
