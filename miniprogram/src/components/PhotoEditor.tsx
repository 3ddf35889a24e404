import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { errorMessage } from '../api';
import { chooseAndUploadPhotos, MAX_PHOTOS, type UploadedPhoto } from '../api/upload';
import { keyboardActivatable, roleProps } from '../utils/a11y';

/**
 * Photo thumbnails with a remove button each and an add tile that picks and uploads more
 * (up to `max`). The value holds uploaded photos only (file id + URL to show).
 */
export function PhotoEditor({
  id,
  value,
  onChange,
  max = MAX_PHOTOS,
  disabled = false,
}: {
  id: string;
  value: UploadedPhoto[];
  onChange: (photos: UploadedPhoto[]) => void;
  max?: number;
  disabled?: boolean;
}) {
  const [uploading, setUploading] = useState(false);
  const left = max - value.length;

  const add = async () => {
    if (uploading || disabled || left <= 0) return;
    setUploading(true);
    try {
      const added = await chooseAndUploadPhotos(left);
      if (added.length > 0) onChange([...value, ...added].slice(0, max));
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setUploading(false);
    }
  };

  const remove = (index: number) => onChange(value.filter((_, i) => i !== index));
  const preview = (index: number) => {
    const urls = value.map((p) => p.url);
    void Taro.previewImage({ urls, current: urls[index] });
  };

  return (
    <View className="photo-grid" id={id}>
      {value.map((p, i) => (
        <View key={`${p.fileId}-${i}`} className="photo-grid__item">
          <Image
            className="photo-grid__img"
            src={p.url}
            mode="aspectFill"
            lazyLoad
            aria-label={`第 ${i + 1} 张图片`}
            nativeProps={{ alt: `第 ${i + 1} 张图片` }}
            onClick={() => preview(i)}
          />
          <View
            id={`${id}-remove-${i}`}
            className="photo-grid__remove"
            aria-label={`删除第 ${i + 1} 张图片`}
            {...roleProps('button')}
            {...keyboardActivatable(() => remove(i))}
            onClick={() => remove(i)}
          >
            <Text aria-hidden="true">×</Text>
          </View>
        </View>
      ))}
      {left > 0 ? (
        <View
          id={`${id}-add`}
          className={`photo-grid__add ${uploading ? 'photo-grid__add--busy' : ''}`}
          aria-label={uploading ? '正在上传图片' : `添加图片，还可以添加 ${left} 张`}
          aria-disabled={uploading || disabled}
          {...roleProps('button')}
          {...keyboardActivatable(() => void add())}
          onClick={() => void add()}
        >
          <Text aria-hidden="true" className="photo-grid__plus">
            {uploading ? '…' : '+'}
          </Text>
          <Text className="photo-grid__add-text">{uploading ? '上传中' : `${value.length}/${max}`}</Text>
        </View>
      ) : null}
    </View>
  );
}

/** Read-only photos: tap to preview full size. */
export function PhotoGrid({ urls, id, label = '图片' }: { urls: string[]; id?: string; label?: string }) {
  if (urls.length === 0) return null;
  return (
    <View className="photo-grid" id={id}>
      {urls.map((u, i) => {
        const open = () => void Taro.previewImage({ urls, current: u });
        return (
          <View
            key={`${u}-${i}`}
            className="photo-grid__item"
            aria-label={`${label} ${i + 1}，点按查看大图`}
            {...roleProps('button')}
            {...keyboardActivatable(open)}
            onClick={open}
          >
            <Image
              className="photo-grid__img"
              src={u}
              mode="aspectFill"
              lazyLoad
              aria-label={`${label} ${i + 1}`}
              nativeProps={{ alt: `${label} ${i + 1}` }}
            />
          </View>
        );
      })}
    </View>
  );
}
