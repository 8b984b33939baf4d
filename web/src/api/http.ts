// One way to talk to the service: JSON in and out, the anti-forgery header on every change,
// problems (RFC 9457) turned into ApiProblem, and a 401 sends the browser to the sign-in page.
// That redirect happens here and only here: callers (and useLatest/useAction) just stay quiet
// about a 401 (isSignedOut) and about a request they aborted themselves (isAborted).

/** An answer that was not a success, with the problem details the service sent. */
export class ApiProblem extends Error {
  readonly status: number
  readonly title: string
  readonly detail: string

  constructor(status: number, title: string, detail: string) {
    super(detail ? `${title}: ${detail}` : title)
    this.name = 'ApiProblem'
    this.status = status
    this.title = title
    this.detail = detail
  }
}

export function isProblem(error: unknown, status?: number): error is ApiProblem {
  return error instanceof ApiProblem && (status === undefined || error.status === status)
}

/** The session has ended: the browser is already on its way to the sign-in page, show nothing. */
export function isSignedOut(error: unknown): boolean {
  return isProblem(error, 401)
}

/** A request given up on purpose (its AbortSignal fired): not a failure to show. */
export function isAborted(error: unknown): boolean {
  return (
    (typeof DOMException !== 'undefined' && error instanceof DOMException && error.name === 'AbortError') ||
    (error instanceof Error && error.name === 'AbortError')
  )
}

/** A sentence about any error, for showing next to what caused it. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) {
    return error.detail || error.title
  }
  if (error instanceof Error) {
    return error.message
  }
  return String(error)
}

/** Where the browser goes; replaced in tests. */
export const browser = {
  currentPath: (): string => window.location.pathname + window.location.search,
  navigate: (url: string): void => window.location.assign(url),
}

/** The sign-in page, coming back to a path of this site afterwards (src/Web/Auth: `returnUrl`, local only). */
export function signInUrl(returnUrl: string): string {
  return `/auth/login?returnUrl=${encodeURIComponent(returnUrl)}`
}

let signingIn = false

/**
 * The one answer to a 401: send the browser to the sign-in page, coming back here. Several
 * requests failing together (a page loads a release and its history) redirect once.
 */
export function onUnauthorized(): void {
  if (signingIn) return
  signingIn = true
  browser.navigate(signInUrl(browser.currentPath()))
}

/** Tests: forget that a redirect to the sign-in page already happened. */
export function resetSignInForTests(): void {
  signingIn = false
}

export interface RequestOptions {
  body?: unknown
  headers?: Record<string, string>
  query?: Record<string, string | number | undefined | null>
  signal?: AbortSignal
  /** Read the answer as text (Markdown), not JSON. */
  as?: 'text'
}

const changingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) {
    return path
  }
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value))
    }
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  if (changingMethods.has(method)) {
    headers['X-Requested-With'] = 'XMLHttpRequest'
  }
  let body: string | undefined
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }

  let response: Response
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if (isAborted(error) || options.signal?.aborted) {
      throw error
    }
    throw new ApiProblem(0, 'Network error', 'The service could not be reached. Check your connection and try again.')
  }

  if (response.status === 401 && path.startsWith('/api')) {
    onUnauthorized()
    throw new ApiProblem(401, 'Not signed in', 'Your session has ended. Taking you to the sign-in page…')
  }

  if (!response.ok) {
    throw await problemFrom(response)
  }

  if (response.status === 204) {
    return undefined as T
  }
  if (options.as === 'text') {
    return (await response.text()) as T
  }
  return (await response.json()) as T
}

async function problemFrom(response: Response): Promise<ApiProblem> {
  const fallbackTitle = response.statusText || `Request failed (${response.status})`
  try {
    const type = response.headers.get('Content-Type') ?? ''
    if (type.includes('json')) {
      const problem = (await response.json()) as { status?: number; title?: string; detail?: string }
      return new ApiProblem(problem.status ?? response.status, problem.title ?? fallbackTitle, problem.detail ?? '')
    }
  } catch {
    // an unreadable body: the status alone tells what happened
  }
  return new ApiProblem(response.status, fallbackTitle, '')
}
