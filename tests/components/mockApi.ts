/**
 * Replaces the typed client's `call` with a jest mock answering per "fn.action".
 * Use with: jest.mock('../../miniprogram/src/api/client', () => require('./mockApi').clientModule())
 */
type Handler = (data: any) => unknown

export const handlers: Record<string, Handler> = {}
export const callMock = jest.fn(async (fn: string, action: string, data: unknown) => {
  const h = handlers[`${fn}.${action}`]
  if (!h) throw new Error(`no mock for ${fn}.${action}`)
  return h(data)
})

export function setHandlers(map: Record<string, Handler>): void {
  for (const k of Object.keys(handlers)) delete handlers[k]
  Object.assign(handlers, map)
  callMock.mockClear()
}

export function clientModule() {
  const actual = jest.requireActual('../../miniprogram/src/api/client')
  return { ...actual, call: callMock }
}

export function callsTo(fn: string, action: string): unknown[] {
  return callMock.mock.calls.filter((c) => c[0] === fn && c[1] === action).map((c) => c[2])
}
