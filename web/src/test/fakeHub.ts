import { HubConnectionState } from '@microsoft/signalr'
import type { HubConnectionLike } from '../composables/useReleaseHub'

/** A hub connection that connects at once and lets a test play the server. */
export class FakeHub {
  state: HubConnectionState = HubConnectionState.Disconnected
  handlers = new Map<string, (...args: unknown[]) => void>()
  invoked: Array<[string, ...unknown[]]> = []
  private reconnecting?: () => void
  private reconnected?: () => void | Promise<void>

  connection(): HubConnectionLike {
    return {
      state: this.state,
      start: async () => {
        this.state = HubConnectionState.Connected
      },
      stop: async () => {
        this.state = HubConnectionState.Disconnected
      },
      invoke: async (method: string, ...args: unknown[]) => {
        this.invoked.push([method, ...args])
      },
      on: (event: string, handler: (...args: unknown[]) => void) => {
        this.handlers.set(event, handler)
      },
      onreconnecting: (callback: () => void) => {
        this.reconnecting = callback
      },
      onreconnected: (callback: () => void | Promise<void>) => {
        this.reconnected = callback
      },
      onclose: () => {},
    } as unknown as HubConnectionLike
  }

  /** The connection object the composable holds reads `state` live. */
  bind(): () => HubConnectionLike {
    return () => {
      const connection = this.connection()
      Object.defineProperty(connection, 'state', { get: () => this.state })
      return connection
    }
  }

  send(event: string, payload: unknown) {
    const handler = this.handlers.get(event)
    if (!handler) throw new Error(`nobody listens to ${event}`)
    handler(payload)
  }

  drop() {
    this.state = HubConnectionState.Reconnecting
    this.reconnecting?.()
  }

  async comeBack() {
    this.state = HubConnectionState.Connected
    await this.reconnected?.()
  }
}
