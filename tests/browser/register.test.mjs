// End-to-end browser test for Kopra: log in, register a cooperative, find it
// through the search page, check its history timeline, enter a RAT report and see
// the status turn active, and check the activation map, in headless Debian
// Chromium driven by playwright-core.
//
// Run through scripts/test.sh (which builds target/debug/kopra, installs
// Chromium and the npm dependencies). By hand, from tests/browser:
//   npm ci && node --test register.test.mjs
//
// Environment (all optional):
//   KOPRA_BIN        path of the kopra binary (default: <repo>/target/debug/kopra,
//                    or $CARGO_TARGET_DIR/debug/kopra when that is set)
//   CHROMIUM_PATH    browser executable (default: /usr/bin/chromium)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  KOPRA_BIN,
  CHROMIUM,
  SCREENSHOT_DIR,
  ADMIN_USER,
  ADMIN_PASSWORD,
  KECAMATAN,
  STEP_TIMEOUT,
  NAV_TIMEOUT,
  HEALTH_TIMEOUT,
  TEST_TIMEOUT,
  CHROMIUM_ARGS,
  freePort,
  childEnv,
  run,
  sleep,
  outputTail,
  submitAndWait,
  pageExcerpt,
  pathOf,
  chromium,
} from './harness.mjs';

// ---------------------------------------------------------------- the test

