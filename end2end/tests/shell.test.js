// The portal shell: home page in both languages and both display modes, on desktop and phone,
// with JavaScript on and off; the language and elder-mode switches; search; error pages.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BASE_URL, VARIANTS, ONCE_PER_PASS, ONCE_PER_PASS_OPTIONS, launchBrowser, openPage, assertAccessible, waitForHydration, signUp } from './support.js';

// No browser step may hang a CI run: every test has a hard limit.
const test = (name, optionsOrFn, fn) => fn
  ? nodeTest(name, { timeout: 120000, ...optionsOrFn }, fn)
  : nodeTest(name, { timeout: 120000 }, optionsOrFn);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function htmlState(page) {
  return page.evaluate(() => ({ lang: document.documentElement.lang, elder: document.documentElement.classList.contains('elder') }));
}

for (const variant of VARIANTS) {
  test(`home page in both languages and modes, switches work (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      const response = await page.goto('/');
      assert.equal(response.status(), 200);
      assert.deepEqual(await htmlState(page), { lang: 'zh-CN', elder: false });
      await page.getByRole('heading', { level: 1, name: '让数据多跑路，群众少跑腿' }).waitFor();
      if (variant.javaScriptEnabled) await waitForHydration(page);
      await assertAccessible(page, `home zh-CN (${variant.name})`);

      // Language: a plain form post that sets a cookie and returns to the same page.
      await Promise.all([page.waitForURL('**/'), page.getByRole('button', { name: /English/ }).click()]);
      await page.getByRole('heading', { level: 1, name: "Let data travel, so people don't have to" }).waitFor();
      assert.equal((await htmlState(page)).lang, 'en');
      if (variant.javaScriptEnabled) await waitForHydration(page);
      await assertAccessible(page, `home en (${variant.name})`);

      // Elder mode in English.
      await page.getByRole('button', { name: 'Elder mode: off' }).click();
      await page.getByRole('button', { name: 'Elder mode: on' }).waitFor();
      assert.deepEqual(await htmlState(page), { lang: 'en', elder: true });
      await assertAccessible(page, `home en elder (${variant.name})`);
      if (variant.isMobile) {
        // The longest header there is (English, elder mode) with its menu open still fits.
        await page.locator('summary', { hasText: 'Menu' }).click();
        await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Services' }).waitFor();
        await assertAccessible(page, `home en elder, menu open (${variant.name})`);
        await page.locator('summary', { hasText: 'Menu' }).click();
      }

      // Back to Chinese: elder mode persists across the language switch and a reload.
      await Promise.all([page.waitForURL('**/'), page.getByRole('button', { name: /中文/ }).click()]);
      await page.getByRole('button', { name: '长者模式：已开启' }).waitFor();
      await page.reload();
      assert.deepEqual(await htmlState(page), { lang: 'zh-CN', elder: true });
      if (variant.javaScriptEnabled) await waitForHydration(page);
      await assertAccessible(page, `home zh-CN elder (${variant.name})`);

      await page.getByRole('button', { name: '长者模式：已开启' }).click();
      await page.getByRole('button', { name: '长者模式：已关闭' }).waitFor();
      assert.deepEqual(await htmlState(page), { lang: 'zh-CN', elder: false });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`the header: sign-in, and a menu that opens without JavaScript (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto('/departments');
      const banner = page.getByRole('banner');
      await banner.getByRole('link', { name: '登录', exact: true }).waitFor();
      const services = banner.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '办事服务' });
      if (variant.isMobile) {
        assert.equal(await services.isVisible(), false, 'on a phone the menu starts closed');
        await banner.locator('summary', { hasText: '菜单' }).click();
        await services.waitFor();
        await assertAccessible(page, `open menu (${variant.name})`);
      }
      const search = banner.getByRole('search').getByRole('searchbox');
      await search.fill('户口');
      await Promise.all([page.waitForURL('**/search?q=*'), search.press('Enter')]);
      await page.getByRole('link', { name: '新生儿出生登记（落户）' }).waitFor();
      await page.goto('/departments');
      if (variant.isMobile) await banner.locator('summary').click();
      await Promise.all([page.waitForURL('**/services'), services.click()]);
      await page.getByRole('heading', { level: 1, name: '全部服务' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`search, departments and error pages (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      await page.goto('/');
      const search = page.getByRole('search').first().getByRole('searchbox');
      await search.fill('婚姻');
      await Promise.all([page.waitForURL('**/search?q=*'), search.press('Enter')]);
      await page.getByRole('heading', { level: 2, name: '“婚姻”的搜索结果' }).waitFor();
      await assertAccessible(page, `search results (${variant.name})`);
      await Promise.all([page.waitForURL('**/services?department=civil-affairs'), page.getByRole('link', { name: '市民政局', exact: true }).click()]);
      await page.getByRole('heading', { level: 1, name: '本部门的办事服务' }).waitFor();
      await page.getByRole('link', { name: '结婚登记预约' }).waitFor();
      await assertAccessible(page, `a department's services (${variant.name})`);
      await page.goto('/departments');
      await page.getByRole('table', { name: '办事部门一览' }).waitFor();
      await assertAccessible(page, `departments (${variant.name})`);
      assert.deepEqual(problems, []);
      // From here on the pages answer 400 and 404 on purpose; the browser logs those loads.
      problems.length = 0;

      const tooLong = await page.goto(`/search?q=${'长'.repeat(101)}`);
      assert.equal(tooLong.status(), 400);
      await page.getByRole('alert').getByRole('link', { name: '搜索内容不能超过 100 个字' }).waitFor();
      assert.equal(await page.locator('#search-q').inputValue(), '长'.repeat(101), 'typed text is kept');
      await assertAccessible(page, `search error (${variant.name})`);

      const missing = await page.goto('/no-such-page');
      assert.equal(missing.status(), 404);
      await page.getByRole('heading', { level: 1, name: '页面未找到' }).waitFor();
      await assertAccessible(page, `404 (${variant.name})`);
      assert.deepEqual(problems.filter((p) => !/status of (400|404)/.test(p)), []);
    } finally {
      await context.close();
    }
  });
}

