// GET /api/freeze (docs/api.md): are deploys frozen, by the stop-the-line switch or a window?
import { request } from './http'
import type { FreezeStatus } from './types'

export function getFreeze(signal?: AbortSignal): Promise<FreezeStatus> {
  return request<FreezeStatus>('GET', '/api/freeze', { signal })
}
