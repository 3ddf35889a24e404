import { View } from '@tarojs/components';
import { Tag } from '../ui';
import type { TagTone } from '../utils/labels';

/** Text colours meet 4.5:1 on their light backgrounds; the label always carries the meaning. */
const TONES: Record<TagTone, { color: string; background: string }> = {
  green: { color: '#056B35', background: '#E7F7EE' },
  orange: { color: '#9A4A00', background: '#FFF1E0' },
  red: { color: '#B0131A', background: '#FDECEC' },
  grey: { color: '#5C5F66', background: '#EEEFF2' },
  blue: { color: '#1F5FAD', background: '#E8F1FC' },
};

export function StatusTag({ label, tone, id }: { label: string; tone: TagTone; id?: string }) {
  const t = TONES[tone];
  const tag = (
    <Tag className={`status-tag status-tag--${tone}`} color={t.color} background={t.background}>
      {label}
    </Tag>
  );
  // NutUI's Tag does not pass `id` through.
  return id ? (
    <View id={id} className="status-tag-wrap">
      {tag}
    </View>
  ) : (
    tag
  );
}
