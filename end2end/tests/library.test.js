// The library catalogue in the browser, JavaScript on and off, desktop and phone: from the
// footer to the search page, a search by pinyin initials, a class facet applied and removed, a
// record with its copies per branch, where they are and the citations; a search by ISBN; an
// absurd query answered with a message. axe-core on every page involved.
// (Reserving and renewing with a bound library card are not built yet.)
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 120000 }, fn);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

VARIANTS.forEach((variant) => {
  test(`search the library, filter, read a record and cite it (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto('/');
      await Promise.all([page.waitForURL('**/library'), page.locator('.site-footer').getByRole('link', { name: '图书信息检索' }).click()]);
      await page.getByRole('heading', { level: 1, name: '图书信息检索' }).waitFor();
      await assertAccessible(page, `library search page (${variant.name})`);

      // 清宮瓷器 by the initials of its title.
      await page.getByLabel('检索词').fill('qgcq');
      await Promise.all([page.waitForURL('**/library?q=qgcq*'), page.getByRole('button', { name: '检索' }).click()]);
      await page.getByText(/共找到 \d+ 种图书/).waitFor();
      const hit = page.getByRole('link', { name: /清宮瓷器/ }).first();
      await hit.waitFor();
      await assertAccessible(page, `library results (${variant.name})`);

      // A class facet narrows the results and can be removed again.
      const facets = page.getByRole('navigation', { name: '筛选结果' });
      await Promise.all([page.waitForURL('**class=J*'), facets.getByRole('link', { name: /^J 艺术/ }).click()]);
      await page.getByRole('link', { name: /清宮瓷器/ }).first().waitFor();
      const remove = page.getByRole('link', { name: '取消筛选：J 艺术' });
      await remove.waitFor();
      await assertAccessible(page, `library results filtered (${variant.name})`);

      // The record: description, copies per branch with their status, where, citations.
      await Promise.all([page.waitForURL('**/library/records/loc-*'), page.getByRole('link', { name: /清宮瓷器/ }).first().click()]);
      await page.getByRole('heading', { level: 1, name: /清宮瓷器/ }).waitFor();
      await page.getByRole('heading', { level: 2, name: '馆藏信息' }).waitFor();
      await page.getByRole('table', { name: /的馆藏$/ }).first().waitFor();
      await page.getByRole('heading', { name: '在哪里' }).first().waitFor();
      await page.getByRole('heading', { level: 2, name: '引用本书' }).waitFor();
      const ris = page.getByRole('link', { name: /下载 RIS 文件/ });
      assert.match(await ris.getAttribute('href'), /^\/library\/records\/loc-[0-9a-z]+\/citation\.ris$/);
      await assertAccessible(page, `library record (${variant.name})`);

      // An ISBN finds exactly its book; the GB/T 7714 citation is on the page.
      await page.goto('/library?q=7213017179');
      await page.getByText('共找到 1 种图书').waitFor();
      await Promise.all([page.waitForURL('**/library/records/loc-00434132'), page.getByRole('link', { name: /中国古代书法家辞典/ }).click()]);
      await page.getByText('吴木, 胡文虎. 中国古代书法家辞典').waitFor();

      // Only punctuation: a message next to the box, nothing searched.
      const response = await page.goto('/library?q=%E3%80%82%EF%BC%8C%EF%BC%81');
      assert.equal(response.status(), 400);
      await page.locator('.error-summary').getByText(/没有文字或数字/).waitFor();
      await assertAccessible(page, `library query refused (${variant.name})`);
      // The browser logs the 400 above as a failed load; it is the answer this step expects.
      const unexpected = problems.filter((p) => !p.includes('status of 400'));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });
});
