import { request } from './http'
import type { Me } from './types'

export function getMe(): Promise<Me> {
  return request<Me>('GET', '/api/me')
}
