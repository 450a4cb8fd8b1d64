// Applying online in the browser, JavaScript on and off, desktop and phone: a citizen applies for
// the minimum living allowance (低保) with answers filled in from the population register, an
// address chosen among the spatial register's standard addresses, a household member added
// without JavaScript, two uploaded files; leaves, resumes the draft on
// 我的办件, checks the answers, submits, sees the confirmation and the mail, and finds the case by
// number without signing in. A window clerk (created by a security administrator) asks for a
// missing material in one notice; the citizen sends it; the clerk sees the new file, accepts and
// completes the case, then registers a walk-in applicant at the window (一窗受理), who later
// registers online and finds the case; the citizen downloads the 受理通知书 the acceptance issued
// and checks it on the public verification page, and rates the case with two stars; the
// department's supervisor finds the 差评 in the ledger. axe-core on every page involved.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VARIANTS, launchBrowser, openPage, assertAccessible, waitForHydration, mailTo, setUpAndSignIn, signUpVerified, CITIZEN_PASSWORD } from './support.js';

const test = (name, fn) => nodeTest(name, { timeout: 180000 }, fn);
const LOW_INCOME = '620100-MZ-JF-0001';
const SECADMIN_TOKENS = (process.env.ONESTOP_E2E_CASE_SECADMIN_TOKENS ?? '').split(',');

// People of the demo population register (deterministic), one per variant, none used elsewhere.
const PEOPLE = [
  { name: '马梓璐', id: '620102196012140520' },
  { name: '张博', id: '620102196012154375' },
  { name: '刘武宇', id: '620102196101034498' },
  { name: '王峰', id: '620102196101094036' },
];

// Walk-in applicants (一窗受理) from the same register, without accounts, one per variant.
const WALK_INS = [
  { name: '张勇宇', id: '620102196101163716' },
  { name: '贾福伟', id: '620102196101219898' },
  { name: '孔梓倩', id: '620102196101278185' },
  { name: '李健', id: '620102196101307038' },
];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/// A small, valid PDF with one page of text (offsets in the cross-reference table exact).
function pdf(text) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/// A security administrator creates a civil-affairs window clerk and supervisor; the clerk sets
/// up their account and signs in. Returns the clerk's page (on /staff) and the supervisor's
/// one-time set-up token.
async function civilAffairsClerk(variant, index) {
  assert.ok(SECADMIN_TOKENS[index], 'set-up tokens come from .ci/e2e.sh');
  const admin = await openPage(browser, variant);
  const links = {};
  try {
    await setUpAndSignIn(admin.page, SECADMIN_TOKENS[index], `casesec${index}`, '安全管理员');
    for (const [username, name, role] of [[`civil${index}`, '李窗口', 'window_clerk'], [`civsup${index}`, '王科长', 'supervisor']]) {
      await admin.page.goto('/staff/accounts');
      await admin.page.getByLabel('用户名').fill(username);
      await admin.page.getByLabel('姓名').fill(name);
      await admin.page.getByLabel('角色').selectOption(role);
      await admin.page.getByLabel(/所属部门/).selectOption('civil-affairs');
      await Promise.all([admin.page.waitForResponse((r) => r.request().method() === 'POST'), admin.page.getByRole('button', { name: '创建账号' }).click()]);
      links[role] = (await admin.page.locator('.notice code.secret').textContent()).trim();
    }
  } finally {
    await admin.context.close();
  }
  const clerk = await openPage(browser, variant);
  await setUpAndSignIn(clerk.page, links.window_clerk.split('token=')[1], `civil${index}`, '窗口受理人员');
  clerk.supervisorToken = links.supervisor.split('token=')[1];
  return clerk;
}

/// Uploads one file into the material section titled `title`.
async function upload(page, title, name, buffer) {
  const section = page.locator('section.upload').filter({ has: page.getByRole('heading', { name: title }) });
  await section.getByLabel('选择文件').setInputFiles({ name, mimeType: 'application/pdf', buffer });
  await Promise.all([page.waitForURL(/notice=uploaded/), section.getByRole('button', { name: '上传' }).click()]);
  await section.getByRole('link', { name: new RegExp(name) }).waitFor();
}

