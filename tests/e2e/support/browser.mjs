// Chromium (Debian's /usr/bin/chromium, never a downloaded build) and axe.

import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.BALAI_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Default timeout for Playwright actions and navigations, in ms. */
export const ACTION_TIMEOUT_MS = 30_000;

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh, isolated browser context whose relative URLs resolve against origin. */
export async function newContext(browser, origin, options = {}) {
  const context = await browser.newContext({ baseURL: origin, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  return context;
}

/** Formats axe violations so that a failing test says what is wrong and where. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\n/g, '\n        ');
          return `    - ${n.target.join(' ')}\n      ${n.html}\n        ${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe with the WCAG 2.0/2.1 A and AA rules and fails on any violation. Transitions that are
 * running (a map popup fading in) are let finish first: halfway through, their colours are
 * blends that no reader ever sees at rest, and on a busy machine axe caught them.
 */
export async function assertNoAxeViolations(page, label = page.url()) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => {})),
    ),
  );
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const { violations } = results;
  if (violations.length > 0) {
    assert.fail(
      `${violations.length} accessibility violation(s) on ${label}:\n${formatViolations(violations)}`,
    );
  }
  // Guard against a silently broken run: axe must actually have checked rules.
  assert.ok(results.passes.length > 0, `axe reported no passing rules on ${label}`);
}

/** The document's <html lang>. */
export function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** Text of the page's only h1, whitespace-collapsed. */
export async function h1Text(page) {
  const h1 = page.locator('h1');
  assert.equal(await h1.count(), 1, `expected exactly one h1 on ${page.url()}`);
  return collapse(await h1.textContent());
}

export function collapse(text) {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Proves that a context made with javaScriptEnabled: false really runs no page script. */
export async function assertScriptsDisabled(context) {
  const probe = await context.newPage();
  try {
    await probe.setContent('<title>scripts off</title><script>document.title = "scripts on"</script>');
    assert.equal(await probe.title(), 'scripts off', 'page scripts must not run in this context');
  } finally {
    await probe.close();
  }
}
