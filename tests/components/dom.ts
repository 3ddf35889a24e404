/** DOM helpers shared by the component tests: find by id, tap, and fire Taro input events. */
import { act, fireEvent, waitFor } from '@testing-library/react';

export const byId = (id: string) => document.getElementById(id);

export async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

export async function tap(id: string): Promise<void> {
  await act(async () => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} missing`);
    fireEvent.click(el);
  });
}

/** Fires a Taro event (`input`, `blur`, `change`) with `value` in event.detail, at once. */
export function fire(id: string, type: 'input' | 'blur' | 'change', value: unknown): void {
  const el = byId(id);
  if (!el) throw new Error(`#${id} missing`);
  act(() => {
    el.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  });
}

/**
 * Fires a Taro `input`/`change` event after letting a just-mounted input finish loading (Stencil
 * sets up the inner element asynchronously).
 */
export async function emit(id: string, value: unknown, type: 'input' | 'change' = 'input'): Promise<void> {
  await act(() => new Promise((r) => setTimeout(r, 20)));
  fire(id, type, value);
}
