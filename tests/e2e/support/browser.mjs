// Debian's Chromium, headless, driven by playwright-core. Never a downloaded browser.
// Every page runs under the service's Content-Security-Policy: a violation (reported by the page's
// securitypolicyviolation event, logged to the console by an init script) fails the run when the browser closes.
import { chromium } from 'playwright-core';

/** CSP violations seen by any page of any browser launched here. */
export const cspViolations = [];

const reportViolations = () => {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile || document.location.href}`);
  });
};

function watch(context) {
  context.addInitScript(reportViolations);
  context.on('page', (page) => {
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && text.startsWith('CSP violation')) {
        cspViolations.push(`${page.url()}: ${text}`);
      }
    });
  });
  return context;
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => watch(await newContext(...args));
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    if (cspViolations.length > 0) {
      throw new Error(`The pages broke the Content-Security-Policy:\n${cspViolations.join('\n')}`);
    }
  };
  return browser;
}