VARIANTS.forEach((variant, index) => {
  const person = PEOPLE[index];
  const email = `applicant${index}@example.cn`;

  test(`apply for the minimum living allowance with prefill and uploads, resume, submit, look up (${variant.name})`, async () => {
    const { context, page, problems } = await openPage(browser, variant);
    try {
      // An account with a verified real name.
      await signUpVerified(page, person, email);

      // From the guide to the start page, then the consent question.
      await page.goto(`/services/${LOW_INCOME}`);
      await Promise.all([page.waitForURL(`**/services/${LOW_INCOME}/apply`), page.getByRole('link', { name: '在线办理' }).click()]);
      await assertAccessible(page, `apply: start (${variant.name})`);
      await Promise.all([page.waitForURL('**/prefill'), page.getByRole('button', { name: '开始申请' }).click()]);
      await page.getByRole('heading', { level: 1, name: '使用部门共享数据自动填写' }).waitFor();
      await page.getByText('在线申请表单预填，减少群众重复填写').waitFor();
      await assertAccessible(page, `apply: prefill consent (${variant.name})`);
      await Promise.all([page.waitForURL(/step\/1\?notice=prefilled/), page.getByRole('button', { name: '同意并自动填写' }).click()]);

      // Step 1: the name arrived from the register, marked with its source.
      assert.equal(await page.getByLabel('申请人姓名').inputValue(), person.name);
      await page.getByText(/来自人口基础信息库/).first().waitFor();
      await assertAccessible(page, `apply: step 1 prefilled (${variant.name})`);

      // An address from the spatial register: 查找地址 saves the step and offers the standard
      // addresses as radio buttons (JavaScript or not); with JavaScript the field's list also
      // fills as the citizen types.
      const living = page.getByLabel('实际居住地址');
      await living.fill('酒泉路');
      await Promise.all([
        page.waitForURL(/step\/1\?address=living_address/),
        page.getByRole('button', { name: '查找地址：实际居住地址' }).click(),
      ]);
      const choices = page.getByRole('group', { name: '选择标准地址：实际居住地址' });
      await choices.getByRole('radio', { name: '城关区酒泉路街道畅家巷社区', exact: true }).check();
      await assertAccessible(page, `apply: standard addresses to choose (${variant.name})`);
      await Promise.all([page.waitForURL(/notice=address_chosen/), choices.getByRole('button', { name: '使用所选地址' }).click()]);
      assert.equal(await living.inputValue(), '城关区酒泉路街道畅家巷社区');
      if (variant.javaScriptEnabled) {
        await waitForHydration(page);
        await living.fill('');
        await living.pressSequentially('张掖');
        await page.locator('#q-living_address-places option[value="城关区张掖路街道"]').waitFor({ state: 'attached' });
      }
      const wrongId = `${person.id.slice(0, 17)}${person.id.endsWith('1') ? '2' : '1'}`;
      await page.getByLabel('申请人公民身份号码').fill(wrongId);
      if (variant.javaScriptEnabled) {
        // With JavaScript the same rule answers as soon as the field is left.
        await waitForHydration(page);
        await page.getByLabel('申请人公民身份号码').fill(wrongId);
        await page.getByLabel('申请人公民身份号码').press('Tab');
        await page.getByText('身份证号码校验位不正确，请核对').waitFor();
        await assertAccessible(page, `apply: step 1 checked in the browser (${variant.name})`);
      }
      await page.getByLabel('实际居住地址').fill('甘肃省兰州市城关区张掖路1号');
      await page.getByLabel('联系电话').fill('13912345678');
      await page.getByLabel('主要困难原因').selectOption('illness');
      const [bad] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/step/1') && r.request().method() === 'POST'),
        page.getByRole('button', { name: '保存并继续' }).click(),
      ]);
      assert.equal(bad.status(), 400);
      await page.getByRole('alert').getByRole('link', { name: '身份证号码校验位不正确，请核对' }).waitFor();
      assert.equal(await page.getByLabel('联系电话').inputValue(), '13912345678', 'what was typed is kept');
      await assertAccessible(page, `apply: step 1 with errors (${variant.name})`);
      problems.length = 0; // the 400 above is logged by the browser on purpose
      await page.getByLabel('申请人公民身份号码').fill(person.id);
      await Promise.all([page.waitForURL(/step\/2$/), page.getByRole('button', { name: '保存并继续' }).click()]);

      // Step 2: a household member, added with a plain submit button.
      await Promise.all([page.waitForURL(/step\/2/), page.getByRole('button', { name: /添加一项/ }).click()]);
      await page.getByLabel('姓名').fill(person.name);
      await page.getByLabel('公民身份号码').fill(person.id);
      await page.getByLabel('与申请人关系').selectOption('self');
      await page.getByLabel('月收入（元）').fill('600');
      await assertAccessible(page, `apply: household members (${variant.name})`);
      await Promise.all([page.waitForURL(/step\/3$/), page.getByRole('button', { name: '保存并继续' }).click()]);

      // Step 3: two files, checked by content on the server.
      await upload(page, '签字后的家庭经济状况核对授权书', `授权书-${index}.pdf`, pdf(`authorisation ${index}`));
      await upload(page, /收入情况说明或收入证明/, `收入证明-${index}.pdf`, pdf(`income ${index}`));
      await assertAccessible(page, `apply: materials uploaded (${variant.name})`);

      // Leave, and come back through 我的办件.
      await Promise.all([page.waitForURL('**/applications?notice=draft_saved'), page.getByRole('button', { name: '保存草稿，稍后继续' }).click()]);
      await assertAccessible(page, `my applications with a draft (${variant.name})`);
      await Promise.all([page.waitForURL(/\/applications\/[a-z2-7]{20}$/), page.getByRole('link', { name: '最低生活保障' }).first().click()]);
      await Promise.all([page.waitForURL(/step\/3$/), page.getByRole('link', { name: '继续填写' }).click()]);
      await Promise.all([page.waitForURL(/review$/), page.getByRole('button', { name: '保存并继续' }).click()]);

      // Check your answers, declare, submit.
      await page.getByText('家庭成员患病').waitFor();
      await assertAccessible(page, `apply: check your answers (${variant.name})`);
      await page.getByLabel(/本人承诺/).check();
      await Promise.all([page.waitForURL(/notice=submitted/), page.getByRole('button', { name: '提交申请' }).click()]);
      const number = (await page.locator('.application-number').textContent()).trim();
      assert.match(number, /^\d{14}[\dX]$/);
      await page.getByText('已提交，待预审').first().waitFor();
      await assertAccessible(page, `application submitted (${variant.name})`);
      const mail = await mailTo(email, number);
      assert.ok(mail.text.includes('/applications/'), 'the mail links the case');

      // Without signing in: the number and the ID number's last four characters.
      const { context: visitorContext, page: visitor } = await openPage(browser, variant);
      try {
        await visitor.goto('/progress');
        await visitor.getByLabel('办件编号').fill(number);
        await visitor.getByLabel('申请人身份证号码后四位').fill(person.id.slice(-4));
        await visitor.getByRole('button', { name: '查询' }).click();
        await visitor.getByText('已提交，待预审').waitFor();
        await assertAccessible(visitor, `progress lookup (${variant.name})`);
      } finally {
        await visitorContext.close();
      }

      // The clerk finds the case in the department's queue and asks for a clearer income proof.
      const clerk = await civilAffairsClerk(variant, index);
      try {
        const desk = clerk.page;
        await Promise.all([desk.waitForURL('**/staff/cases'), desk.getByRole('link', { name: '办件受理' }).click()]);
        await assertAccessible(desk, `case queue (${variant.name})`);
        await Promise.all([desk.waitForURL(`**/staff/cases/${number}`), desk.getByRole('link', { name: number }).click()]);
        await desk.getByText(/来自人口基础信息库/).first().waitFor();
        await assertAccessible(desk, `case review (${variant.name})`);
        const ask = desk.locator('section.decision').filter({ has: desk.getByRole('heading', { name: '一次性告知补正' }) });
        const [refused] = await Promise.all([
          desk.waitForResponse((r) => r.url().endsWith('/decision') && r.request().method() === 'POST'),
          ask.getByRole('button', { name: '一次性告知补正' }).click(),
        ]);
        assert.equal(refused.status(), 400);
        await desk.getByRole('alert').getByRole('link', { name: '请至少勾选一项需要补正的材料' }).waitFor();
        await assertAccessible(desk, `case decision with errors (${variant.name})`);
        clerk.problems.length = 0; // the 400 above is logged by the browser on purpose
        const askAgain = desk.locator('section.decision').filter({ has: desk.getByRole('heading', { name: '一次性告知补正' }) });
        await askAgain.getByLabel('家庭成员收入情况说明或收入证明', { exact: true }).check();
        await askAgain.getByLabel('家庭成员收入情况说明或收入证明：需要补正的原因').fill('请提供加盖单位公章的收入证明');
        await Promise.all([desk.waitForURL(/done=request_supplement/), askAgain.getByRole('button', { name: '一次性告知补正' }).click()]);
        await desk.getByText('已作出办理决定：一次性告知补正').waitFor();

        // The citizen is told by mail, sees the one notice and sends the new file.
        await mailTo(email, '待补正');
        await page.goto('/applications');
        await Promise.all([page.waitForURL(/\/applications\/[a-z2-7]{20}$/), page.getByRole('link', { name: '最低生活保障' }).first().click()]);
        await page.getByText('请提供加盖单位公章的收入证明').waitFor();
        await Promise.all([page.waitForURL(/\/supplement$/), page.getByRole('link', { name: '补正材料', exact: true }).click()]);
        await assertAccessible(page, `supplement (${variant.name})`);
        await upload(page, /收入情况说明或收入证明/, `盖章收入证明-${index}.pdf`, pdf(`stamped income ${index}`));
        await page.getByLabel('给工作人员的说明（选填）').fill('已补充盖章的收入证明');
        await Promise.all([page.waitForURL(/notice=supplemented/), page.getByRole('button', { name: '提交补正材料' }).click()]);

        // The clerk sees the new file, accepts, grants and completes the case.
        await desk.goto(`/staff/cases/${number}`);
        await desk.getByRole('region', { name: '重新提交后的改动' }).getByText(`盖章收入证明-${index}.pdf`).waitFor();
        await assertAccessible(desk, `case after the supplement (${variant.name})`);
        for (const action of ['受理', '准予许可', '办结']) {
          const form = desk.locator('section.decision').filter({ has: desk.getByRole('heading', { name: action, exact: true }) });
          await Promise.all([desk.waitForURL(/done=/), form.getByRole('button', { name: action, exact: true }).click()]);
          await desk.getByText(`已作出办理决定：${action}`).waitFor();
        }

        // 一窗受理: someone without an account at the window; the clerk identifies them against
        // the population register and applies for them on one page with a scanned file.
        const walkIn = WALK_INS[index];
        await desk.goto('/staff');
        await Promise.all([desk.waitForURL('**/staff/intake'), desk.getByRole('link', { name: '窗口受理登记' }).click()]);
        await assertAccessible(desk, `window intake (${variant.name})`);
        await desk.getByLabel('办理事项').selectOption(LOW_INCOME);
        await desk.getByLabel('申请人姓名').fill(walkIn.name);
        await desk.getByLabel('公民身份号码').fill(walkIn.id);
        await Promise.all([desk.waitForURL(/notice=registered/), desk.getByRole('button', { name: '核验并开始登记' }).click()]);
        await desk.getByLabel('申请人姓名', { exact: true }).fill(walkIn.name);
        await desk.getByLabel('申请人公民身份号码').fill(walkIn.id);
        await desk.getByLabel('户籍地址').fill('甘肃省兰州市城关区');
        await desk.getByLabel('实际居住地址').fill('甘肃省兰州市城关区庆阳路2号');
        await desk.getByLabel('联系电话').fill('13700001234');
        await desk.getByLabel('主要困难原因').selectOption('old_age');
        await Promise.all([desk.waitForURL(/#q-members-0$/), desk.getByRole('button', { name: /添加一项/ }).click()]);
        await desk.getByLabel('姓名', { exact: true }).fill(walkIn.name);
        await desk.getByLabel('公民身份号码', { exact: true }).fill(walkIn.id);
        await desk.getByLabel('与申请人关系').selectOption('self');
        await desk.getByLabel('月收入（元）').fill('300');
        await Promise.all([desk.waitForURL(/notice=saved/), desk.getByRole('button', { name: '保存', exact: true }).click()]);
        await upload(desk, '签字后的家庭经济状况核对授权书', `窗口扫描件-${index}.pdf`, pdf(`walk-in ${index}`));
        await assertAccessible(desk, `window intake form (${variant.name})`);
        const [unconfirmed] = await Promise.all([
          desk.waitForResponse((r) => /\/staff\/intake\/[a-z2-7]{20}$/.test(r.url()) && r.request().method() === 'POST'),
          desk.getByRole('button', { name: '提交，进入办件队列' }).click(),
        ]);
        assert.equal(unconfirmed.status(), 400, 'the applicant confirms first');
        await desk.getByRole('alert').getByRole('link', { name: /请确认/ }).waitFor();
        assert.equal(await desk.getByLabel('实际居住地址').inputValue(), '甘肃省兰州市城关区庆阳路2号', 'nothing typed is lost');
        clerk.problems.length = 0; // the 400 above is logged by the browser on purpose
        await desk.getByLabel('申请人已当面核对以上内容并签字确认').check();
        await Promise.all([desk.waitForURL(/done=intake/), desk.getByRole('button', { name: '提交，进入办件队列' }).click()]);
        await desk.getByText('窗口登记的申请已提交').waitFor();
        const walkInNumber = new URL(desk.url()).pathname.split('/').pop();
        assert.match(walkInNumber, /^\d{14}[\dX]$/);
        assert.deepEqual(clerk.problems, []);

        // The walk-in applicant registers online later and finds the case in 我的办件.
        const later = await openPage(browser, variant);
        try {
          const walkInEmail = `walkin${index}@example.cn`;
          await later.page.goto('/register');
          await later.page.getByLabel('姓名').fill(walkIn.name);
          await later.page.getByLabel('居民身份证号码').fill(walkIn.id);
          await later.page.getByLabel('电子邮箱').fill(walkInEmail);
          await later.page.getByLabel('密码', { exact: true }).fill(CITIZEN_PASSWORD);
          await Promise.all([later.page.waitForURL('**/register?done=check_mail'), later.page.getByRole('button', { name: '注册' }).click()]);
          await later.page.goto('/login?next=/applications');
          await later.page.getByLabel('电子邮箱或手机号码').fill(walkInEmail);
          await later.page.getByLabel('密码').fill(CITIZEN_PASSWORD);
          await Promise.all([later.page.waitForURL('**/applications'), later.page.getByRole('button', { name: '登录' }).click()]);
          await later.page.getByText(walkInNumber).waitFor();
          assert.deepEqual(later.problems, []);
        } finally {
          await later.context.close();
        }
      } finally {
        await clerk.context.close();
      }
      const supervisorToken = clerk.supervisorToken;

      // The citizen's case page lists the documents the decisions issued; the 受理通知书 downloads
      // as a PDF whose verification address (its QR code, also a link) says it is genuine.
      await page.goto(page.url().replace(/\?.*$/, ''));
      await page.getByText('已办结').first().waitFor();
      const documents = page.getByRole('region', { name: '办理文书' });
      for (const kind of ['补正材料告知书', '受理通知书', '准予行政许可决定书']) {
        await documents.getByRole('rowheader', { name: kind }).waitFor();
      }
      const href = await documents.getByRole('link', { name: '下载 PDF（受理通知书）' }).getAttribute('href');
      const download = await page.request.get(href);
      assert.equal(download.status(), 200);
      assert.equal(download.headers()['content-type'], 'application/pdf');
      const notice = (await download.body()).toString('latin1');
      assert.ok(notice.startsWith('%PDF-'), 'a PDF');
      const verifyPath = notice.match(/\/verify\/[A-Z2-7]{32}/)?.[0];
      assert.ok(verifyPath, 'the notice carries its verification address');
      const { context: checkerContext, page: checker } = await openPage(browser, variant);
      try {
        await checker.goto(verifyPath);
        await checker.getByText('这是本平台出具的真实文书，当前有效。').waitFor();
        await checker.getByText(number).waitFor();
        await assertAccessible(checker, `document verification (${variant.name})`);
        await checker.goto(`${verifyPath.slice(0, -1)}${verifyPath.endsWith('A') ? 'B' : 'A'}`);
        await checker.getByText(/不是本平台出具的真实文书/).waitFor();
        await assertAccessible(checker, `forged document reference (${variant.name})`);
      } finally {
        await checkerContext.close();
      }

      // The citizen rates the finished case with two stars (不满意): a 差评 the supervisor follows up.
      await assertAccessible(page, `completed case to rate (${variant.name})`);
      await page.getByLabel('不满意', { exact: true }).check();
      await page.getByLabel('办事效率').check();
      await Promise.all([page.waitForURL(/notice=rated/), page.getByRole('button', { name: '提交评价' }).click()]);
      await page.getByText(/不满意/).first().waitFor();
      assert.deepEqual(problems, []);

      const supervisor = await openPage(browser, variant);
      try {
        await setUpAndSignIn(supervisor.page, supervisorToken, `civsup${index}`, '审核负责人');
        await supervisor.page.goto('/staff/supervision');
        const ledger = supervisor.page.getByRole('table', { name: '差评整改台账' });
        await ledger.getByRole('link', { name: number }).waitFor();
        await assertAccessible(supervisor.page, `supervision dashboard (${variant.name})`);
        await Promise.all([supervisor.page.waitForURL(/\/staff\/supervision\/ratings\/\d+$/), ledger.getByRole('link', { name: number }).click()]);
        await supervisor.page.getByText('待核实').first().waitFor();
        await assertAccessible(supervisor.page, `poor rating ledger entry (${variant.name})`);
        assert.deepEqual(supervisor.problems, []);
      } finally {
        await supervisor.context.close();
      }
    } finally {
      await context.close();
    }
  });
});