test('hydration: with JavaScript the elder-mode switch works in place, without a page load', ONCE_PER_PASS_OPTIONS, async () => {
  const { context, page, problems } = await openPage(browser, ONCE_PER_PASS);
  try {
    await page.goto('/');
    await waitForHydration(page);
    // A marker that any navigation would wipe out.
    await page.evaluate(() => { window.__noReloadMarker = 42; });
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
    await page.getByRole('button', { name: '长者模式：已关闭' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
    assert.equal(await page.getByRole('button', { name: '长者模式：已开启' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => window.__noReloadMarker), 42, 'the page was not reloaded');
    assert.equal(navigations, 0);
    // The choice was saved in the background and survives a reload.
    await page.waitForLoadState('networkidle');
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a cross-origin form post from another site is refused', ONCE_PER_PASS_OPTIONS, async () => {
  const { context, page } = await openPage(browser, ONCE_PER_PASS);
  try {
    const base = new URL(BASE_URL);
    // An attacker page on another origin of the same host auto-submits a form to the portal.
    await page.setContent(`<form id="f" method="post" action="${base.origin}/api/preferences/language">
      <input name="locale" value="en"><input name="return_to" value="/"></form>`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/preferences/language')),
      page.evaluate(() => document.getElementById('f').submit()),
    ]);
    assert.equal(response.status(), 403);
    const cookies = await context.cookies(base.origin);
    assert.equal(cookies.find((c) => c.name === 'onestop_lang'), undefined, 'no preference was changed');
  } finally {
    await context.close();
  }
});

// An attacker's page served from another loopback port. From 127.0.0.1 it is the portal's own
// site (a site ignores the port) but another origin, so the browser sends the session cookie
// with its post and only the portal's origin check stands in the way; from localhost it is
// another site as well.
function attackerServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://attacker');
    const action = `${BASE_URL}${url.searchParams.get('target')}`;
    const fields = [...url.searchParams].filter(([k]) => k !== 'target')
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>prize</title><form method="post" action="${action}">${fields}<button>claim</button></form>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('form posts from pages on other loopback ports are refused, the signed-in citizen keeps the session', ONCE_PER_PASS_OPTIONS, async () => {
  const server = await attackerServer();
  const port = server.address().port;
  const { context, page } = await openPage(browser, ONCE_PER_PASS);
  try {
    await signUp(page, { name: '陈立新', id: '620102199003150034' }, 'cross-origin@example.cn');

    const attacks = [
      ['/logout', ''], // a form route
      ['/api/preferences/language', '&locale=en&return_to=%2F'], // a server function
    ];
    for (const [what, origin] of [['same site, another origin', `http://127.0.0.1:${port}`], ['another site', `http://localhost:${port}`]]) {
      for (const [target, fields] of attacks) {
        const attacker = await context.newPage();
        await attacker.goto(`${origin}/?target=${encodeURIComponent(target)}${fields}`);
        const [response] = await Promise.all([
          attacker.waitForResponse((r) => r.url() === `${BASE_URL}${target}`),
          attacker.getByRole('button', { name: 'claim' }).click(),
        ]);
        assert.equal(response.status(), 403, `${what}: POST ${target}`);
        assert.match(await response.text(), /请求被拒绝/, `${what}: POST ${target} answers the refusal page`);
        await attacker.close();
      }
    }
    // Nothing happened: still signed in, still in Chinese.
    await page.goto('/account');
    assert.equal(new URL(page.url()).pathname, '/account', 'the attack did not sign the citizen out');
    const cookies = await context.cookies(BASE_URL);
    assert.equal(cookies.find((c) => c.name === 'onestop_lang'), undefined, 'no preference was changed');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  } finally {
    server.close();
    await context.close();
  }
});
