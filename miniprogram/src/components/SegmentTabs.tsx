import { Text, View } from '@tarojs/components';
import { keyboardActivatable, roleProps } from '../utils/a11y';

export interface Segment<V extends string> {
  value: V;
  label: string;
}

/** A row of tabs (role=tablist); each tab is a ≥88rpx touch target with a stable id. */
export function SegmentTabs<V extends string>({
  items,
  value,
  onChange,
  idPrefix,
  label,
  scroll = false,
}: {
  items: Segment<V>[];
  value: V;
  onChange: (v: V) => void;
  idPrefix: string;
  label: string;
  scroll?: boolean;
}) {
  return (
    <View
      className={`segments ${scroll ? 'segments--scroll' : ''}`}
      aria-label={label}
      {...roleProps('tablist')}
    >
      {items.map((it) => {
        const active = it.value === value;
        const select = () => {
          if (!active) onChange(it.value);
        };
        return (
          <View
            key={it.value}
            id={`${idPrefix}-${it.value}`}
            className={`segment ${active ? 'segment--active' : ''}`}
            aria-selected={active}
            {...roleProps('tab')}
            {...keyboardActivatable(select)}
            onClick={select}
          >
            <Text>{it.label}</Text>
          </View>
        );
      })}
    </View>
  );
}
