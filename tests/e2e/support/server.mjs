// Starts one `balai serve --demo` for a test file and stops it again.
//
// The server gets a fresh temporary data directory, an ephemeral port and the
// repository's web/ folder. It is ready when it prints exactly one line
// "Balai is listening on http://127.0.0.1:<port>/" on stdout; we wait for that
// line with a deadline (no fixed sleeps).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const READY_LINE = /^Balai is listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/;
const START_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 15_000;
const LOG_TAIL_CHARS = 8_000;

/** Repository root: $BALAI_SOURCE_DIR, else two levels above tests/e2e/support. */
export function sourceDir() {
  if (process.env.BALAI_SOURCE_DIR) return path.resolve(process.env.BALAI_SOURCE_DIR);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** The balai binary: $BALAI_BIN, else <repo>/build/debug/balai when it exists. */
export function balaiBin() {
  if (process.env.BALAI_BIN) return path.resolve(process.env.BALAI_BIN);
  const fallback = path.join(sourceDir(), 'build', 'debug', 'balai');
  if (existsSync(fallback)) return fallback;
  throw new Error(
    'BALAI_BIN is not set and build/debug/balai does not exist; ' +
      'build it (cmake --preset debug && ninja -C build/debug balai) or set BALAI_BIN',
  );
}

function tail(text) {
  return text.length > LOG_TAIL_CHARS ? '…' + text.slice(-LOG_TAIL_CHARS) : text;
}

/**
 * Starts the server. Resolves to { origin, port, dataDir, stop() } once the
 * ready line has been printed. stop() sends SIGTERM, waits for the exit,
 * removes the data directory and resolves to { code, signal, stderr }.
 */
export async function startServer() {
  const bin = balaiBin();
  if (!existsSync(bin)) throw new Error(`balai binary not found: ${bin}`);
  const webDir = path.join(sourceDir(), 'web');
  if (!existsSync(webDir)) throw new Error(`web directory not found: ${webDir}`);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'balai-e2e-'));
  const child = spawn(bin, ['serve', '--demo'], {
    env: {
      ...process.env,
      BALAI_DATA_DIR: dataDir,
      BALAI_SERVER_PORT: '0',
      BALAI_WEB_DIR: webDir,
      BALAI_LOG_ACCESS_LOG: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // If the test process goes away without running its `after` hooks, do not
  // leave the server running.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = tail(stderr + chunk);
  });

  // Resolves when the process has ended, or at once if it could not be started
  // at all (then Node emits 'error' and never 'exit').
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });

  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });

  let origin;
  try {
    origin = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`balai did not print its ready line within ${START_DEADLINE_MS} ms`));
      }, START_DEADLINE_MS);
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        stdout = tail(stdout + line + '\n');
        const match = READY_LINE.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      exited.then(({ code, signal, error }) => {
        clearTimeout(timer);
        reject(error ?? new Error(`balai exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
  } catch (err) {
    killOnExit();
    await exited;
    process.off('exit', killOnExit);
    await removeDataDir();
    err.message += `\n--- balai stdout ---\n${stdout}\n--- balai stderr ---\n${stderr}`;
    throw err;
  }

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      let timer;
      const result = await Promise.race([
        exited,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), STOP_DEADLINE_MS);
        }),
      ]);
      clearTimeout(timer);
      let outcome = result;
      if (result === null) {
        child.kill('SIGKILL');
        outcome = { ...(await exited), timedOut: true };
      }
      process.off('exit', killOnExit);
      await removeDataDir();
      return { ...outcome, stderr };
    })();
    return stopping;
  };

  return {
    origin, // e.g. "http://127.0.0.1:40123" (no trailing slash)
    port: Number(new URL(origin).port),
    dataDir,
    stop,
    /** True while the process is still running. */
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    /** The last part of what the server wrote on stderr (its JSON log). */
    get stderr() {
      return stderr;
    },
  };
}
