// Pages on the shared-data layer: statistics (SVG charts with tables), the open-data catalogue,
// the place lookup, and what a citizen sees when a register does not answer. JavaScript on and
// off, desktop and phone, zh-CN and English, normal and elder mode; axe-core on every page.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, VARIANTS, launchBrowser, openPage, assertAccessible } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 120000 }, fn);
const DEGRADED_URL = process.env.ONESTOP_E2E_DEGRADED_URL ?? 'http://127.0.0.1:3101';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Demo people not used by the account tests (the two portals share one database).
const DEGRADED_PEOPLE = [
  { name: '陈志强', id: '620105197710086895' },
  { name: '马秀英', id: '620102194804175466' },
  { name: '王子涵', id: '620103201211022236' },
  { name: '王雨桐', id: '620103201907181403' },
];

VARIANTS.forEach((variant, index) => {
  test(`statistics, open data and place lookup (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto('/');
      await Promise.all([page.waitForURL('**/statistics'), page.getByRole('link', { name: '统计数据' }).click()]);
      assert.equal(await page.locator('figure').count(), 4);
      await page.getByRole('img', { name: /地区生产总值，2014–2025 年/ }).waitFor();
      const gdp = page.getByRole('table', { name: '地区生产总值（单位：亿元）' });
      assert.equal(await gdp.getByRole('row', { name: /^2025/ }).getByRole('cell').textContent(), '3781');
      await assertAccessible(page, `statistics (${variant.name})`);

      await context.addCookies([
        { name: 'onestop_lang', value: 'en', url: BASE_URL },
        { name: 'onestop_elder', value: '1', url: BASE_URL },
      ]);
      await page.reload();
      await page.getByRole('img', { name: /Gross domestic product, 2014–2025/ }).waitFor();
      await assertAccessible(page, `statistics in English, elder mode (${variant.name})`);
      await context.clearCookies();

      await page.goto('/open-data');
      await page.getByRole('heading', { level: 2, name: '宏观经济主要指标' }).waitFor();
      assert.equal(await page.locator('.resource').count(), 2);
      await assertAccessible(page, `open data (${variant.name})`);

      await page.goto('/places');
      const field = page.getByLabel('地名或地址');
      await field.fill('酒泉路');
      await Promise.all([page.waitForURL('**/places?q=*'), field.press('Enter')]);
      await page.getByRole('cell', { name: '城关区 酒泉路街道', exact: true }).waitFor();
      await assertAccessible(page, `place lookup (${variant.name})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`a register that does not answer: a clear message, the typed text kept (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto(`${DEGRADED_URL}/places`);
      const field = page.getByLabel('地名或地址');
      await field.fill('畅家巷社区');
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/places?q=')), field.press('Enter')]);
      assert.equal(response.status(), 503);
      await page.getByRole('alert').filter({ hasText: '地名地址库暂时无法访问' }).waitFor();
      assert.equal(await page.getByLabel('地名或地址').inputValue(), '畅家巷社区', 'typed text is kept');
      // The citizen can go on: the notice says how, and the rest of the portal works.
      await page.getByText('可以直接输入完整地址').waitFor();
      await assertAccessible(page, `register down (${variant.name})`);
      await page.goto(`${DEGRADED_URL}/departments`);
      await page.getByRole('table', { name: '办事部门一览' }).waitFor();

      // Registration needs no register: everything is typed by hand and the account works.
      const person = DEGRADED_PEOPLE[index];
      await page.goto(`${DEGRADED_URL}/register`);
      await page.getByLabel('姓名').fill(person.name);
      await page.getByLabel('居民身份证号码').fill(person.id);
      await page.getByLabel('电子邮箱').fill(`degraded${index}@example.cn`);
      await page.getByLabel('密码', { exact: true }).fill('yellow-river-iron-bridge-1909');
      await Promise.all([page.waitForURL('**/register?done=check_mail'), page.getByRole('button', { name: '注册' }).click()]);
      await page.goto(`${DEGRADED_URL}/login`);
      await page.getByLabel('电子邮箱或手机号码').fill(`degraded${index}@example.cn`);
      await page.getByLabel('密码').fill('yellow-river-iron-bridge-1909');
      await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.getByRole('button', { name: '登录' }).click()]);
      // Real-name verification cannot reach the register: a clear 503, and the account keeps working.
      const [verify] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/account/real-name')),
        page.getByRole('button', { name: '进行实名认证' }).click(),
      ]);
      assert.equal(verify.status(), 503);
      await page.getByRole('alert').filter({ hasText: '人口基础信息库暂时无法访问' }).waitFor();
      await page.getByText(person.id.slice(0, 6) + '********' + person.id.slice(14)).waitFor();
      await assertAccessible(page, `real-name check while the register is down (${variant.name})`);
      assert.deepEqual(problems.filter((p) => !/status of 503/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
