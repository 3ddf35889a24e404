/**
 * Replaces the typed client's `call` with a jest mock answering per "fn.action".
 * Use with:
 *   import type * as MockApi from './mockApi';
 *   jest.mock('../../miniprogram/src/api/client', () =>
 *     jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
 *   );
 */
import type * as Client from '../../miniprogram/src/api/client';
import type { ActionName, FunctionName, RequestOf } from '../../types/api';

/**
 * A handler declares the request type it reads, e.g. `(d: RequestOf<'activity', 'list'>) => …`;
 * `never` lets any such parameter type be stored in one map.
 */
type Handler = (data: never) => unknown;

export const handlers: Record<string, Handler> = {};
export const callMock = jest.fn(async (fn: string, action: string, data: unknown) => {
  const h = handlers[`${fn}.${action}`];
  if (!h) throw new Error(`no mock for ${fn}.${action}`);
  return h(data as never);
});

export function setHandlers(map: Record<string, Handler>): void {
  for (const k of Object.keys(handlers)) delete handlers[k];
  Object.assign(handlers, map);
  callMock.mockClear();
}

export function clientModule() {
  const actual = jest.requireActual<typeof Client>('../../miniprogram/src/api/client');
  return { ...actual, call: callMock };
}

/** The request data of every call to `fn.action`, in order. */
export function callsTo<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
): RequestOf<F, A>[] {
  return callMock.mock.calls
    .filter((c) => c[0] === fn && c[1] === action)
    .map((c) => c[2] as RequestOf<F, A>);
}
