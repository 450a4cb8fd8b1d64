// Shared browser-test support: Debian Chromium through playwright-core, the four ways every
// page is visited (JavaScript on/off × desktop/phone), and for each visit an axe-core audit plus,
// on the phone, the layout checks (no sideways scrolling, a header that leaves the screen to the
// page).
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

export const BASE_URL = process.env.ONESTOP_E2E_BASE_URL ?? 'http://127.0.0.1:3100';

// The variant each browser context was opened with (for the no-JavaScript axe audit).
const contextVariants = new WeakMap();

const ALL_VARIANTS = [
  { name: 'JS on, desktop', javaScriptEnabled: true, viewport: { width: 1280, height: 800 } },
  { name: 'JS off, desktop', javaScriptEnabled: false, viewport: { width: 1280, height: 800 } },
  // A common phone today (390 × 844 CSS pixels).
  { name: 'JS on, phone', javaScriptEnabled: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'JS off, phone', javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];
// A pass over some of them, by position (`ONESTOP_E2E_VARIANTS=1,2`): `make test` splits the
// SQLite pass over two servers, and the PostgreSQL pass runs the first one only. Each pass has a
// server and database of its own, so tests number their accounts within the pass.
const chosen = process.env.ONESTOP_E2E_VARIANTS;
export const VARIANTS = chosen ? chosen.split(',').map((i) => ALL_VARIANTS[Number(i)]) : ALL_VARIANTS;
assert.ok(VARIANTS.length > 0 && VARIANTS.every(Boolean), `ONESTOP_E2E_VARIANTS=${chosen}: positions 0 to ${ALL_VARIANTS.length - 1}`);
// The tests that run once per pass do so with JavaScript on, on a desktop, in the passes that
// include that variant; `ONCE_PER_PASS` is that variant, or null in a pass without it.
export const ONCE_PER_PASS = VARIANTS.includes(ALL_VARIANTS[0]) ? ALL_VARIANTS[0] : null;
export const ONCE_PER_PASS_OPTIONS = { skip: !ONCE_PER_PASS && 'runs in the pass with JavaScript on, desktop' };

// playwright-core gives each launch a fresh, empty profile directory of its own.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/// A fresh context (no cookies) for one variant, with console errors, CSP violations and (on
/// phones) layout problems collected so each test can assert there were none.
export async function openPage(browser, variant) {
  const { name, ...options } = variant;
  const context = await browser.newContext({ ...options, baseURL: BASE_URL, locale: 'zh-CN' });
  context.setDefaultTimeout(15000);
  contextVariants.set(context, variant);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  if (variant.isMobile) {
    // Every page the phone shows gets the layout checks, not only the audited ones: each load is
    // measured and a problem joins the list every test asserts to be empty.
    page.on('load', () => {
      phoneLayoutProblem(page)
        .then((problem) => problem && problems.push(`phone layout: ${problem}`))
        .catch(() => {}); // the test had already moved on to another page
    });
  }
  if (variant.javaScriptEnabled) {
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  }
  return { context, page, problems };
}

/// The share of a phone's first screen the site header may take.
export const PHONE_HEADER_SHARE = 0.25;

/// On a phone: what is wrong with the page's layout as shown (null if nothing): it must never
/// scroll sideways (WCAG 1.4.10 reflow), and the header may take at most a quarter of the first
/// screen.
async function phoneLayoutProblem(page) {
  const m = await page.evaluate(() => {
    const root = document.scrollingElement;
    const header = document.querySelector('.site-header');
    const describe = (e) => `${e.tagName.toLowerCase()}${typeof e.className === 'string' && e.className.trim() ? `.${e.className.trim().split(/\s+/).join('.')}` : ''}`;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1 && e.checkVisibility())
      .slice(0, 5)
      .map(describe);
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      header: header ? header.getBoundingClientRect().height : 0,
      viewport: window.innerHeight,
      wide,
    };
  });
  const problems = [];
  if (m.scrollWidth > m.clientWidth) {
    problems.push(`scrolls sideways (${m.scrollWidth} > ${m.clientWidth} px; too wide: ${m.wide.join(', ')})`);
  }
  if (m.header > PHONE_HEADER_SHARE * m.viewport) {
    problems.push(`the header takes ${Math.round(m.header)} of ${m.viewport} px`);
  }
  return problems.length ? `${page.url()}: ${problems.join('; ')}` : null;
}

/// The phone layout checks, now (see `phoneLayoutProblem`); nothing on desktop.
export async function assertPhoneLayout(page, label) {
  if (!contextVariants.get(page.context())?.isMobile) return;
  const problem = await phoneLayoutProblem(page);
  assert.equal(problem, null, `${label}: ${problem}`);
}

