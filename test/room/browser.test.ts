import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomClient } from '../../src/room/client.js';
import type { RoomServer } from '../../src/room/server.js';
import { ADMIN, learner, room, stepEvent, tempDir, until } from './support.js';

/**
 * The page in a real browser: Debian's chromium (installed by .ci/run), driven by playwright-core through its
 * executable path; playwright downloads no browser of its own.
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string =>
  Boolean(p && existsSync(p)),
);
// The page's globals, used inside page.evaluate callbacks (they run in the browser, not here).
declare const document: any;
declare const window: any;
if (!CHROMIUM) console.warn('room page browser test skipped: no chromium (apt-get install -y chromium)');

describe.skipIf(!CHROMIUM)('room page in chromium', () => {
  let server: RoomServer;
  let browser: Browser;
  const seats: RoomClient[] = [];
  const HOSTILE = '<script>window.pwned=1</script>';

  beforeAll(async () => {
    server = await room(await tempDir());
    for (let i = 0; i < 30; i++) {
      const seat = await learner(server.url, i === 0 ? HOSTILE : `learner ${String(i).padStart(2, '0')}`);
      seat.emit({ type: 'doctor', ok: i !== 7, failures: i === 7 ? 1 : 0, warnings: 0 });
      seat.emit(stepEvent('nodeport', 'create-service', 0));
      seats.push(seat);
    }
    await until(() => server.state.events === 60, 15_000, '60 events');
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(seats.map((s) => s.close()));
    await server?.close();
  });

  it(
    'joins 30 learners, changes live, shows a detail, posts a note a learner receives',
    { timeout: 60_000 },
    async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${server.url}/#token=${ADMIN}`);
      await page.waitForFunction(() => document.querySelectorAll('#grid tr[data-seat]').length === 30);
      expect(await page.textContent('#doctor')).toContain('29 ready, 1 problems');

      // A name that is markup is shown as text and never runs.
      const names = await page.$$eval('#grid td.name', (cells) => cells.map((c) => c.firstChild?.textContent));
      expect(names).toContain(HOSTILE);
      expect(await page.evaluate(() => window.pwned)).toBeUndefined();

      // The grid changes live: learner 05 fails a check, then passes and moves on.
      const seat = seats[5]!;
      const cell = (step: string) =>
        page.getAttribute(
          `#grid tr[data-seat="${(seat as unknown as { membership: { seat: string } }).membership.seat}"] td[data-step="${step}"]`,
          'class',
        );
      expect(await cell('nodeport/create-service')).toBe('here');
      seat.emit({
        type: 'check',
        lab: 'nodeport',
        step: 'create-service',
        passed: false,
        checks: [
          { title: 'GET http://<addr>:30000/', verdict: 'not-yet', failure: 'refused', observed: 'connection refused' },
        ],
      });
      await until(async () => (await cell('nodeport/create-service')) === 'failing', 10_000, 'a failing cell');
      expect(await page.textContent('#failing')).toContain(
        '1 × nodeport/create-service — GET http://<addr>:30000/ [refused]',
      );

      await page.click('#grid td.name:text-is("learner 05")');
      await page.waitForSelector('#observation');
      expect(await page.textContent('#detail')).toContain('connection refused [refused]');

      seat.emit({ type: 'check', lab: 'nodeport', step: 'create-service', passed: true, checks: [] });
      seat.emit(stepEvent('nodeport', 'reach-it', 1));
      await until(async () => (await cell('nodeport/reach-it')) === 'here', 10_000, 'the next step');
      expect(await cell('nodeport/create-service')).toBe('done');

      // The instructor posts a note; the next acknowledgement brings it to a learner's step screen.
      await page.fill('#note-ko', '10시 반에 쉽니다');
      await page.fill('#note-en', 'Break at 10:30');
      await page.click('#note-post');
      await page.waitForFunction(() => document.querySelector('#note-now').textContent.includes('Break at 10:30'));
      const other = seats[12]!;
      other.emit(stepEvent('nodeport', 'reach-it', 1));
      await until(() => other.note(), 10_000, 'the note on a laptop');
      expect(other.note()).toEqual({ ko: '10시 반에 쉽니다', en: 'Break at 10:30' });
      expect(problems).toEqual([]);
    },
  );

  it('an inline script the page did not write is refused by its CSP', { timeout: 30_000 }, async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => violations.push(m.text()));
    await page.goto(`${server.url}/#token=${ADMIN}`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = 1';
      document.body.append(s);
    });
    expect(await page.evaluate(() => window.injected)).toBeUndefined();
    expect(violations.join('\n')).toMatch(/Content Security Policy/);
  });

  it('without the token the page shows how to open it, and learns nothing', { timeout: 30_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('#token='));
    expect(await page.$$('#grid tr[data-seat]')).toHaveLength(0);
  });
});
