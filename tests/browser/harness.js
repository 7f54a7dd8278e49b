// The real parts the browser tests run on: the `rulebook serve` binary on a free loopback port
// with a fresh database, and Debian's chromium driven by playwright-core.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(REPO, 'target', 'screenshots');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitHealthy(base, child, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`rulebook serve exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rulebook serve did not become healthy in 30 s:\n${log()}`);
}

/**
 * Start `rulebook serve` (RULEBOOK_BIN, default target/debug/rulebook) on the repository's
 * policies, or use RULEBOOK_BASE_URL when set. Returns {base, log, stop}.
 */
export async function startServer() {
  // An already running service (e.g. a staging instance) instead of a fresh one.
  if (process.env.RULEBOOK_BASE_URL) return { base: process.env.RULEBOOK_BASE_URL.replace(/\/$/, ''), log: () => '', stop: async () => {} };
  const bin = process.env.RULEBOOK_BIN ?? join(REPO, 'target', 'debug', 'rulebook');
  const dir = mkdtempSync(join(tmpdir(), 'rulebook-browser-'));
  const port = await freePort();
  let output = '';
  // Loopback needs no token; one inherited from the environment would make every call a 401.
  const env = { ...process.env };
  delete env.RULEBOOK_TOKEN;
  const child = spawn(bin, ['serve', '--policy', join(REPO, 'policies'), '--addr', `127.0.0.1:${port}`, '--db', join(dir, 'decisions.sqlite')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(base, child, () => output);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    base,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}
