// End-to-end browser test for Kopra's awards (Hari Koperasi, 12 July): the admin
// registers two cooperatives, creates two juror accounts (petugas) at /pengguna,
// opens an award programme, sets the jurors and nominates both cooperatives by
// name; each juror logs in in a browser context of their own and fills the
// scoring sheets; the ranking follows the average; the winner is nominated to the
// province and its certificate is printed (screenshots/award-certificate.png), in
// headless Debian Chromium driven by playwright-core.
//
// Run through scripts/test.sh (which builds target/debug/kopra, installs
// Chromium and the npm dependencies). By hand, from tests/browser:
//   npm ci && node --test awards.test.mjs
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

const JUROR_PASSWORD = 'juri-rahasia-123';

// The default criteria's indicators (data/awards/default.json), in the sheet's order.
const INDICATORS = [
  'simpanan_pokok_lunas',
  'simpanan_wajib_lunas',
  'rat_tepat_waktu',
  'kehadiran_rat',
  'pertumbuhan_volume_usaha',
  'partisipasi_anggota',
  'pertumbuhan_shu',
  'pertumbuhan_aset',
  'pertumbuhan_anggota',
  'manfaat_anggota_masyarakat',
];
// Σ weights = 12 (simpanan pokok and wajib 2 each). Full marks → 1200 ÷ 12 = 100.
const FULL = [100, 100, 1, 80, 12, 80, 10, 10, 10, 100];
// wajib 85% → 75 (−50), judgement 90 (−10): 1140 ÷ 12 = 95.
const WINNER_B = [100, 85, 1, 80, 12, 80, 10, 10, 10, 90];
// pokok 80% → 75 (−50), wajib 60% → 50 (−100), RAT late (−100), judgement 50 (−50): 75.
const SECOND_A = [80, 60, 0, 80, 12, 80, 10, 10, 10, 50];
// wajib 80% → 75 (−50), attendance 40% → 50 (−50), turnover +3% → 50 (−50), judgement 70 (−30): 85.
const SECOND_B = [100, 80, 1, 40, 3, 80, 10, 10, 10, 70];

