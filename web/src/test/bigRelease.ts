import { vi } from 'vitest'
import type { Repo } from '../api/types'
import { repo } from './fixtures'

/** svc-0001 … svc-NNNN, the repos of a big release. */
export function manyRepos(count: number, over: (index: number) => Partial<Repo> = () => ({})): Repo[] {
  return Array.from({ length: count }, (_, i) => repo(`svc-${String(i + 1).padStart(4, '0')}`, over(i)))
}

/**
 * jsdom lays nothing out: give the repo table's scroll box a 600 px window and every row 58 px (the virtualizer reads clientHeight of the box, offsetHeight of rows),
 * so the virtualizer has something to measure.
 */
export function fakeLayout() {
  const rect = (height: number) =>
    ({ x: 0, y: 0, top: 0, left: 0, right: 1000, bottom: height, width: 1000, height, toJSON: () => ({}) }) as DOMRect
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    return this.matches('[data-test=repo-scroll]') ? rect(600) : rect(58)
  })
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return this.matches('[data-test=repo-scroll]') ? 600 : 58
  })
  vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(1000)
  vi.spyOn(Element.prototype, 'clientHeight', 'get').mockImplementation(function (this: Element) {
    return this.matches('[data-test=repo-scroll]') ? 600 : 58
  })
  vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(1000)
}
