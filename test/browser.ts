import { existsSync } from 'node:fs';
import { Browser, chromium, ConsoleMessage, Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): playwright-core drives it, it downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium for a suite; jest.config.cjs runs the `*-browser.e2e-spec.ts` suites only where it is, or where REQUIRE_BROWSER=1 says it must be. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM });
}

/**
 * What a page did besides showing itself: its console errors and uncaught exceptions, and every
 * request it made to another origin than `origin` (data: URLs stay inside the page). `clear()`
 * starts afresh before the next visit of a reused page.
 */
export function watch(page: Page, origin: string): { errors: string[]; foreignRequests: string[]; clear(): void } {
  const seen = { errors: [] as string[], foreignRequests: [] as string[] };
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') seen.errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) seen.foreignRequests.push(request.url());
  });
  return {
    ...seen,
    clear() {
      seen.errors.length = 0;
      seen.foreignRequests.length = 0;
    },
  };
}

/**
 * Whether the page is too wide for its viewport: the document scrolls sideways, or something
 * in the `main` card sticks out of it.
 */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(`(() => {
    const root = document.documentElement;
    const card = document.querySelector('main').getBoundingClientRect();
    const sticksOut = [...document.querySelectorAll('main *')].some((e) => e.getBoundingClientRect().right > card.right + 0.5);
    return root.scrollWidth > root.clientWidth || sticksOut;
  })()`);
}
