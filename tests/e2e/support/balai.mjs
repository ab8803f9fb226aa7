// Per-file fixture: one balai server and one Chromium for all tests of a file.
//
// node --test runs each test file in its own process, so each file that calls
// useBalai() gets its own server (a fresh data dir and port) and browser.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchBrowser, newContext } from './browser.mjs';
import { sourceDir, startServer } from './server.mjs';

/**
 * Upper bound for one test, so that a hang fails instead of blocking the run.
 * Generous: an axe run takes several seconds on a busy 2-core machine.
 */
export const TEST_TIMEOUT_MS = 120_000;

/** Loads web/i18n/<lang>.json, the strings the templates render. */
export async function loadI18n(lang) {
  const file = path.join(sourceDir(), 'web', 'i18n', `${lang}.json`);
  return JSON.parse(await readFile(file, 'utf8'));
}

/**
 * Registers `before`/`after` hooks for the calling test file and returns an
 * object that is filled in once they have run:
 *   origin          "http://127.0.0.1:<port>"
 *   browser         the Playwright Browser
 *   i18n            { id, en } translation strings
 *   services        GET /api/v1/services → services array
 *   newContext(o)   a fresh BrowserContext (o: Playwright context options)
 *   url(p)          absolute URL of path p
 */
export function useBalai() {
  const env = {};
  let server;
  let browser;
  const contexts = new Set();

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const [id, en] = await Promise.all([loadI18n('id'), loadI18n('en')]);
    const res = await fetch(`${server.origin}/api/v1/services`);
    assert.equal(res.status, 200, 'GET /api/v1/services');
    const body = await res.json();
    assert.ok(Array.isArray(body.services), 'API response has a services array');
    assert.ok(body.services.length > 0, 'the demo catalogue has services');

    Object.assign(env, {
      origin: server.origin,
      browser,
      i18n: { id, en },
      services: body.services,
      url: (p) => new URL(p, server.origin).href,
      newContext: async (options) => {
        const context = await newContext(browser, server.origin, options);
        contexts.add(context);
        context.once('close', () => contexts.delete(context));
        return context;
      },
    });
  }, { timeout: TEST_TIMEOUT_MS });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    if (browser) await browser.close();
    if (server) {
      const wasRunning = server.running;
      const { code, signal, timedOut, stderr } = await server.stop();
      assert.ok(wasRunning, `balai died during the tests (code ${code}, signal ${signal}):\n${stderr}`);
      assert.ok(!timedOut, `balai did not stop within the deadline after SIGTERM:\n${stderr}`);
      assert.equal(code, 0, `balai should exit 0 on SIGTERM (signal ${signal}):\n${stderr}`);
    }
  }, { timeout: TEST_TIMEOUT_MS });

  return env;
}
