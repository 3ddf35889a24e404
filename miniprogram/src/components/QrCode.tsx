/**
 * A QR code drawn as an image (GIF data URL from qrcode-generator), so it renders the same in
 * weapp and H5 without a canvas. Used for the rotating check-in code, pickup codes and
 * certificate verification.
 */
import { Image } from '@tarojs/components';
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

export interface QrCodeProps {
  value: string;
  /** Rendered width and height in rpx (default 480). */
  size?: number;
  /** Read aloud by screen readers, e.g. "签到二维码". */
  label: string;
}

/** The data URL for `value` (error correction M, automatic version). */
export function qrDataUrl(value: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(value);
  qr.make();
  return qr.createDataURL(8, 2);
}

export function QrCode({ value, size = 480, label }: QrCodeProps) {
  const src = useMemo(() => qrDataUrl(value), [value]);
  return (
    <Image
      src={src}
      aria-label={label}
      // H5 puts aria-label on Taro's wrapper; the inner <img> needs its own text alternative.
      nativeProps={{ alt: label }}
      style={{ width: `${size}rpx`, height: `${size}rpx`, display: 'block', margin: '0 auto' }}
      data-qr={value}
    />
  );
}
