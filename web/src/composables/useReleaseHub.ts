// The one SignalR connection of the dashboard, shared by every page.
//
// Contract (the service's hub at /hubs/releases, cookie-authenticated, same origin):
//   client → server: JoinRelease(id), LeaveRelease(id), WatchProgress(progressId)
//   server → client: releaseChanged(ReleaseChange) to the release's group (the new version and
//                    what it changed, never the whole release: fetch that once when behind),
//                    releaseListChanged(ReleaseSummary) to everyone,
//                    compareProgress({ progressId, compared, total }) to whoever watches it.
//
// It reconnects by itself for ever; groups are joined again after a reconnect (a new connection
// has none), and `reconnected` listeners are told so pages can fetch what they may have missed.
import { computed, getCurrentScope, onScopeDispose, ref } from 'vue'
import {
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
  type IRetryPolicy,
} from '@microsoft/signalr'
import type { CompareProgress, FreezeStatus, ReleaseChange, ReleaseSummary } from '../api/types'

export type HubStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface HubEvents {
  releaseChanged: (change: ReleaseChange) => void
  releaseListChanged: (summary: ReleaseSummary) => void
  compareProgress: (progress: CompareProgress) => void
  /** The stop-the-line switch changed (sent to every browser). */
  freezeChanged: (status: FreezeStatus) => void
  /** The connection is back after a drop (or first came up after failing): re-fetch. */
  reconnected: () => void
}

/** What the composable needs of a connection; a HubConnection, or a fake in tests. */
export type HubConnectionLike = Pick<
  HubConnection,
  'start' | 'stop' | 'invoke' | 'on' | 'onreconnecting' | 'onreconnected' | 'onclose' | 'state'
>

export const hubUrl = '/hubs/releases'

/** Retry at once, then back off to every 15 s, never giving up. */
export const retryDelays = [0, 2_000, 5_000, 10_000, 15_000]
const retryPolicy: IRetryPolicy = {
  nextRetryDelayInMilliseconds: (context) =>
    retryDelays[Math.min(context.previousRetryCount, retryDelays.length - 1)] ?? 15_000,
}

let createConnection: () => HubConnectionLike = () =>
  new HubConnectionBuilder()
    .withUrl(hubUrl)
    .withAutomaticReconnect(retryPolicy)
    .configureLogging(LogLevel.Warning)
    .build()

const status = ref<HubStatus>('idle')
const everConnected = ref(false)
const listeners: { [K in keyof HubEvents]: Set<HubEvents[K]> } = {
  releaseChanged: new Set(),
  releaseListChanged: new Set(),
  compareProgress: new Set(),
  freezeChanged: new Set(),
  reconnected: new Set(),
}
/** Release groups this page wants, with how many views asked for each. */
const groups = new Map<string, number>()
let connection: HubConnectionLike | null = null
let starting: Promise<boolean> | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let failedStarts = 0

function emit<K extends keyof HubEvents>(event: K, ...args: Parameters<HubEvents[K]>) {
  for (const listener of [...listeners[event]]) {
    try {
      ;(listener as (...a: Parameters<HubEvents[K]>) => void)(...args)
    } catch (error) {
      console.error(`hub ${event} listener failed`, error)
    }
  }
}

function build(): HubConnectionLike {
  const hub = createConnection()
  hub.on('releaseChanged', (change: ReleaseChange) => emit('releaseChanged', change))
  hub.on('releaseListChanged', (summary: ReleaseSummary) => emit('releaseListChanged', summary))
  hub.on('compareProgress', (progress: CompareProgress) => emit('compareProgress', progress))
  hub.on('freezeChanged', (freeze: FreezeStatus) => emit('freezeChanged', freeze))
  hub.onreconnecting(() => {
    status.value = 'reconnecting'
  })
  hub.onreconnected(async () => {
    status.value = 'connected'
    await rejoinGroups()
    emit('reconnected')
  })
  hub.onclose(() => {
    status.value = 'offline'
    scheduleRetry()
  })
  return hub
}

