import { Input, Text, Textarea, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { keyboardActivatable, roleProps } from '../utils/a11y';

/** A form field: label above, the control, then a hint or an inline error (role=alert). */
export function Field({
  label,
  error,
  hint,
  children,
  id,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: ReactNode;
  id: string;
}) {
  return (
    <View className="form-field" id={`${id}-wrap`}>
      <Text className="form-label" id={`${id}-label`}>
        {label}
      </Text>
      {children}
      {hint && !error ? <Text className="form-hint">{hint}</Text> : null}
      {error ? (
        <Text className="form-error" id={`${id}-error`} {...roleProps('alert')}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/** Chips: one choice (radio) when `value` is a single value, several (checkbox) when an array. */
export function Choices<V extends string>({
  idPrefix,
  items,
  value,
  onChange,
  label,
  disabled = false,
}: {
  idPrefix: string;
  items: { value: V; label: string }[];
  value: V | '' | V[];
  onChange: (v: V) => void;
  label: string;
  disabled?: boolean;
}) {
  const multiple = Array.isArray(value);
  const selected = (v: V) => (multiple ? value.includes(v) : value === v);
  return (
    <View className="choice-row" aria-label={label} {...roleProps(multiple ? 'group' : 'radiogroup')}>
      {items.map((it) => (
        <View
          key={it.value}
          id={`${idPrefix}-${it.value}`}
          className={`choice ${selected(it.value) ? 'choice--active' : ''}`}
          aria-checked={selected(it.value)}
          aria-disabled={disabled}
          {...roleProps(multiple ? 'checkbox' : 'radio')}
          {...keyboardActivatable(() => !disabled && onChange(it.value))}
          onClick={() => !disabled && onChange(it.value)}
        >
          <Text>{it.label}</Text>
        </View>
      ))}
    </View>
  );
}

/** A multi-line text field with its accessible name on both platforms. */
export function TextArea({
  id,
  label,
  value,
  onChange,
  max,
  placeholder,
  invalid = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  max: number;
  placeholder?: string;
  invalid?: boolean;
}) {
  return (
    <Textarea
      id={id}
      className={invalid ? 'form-textarea form-invalid' : 'form-textarea'}
      autoHeight
      value={value}
      maxlength={max}
      placeholder={placeholder}
      aria-label={label}
      nativeProps={{ 'aria-label': label }}
      onInput={(e) => onChange(e.detail.value)}
    />
  );
}

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
