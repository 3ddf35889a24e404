/** Inputs and styles of the street admin pages (kept in this subpackage). */
import { Input } from '@tarojs/components';
import './admin.scss';

/** A one-line input with its accessible name on both platforms. */
export function AdminInput({
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
  type?: 'text' | 'digit';
}) {
  return (
    <Input
      id={id}
      className={`form-input ${invalid ? 'form-invalid' : ''}`}
      type={type}
      value={value}
      maxlength={max}
      placeholder={placeholder}
      aria-label={label}
      nativeProps={{ 'aria-label': label, ...(type === 'digit' ? { inputmode: 'decimal' } : {}) }}
      onInput={(e) => onChange(e.detail.value)}
    />
  );
}
