/**
 * Accessibility attributes that Taro's component types do not declare: `role` for H5 (axe reads it)
 * and `aria-role` for WeChat's screen reader.
 */
export function roleProps(role: string, extra: Record<string, string | number | boolean> = {}): Record<string, unknown> {
  return process.env.TARO_ENV === 'h5' ? { role, ...extra } : { 'aria-role': role, ...extra }
}

export function heading(level: 1 | 2 | 3): Record<string, unknown> {
  return roleProps('heading', { 'aria-level': level })
}
