// Real-time buses (实时公交) in the browser, JavaScript on and off, phone viewport: a visitor finds
// the stops near a district, opens a stop and reads its next buses (each marked 实时 or 计划, with
// the feed's age or the timetable notice), follows a line to its stop strip and opens a stop from
// it. axe-core on every page. Selectors are the markup of app/src/bus/pages.rs.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 120000 }, fn);

// The phone variants. A run that keeps fewer variants (the PostgreSQL pass keeps one, desktop)
// has none: then no browser is started at all, which would otherwise keep this file alive.
const PHONES = VARIANTS.filter((v) => v.isMobile);

let browser;
if (PHONES.length > 0) {
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
}

PHONES.forEach((variant) => {
  test(`find a stop nearby, read its arrivals, open the line strip (${variant.name})`, async () => {
    const { context, page } = await openPage(browser, variant);
    try {
      // The live update's 30-second timer runs on a clock the test moves.
      if (variant.javaScriptEnabled) await page.clock.install();
      await page.goto('/bus');
      await page.getByRole('heading', { level: 1, name: '实时公交' }).waitFor();
      await assertAccessible(page, `bus (${variant.name})`);

      // A search with nothing but punctuation is answered next to the field.
      await page.getByLabel('站名或线路号').fill('！！');
      await Promise.all([page.waitForURL(/\/bus\?q=/), page.getByRole('button', { name: '查找站点' }).click()]);
      await page.locator('#bus-q-error').getByText('不能只有标点符号').waitFor();
      await assertAccessible(page, `bus search refused (${variant.name})`);

      // Stops near a district, nearest first, with their distance.
      await page.getByLabel('您在哪个区县或地点附近').selectOption({ label: '城关区' });
      await Promise.all([page.waitForURL(/from=/), page.getByRole('button', { name: '查看附近站点' }).click()]);
      await page.locator('#bus-nearby-from').waitFor();
      await page.getByText(/约 \d+ 米/).first().waitFor();
      await assertAccessible(page, `bus nearby (${variant.name})`);

      const stop = page.locator('#bus-nearby-from + ul a[href^="/bus/stops/"]').first();
      await Promise.all([page.waitForURL(/\/bus\/stops\//), stop.click()]);
      await page.getByRole('heading', { name: '即将到站' }).waitFor();
      await page.locator('#bus-refresh').waitFor();
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'no timed reload unless asked for');
      // Every arrival says where its time comes from; the feed's age or the timetable notice shows.
      const kinds = await page.locator('.bus-kind').allTextContents();
      assert.ok(kinds.every((k) => k === '实时' || k === '计划'), kinds.join(','));
      await page.locator('#bus-feed').waitFor();
      // The portal polls the company's feed URL (its own process here), so the times are live.
      assert.match(await page.locator('#bus-feed').textContent(), /实时数据 \d+ 秒前更新/);
      await assertAccessible(page, `bus stop (${variant.name})`);

      if (variant.javaScriptEnabled) {
        // With JS the live part replaces itself with a fresh render every 30 s, and can be paused.
        const updater = page.locator('.live-update');
        await updater.getByText('本页每 30 秒自动更新到站时间。').waitFor();
        const mark = () => page.locator('#bus-live').evaluate((el) => { el.dataset.seen = '1'; });
        await mark();
        await page.clock.runFor(31000);
        await page.waitForFunction(() => document.getElementById('bus-live')?.dataset.seen === undefined);
        await page.locator('#bus-live table, #bus-live p').first().waitFor();
        await updater.getByRole('button', { name: '暂停更新' }).click();
        await updater.getByText('自动更新已暂停。').waitFor();
        await mark();
        await page.clock.runFor(31000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.equal(await page.locator('#bus-live').getAttribute('data-seen'), '1', 'paused: left alone');
        await updater.getByRole('button', { name: '继续更新' }).click();
        await assertAccessible(page, `bus stop updating itself (${variant.name})`);
      } else {
        assert.equal(await page.locator('.live-update').count(), 0, 'without JS nothing claims to update itself');
      }

      // The citizen turns the 30-second refresh on (it works without JS), and off again.
      await Promise.all([page.waitForURL(/auto=1/), page.locator('#bus-auto').click()]);
      assert.equal(await page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '30');
      await page.getByText('本页每 30 秒自动刷新。').waitFor();
      await Promise.all([page.waitForURL((url) => !url.search.includes('auto=1')), page.locator('#bus-auto').click()]);
      await page.getByRole('heading', { name: '即将到站' }).waitFor();

      // The line of the first arrival: both directions as ordered lists of linked stops.
      const line = page.locator('table a[href^="/bus/lines/"]').first();
      if ((await line.count()) === 0) {
        // Late at night nothing may come within two hours: take the first line of the list.
        await page.goto('/bus');
        await page.locator('.bus-line-list a').first().click();
      } else {
        await Promise.all([page.waitForURL(/\/bus\/lines\//), line.click()]);
      }
      await page.waitForURL(/\/bus\/lines\//);
      await page.getByText(/首班 \d\d:\d\d，末班 \d\d:\d\d|今天不运营/).first().waitFor();
      const strips = page.locator('ol.bus-strip');
      assert.ok((await strips.count()) >= 1);
      assert.ok((await strips.first().locator('li a[href^="/bus/stops/"]').count()) >= 2);
      await assertAccessible(page, `bus line (${variant.name})`);
      await Promise.all([page.waitForURL(/\/bus\/stops\//), strips.first().locator('li a').nth(1).click()]);
      await page.getByRole('heading', { name: '即将到站' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