async function rejoinGroups() {
  await Promise.all([...groups.keys()].map((id) => invokeQuietly('JoinRelease', id)))
}

async function invokeQuietly(method: string, ...args: unknown[]): Promise<boolean> {
  if (connection?.state !== HubConnectionState.Connected) {
    return false
  }
  try {
    await connection.invoke(method, ...args)
    return true
  } catch (error) {
    console.warn(`hub ${method} failed`, error)
    return false
  }
}

function scheduleRetry() {
  clearTimeout(retryTimer)
  const delay = retryDelays[Math.min(failedStarts, retryDelays.length - 1)] ?? 15_000
  retryTimer = setTimeout(() => void connect(), Math.max(delay, 1_000))
}

/** Starts the connection unless it is up or on its way; true once connected. */
export function connect(): Promise<boolean> {
  connection ??= build()
  if (connection.state === HubConnectionState.Connected) {
    return Promise.resolve(true)
  }
  if (status.value === 'reconnecting') {
    return Promise.resolve(false) // the automatic reconnect is at work
  }
  if (starting) {
    return starting
  }
  if (status.value === 'idle') {
    status.value = 'connecting'
  }
  const wasDown = everConnected.value || failedStarts > 0
  starting = connection
    .start()
    .then(async () => {
      status.value = 'connected'
      everConnected.value = true
      failedStarts = 0
      await rejoinGroups()
      if (wasDown) emit('reconnected')
      return true
    })
    .catch((error: unknown) => {
      console.warn('live updates unavailable', error)
      status.value = 'offline'
      failedStarts++
      scheduleRetry()
      return false
    })
    .finally(() => {
      starting = null
    })
  return starting
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      () => {
        clearTimeout(timer)
        resolve(fallback)
      },
    )
  })
}

export function joinRelease(id: string) {
  const count = groups.get(id) ?? 0
  groups.set(id, count + 1)
  if (count === 0) {
    void invokeQuietly('JoinRelease', id)
  }
  void connect()
}

export function leaveRelease(id: string) {
  const count = groups.get(id) ?? 0
  if (count <= 1) {
    groups.delete(id)
    if (count === 1) void invokeQuietly('LeaveRelease', id)
  } else {
    groups.set(id, count - 1)
  }
}

/**
 * Asks for compareProgress events of one comparison. Waits a little for the connection, but
 * never long: progress is a nicety, the creation must not wait for it. True when watching.
 */
export async function watchProgress(progressId: string, waitMs = 2_000): Promise<boolean> {
  const up = await withTimeout(connect(), waitMs, false)
  return up && withTimeout(invokeQuietly('WatchProgress', progressId), waitMs, false)
}

/** Listens to a hub event; inside a component the listener goes away with it. */
export function onHub<K extends keyof HubEvents>(event: K, listener: HubEvents[K]): () => void {
  listeners[event].add(listener)
  const off = () => void listeners[event].delete(listener)
  if (getCurrentScope()) onScopeDispose(off)
  return off
}

export function useReleaseHub() {
  void connect()
  return {
    status,
    /** A connection that was up is down: show "Reconnecting…". */
    reconnecting: computed(() => everConnected.value && (status.value === 'reconnecting' || status.value === 'offline')),
    /** Live updates could never be set up (yet). */
    unavailable: computed(() => !everConnected.value && status.value === 'offline'),
    joinRelease,
    leaveRelease,
    watchProgress,
    on: onHub,
  }
}

/** Tests: use a fake connection and start from scratch. */
export function resetHubForTests(factory?: () => HubConnectionLike) {
  clearTimeout(retryTimer)
  if (factory) createConnection = factory
  connection = null
  starting = null
  failedStarts = 0
  status.value = 'idle'
  everConnected.value = false
  groups.clear()
  for (const set of Object.values(listeners)) set.clear()
}