describe('kopra in the browser: register a cooperative', () => {
  let dataDir;
  let server;
  let serverExit = null;
  const serverLog = outputTail();
  let baseUrl;
  let browser;
  let context;
  let page;

  // Shared between the steps, which run in order.
  const suffix = `${Date.now()}`;
  const coopName = `Koperasi Uji Peramban ${suffix}`;
  const nik = `3275${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  let detailPath;
  let failed = false;

  /** Runs one step; after a failed step the later ones are skipped. */
  function step(name, fn) {
    test(name, { timeout: TEST_TIMEOUT }, async (t) => {
      if (failed) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        failed = true;
        await saveFailureArtifacts();
        err.message +=
          `\n--- page: ${page ? page.url() : '(none)'}` +
          (serverExit ? `\n--- server exited: ${serverExit}` : '') +
          `\n--- server log (tail):\n${serverLog.get()}`;
        throw err;
      }
    });
  }

  async function saveFailureArtifacts() {
    try {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOT_DIR, 'server.log'), serverLog.get());
      if (page) {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure.png'), fullPage: true, timeout: 15_000 });
      }
    } catch {
      // best effort only
    }
  }

  before(
    async () => {
      assert.ok(
        fs.existsSync(KOPRA_BIN),
        `kopra binary not found at ${KOPRA_BIN}: run \`cargo build --bin kopra\` first (scripts/test.sh does)`,
      );
      assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);

      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopra-browser-data-'));

      // Create the admin user; this also creates and migrates the SQLite database.
      // The password goes to stdin without a trailing newline.
      await run(KOPRA_BIN, [
        'user', 'add', ADMIN_USER,
        '--role', 'admin',
        '--password-stdin',
        '--data-dir', dataDir,
      ], { input: ADMIN_PASSWORD });

      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      // --demo loads Kota Bekasi's 1,046 cooperatives (ODS 2021), so the map has figures.
      server = spawn(KOPRA_BIN, ['serve', '--demo', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout.on('data', (d) => serverLog.push(d));
      server.stderr.on('data', (d) => serverLog.push(d));
      server.on('exit', (code, signal) => {
        serverExit = `code ${code}, signal ${signal}`;
      });
      server.on('error', (err) => {
        serverExit = `spawn error: ${err.message}`;
      });

      // Wait for /healthz to answer 200.
      const deadline = Date.now() + HEALTH_TIMEOUT;
      let last = 'no answer yet';
      for (;;) {
        if (serverExit) {
          throw new Error(`kopra serve exited early (${serverExit}):\n${serverLog.get()}`);
        }
        try {
          const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
          if (res.status === 200) break;
          last = `HTTP ${res.status}`;
        } catch (err) {
          last = err.cause?.code || err.message;
        }
        if (Date.now() > deadline) {
          throw new Error(`GET ${baseUrl}/healthz did not answer 200 within ${HEALTH_TIMEOUT / 1000} s (last: ${last}):\n${serverLog.get()}`);
        }
        await sleep(250);
      }

      // launch() gives the browser a fresh temporary profile (user-data dir) of its own.
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 120_000,
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      page.setDefaultNavigationTimeout(NAV_TIMEOUT);
    },
    { timeout: 300_000 },
  );

  after(
    async () => {
      try {
        if (context) await context.close();
      } catch {}
      try {
        if (browser) await browser.close();
      } catch {}
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );

  step('logs in as admin and lands on the beranda', async () => {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#username', ADMIN_USER);
    await page.fill('#password', ADMIN_PASSWORD);
    await submitAndWait(page, 'main form button[type=submit]');
    assert.equal(pathOf(page), '/', `after login expected /, got ${page.url()}: ${await pageExcerpt(page)}`);
  });

  step('registers a new cooperative', async () => {
    await page.goto(`${baseUrl}/koperasi/baru`);
    await page.fill('#name', coopName);
    await page.selectOption('#kecamatan_code', KECAMATAN);
    await page.fill('#nik', nik);
    await submitAndWait(page, 'main form button[type=submit]');

    const p = pathOf(page);
    assert.match(p, /^\/koperasi\/\d+$/, `after saving expected /koperasi/<id>, got ${page.url()}: ${await pageExcerpt(page)}`);
    detailPath = p;

    const h1 = await page.locator('h1').first().innerText();
    assert.ok(h1.includes(coopName), `h1 ${JSON.stringify(h1)} does not contain ${JSON.stringify(coopName)}`);
  });

  step('finds the cooperative through the search page', async () => {
    await page.goto(`${baseUrl}/koperasi?q=Uji+Peramban`);
    const link = page.locator('table tbody a', { hasText: coopName }).first();
    try {
      await link.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    } catch (err) {
      err.message = `no visible link ${JSON.stringify(coopName)} in table tbody: ${await pageExcerpt(page)}\n${err.message}`;
      throw err;
    }
    assert.ok(await link.isVisible(), 'the result link is visible');

    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      link.click(),
    ]);
    assert.equal(pathOf(page), detailPath, `the search result should lead to ${detailPath}, got ${page.url()}`);
  });

  step('shows the history timeline with the actor', async () => {
    const entries = page.locator('#riwayat .history-entry');
    try {
      await entries.first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
    } catch (err) {
      err.message = `no #riwayat .history-entry on ${page.url()}: ${await pageExcerpt(page)}\n${err.message}`;
      throw err;
    }
    const count = await entries.count();
    assert.ok(count >= 1, `expected at least one history entry, found ${count}`);

    const texts = await entries.allInnerTexts();
    assert.ok(
      texts.some((t) => t.includes(ADMIN_USER)),
      `no history entry names the actor ${JSON.stringify(ADMIN_USER)}: ${JSON.stringify(texts)}`,
    );

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'detail.png'), fullPage: true });
  });

  step('enters a RAT report and sees the status turn active', async () => {
    await page.goto(`${baseUrl}${detailPath}`);
    const before = await page.locator('#status-explanation').innerText();
    assert.ok(before.includes('Belum ada data'), `a new cooperative has no data yet: ${before}`);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      page.locator(`a[href="${detailPath}/laporan"]`).click(),
    ]);
    await page.fill('#book_year', '2025');
    await page.fill('#rat_date', '2026-03-14');
    await page.fill('#members_male', '12');
    await page.fill('#members_female', '10');
    await page.fill('#assets', '250.000.000');
    await submitAndWait(page, 'main form button[type=submit]');
    assert.equal(pathOf(page), detailPath, `after saving the report expected ${detailPath}, got ${page.url()}: ${await pageExcerpt(page)}`);
    const after = await page.locator('#status-explanation').innerText();
    assert.equal(after, 'Aktif sejak 2026-03-14: RAT diadakan 2026-03-14');
    const reportRows = await page.locator('#laporan tbody tr').allInnerTexts();
    assert.ok(reportRows.some((r) => r.includes('2025') && r.includes('Rp250.000.000')), JSON.stringify(reportRows));
  });

  step('shades the 12 kecamatan on the activation map, agreeing with the beranda', async () => {
    await page.goto(`${baseUrl}/`);
    const homeRate = await page.locator('#activation-rate').innerText();
    await page.goto(`${baseUrl}/aktivasi`);
    const pageRate = await page.locator('#activation-rate').innerText();
    assert.equal(pageRate, homeRate, 'the beranda and the activation page show the same rate');

    await page.goto(`${baseUrl}/aktivasi?as_of=2021-12-31`);
    const areas = page.locator('#peta svg path');
    assert.equal(await areas.count(), 12, 'one shape per kecamatan of Kota Bekasi');
    const fills = await areas.evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
    assert.ok(fills.every((f) => f && f !== '#d9d9d9'), `every kecamatan is shaded: ${JSON.stringify(fills)}`);
    assert.ok(new Set(fills).size >= 2, `the shades tell kecamatan apart: ${JSON.stringify(fills)}`);
    const titles = await page.locator('#peta svg path title').allTextContents();
    assert.ok(titles.some((t) => t.startsWith('Bekasi Selatan: ')), JSON.stringify(titles));
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'activation.png'), fullPage: true });
  });

  step('a pengurus answers an invitation on a phone and the office approves it', async () => {
    // The office opens a campaign for one kecamatan and prints the letters.
    await page.goto(`${baseUrl}/kampanye`);
    await page.fill('#name', `Pendataan Uji ${suffix}`);
    await page.fill('#starts_on', '2026-11-01');
    await page.fill('#ends_on', '2026-12-31');
    await page.selectOption('#kecamatan', KECAMATAN);
    await submitAndWait(page, 'main form button[type=submit]');
    const campaignPath = pathOf(page);
    assert.match(campaignPath, /^\/kampanye\/\d+$/, `after opening the campaign: ${page.url()}`);
    await page.goto(`${baseUrl}${campaignPath}/surat`);
    const letter = page.locator('article.letter', { hasText: coopName }).first();
    const code = (await letter.locator('.code').innerText()).trim();
    assert.match(code, /^[A-Z0-9]{10}$/);

    // The pengurus, on a phone, without an account.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p2 = await phone.newPage();
    p2.setDefaultTimeout(STEP_TIMEOUT);
    await p2.goto(`${baseUrl}/u/${code}`);
    assert.ok((await p2.locator('h1').innerText()).includes(coopName));
    await p2.fill('#members_male', '41');
    await p2.fill('#members_female', '37');
    await p2.fill('#rat_date', '2025-04-10');
    await Promise.all([p2.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }), p2.click('main form button[type=submit]')]);
    assert.ok((await p2.locator('.notice').innerText()).includes('Terima kasih'), 'the pengurus is thanked');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await p2.screenshot({ path: path.join(SCREENSHOT_DIR, 'invitation-phone.png'), fullPage: true });
    await phone.close();

    // The office approves; the history names the campaign.
    await page.goto(`${baseUrl}${campaignPath}`);
    const section = page.locator('section.submission', { hasText: coopName }).first();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }), section.locator('button', { hasText: 'Setujui' }).click()]);
    await page.goto(`${baseUrl}${detailPath}`);
    const reports = await page.locator('#laporan tbody tr').allInnerTexts();
    assert.ok(reports.some((r) => r.includes('2025-04-10') && r.includes('78')), `the RAT and 78 members arrived: ${JSON.stringify(reports)}`);
    const history = await page.locator('#riwayat .history-entry').allInnerTexts();
    assert.ok(history.some((h) => h.includes('kampanye')), `a history entry names the campaign: ${JSON.stringify(history)}`);
  });
  step('forms a coalition of doll makers from the doll cooperative\'s matches and records a joint purchase', async () => {
    // Koperasi Sentra Pengrajin Boneka, Bantargebang (NIK 3275030010021), from the demo data.
    await page.goto(`${baseUrl}/koperasi?q=3275030010021`);
    const coop = page.locator('table tbody a').first();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }), coop.click()]);
    const coopPath = pathOf(page);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      page.locator(`a[href="${coopPath}/mitra"]`).click(),
    ]);
    const rows = page.locator('#matches-form tbody tr');
    assert.ok((await rows.count()) >= 5, `proposals are listed: ${await pageExcerpt(page)}`);
    const first = await rows.nth(0).innerText();
    assert.ok(first.includes('boneka') && first.includes('kelurahan'), `the best match is a doll maker nearby, and says so: ${first}`);
    await rows.nth(0).locator('input[name=umkm]').check();
    await rows.nth(1).locator('input[name=umkm]').check();
    await page.fill('#name', `Koalisi Dakron Uji ${suffix}`);
    await page.selectOption('#purpose', 'joint_buying');
    await submitAndWait(page, '#matches-form fieldset:first-of-type button[type=submit]');
    const coalitionPath = pathOf(page);
    assert.match(coalitionPath, /^\/koalisi\/\d+$/, `after forming the coalition: ${page.url()}: ${await pageExcerpt(page)}`);
    const members = await page.locator('main ul li a[href^="/umkm/"]').count();
    assert.equal(members, 2, 'the two selected doll makers are members');

    await page.selectOption('#kind', 'purchase');
    await page.fill('#goods', 'Dakron');
    await page.fill('#quantity', '300');
    await page.fill('#unit', 'kg');
    await page.fill('#value', '6.000.000');
    await page.fill('#individual_value', '7.200.000');
    await submitAndWait(page, 'form[action$="/transaksi"] button[type=submit]');
    assert.equal(pathOf(page), coalitionPath, `after recording: ${page.url()}: ${await pageExcerpt(page)}`);
    assert.equal((await page.locator('#savings').innerText()).trim(), 'Rp1.200.000');
    const tx = await page.locator('#transactions tbody tr').allInnerTexts();
    assert.ok(tx.some((r) => r.includes('Dakron') && r.includes('Rp1.200.000')), JSON.stringify(tx));
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'coalition.png'), fullPage: true });

    // The coalition's members are no longer proposed to the cooperative.
    await page.goto(`${baseUrl}${coopPath}/mitra`);
    const after = await page.locator('#matches-form tbody tr').first().innerText();
    assert.notEqual(after, first, 'a member is not proposed again');
  });
});
