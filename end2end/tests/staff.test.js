// Staff in the browser, JavaScript on and off, desktop and phone: set up an audit administrator
// with the one-time token (password + authenticator), sign in with password and TOTP, read the
// data-sharing catalogue and the data-call statistics. axe-core on every page.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, setUpAndSignIn, totp, STAFF_PASSWORD as PASSWORD } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 120000 }, fn);
const TOKENS = (process.env.ONESTOP_E2E_STAFF_TOKENS ?? '').split(',');
const SECADMIN_TOKENS = (process.env.ONESTOP_E2E_SECADMIN_TOKENS ?? '').split(',');

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

VARIANTS.forEach((variant, index) => {
  test(`staff set-up with TOTP, sign-in, catalogue and call statistics (${variant.name})`, async () => {
    assert.ok(TOKENS[index], 'set-up tokens come from .ci/e2e.sh');
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto(`/staff/setup?token=${TOKENS[index]}`);
      await page.getByRole('img', { name: '用身份验证器扫描此二维码' }).waitFor();
      await assertAccessible(page, `staff set-up (${variant.name})`);
      const secret = (await page.locator('code.secret').textContent()).trim();
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByLabel('验证码').fill(totp(secret));
      await Promise.all([page.waitForURL('**/staff/login?done=setup'), page.getByRole('button', { name: '完成设置' }).click()]);
      await page.getByText('账号设置完成').waitFor();
      await assertAccessible(page, `staff sign-in (${variant.name})`);

      await page.getByLabel('用户名').fill(`auditor${index}`);
      await page.getByLabel('密码').fill(PASSWORD);
      // The code used at set-up cannot be used again; the next one is already accepted.
      await page.getByLabel('验证码').fill(totp(secret, 1));
      await Promise.all([page.waitForURL((url) => url.pathname === '/staff'), page.getByRole('button', { name: '登录' }).click()]);
      await page.getByText('审计管理员', { exact: true }).waitFor();
      await page.getByRole('banner').getByRole('link', { name: new RegExp(`工作台：\\s*审计管理员${index}$`) }).waitFor();
      await assertAccessible(page, `staff console (${variant.name})`);

      await Promise.all([page.waitForURL('**/staff/catalogue'), page.getByRole('link', { name: '数据共享目录' }).click()]);
      await page.getByRole('heading', { level: 2, name: '人口基础信息' }).waitFor();
      await page.getByRole('table', { name: '人口基础信息：授权' }).getByRole('rowheader', { name: 'accounts.real_name' }).waitFor();
      await assertAccessible(page, `staff catalogue (${variant.name})`);

      await page.goto('/staff');
      await Promise.all([page.waitForURL('**/staff/data-calls'), page.getByRole('link', { name: '数据调用统计' }).click()]);
      await page.getByRole('table', { name: '最近 30 天数据调用' }).waitFor();
      await page.getByRole('img', { name: '各数据资源调用量' }).waitFor();
      await assertAccessible(page, `data-call statistics (${variant.name})`);

      await page.goto('/staff');
      await Promise.all([page.waitForURL('**/staff/security-log'), page.getByRole('link', { name: '工作人员安全日志' }).click()]);
      const log = page.getByRole('table', { name: '工作人员安全日志' });
      await log.getByRole('row').filter({ hasText: `auditor${index}` }).filter({ hasText: '账号设置' }).waitFor();
      await assertAccessible(page, `staff security log (${variant.name})`);

      // The case audit: searched by the filters (a date that cannot be read is said so).
      await page.goto('/staff');
      await Promise.all([page.waitForURL('**/staff/case-audit'), page.getByRole('link', { name: '办件审计日志' }).click()]);
      await page.getByRole('heading', { level: 2, name: '查找记录' }).waitFor();
      await page.getByLabel('操作').selectOption('claim');
      await Promise.all([page.waitForURL(/action=claim/), page.getByRole('button', { name: '查找' }).click()]);
      await assertAccessible(page, `case audit (${variant.name})`);

      // A voluntary password change asks for the current one; the console opens again after it.
      await page.goto('/staff');
      await Promise.all([page.waitForURL('**/staff/password'), page.getByRole('link', { name: '修改密码' }).click()]);
      await assertAccessible(page, `staff password (${variant.name})`);
      await page.getByLabel('当前密码').fill(PASSWORD);
      await page.getByLabel('新密码').fill(PASSWORD);
      const [reused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '修改密码' }).click()]);
      assert.equal(reused.status(), 400);
      await page.getByRole('alert').getByRole('link', { name: /最近 5 次/ }).waitFor();
      problems.length = 0;
      await page.getByLabel('当前密码').fill(PASSWORD);
      await page.getByLabel('新密码').fill(`${PASSWORD}-Next`);
      await Promise.all([page.waitForURL('**/staff?done=password_changed'), page.getByRole('button', { name: '修改密码' }).click()]);
      await page.getByText('审计管理员', { exact: true }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`a security administrator creates a window clerk (${variant.name})`, async () => {
    assert.ok(SECADMIN_TOKENS[index], 'set-up tokens come from .ci/e2e.sh');
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await setUpAndSignIn(page, SECADMIN_TOKENS[index], `secadmin${index}`, '安全管理员');
      await Promise.all([page.waitForURL('**/staff/accounts'), page.getByRole('link', { name: '工作人员账号' }).click()]);
      await assertAccessible(page, `staff accounts (${variant.name})`);
      await page.getByLabel('用户名').fill(`clerk${index}`);
      await page.getByLabel('姓名').fill('王窗口');
      await page.getByLabel('角色').selectOption('window_clerk');
      await page.getByLabel(/所属部门/).selectOption('public-security');
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '创建账号' }).click()]);
      await page.getByText(`已创建账号 clerk${index}`).waitFor();
      const link = (await page.locator('.notice code.secret').textContent()).trim();
      assert.match(link, /\/staff\/setup\?token=[0-9a-f]{64}$/);
      await page.getByRole('table', { name: '工作人员账号' }).getByRole('rowheader', { name: `clerk${index}` }).waitFor();
      await assertAccessible(page, `staff account created (${variant.name})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
