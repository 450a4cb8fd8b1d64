// Citizen accounts in the browser, JavaScript on and off, desktop and phone: register, receive
// the confirmation mail through a real SMTP listener, confirm, verify the real name against the
// population register, see the record of that check, sign out and sign in again. axe-core on
// every page involved.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, waitForHydration, mailTo } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 120000 }, fn);
const PASSWORD = 'yellow-river-iron-bridge-1909';

// Demo people from the population register (README), one per variant.
const PEOPLE = [
  { name: '张伟', id: '620102198803128172' },
  { name: '王建国', id: '620103198209208811' },
  { name: '刘芳', id: '620103198405065803' },
  { name: '李娜', id: '620105197901253860' },
];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

VARIANTS.forEach((variant, index) => {
  const person = PEOPLE[index];
  const email = `citizen${index}@example.cn`;

  test(`register, confirm by mail, verify real name, sign out and in (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto('/');
      // Visitors find sign-in in the header, on the phone's first screen too.
      await Promise.all([page.waitForURL('**/login'), page.getByRole('banner').getByRole('link', { name: '登录', exact: true }).click()]);
      await Promise.all([page.waitForURL('**/register'), page.getByRole('link', { name: '注册账号' }).first().click()]);
      await assertAccessible(page, `register (${variant.name})`);

      // A wrong check digit first: the message is next to the field and what was typed stays.
      const wrongId = `${person.id.slice(0, 17)}${person.id.endsWith('1') ? '2' : '1'}`;
      await page.getByLabel('姓名').fill(person.name);
      await page.getByLabel('居民身份证号码').fill(wrongId);
      await page.getByLabel('电子邮箱').fill(email);
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
      const [bad] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/register') && r.request().method() === 'POST'), page.getByRole('button', { name: '注册' }).click()]);
      assert.equal(bad.status(), 400);
      await page.getByRole('alert').getByRole('link', { name: '身份证号码校验位不正确，请逐位核对' }).waitFor();
      assert.equal(await page.getByLabel('姓名').inputValue(), person.name);
      assert.equal(await page.getByLabel('电子邮箱').inputValue(), email);
      assert.equal(await page.getByLabel('密码', { exact: true }).inputValue(), '', 'the password is not sent back');
      await assertAccessible(page, `register with errors (${variant.name})`);
      problems.length = 0; // the 400 above is logged by the browser on purpose

      await page.getByLabel('居民身份证号码').fill(person.id);
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
      // The same answer whether or not the details already have an account: check your mail.
      await Promise.all([page.waitForURL('**/register?done=check_mail'), page.getByRole('button', { name: '注册' }).click()]);
      await page.getByRole('heading', { level: 1, name: '请查收邮件' }).waitFor();
      await assertAccessible(page, `registered: check your mail (${variant.name})`);

      const mail = await mailTo(email, '确认');
      const link = mail.text.match(/https?:\/\/\S+verify-email\?token=[0-9a-f]{64}/)?.[0];
      assert.ok(link, `a confirmation link in: ${mail.text}`);
      await page.goto(link);
      await assertAccessible(page, `confirm email (${variant.name})`);
      await Promise.all([page.waitForURL('**/login?done=email_verified'), page.getByRole('button', { name: '确认电子邮箱' }).click()]);
      await page.getByText('电子邮箱已确认').waitFor();
      await page.getByLabel('电子邮箱或手机号码').fill(email);
      await page.getByLabel('密码').fill(PASSWORD);
      await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.getByRole('button', { name: '登录' }).click()]);
      await page.getByText(`${person.id.slice(0, 6)}********${person.id.slice(14)}`).waitFor();
      // Signed in, the header names the citizen on every page.
      await page.getByRole('banner').getByRole('link', { name: new RegExp(`个人中心：\\s*${person.name}`) }).waitFor();
      await assertAccessible(page, `account (${variant.name})`);

      await Promise.all([page.waitForURL('**/account?done=real_name_verified'), page.getByRole('button', { name: '进行实名认证' }).click()]);
      await page.getByText('已通过实名认证。').waitFor();
      // Each section of the account is one tap from the overview.
      await Promise.all([page.waitForURL('**/account/data'), page.getByRole('link', { name: '我的数据', exact: true }).click()]);
      await assertAccessible(page, `my data (${variant.name})`);
      await Promise.all([page.waitForURL('**/account/data-access'), page.getByRole('link', { name: /我的数据使用记录/ }).click()]);
      const records = page.getByRole('table', { name: '数据使用记录' });
      await records.getByRole('cell', { name: /实名认证/ }).waitFor();
      await records.getByRole('cell', { name: /人口基础信息/ }).waitFor();
      await assertAccessible(page, `use of my data (${variant.name})`);

      await page.goto('/account');
      await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: '退出登录', exact: true }).click()]);
      const after = await page.goto('/account');
      assert.equal(after.status(), 401);
      await page.getByText('请先登录').waitFor();
      problems.length = 0;

      await page.goto('/login?next=/account/data-access');
      await page.getByLabel('电子邮箱或手机号码').fill(email);
      await page.getByLabel('密码').fill('not-my-password-at-all');
      const [failed] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '登录' }).click()]);
      assert.equal(failed.status(), 401);
      await page.getByRole('alert').filter({ hasText: '账号或密码不正确' }).waitFor();
      assert.equal(await page.getByLabel('电子邮箱或手机号码').inputValue(), email);
      await assertAccessible(page, `sign-in error (${variant.name})`);
      problems.length = 0;
      await page.getByLabel('密码').fill(PASSWORD);
      await Promise.all([page.waitForURL('**/account/data-access'), page.getByRole('button', { name: '登录' }).click()]);
      await page.getByRole('table', { name: '数据使用记录' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`password reset by mail (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    const newPassword = `new-${PASSWORD}-${index}`;
    try {
      await page.goto('/login');
      await Promise.all([page.waitForURL('**/password-reset'), page.getByRole('link', { name: '忘记密码？' }).click()]);
      await assertAccessible(page, `reset request (${variant.name})`);
      await page.getByLabel('电子邮箱').fill(email);
      await Promise.all([page.waitForURL('**/password-reset?done=sent'), page.getByRole('button', { name: '发送重置链接' }).click()]);
      await page.getByText('重置链接已发送').waitFor();

      const mail = await mailTo(email, '重置密码');
      const link = mail.text.match(/https?:\/\/\S+password-reset\/new\?token=[0-9a-f]{64}/)?.[0];
      assert.ok(link, `a reset link in: ${mail.text}`);
      await page.goto(link);
      await assertAccessible(page, `new password (${variant.name})`);
      await page.getByLabel('密码').fill(newPassword);
      await Promise.all([page.waitForURL('**/login?done=password_reset'), page.getByRole('button', { name: '保存新密码' }).click()]);
      await page.getByText('新密码已生效').waitFor();
      await page.getByLabel('电子邮箱或手机号码').fill(email);
      await page.getByLabel('密码').fill(newPassword);
      await Promise.all([page.waitForURL('**/account'), page.getByRole('button', { name: '登录' }).click()]);
      await page.getByRole('heading', { level: 1, name: '个人中心' }).waitFor();

      // The other sections of the account, each a page of its own.
      await Promise.all([page.waitForURL('**/account/security'), page.getByRole('link', { name: '账号安全', exact: true }).click()]);
      await page.getByRole('table', { name: '当前有效的登录' }).getByRole('cell', { name: '本设备' }).waitFor();
      await assertAccessible(page, `account security (${variant.name})`);
      await Promise.all([page.waitForURL('**/account'), page.getByRole('link', { name: '返回个人中心' }).click()]);
      await Promise.all([page.waitForURL('**/account/business'), page.getByRole('link', { name: '企业（法人）办事' }).click()]);
      await assertAccessible(page, `acting for a business (${variant.name})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`change phone and email after confirming the password (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    const password = `new-${PASSWORD}-${index}`;
    const movedTo = `moved${index}@example.cn`;
    try {
      await page.goto('/login?next=/account');
      await page.getByLabel('电子邮箱或手机号码').fill(email);
      await page.getByLabel('密码').fill(password);
      await Promise.all([page.waitForURL('**/account'), page.getByRole('button', { name: '登录' }).click()]);
      await Promise.all([page.waitForURL('**/account/profile'), page.getByRole('link', { name: '基本信息与联系方式' }).click()]);
      await assertAccessible(page, `your details (${variant.name})`);
      await Promise.all([page.waitForURL('**/account/contact'), page.getByRole('link', { name: '更改电子邮箱或手机号' }).click()]);
      await assertAccessible(page, `confirm password (${variant.name})`);
      await page.getByLabel('密码').fill(password);
      await Promise.all([page.waitForURL('**/account/contact'), page.getByRole('button', { name: '确认' }).click()]);
      await assertAccessible(page, `contact details (${variant.name})`);

      // A bad number first: the message is next to the field and the typed number stays.
      await page.getByLabel('新的手机号').fill('1381234');
      const [bad] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '保存手机号' }).click()]);
      assert.equal(bad.status(), 400);
      assert.equal(await page.getByLabel('新的手机号').inputValue(), '1381234');
      await assertAccessible(page, `contact details with errors (${variant.name})`);
      problems.length = 0;
      await page.getByLabel('新的手机号').fill(`1390000000${index}`);
      await Promise.all([page.waitForURL('**/account/profile?done=phone_changed'), page.getByRole('button', { name: '保存手机号' }).click()]);
      await page.getByText(`139****000${index}`).waitFor();

      await page.goto('/account/contact');
      await page.getByLabel('新的电子邮箱').fill(movedTo);
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '发送验证码' }).click()]);
      await page.getByText('验证码已发送到新邮箱').waitFor();
      const mail = await mailTo(movedTo, '确认新的电子邮箱');
      const code = mail.text.match(/验证码：(\d{6})/)?.[1];
      assert.ok(code, `a code in: ${mail.text}`);
      await page.getByLabel('新邮箱收到的验证码').fill(code);
      await Promise.all([page.waitForURL('**/account/profile?done=email_changed'), page.getByRole('button', { name: '确认更改邮箱' }).click()]);
      await page.getByText(movedTo).first().waitFor();
      const notice = await mailTo(email, '已更改');
      assert.match(notice.text, /m\*\*\*@example\.cn/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  // Sign-in attempts per address are limited (30 per 15 minutes, and every test here comes from
  // one address): one variant locks itself out.
  if (index === VARIANTS.length - 1) {
    test(`a locked account unlocks with a code by mail (${variant.name})`, async () => {
      const { context, page, problems } = await openPage(browser, variant);
      const movedTo = `moved${index}@example.cn`;
      const password = `new-${PASSWORD}-${index}`;
      try {
        for (let i = 0; i < 5; i += 1) {
          await page.goto('/login');
          await page.getByLabel('电子邮箱或手机号码').fill(movedTo);
          await page.getByLabel('密码').fill('certainly-not-the-password');
          await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '登录' }).click()]);
        }
        await Promise.all([page.waitForURL('**/login/unlock'), page.getByRole('link', { name: /账号被锁定/ }).click()]);
        await assertAccessible(page, `unlock (${variant.name})`);
        const step1 = page.getByRole('region', { name: '第一步：获取验证码' });
        await step1.getByLabel('电子邮箱').fill(movedTo);
        await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), step1.getByRole('button', { name: '发送验证码' }).click()]);
        await page.getByText('验证码已经发出').waitFor();
        const mail = await mailTo(movedTo, '解锁');
        const code = mail.text.match(/解锁验证码：(\d{6})/)?.[1];
        assert.ok(code, `a code in: ${mail.text}`);
        const step2 = page.getByRole('region', { name: '第二步：输入验证码' });
        assert.equal(await step2.getByLabel('电子邮箱').inputValue(), movedTo, 'the address is kept for step 2');
        await step2.getByLabel('验证码').fill(code);
        await Promise.all([page.waitForURL('**/login?done=unlocked'), step2.getByRole('button', { name: '解锁' }).click()]);
        await page.getByText('账号已解锁').waitFor();
        await page.getByLabel('电子邮箱或手机号码').fill(movedTo);
        await page.getByLabel('密码').fill(password);
        await Promise.all([page.waitForURL('**/account'), page.getByRole('button', { name: '登录' }).click()]);
        problems.length = 0; // the refused sign-ins above answer 401 on purpose
        await page.getByRole('heading', { level: 1, name: '个人中心' }).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  if (variant.javaScriptEnabled) {
    test(`a warning before the idle sign-out offers to stay signed in (${variant.name})`, async () => {
      const { context, page, problems } = await openPage(browser, variant);
      try {
        await page.clock.install();
        await page.goto('/login?next=/account');
        await page.getByLabel('电子邮箱或手机号码').fill(`moved${index}@example.cn`);
        await page.getByLabel('密码').fill(`new-${PASSWORD}-${index}`);
        await Promise.all([page.waitForURL('**/account'), page.getByRole('button', { name: '登录' }).click()]);
        await waitForHydration(page);
        const warning = page.getByRole('alert').filter({ hasText: '2 分钟后将自动退出登录' });
        assert.equal(await warning.count(), 0);
        await page.clock.fastForward('28:05');
        await warning.waitFor();
        await assertAccessible(page, `idle warning (${variant.name})`);
        const [renewed] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/session/keep-alive')),
          warning.getByRole('button', { name: '保持登录' }).click(),
        ]);
        assert.equal(renewed.status(), 200);
        await warning.waitFor({ state: 'detached' });
        await page.clock.fastForward('28:05');
        await warning.waitFor();
        await page.clock.fastForward('02:00');
        await page.getByRole('alert').filter({ hasText: '您已因长时间未操作而自动退出登录' }).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
