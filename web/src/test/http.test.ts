import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiProblem, browser, resetSignInForTests } from '../api/http'
import { approve, createRelease, getHistory, getRelease, listReleases, updateReleaseText } from '../api/releases'
import { release } from './fixtures'

const fetchMock = vi.fn<typeof fetch>()

function json(status: number, body: unknown, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

const sent = (index = 0) => {
  const [url, init] = fetchMock.mock.calls[index]!
  return { url: String(url), init: init!, headers: init!.headers as Record<string, string> }
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  resetSignInForTests()
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('API client', () => {
  it('builds the list query from the filters that are set', async () => {
    fetchMock.mockResolvedValue(json(200, { items: [], nextCursor: null }))
    await listReleases({ status: 'pending', source: 'uat', dest: 'master', search: 'auth gw', limit: 25, cursor: 'c1' })
    expect(sent().url).toBe('/api/releases?status=pending&source=uat&dest=master&search=auth+gw&limit=25&cursor=c1')
    expect(sent().init.method).toBe('GET')
    expect(sent().headers['X-Requested-With']).toBeUndefined()
  })

  it('marks every change with X-Requested-With', async () => {
    fetchMock.mockResolvedValue(json(200, release()))
    await approve('r1', 'qa', 3)
    expect(sent().url).toBe('/api/releases/r1/approve/qa')
    expect(sent().init.method).toBe('POST')
    expect(sent().headers['X-Requested-With']).toBe('XMLHttpRequest')
    expect(sent().headers['If-Match']).toBe('"3"') // an approval is given on the version the approver saw
  })

  it('sends If-Match with the quoted version on a text edit', async () => {
    fetchMock.mockResolvedValue(json(200, release()))
    await updateReleaseText('r1', { notes: 'hi' }, 12)
    expect(sent().init.method).toBe('PATCH')
    expect(sent().headers['If-Match']).toBe('"12"')
    expect(sent().headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(sent().init.body as string)).toEqual({ notes: 'hi' })
  })

  it('sends the progress id with a creation', async () => {
    fetchMock.mockResolvedValue(json(201, release()))
    await createRelease({ sourceBranch: 'uat', destBranch: 'master' }, 'p-1')
    expect(sent().headers['X-Progress-Id']).toBe('p-1')
    expect(sent().headers['X-Requested-With']).toBe('XMLHttpRequest')
  })

  it('turns a problem answer into an ApiProblem', async () => {
    fetchMock.mockResolvedValue(
      json(409, { status: 409, title: 'Not allowed by the release workflow', detail: 'Needs approved.' }, 'application/problem+json'),
    )
    const error = await approve('r1', 'dev', 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiProblem)
    expect(error).toMatchObject({ status: 409, title: 'Not allowed by the release workflow', detail: 'Needs approved.' })
  })

  it('sends the browser to the sign-in page on 401, coming back to where it was', async () => {
    const navigate = vi.spyOn(browser, 'navigate').mockImplementation(() => {})
    vi.spyOn(browser, 'currentPath').mockReturnValue('/releases/r1?tab=x')
    fetchMock.mockResolvedValue(json(401, { status: 401, title: 'Unauthorized' }, 'application/problem+json'))
    const error = await listReleases().catch((e: unknown) => e)
    expect(navigate).toHaveBeenCalledWith('/auth/login?returnUrl=%2Freleases%2Fr1%3Ftab%3Dx')
    expect(error).toMatchObject({ status: 401 })
  })

  it('redirects once when several requests answer 401 together', async () => {
    const navigate = vi.spyOn(browser, 'navigate').mockImplementation(() => {})
    vi.spyOn(browser, 'currentPath').mockReturnValue('/releases/r1')
    fetchMock.mockImplementation(() => Promise.resolve(json(401, { status: 401, title: 'Unauthorized' }, 'application/problem+json')))
    const errors = await Promise.all([getRelease('r1'), getHistory('r1'), approve('r1', 'dev', 1)].map((p) => p.catch((e: unknown) => e)))
    expect(errors.every((error) => error instanceof ApiProblem && error.status === 401)).toBe(true)
    expect(navigate).toHaveBeenCalledTimes(1)
    expect(navigate).toHaveBeenCalledWith('/auth/login?returnUrl=%2Freleases%2Fr1')
  })

  it('passes an abort through as is, not as a network error', async () => {
    const controller = new AbortController()
    fetchMock.mockImplementation((_url, init) =>
      init!.signal!.aborted ? Promise.reject(new DOMException('The operation was aborted.', 'AbortError')) : new Promise(() => {}),
    )
    controller.abort()
    const error = await getRelease('r1', controller.signal).catch((e: unknown) => e)
    expect(sent().init.signal).toBe(controller.signal)
    expect(error).toBeInstanceOf(DOMException)
    expect(error).toMatchObject({ name: 'AbortError' })
  })

  it('reports a network failure as a problem with status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    await expect(listReleases()).rejects.toMatchObject({ status: 0, title: 'Network error' })
  })
})
