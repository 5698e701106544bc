// Shared by the browser tests: where the binaries are, timeouts, Chromium's flags, and small
// helpers (free port, child processes, waiting for navigation, page excerpts).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Never let Playwright fetch a browser of its own.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
export const { chromium } = await import('playwright-core');

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? path.resolve(REPO, process.env.CARGO_TARGET_DIR)
  : path.join(REPO, 'target');
export const KOPRA_BIN = process.env.KOPRA_BIN || path.join(TARGET_DIR, 'debug', 'kopra');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(HERE, 'screenshots');

export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'rahasia-uji-123';
export const KECAMATAN = '32.75.04';

// The machine is slow (2 cores, debug build): be generous everywhere.
export const STEP_TIMEOUT = 60_000;
export const NAV_TIMEOUT = 90_000;
export const HEALTH_TIMEOUT = 180_000;
export const TEST_TIMEOUT = 180_000;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// ---------------------------------------------------------------- helpers

/** Ask the kernel for a free TCP port on loopback, then release it. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Environment for kopra children: no stray KOPRA_* settings from outside. */
export function childEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('KOPRA_')) delete env[key];
  }
  return env;
}

/** Run a command to completion, feeding `input` on stdin; reject on non-zero exit. */
export function run(cmd, args, { input = '', timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${out}`));
    });
    child.stdin.on('error', () => {}); // the child may exit before reading
    child.stdin.end(input);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Collects a child's output; keeps the last `limit` characters. */
export function outputTail(limit = 8_000) {
  let text = '';
  return {
    push(chunk) {
      text += chunk;
      if (text.length > 4 * limit) text = text.slice(-limit);
    },
    get() {
      return text.slice(-limit);
    },
  };
}

/** Click a submit control and wait for the resulting navigation to load. */
export async function submitAndWait(page, selector) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
    page.click(selector),
  ]);
}

/** A short excerpt of the visible page, for assertion messages. */
export async function pageExcerpt(page) {
  try {
    const text = await page.locator('body').innerText({ timeout: 5_000 });
    return text.replace(/\s+/g, ' ').trim().slice(0, 600);
  } catch {
    return '(page text unavailable)';
  }
}

export function pathOf(page) {
  return new URL(page.url()).pathname;
}
