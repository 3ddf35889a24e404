/**
 * Form inputs shared by the worker pages (volunteer service and 区域化党建), with no styles of
 * their own: the page's stylesheet and app.scss (.form-input) style them.
 */
import { Picker, Text, View } from '@tarojs/components';
import type { ServiceSite } from '../../../../types/domain';
import { roleProps } from '../../utils/a11y';

/** The one-line input (components/Form), also imported from here by the worker pages. */
export { TextField } from '../../components/Form';

/** A date or time picker showing its value (or 选择<label>) with its accessible name. */
export function PickerBox({
  id,
  mode,
  value,
  label,
  placeholder = `选择${label}`,
  invalid,
  onChange,
}: {
  id: string;
  mode: 'date' | 'time';
  value: string;
  label: string;
  placeholder?: string;
  invalid: boolean;
  onChange: (v: string) => void;
}) {
  return (
    <Picker id={id} mode={mode} value={value} onChange={(e) => onChange(String(e.detail.value))}>
      <View
        className={`form-picker ${invalid ? 'form-invalid' : ''}`}
        aria-label={`${label}：${value || '未选择'}`}
        {...roleProps('button')}
      >
        <Text className={value ? '' : 'placeholder'}>{value || placeholder}</Text>
      </View>
    </Picker>
  );
}

/** Picks one of the community's service sites (服务阵地) as the place of an activity or service. */
export function SitePicker({
  id,
  label,
  sites,
  siteId,
  placeName,
  loading,
  failed = false,
  invalid,
  onPick,
}: {
  id: string;
  label: string;
  sites: ServiceSite[];
  siteId?: string;
  placeName: string;
  /** The sites are still loading. */
  loading: boolean;
  /** Loading the sites failed. */
  failed?: boolean;
  invalid: boolean;
  onPick: (site: ServiceSite) => void;
}) {
  const index = sites.findIndex((s) => s._id === siteId);
  return (
    <Picker
      id={id}
      mode="selector"
      range={sites.map((s) => s.name)}
      value={Math.max(0, index)}
      disabled={sites.length === 0}
      onChange={(e) => {
        const site = sites[Number(e.detail.value)];
        if (site) onPick(site);
      }}
    >
      <View
        className={`form-picker ${invalid ? 'form-invalid' : ''}`}
        aria-label={`${label}：${placeName || '未选择'}`}
        {...roleProps('button')}
      >
        <Text className={placeName ? '' : 'placeholder'}>
          {placeName ||
            (failed
              ? '服务阵地加载失败'
              : loading
                ? '正在加载服务阵地…'
                : sites.length
                  ? '选择服务阵地'
                  : '本社区还没有服务阵地')}
        </Text>
      </View>
    </Picker>
  );
}
