// Household gas (燃气) in the browser, JavaScript on and off, desktop and phone: a citizen with a
// verified real name is refused with the one generic message for a wrong holder's name, binds the
// gas account (by number and name, or the account at the household's registered address), reads
// the amount due, the tier-year progress, the monthly use chart's table and a bill with its
// priced lines, downloads the bill's PDF, and has an implausible meter reading refused next to
// the field with what was typed kept. axe-core on every page involved.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, signUpVerified } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 180000 }, fn);

// Heads of demo households with one gas account each (deterministic: the first heads born in the
// 1940s in Xigu district by ID number; server/tests/it/gas.rs GAS_PEOPLE checks them against the
// generated data), one per variant, none used elsewhere.
const PEOPLE = [
  { name: '孙博', id: '620104194109087651', account: '3100001097' },
  { name: '王国强', id: '620104194302260516', account: '3100034324' },
  { name: '吴海', id: '620104194404166133', account: '3100041175' },
  { name: '马成海', id: '62010419440801185X', account: '3100027149' },
];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

VARIANTS.forEach((variant, index) => {
  const person = PEOPLE[index];
  const email = `gas${index}@example.cn`;

  test(`bind a gas account, read the use and a bill, download its PDF, report a reading (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      // An account with a verified real name.
      await signUpVerified(page, person, email);

      await page.goto('/gas');
      await page.getByRole('heading', { level: 1, name: '燃气缴费与用气' }).waitFor();
      await page.getByText('您还没有绑定燃气户号。').waitFor();
      await assertAccessible(page, `gas (${variant.name})`);

      // A wrong holder's name: the one generic answer, the number typed kept.
      await page.getByLabel('燃气户号', { exact: true }).fill(person.account);
      await page.getByLabel('户主姓名', { exact: true }).fill('王某某');
      await page.getByRole('button', { name: '绑定', exact: true }).click();
      await page.getByText('户号与户主姓名不匹配，未能绑定。').waitFor();
      assert.equal(await page.getByLabel('燃气户号', { exact: true }).inputValue(), person.account);
      await assertAccessible(page, `gas: no match (${variant.name})`);
      problems.length = 0; // the 422 above is logged by the browser on purpose

      // Bind: by number and name on even variants, by the household's address on odd ones.
      const accountPage = new RegExp(`/gas/accounts/${person.account}\\?notice=bound`);
      if (index % 2 === 0) {
        await page.getByLabel('户主姓名', { exact: true }).fill(person.name);
        await Promise.all([page.waitForURL(accountPage), page.getByRole('button', { name: '绑定', exact: true }).click()]);
      } else {
        await Promise.all([page.waitForURL(accountPage), page.getByRole('button', { name: '查找并绑定' }).click()]);
      }
      await page.getByRole('heading', { level: 1, name: `燃气户号 ${person.account}` }).waitFor();
      await page.getByText('已绑定燃气户号。').waitFor();
      await page.getByRole('heading', { name: '本阶梯年度用气进度' }).waitFor();
      await page.getByRole('img', { name: /本年度已用 [0-9.]+ 立方米，第 \d 档/ }).waitFor();
      await assertAccessible(page, `gas account (${variant.name})`);

      // The monthly use: the chart is named, and its table has a row per bill.
      await page.getByRole('img', { name: /每月用气量（立方米）/ }).waitFor();
      const usage = page.getByRole('table', { name: '每月用气量（按账期开始月份，立方米）' });
      assert.equal(await usage.locator('tbody tr').count(), 24);
      const newest = (await usage.locator('tbody tr').first().innerText()).trim();
      assert.match(newest, /^\d{4}-\d{2}\s+[0-9.]+$/, newest);
      const yoy = page.getByRole('table', { name: /年与 \d{4} 年各月用气量/ });
      assert.equal(await yoy.locator('tbody tr').count(), 12);

      // A bill: its readings, volume and lines per tier and price.
      const bill = page.locator('[id^="gas-bill-"]').first();
      const billText = await bill.innerText();
      assert.match(billText, /第 \d 档 [0-9.]+ 立方米 × [0-9.]+ 元 = [0-9.]+ 元/, billText);

      // The bill's PDF.
      const href = await bill.getByRole('link', { name: '下载账单（PDF）' }).getAttribute('href');
      assert.ok(href?.endsWith('.pdf'), href);
      const download = await page.request.get(href);
      assert.equal(download.status(), 200);
      assert.equal(download.headers()['content-type'], 'application/pdf');
      assert.ok(download.headers()['content-disposition'].startsWith('attachment;'));
      assert.ok((await download.body()).toString('latin1').startsWith('%PDF-'));

      // A reading below the last one: refused at the field and in the summary, typed value kept.
      await page.getByLabel('当前读数（立方米）').fill('1');
      await page.getByRole('button', { name: '提交读数' }).click();
      await page.getByText(/读数低于上次抄表读数/).first().waitFor();
      assert.equal(await page.getByText(/读数低于上次抄表读数/).count(), 2);
      assert.equal(await page.getByLabel('当前读数（立方米）').inputValue(), '1');
      await assertAccessible(page, `gas: reading refused (${variant.name})`);
      problems.length = 0; // the 422 above is logged by the browser on purpose

      // The list shows the account with its balance or what is owed.
      await page.goto('/gas');
      await page.locator(`#gas-account-${person.account}`).waitFor();
      assert.match(await page.locator(`#gas-account-${person.account}`).innerText(), /(余额|欠费) [0-9.]+ 元/);
      await assertAccessible(page, `gas with an account (${variant.name})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
