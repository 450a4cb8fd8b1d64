// The library catalogue in the browser, JavaScript on and off, desktop and phone: from the
// footer to the search page, a search by pinyin initials, a class facet applied and removed,
// classes drilled down (I → I2) and back up, a record with its copies per branch, their branches
// on the map, where they are and the citations; a search by ISBN; an absurd query answered with a message. A citizen binds a library card (a wrong PIN first), finds
// a book on the shelf, reserves a copy for pick-up and renews a loan. axe-core on every page.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, signUpVerified } from './support.js';

// People of the demo population register, one per variant, none used elsewhere; the demo
// library's readers' cards (README), two variants to each.
const PEOPLE = [
  { name: '黄成飞', id: '620102198508055679' },
  { name: '周福波', id: '620102198406209956' },
  { name: '张雨霞', id: '620102198808212189' },
  { name: '杨晨德', id: '620102197802062058' },
];
const CARDS = [{ card: '6201000000017', pin: '314159' }, { card: '6201000000025', pin: '271828' }];

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
      // The branches holding copies on the map (the test tile server), each marker leading to its branch.
      const branchMap = page.getByRole('group', { name: '馆藏地分布图' });
      await branchMap.waitFor();
      const marker = await branchMap.getByRole('link').first().getAttribute('href');
      assert.match(marker, /^#branch-[a-z0-9-]+$/);
      assert.equal(await page.locator(marker).count(), 1, 'the marker leads to its branch');
      await page.getByRole('heading', { level: 2, name: '引用本书' }).waitFor();
      const ris = page.getByRole('link', { name: /下载 RIS 文件/ });
      assert.match(await ris.getAttribute('href'), /^\/library\/records\/loc-[0-9a-z]+\/citation\.ris$/);
      await assertAccessible(page, `library record (${variant.name})`);

      // An ISBN finds exactly its book; the GB/T 7714 citation is on the page.
      await page.goto('/library?q=7213017179');
      await page.getByText('共找到 1 种图书').waitFor();
      await Promise.all([page.waitForURL('**/library/records/loc-00434132'), page.getByRole('link', { name: /中国古代书法家辞典/ }).click()]);
      await page.getByText('吴木, 胡文虎. 中国古代书法家辞典').waitFor();

      // Classes drill down a level at a time (I → I2), each broader level a link back up.
      await page.goto('/library?q=%E7%BA%A2%E6%A5%BC%E6%A2%A6'); // 红楼梦
      const classFacets = page.getByRole('navigation', { name: '筛选结果' });
      await Promise.all([page.waitForURL('**class=I'), classFacets.getByRole('link', { name: 'I 文学', exact: true }).click()]);
      await page.getByRole('link', { name: '取消筛选：I 文学' }).waitFor();
      await Promise.all([page.waitForURL('**class=I2'), classFacets.getByRole('link', { name: 'I2 中国文学', exact: true }).click()]);
      const trail = classFacets.getByRole('list', { name: '已选分类' });
      await trail.getByRole('link', { name: '全部分类' }).waitFor();
      await classFacets.getByRole('link', { name: 'I24 小说', exact: true }).waitFor();
      await page.getByRole('link', { name: '取消筛选：I2 中国文学' }).waitFor();
      await assertAccessible(page, `library results drilled to I2 (${variant.name})`);
      await Promise.all([page.waitForURL('**class=I'), trail.getByRole('link', { name: 'I 文学', exact: true }).click()]);
      await page.getByRole('link', { name: 'I2 中国文学', exact: true }).waitFor();

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

  test(`bind a library card, reserve a book on the shelf, renew a loan (${variant.name})`, async () => {
    const index = VARIANTS.indexOf(variant);
    const person = PEOPLE[index];
    const card = CARDS[index % 2];
    const email = `reader${index}@example.cn`;
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await signUpVerified(page, person, email);

      // A book on the shelf: without a card, the record offers to bind one and come back.
      await page.goto('/library?q=hlm&available=1');
      const hit = page.locator('a[href^="/library/records/"]').nth(index);
      const record = await hit.getAttribute('href');
      await Promise.all([page.waitForURL(`**${record}`), hit.click()]);
      await Promise.all([page.waitForURL('**/library/my?next=*'), page.getByRole('link', { name: '绑定读者证' }).first().click()]);

      // A wrong PIN: the message by the form, the card number kept, the PIN not.
      await page.getByLabel('读者证号').fill(card.card);
      await page.getByLabel('读者证密码').fill('000000');
      await page.getByRole('button', { name: '绑定读者证' }).click();
      await page.getByText('读者证号或密码不正确。').first().waitFor();
      assert.equal(await page.getByLabel('读者证号').inputValue(), card.card);
      assert.equal(await page.getByLabel('读者证密码').inputValue(), '');
      await assertAccessible(page, `library card refused (${variant.name})`);
      problems.length = 0; // the refusal's status is logged by the browser on purpose
      await page.getByLabel('读者证密码').fill(card.pin);
      await Promise.all([page.waitForURL(`**${record}`), page.getByRole('button', { name: '绑定读者证' }).click()]);

      // Back on the record: reserve the first copy on the shelf for pick-up.
      const reserve = page.getByRole('button', { name: /^预约 .+ 这一册$/ }).first();
      await reserve.waitFor();
      await assertAccessible(page, `library record with a card (${variant.name})`);
      await Promise.all([page.waitForURL('**/library/my?notice=reserved'), reserve.click()]);
      await page.getByText('预约成功，请在保留期内到取书地点借书。').waitFor();
      const holds = page.getByRole('table', { name: '我的预约' });
      await holds.waitFor();
      assert.ok((await holds.locator('tbody tr').count()) >= 1);
      await page.getByRole('heading', { name: '在借图书' }).waitFor();
      await assertAccessible(page, `my library (${variant.name})`);

      // The first reader of each card renews its renewable loan; the one renewed to the limit
      // is refused with the reason in its row.
      if (index < 2) {
        const renewals = page.getByRole('button', { name: /^续借《/ });
        const before = await renewals.count();
        assert.ok(before >= 1, 'loans with a renew button');
        for (let i = 0; i < before; i += 1) {
          await page.getByRole('button', { name: /^续借《/ }).nth(i).click();
          await page.waitForLoadState('load');
          if (await page.getByText('续借成功，应还日期已更新。').count()) break;
          await page.getByText(/续借次数上限|其他读者在等|已逾期，不能续借/).first().waitFor();
          await page.goto('/library/my');
        }
        await page.getByText('续借成功，应还日期已更新。').waitFor();
      }
      const unexpected = problems.filter((p) => !/status of 4(09|22)/.test(p));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });
});
