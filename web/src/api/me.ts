import { request } from './http'
import type { Me } from './types'

export function getMe(signal?: AbortSignal): Promise<Me> {
  return request<Me>('GET', '/api/me', { signal })
}
