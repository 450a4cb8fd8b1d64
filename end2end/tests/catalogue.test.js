// The service catalogue in the browser, JavaScript on and off, desktop and phone: find a service
// from the home page by topic and by search, read its guide and its print layout; a system
// administrator creates an item with a form, previews, saves and publishes it, and it appears in
// search. axe-core on every page involved.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, setUpAndSignIn } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 120000 }, fn);
const SYSADMIN_TOKENS = (process.env.ONESTOP_E2E_SYSADMIN_TOKENS ?? '').split(',');

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

VARIANTS.forEach((variant, index) => {
  test(`find a service by topic and by search, read the guide and print it (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto('/');
      await page.getByRole('heading', { level: 2, name: '热门服务' }).waitFor();
      await Promise.all([page.waitForURL('**/services?topic=birth'), page.getByRole('link', { name: /生育收养/ }).click()]);
      await page.getByRole('heading', { level: 1, name: '主题：生育收养' }).waitFor();
      await assertAccessible(page, `services by topic (${variant.name})`);
      await Promise.all([page.waitForURL('**/services/620100-GA-QR-0001'), page.getByRole('link', { name: '新生儿出生登记（落户）' }).click()]);
      await page.getByRole('heading', { level: 1, name: '新生儿出生登记（落户）' }).waitFor();
      for (const section of ['基本信息', '受理条件', '申请材料', '办理流程', '收费标准', '设定依据', '办理地点和时间', '咨询和投诉', '常见问题']) {
        await page.getByRole('heading', { level: 2, name: section }).waitFor();
      }
      await page.getByRole('table', { name: '申请材料' }).getByRole('rowheader', { name: /《出生医学证明》/ }).waitFor();
      await page.getByText('自受理之日起 1 个工作日').first().waitFor();
      await assertAccessible(page, `service guide (${variant.name})`);

      // The print layout: the guide without the site's header, footer and page contents list.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.site-header').isVisible(), false, 'no site header in print');
      assert.equal(await page.locator('.site-footer').isVisible(), false, 'no site footer in print');
      assert.equal(await page.locator('.guide__contents').isVisible(), false);
      assert.equal(await page.getByRole('heading', { level: 2, name: '申请材料' }).isVisible(), true);
      await page.emulateMedia({ media: 'screen' });

      // In English the page is English, and the guide's Chinese-only text is marked as Chinese.
      await page.context().addCookies([{ name: 'onestop_lang', value: 'en', url: page.url() }]);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Household registration of a newborn' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'What you need to bring' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.locator('#guide-conditions ul').getAttribute('lang'), 'zh-CN');
      await assertAccessible(page, `service guide in English (${variant.name})`);
      await page.context().clearCookies({ name: 'onestop_lang' });

      await page.goto('/');
      await page.locator('#home-search').fill('低保');
      await Promise.all([page.waitForURL('**/search?q=*'), page.locator('.hero__search button').click()]);
      const results = page.getByRole('list').filter({ has: page.getByRole('link', { name: '最低生活保障申请' }) });
      await results.waitFor();
      await assertAccessible(page, `search results (${variant.name})`);
      await Promise.all([page.waitForURL('**/services/620100-MZ-JF-0001'), page.getByRole('link', { name: '最低生活保障申请' }).click()]);
      await page.getByRole('heading', { level: 1, name: '最低生活保障申请' }).waitFor();

      // A query that only matches a document people must bring.
      await page.goto(`/search?q=${encodeURIComponent('父母的结婚证')}`);
      await page.getByText('所需材料中有“父母的结婚证”').first().waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`a system administrator creates and publishes an item with a form, and it is found (${variant.name})`, async () => {
    assert.ok(SYSADMIN_TOKENS[index], 'set-up tokens come from .ci/e2e.sh');
    const { context, page, problems } = await openPage(browser, variant);
    const code = `620100-MZ-GG-09${index}1`;
    const name = `殡葬补贴申领演示${'甲乙丙丁'[index]}`;
    try {
      await setUpAndSignIn(page, SYSADMIN_TOKENS[index], `sysadmin${index}`, '系统管理员');
      await Promise.all([page.waitForURL('**/staff/services'), page.getByRole('link', { name: '服务事项管理' }).click()]);
      await page.getByRole('table', { name: '服务事项管理' }).getByRole('rowheader', { name: '新生儿出生登记（落户）' }).waitFor();
      await assertAccessible(page, `staff service items (${variant.name})`);
      await Promise.all([page.waitForURL('**/staff/services/edit'), page.getByRole('link', { name: '新建事项' }).click()]);
      await assertAccessible(page, `new item editor (${variant.name})`);

      const editor = page.getByLabel('事项内容（TOML 格式）');
      const template = await editor.inputValue();
      // Saving the template as it is fails with messages next to the document.
      const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '保存为新版本' }).click()]);
      assert.equal(refused.status(), 400);
      await page.getByRole('alert').getByText(/事项编码为 5–64 位/).first().waitFor();
      await assertAccessible(page, `item editor with errors (${variant.name})`);
      problems.length = 0;

      const filled = template
        .replace('code = ""', `code = "${code}"`)
        .replace('basic_code = ""', 'basic_code = "000131009000"')
        .replace('name = { zh = "", en = "" }', `name = { zh = "${name}", en = "Funeral allowance (demo ${index})" }`)
        .replace('item_type = "licence"', 'item_type = "payment"')
        .replace('department = ""', 'department = "civil-affairs"')
        .replace('implementing_body = { zh = "", en = "" }', 'implementing_body = { zh = "市民政局", en = "Municipal Civil Affairs Bureau" }')
        .replace('topics = []', 'topics = ["social_assistance"]')
        .replace('summary = { zh = "", en = "" }', 'summary = { zh = "本市户籍居民去世后，家属可申领基本殡葬服务补贴。", en = "After a resident dies, the family can claim the basic funeral services allowance." }')
        .replace('conditions = [""]', 'conditions = ["逝者为本市户籍居民", "已在本市殡仪馆火化"]')
        .replace('location = ""', 'location = "市民中心政务服务大厅民政窗口"')
        .replace('hours = ""', 'hours = "周一至周五 9:00–12:00，13:30–17:30"')
        .replace('legal_basis = [{ law = "", article = "", text = "" }]', 'legal_basis = [{ law = "《殡葬管理条例》", article = "第三条", text = "" }]')
        .replace('result = { kind = "certificate", name = "", validity = "" }', 'result = { kind = "other", name = "补贴发放到账", validity = "" }')
        .replace('consultation_phone = ""', 'consultation_phone = "0931-8000123"');
      await editor.fill(filled);
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '预览' }).click()]);
      const preview = page.getByRole('region', { name: '预览（尚未保存）' });
      await preview.getByRole('heading', { level: 3, name }).waitFor();
      assert.match(await page.title(), /^编辑服务事项/, 'the editor keeps its own title');
      await preview.getByText('自受理之日起 10 个工作日').first().waitFor();
      await assertAccessible(page, `item preview (${variant.name})`);
      await Promise.all([page.waitForURL('**/staff/services?done=saved'), page.getByRole('button', { name: '保存为新版本' }).click()]);
      const row = page.getByRole('row').filter({ hasText: code });
      await Promise.all([page.waitForURL('**/staff/services?done=published'), row.getByRole('button', { name: `发布 ${name}` }).click()]);
      await page.getByText('已发布，市民现在看到的是这一版').waitFor();

      await page.goto(`/search?q=${encodeURIComponent(name)}`);
      await Promise.all([page.waitForURL(`**/services/${code}`), page.getByRole('link', { name }).click()]);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.getByRole('table', { name: '申请材料' }).getByRole('rowheader', { name: /申请人居民身份证/ }).waitFor();

      // The working-day calendar behind every time limit.
      await page.goto('/staff');
      await Promise.all([page.waitForURL('**/staff/calendar'), page.getByRole('link', { name: '工作日历' }).click()]);
      await page.getByRole('table', { name: '节假日和调休' }).getByRole('rowheader', { name: '2026-02-14' }).waitFor();
      await page.getByLabel('起算日期（受理日）').fill('2026-02-12');
      await page.getByLabel('工作日数').fill('20');
      await Promise.all([page.waitForURL('**/staff/calendar?*'), page.getByRole('button', { name: '计算' }).click()]);
      await page.getByText('截止日期为 2026-03-18').waitFor();
      await assertAccessible(page, `working-day calendar (${variant.name})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
