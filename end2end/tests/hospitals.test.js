// Hospital appointments (预约挂号) in the browser, JavaScript on and off, desktop and phone: a
// citizen with a verified real name finds a hospital (with distances from a chosen district), a
// department and a doctor, opens a time slot, is told to acknowledge the health-data notice,
// books, sees the confirmation with its QR code and booking code, finds the confirmation mail,
// lists the booking under 我的预约 and cancels it; the booking is for a member of the citizen's
// registered household, read from the population register only once asked. axe-core on every page involved. The hospitals
// are also on a map drawn by the server from the test tile server's tiles (no JavaScript needed).
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, mailTo, signUpVerified } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 180000 }, fn);

// Heads of household of the demo population register (deterministic), one per variant, none used
// elsewhere: each lives with others, so the booking can be for a family member.
const PEOPLE = [
  { name: '刘雨', id: '620102198512115080' },
  { name: '董峰', id: '620102198206278658' },
  { name: '赵涵', id: '620102198412192820' },
  { name: '李悦', id: '620102197810291942' },
];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

VARIANTS.forEach((variant, index) => {
  const person = PEOPLE[index];
  const email = `patient${index}@example.cn`;

  test(`browse hospitals, book a number with the notice acknowledged, confirm by mail, cancel (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      // Browsing needs no account: hospitals with address, distance and direction, and on a map
      // whose tiles come from the configured tile server (the page's CSP lets exactly it in).
      const tiles = [];
      page.on('response', (r) => { if (r.url().startsWith(new URL(process.env.ONESTOP_MAP_TILES).origin)) tiles.push(r.status()); });
      await page.goto('/hospitals');
      await page.getByRole('heading', { level: 1, name: '预约挂号' }).waitFor();
      const map = page.getByRole('group', { name: '医院分布图' });
      await map.waitFor();
      assert.equal(await map.getByRole('link').count(), 8, 'one marker per hospital');
      await page.waitForFunction(() => [...document.querySelectorAll('.map image')].length > 0);
      await page.waitForLoadState('networkidle');
      assert.ok(tiles.length > 0 && tiles.every((s) => s === 200), `tiles loaded: ${tiles}`);
      await page.getByText('测试瓦片 Test tiles').waitFor();
      await page.getByText('每天 15:00 放出').first().waitFor();
      await assertAccessible(page, `hospitals (${variant.name})`);
      await page.getByLabel('您所在的区县（用于计算距离）').selectOption({ label: '城关区' });
      await Promise.all([page.waitForURL(/from=620102/), page.getByRole('button', { name: '按距离排序' }).click()]);
      await page.getByText(/距城关区中心约 [0-9.]+ 公里/).first().waitFor();
      await assertAccessible(page, `hospitals by distance (${variant.name})`);

      await Promise.all([page.waitForURL('**/hospitals/H01'), page.getByRole('table').getByRole('link', { name: '城关区人民医院', exact: true }).click()]);
      await assertAccessible(page, `hospital (${variant.name})`);
      await Promise.all([page.waitForURL('**/departments/H01-D01'), page.getByRole('link', { name: '呼吸内科' }).click()]);
      await page.getByRole('heading', { name: '最早可约' }).waitFor();
      await assertAccessible(page, `department (${variant.name})`);
      await Promise.all([page.waitForURL(/doctors\/H01-D01-R/), page.locator('table a[href*="/doctors/"]').first().click()]);
      await page.getByRole('heading', { name: '医生简介' }).waitFor();
      await assertAccessible(page, `doctor (${variant.name})`);
      const book = await page.getByRole('link', { name: '预约', exact: true }).last().getAttribute('href');
      assert.ok(book?.includes('/book?slot='), book);

      // Booking asks for an account first.
      await page.goto(book);
      await page.getByRole('link', { name: '登录' }).first().waitFor();
      problems.length = 0; // that page answers 401 on purpose

      // An account with a verified real name.
      await signUpVerified(page, person, email);

      // The booking page: the slot, the patient (masked) and the health-data notice.
      await page.goto(book);
      await page.getByRole('heading', { name: '健康信息处理告知' }).waitFor();
      await page.getByText(`本人（${person.name[0]}*`).waitFor();
      await assertAccessible(page, `book (${variant.name})`);
      // Without the acknowledgement: the message at the field and in the summary.
      await page.getByRole('button', { name: '确认预约' }).click();
      await page.getByText('请阅读告知并勾选同意后再预约').first().waitFor();
      assert.equal(await page.getByText('请阅读告知并勾选同意后再预约').count(), 2);
      await assertAccessible(page, `book: notice not acknowledged (${variant.name})`);
      problems.length = 0; // the 400 above is logged by the browser on purpose
      await page.getByLabel('我已阅读以上告知，同意为本次预约处理我的健康信息').check();
      // For a family member: the household is read only when asked (the tick survives the round trip).
      await page.getByRole('button', { name: '为家庭成员预约（读取户籍中的家庭成员）' }).click();
      const member = page.getByRole('radio', { name: /与户主关系/ }).first();
      await member.waitFor();
      assert.ok(await page.getByLabel('我已阅读以上告知，同意为本次预约处理我的健康信息').isChecked());
      const memberName = (await member.evaluate((r) => r.labels[0].textContent)).trim().split('（')[0];
      await assertAccessible(page, `book for a household member (${variant.name})`);
      await member.check();
      await Promise.all([page.waitForURL(/\/hospitals\/bookings\/\d+\?notice=booked/), page.getByRole('button', { name: '确认预约' }).click()]);
      await page.getByText(`家人 ${memberName}`).first().waitFor();

      // The confirmation: QR code and booking code.
      await page.getByRole('heading', { level: 1, name: '预约成功' }).waitFor();
      const code = (await page.locator('dd strong').first().textContent()).trim();
      assert.match(code, /^\d{8}$/);
      await page.getByRole('img', { name: new RegExp(code) }).waitFor();
      await assertAccessible(page, `booking confirmation (${variant.name})`);
      const bookingUrl = page.url().split('?')[0];
      const mail = await mailTo(email, '预约挂号成功');
      assert.ok(mail.text.includes(code), 'the mail carries the booking code');

      await page.goto('/hospitals/bookings');
      assert.equal(await page.locator('[id^="booking-"]').count(), 1);
      await assertAccessible(page, `my bookings (${variant.name})`);

      // Cancelling: the number goes back, the booking says so, no second cancel is offered.
      await page.goto(bookingUrl);
      await Promise.all([page.waitForURL(/notice=cancelled/), page.getByRole('button', { name: '取消预约' }).click()]);
      await page.getByText('预约已取消，号源已退回。').waitFor();
      await page.getByText('已取消', { exact: true }).waitFor();
      assert.equal(await page.getByRole('button', { name: '取消预约' }).count(), 0);
      await assertAccessible(page, `booking cancelled (${variant.name})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