describe('kopra in the browser: an award round run by two jurors', () => {
  let dataDir;
  let server;
  let serverExit = null;
  const serverLog = outputTail();
  let baseUrl;
  let browser;
  const contexts = [];
  let page;

  const suffix = `${Date.now()}`;
  const winner = `Koperasi Juara Peramban ${suffix}`;
  const second = `Koperasi Kedua Peramban ${suffix}`;
  const nik = `3275${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  const jurors = [`juri-a-${suffix}`, `juri-b-${suffix}`];
  const programmeName = 'Koperasi Berprestasi Hari Koperasi 2027';
  let programmePath;
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
      fs.writeFileSync(path.join(SCREENSHOT_DIR, 'awards-server.log'), serverLog.get());
      if (page) {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'awards-failure.png'), fullPage: true, timeout: 15_000 });
      }
    } catch {
      // best effort only
    }
  }

  /** A new browser context (its own cookies) with a page, logged in as `user`. */
  async function loggedIn(user, password) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT);
    p.setDefaultNavigationTimeout(NAV_TIMEOUT);
    await p.goto(`${baseUrl}/login`);
    await p.fill('#username', user);
    await p.fill('#password', password);
    await submitAndWait(p, 'main form button[type=submit]');
    assert.equal(pathOf(p), '/', `after login of ${user} expected /, got ${p.url()}: ${await pageExcerpt(p)}`);
    return p;
  }

  before(
    async () => {
      assert.ok(
        fs.existsSync(KOPRA_BIN),
        `kopra binary not found at ${KOPRA_BIN}: run \`cargo build --bin kopra\` first (scripts/test.sh does)`,
      );
      assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);

      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kopra-browser-awards-'));
      await run(KOPRA_BIN, [
        'user', 'add', ADMIN_USER,
        '--role', 'admin',
        '--password-stdin',
        '--data-dir', dataDir,
      ], { input: ADMIN_PASSWORD });

      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
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

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 120_000,
      });
    },
    { timeout: 300_000 },
  );

  after(
    async () => {
      for (const c of contexts) {
        try {
          await c.close();
        } catch {}
      }
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

  step('the admin registers two cooperatives and two juror accounts', async () => {
    page = await loggedIn(ADMIN_USER, ADMIN_PASSWORD);
    for (const [name, withNik] of [[winner, true], [second, false]]) {
      await page.goto(`${baseUrl}/koperasi/baru`);
      await page.fill('#name', name);
      await page.selectOption('#kecamatan_code', KECAMATAN);
      if (withNik) await page.fill('#nik', nik);
      await submitAndWait(page, 'main form button[type=submit]');
      assert.match(pathOf(page), /^\/koperasi\/\d+$/, `saving ${name}: ${await pageExcerpt(page)}`);
    }
    for (const juror of jurors) {
      await page.goto(`${baseUrl}/pengguna`);
      await page.fill('#username', juror);
      await page.fill('#password', JUROR_PASSWORD);
      await page.selectOption('#role', 'petugas');
      await submitAndWait(page, 'form[action="/pengguna"] button[type=submit]');
      const users = await page.locator('table tbody').innerText();
      assert.ok(users.includes(juror), `${juror} is listed: ${await pageExcerpt(page)}`);
    }
  });

  step('opens a programme, sets the jurors and nominates both cooperatives by name', async () => {
    await page.goto(`${baseUrl}/`);
    await submitAndWait(page, 'nav a[href="/penghargaan"]');
    assert.equal(pathOf(page), '/penghargaan');
    await page.fill('#year', '2027');
    await page.fill('#name', programmeName);
    await page.fill('#categories', 'Konsumen');
    await submitAndWait(page, '#open-programme button[type=submit]');
    programmePath = pathOf(page);
    assert.match(programmePath, /^\/penghargaan\/\d+$/, `after opening: ${await pageExcerpt(page)}`);
    assert.ok((await page.locator('h1').innerText()).includes(programmeName));
    assert.ok((await pageExcerpt(page)).includes('12 Juli 2027'), 'Hari Koperasi is the default date');

    for (const juror of jurors) {
      await page.check(`#jurors-form input[name=juror][value="${juror}"]`);
    }
    await submitAndWait(page, '#jurors-form button[type=submit]');
    const listed = await page.locator('#jurors').innerText();
    assert.ok(jurors.every((j) => listed.includes(j)), `jurors: ${listed}`);

    for (const name of [winner, second]) {
      await page.fill('#cooperative', name.replace('Koperasi ', ''));
      await submitAndWait(page, '#nominate-form button[type=submit]');
      const rows = await page.locator('#nominations tbody').innerText();
      assert.ok(rows.includes(name), `${name} is nominated: ${await pageExcerpt(page)}`);
    }
  });

  /** A juror fills the sheet of the nomination of `name` and sees the total. */
  async function score(p, name, values, total) {
    await p.goto(`${baseUrl}${programmePath}`);
    const row = p.locator('#nominations tbody tr', { hasText: name });
    await Promise.all([
      p.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      row.locator('a[href$="/nilai"]').click(),
    ]);
    assert.ok((await p.locator('#score-sheet').innerText()).includes('Kelembagaan'), 'grouped by aspect');
    for (const [i, code] of INDICATORS.entries()) {
      await p.fill(`#${code}`, String(values[i]));
    }
    await submitAndWait(p, '#score-sheet button[type=submit]');
    const shown = await p.locator('#total').innerText();
    assert.ok(shown.includes(total), `total ${total} shown: ${shown}`);
  }

  step('the first juror scores both nominations in a browser of their own', async () => {
    const p = await loggedIn(jurors[0], JUROR_PASSWORD);
    await score(p, winner, FULL, '100,00');
    await score(p, second, SECOND_A, '75,00');
  });

  step('the second juror scores both nominations in a browser of their own', async () => {
    const p = await loggedIn(jurors[1], JUROR_PASSWORD);
    await score(p, winner, WINNER_B, '95,00');
    await score(p, second, SECOND_B, '85,00');
  });

  step('the ranking follows the average; the winner goes to the province', async () => {
    await page.goto(`${baseUrl}${programmePath}`);
    const rows = await page.locator('table.ranking tbody tr').allInnerTexts();
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.ok(rows[0].includes(winner) && rows[0].includes('97,50'), `first: ${rows[0]}`);
    assert.ok(rows[1].includes(second) && rows[1].includes('80,00'), `second: ${rows[1]}`);
    const first = page.locator('table.ranking tbody tr').first();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      first.locator('form input[value=province] ~ button').click(),
    ]);
    const after = await page.locator('table.ranking tbody tr').first().innerText();
    assert.ok(after.includes('Diusulkan ke provinsi'), after);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'award-ranking.png'), fullPage: true });
  });

  step("prints the winner's certificate", async () => {
    const first = page.locator('table.ranking tbody tr').first();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      first.locator('a[href$="/piagam"]').click(),
    ]);
    const text = await page.locator('#certificate').innerText();
    for (const expected of [winner, `NIK ${nik}`, programmeName, 'Konsumen', '97,50', 'Bekasi, 12 Juli 2027', 'Kepala Dinas Koperasi dan UMKM Kota Bekasi']) {
      assert.ok(text.includes(expected), `the certificate shows ${expected}: ${text}`);
    }
    assert.equal((await page.locator('#rank').innerText()).trim(), '1');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.tools').isVisible(), false, 'the print view hides the buttons');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'award-certificate.png'), fullPage: true });
  });
});
