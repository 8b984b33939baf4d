// What the dashboard tests do as a signed-in person: a browser context signed in through the
// development login, the API called with that context's session cookie, and a repo row of the
// release page.
import assert from 'node:assert/strict';

export const desktop = { width: 1280, height: 900 };

/** A new browser context signed in as `user` with `roles` (comma-separated), on `target` of the dashboard. */
export async function signIn(browser, service, user, roles, target, { viewport = desktop, ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  await page.goto(`${service.baseUrl}/auth/dev-login?user=${user}&roles=${roles}&returnUrl=${encodeURIComponent(target)}`);
  return { context, page };
}

/** Calls the API with the context's session cookie; fails the test unless the answer is `status`. */
export async function callApi(service, who, method, url, data, status = 200) {
  const response = await who.context.request.fetch(`${service.baseUrl}${url}`,
    { method, headers: { 'X-Requested-With': 'XMLHttpRequest' }, data });
  assert.equal(response.status(), status, `${method} ${url}: ${await response.text()}`);
  return response.json();
}

/** The release page's row of the repo `name`. */
export const repoRow = (page, name) =>
  page.locator('[data-test=repo-row]').filter({ has: page.locator('.repo-name', { hasText: new RegExp(`^${name}$`) }) });