/// Zero axe-core violations for WCAG 2.0/2.1 A and AA (the basis of GB/T 37668), and on phones
/// the layout checks above.
/// axe-core is JavaScript, so it cannot run inside a page that has JavaScript disabled. For
/// those, the page's document is audited in a twin page with the same viewport that loads
/// none of our scripts, so it shows exactly the no-JavaScript rendering.
export async function assertAccessible(page, label) {
  await assertPhoneLayout(page, label);
  let target = page;
  let twin;
  const variant = contextVariants.get(page.context());
  if (!variant.javaScriptEnabled) {
    const { name, javaScriptEnabled, ...options } = variant;
    twin = await page.context().browser().newContext({ ...options, javaScriptEnabled: true, baseURL: BASE_URL });
    await twin.addCookies(await page.context().cookies());
    await twin.route('**/pkg/**', (route) => (route.request().resourceType() === 'stylesheet' ? route.continue() : route.abort()));
    target = await twin.newPage();
    // The exact document the JS-off page shows (it may answer a form post, which a second GET
    // would not reproduce), loaded on the same origin so its stylesheet applies.
    await target.goto(new URL('/accessibility', page.url()).href);
    await target.setContent(await page.content(), { waitUntil: 'load' });
  }
  try {
    const results = await new AxeBuilder({ page: target })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
    );
    assert.deepEqual(summary, [], `axe violations on ${label}:\n${summary.join('\n')}`);
  } finally {
    await twin?.close();
  }
}

/// Waits until the islands have hydrated (JS on only): the island runtime marks nothing, so
/// wait for the wasm module to have been fetched and the network to settle.
export async function waitForHydration(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => typeof window.__hydrateIsland === 'function', null, { timeout: 15000 });
}

/// The password every citizen account in the browser tests is registered with.
export const CITIZEN_PASSWORD = 'lanzhou-yellow-river-1909';

/// Registers a citizen (`person`: name and ID number) and signs in; leaves the page on /account.
export async function signUp(page, person, email) {
  await page.goto('/register');
  await page.getByLabel('姓名').fill(person.name);
  await page.getByLabel('居民身份证号码').fill(person.id);
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码', { exact: true }).fill(CITIZEN_PASSWORD);
  await Promise.all([page.waitForURL('**/register?done=check_mail'), page.getByRole('button', { name: '注册' }).click()]);
  await page.goto('/login?next=/account');
  await page.getByLabel('电子邮箱或手机号码').fill(email);
  await page.getByLabel('密码').fill(CITIZEN_PASSWORD);
  await Promise.all([page.waitForURL('**/account'), page.getByRole('button', { name: '登录' }).click()]);
}

/// Registers a citizen of the demo population register (`person`: name and ID number), signs in
/// and verifies the real name; leaves the page on /account.
export async function signUpVerified(page, person, email) {
  await signUp(page, person, email);
  await Promise.all([page.waitForURL('**/account?done=real_name_verified'), page.getByRole('button', { name: '进行实名认证' }).click()]);
}

/// The password every staff account in the browser tests is set up with.
export const STAFF_PASSWORD = 'Gansu-River-Bridge-42';

/// Completes set-up with a token and signs in; returns nothing, leaves the page on /staff.
export async function setUpAndSignIn(page, token, username, label) {
  await page.goto(`/staff/setup?token=${token}`);
  const secret = (await page.locator('code.secret').textContent()).trim();
  await page.getByLabel('密码').fill(STAFF_PASSWORD);
  await page.getByLabel('验证码').fill(totp(secret));
  await Promise.all([page.waitForURL('**/staff/login?done=setup'), page.getByRole('button', { name: '完成设置' }).click()]);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(STAFF_PASSWORD);
  await page.getByLabel('验证码').fill(totp(secret, 1));
  await Promise.all([page.waitForURL((url) => url.pathname === '/staff'), page.getByRole('button', { name: '登录' }).click()]);
  await page.getByText(label, { exact: true }).waitFor();
}

/// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret, `steps` steps from now.
export function totp(secret, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + steps));
  const hash = createHmac('sha1', key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}


/// Waits for the mail the real SMTP listener received for `to` (its subject containing
/// `subjectPart`) and returns it parsed.
export async function mailTo(to, subjectPart = '') {
  const maildir = process.env.ONESTOP_E2E_MAILDIR;
  assert.ok(maildir, 'ONESTOP_E2E_MAILDIR is set by .ci/e2e.sh');
  for (let i = 0; i < 100; i += 1) {
    let files = [];
    try { files = readdirSync(maildir); } catch { files = []; }
    for (const file of files) {
      const mail = await simpleParser(readFileSync(join(maildir, file)));
      if (mail.to?.text.includes(to) && (mail.subject ?? '').includes(subjectPart)) return mail;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} about "${subjectPart}" arrived`);
}
