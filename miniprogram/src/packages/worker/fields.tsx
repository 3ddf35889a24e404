/**
 * Form inputs shared by the worker pages (volunteer service and 区域化党建), with no styles of
 * their own: the page's stylesheet and app.scss (.form-input) style them.
 */
import { Input } from '@tarojs/components';

/** A one-line input with its accessible name on both platforms. */
export function TextField({
  id,
  label,
  value,
  onChange,
  max,
  placeholder,
  invalid,
  type = 'text',
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  max?: number;
  placeholder?: string;
  invalid?: boolean;
  type?: 'text' | 'number' | 'digit';
}) {
  const inputmode = type === 'number' ? 'numeric' : type === 'digit' ? 'decimal' : undefined;
  return (
    <Input
      id={id}
      className={`form-input ${invalid ? 'form-invalid' : ''}`}
      type={type}
      value={value}
      maxlength={max}
      placeholder={placeholder}
      aria-label={label}
      nativeProps={{ 'aria-label': label, ...(inputmode ? { inputmode } : {}) }}
      onInput={(e) => onChange(e.detail.value)}
    />
  );
}
