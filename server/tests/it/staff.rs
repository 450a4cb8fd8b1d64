//! Staff through the real router on both databases: set-up with the one-time token and an
//! authenticator, sign-in that needs password and TOTP, role separation on the shared-data
//! staff pages, and the staff session timeout.

use crate::on_both_backends;
use crate::support::{body_text, same_origin_form_post, TestApp};
use app::accounts::server::totp;
use app::accounts::StaffRole;
use axum::body::Body;
use axum::http::{Request, Response};

const STAFF_PASSWORD: &str = "Gansu-River-Bridge-42";

pub(crate) struct Staff<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
    secret: Vec<u8>,
}

impl<'a> Staff<'a> {
    async fn send(&mut self, mut req: Request<Body>) -> Response<Body> {
        if let Some(c) = &self.cookie {
            req.headers_mut().insert("cookie", c.parse().expect("cookie"));
        }
        let res = self.app.send(req).await;
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            if text.contains("sid=") {
                self.cookie = Some(text.split(';').next().unwrap_or_default().to_owned());
            }
        }
        res
    }

    pub(crate) async fn get(&mut self, uri: &str) -> Response<Body> {
        self.send(Request::get(uri).body(Body::empty()).expect("request")).await
    }

    pub(crate) async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Response<Body> {
        self.send(same_origin_form_post(uri, &serde_urlencoded::to_string(form).expect("form"))).await
    }

    /// An upload form's post (see `accounts::multipart_post`).
    pub(crate) async fn post_files(&mut self, uri: &str, files: &[(&str, &str, &[u8])]) -> Response<Body> {
        self.send(crate::accounts::multipart_post(uri, files)).await
    }

    fn code(&self) -> String {
        totp::code_at(&self.secret, self.app.clock.now())
    }
}

/// An administrator created from the command line's function, set up through the pages.
pub(crate) async fn set_up<'a>(app: &'a TestApp, username: &str, role: StaffRole) -> Staff<'a> {
    let token = app::accounts::server::create_admin(&app.db, username, "测试管理员", role).await.expect("admin").token;
    set_up_with_token(app, &token).await
}

/// Completes set-up with a one-time token: password and authenticator.
pub(crate) async fn set_up_with_token<'a>(app: &'a TestApp, token: &str) -> Staff<'a> {
    let token = token.to_owned();
    let mut staff = Staff { app, cookie: None, secret: Vec::new() };
    let page = body_text(staff.get(&format!("/staff/setup?token={token}")).await).await;
    let secret =
        page.split("name=\"secret\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("secret on page");
    staff.secret = totp::from_base32(secret).expect("base32");
    assert!(page.contains("<svg"), "the QR code is drawn");
    let code = staff.code();
    let res = staff
        .post("/staff/setup", &[("token", &token), ("secret", secret), ("password", STAFF_PASSWORD), ("code", &code)])
        .await;
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/staff/login?done=setup"));
    // The token worked once.
    let again = staff
        .post("/staff/setup", &[("token", &token), ("secret", secret), ("password", STAFF_PASSWORD), ("code", &code)])
        .await;
    assert_eq!(again.status(), 400);
    staff
}

pub(crate) async fn sign_in(staff: &mut Staff<'_>, username: &str) -> Response<Body> {
    // A code already used at set-up cannot be replayed: move to the next time step.
    staff.app.clock.advance(30);
    let code = staff.code();
    staff.post("/staff/login", &[("username", username), ("password", STAFF_PASSWORD), ("code", &code)]).await
}

on_both_backends!(staff_sign_in_needs_password_and_a_fresh_authenticator_code, |app| {
    let mut staff = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    let missing =
        staff.post("/staff/login", &[("username", "auditor"), ("password", STAFF_PASSWORD), ("code", "")]).await;
    assert_eq!(missing.status(), 400);
    let wrong =
        staff.post("/staff/login", &[("username", "auditor"), ("password", STAFF_PASSWORD), ("code", "000000")]).await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(staff.get("/staff").await.status(), 401, "no session without the second factor");
    staff.app.clock.advance(30);
    let code = staff.code();
    let res =
        staff.post("/staff/login", &[("username", "auditor"), ("password", STAFF_PASSWORD), ("code", &code)]).await;
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/staff"));
    let home = body_text(staff.get("/staff").await).await;
    assert!(home.contains("审计管理员") && home.contains("/staff/data-calls"));
    // Replaying the code just used is refused, even by someone with the password. (The same
    // string, not a fresh computation: real seconds pass and may reach the next time step.)
    let mut other = Staff { app: &app, cookie: None, secret: staff.secret.clone() };
    let replay =
        other.post("/staff/login", &[("username", "auditor"), ("password", STAFF_PASSWORD), ("code", &code)]).await;
    assert_eq!(replay.status(), 401);
});

on_both_backends!(set_up_refuses_weak_passwords_and_wrong_codes_keeping_the_enrolment, |app| {
    let token = app::accounts::server::create_admin(&app.db, "secadmin", "安全管理员", StaffRole::SecurityAdmin)
        .await
        .expect("admin")
        .token;
    let mut staff = Staff { app: &app, cookie: None, secret: Vec::new() };
    let page = body_text(staff.get(&format!("/staff/setup?token={token}")).await).await;
    let secret =
        page.split("name=\"secret\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("secret").to_owned();
    let res = staff
        .post("/staff/setup", &[("token", &token), ("secret", &secret), ("password", "short"), ("code", "123")])
        .await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("工作人员密码至少 12 位") && html.contains("验证码不正确"));
    assert!(html.contains(&format!("name=\"secret\" value=\"{secret}\"")), "the same authenticator secret is kept");
    let invalid = staff.get("/staff/setup?token=nonsense").await;
    assert_eq!(invalid.status(), 404);
    assert!(body_text(invalid).await.contains("设置链接无效"));
});

on_both_backends!(shared_data_staff_pages_follow_roles, |app| {
    // Anonymous: 401 on the page and the endpoint.
    assert_eq!(app.get("/staff/catalogue").await.status(), 401);
    assert_eq!(app.get("/api/staff/catalogue").await.status(), 401);
    assert_eq!(app.get("/api/staff/data-calls").await.status(), 401);

    let mut admin = set_up(&app, "sysadmin", StaffRole::SystemAdmin).await;
    sign_in(&mut admin, "sysadmin").await;
    let catalogue = body_text(admin.get("/staff/catalogue").await).await;
    for expected in ["RK-0001", "RK-0002", "不予共享", "accounts.real_name", "applications.prefill", "您的同意"]
    {
        assert!(catalogue.contains(expected), "{expected} on the staff catalogue");
    }
    // 三员分立: a system administrator cannot read the call statistics.
    assert_eq!(admin.get("/staff/data-calls").await.status(), 403);
    assert_eq!(admin.get("/api/staff/data-calls").await.status(), 403);

    let caller = app::sharing::server::Caller::public("statistics.public");
    app.shared.indicators(&caller, &["gdp".into()]).await.expect("a call to count");
    let mut auditor = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    sign_in(&mut auditor, "auditor").await;
    let res = auditor.get("/staff/data-calls").await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(html.contains("宏观经济主要指标") && html.contains("statistics.public"));
    assert!(html.contains("role=\"img\"") && html.contains("class=\"chart__bar\""));
});

on_both_backends!(staff_sessions_end_after_15_idle_minutes, |app| {
    let mut staff = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    sign_in(&mut staff, "auditor").await;
    app.clock.advance(14 * 60);
    assert_eq!(staff.get("/staff").await.status(), 200);
    app.clock.advance(16 * 60);
    assert_eq!(staff.get("/staff").await.status(), 401);
});

on_both_backends!(only_security_administrators_create_and_disable_staff, |app| {
    let mut sysadmin = set_up(&app, "sysadmin", StaffRole::SystemAdmin).await;
    sign_in(&mut sysadmin, "sysadmin").await;
    assert_eq!(sysadmin.get("/staff/accounts").await.status(), 403, "三员分立: system administrators grant no roles");
    let refused = sysadmin
        .post(
            "/staff/accounts",
            &[("username", "clerk1"), ("display_name", "王窗口"), ("role", "security_admin"), ("department", "")],
        )
        .await;
    assert_eq!(refused.status(), 403);

    let mut secadmin = set_up(&app, "secadmin", StaffRole::SecurityAdmin).await;
    sign_in(&mut secadmin, "secadmin").await;
    assert_eq!(secadmin.get("/staff/accounts").await.status(), 200);
    let missing = secadmin
        .post(
            "/staff/accounts",
            &[("username", "clerk1"), ("display_name", "王窗口"), ("role", "window_clerk"), ("department", "")],
        )
        .await;
    assert_eq!(missing.status(), 400);
    assert!(body_text(missing).await.contains("必须选择所属部门"));
    let res = secadmin
        .post(
            "/staff/accounts",
            &[
                ("username", "clerk1"),
                ("display_name", "王窗口"),
                ("role", "window_clerk"),
                ("department", "public-security"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    let token =
        html.split("/staff/setup?token=").nth(1).map(|r| r[..64].to_owned()).expect("the one-time link is shown");

    let mut clerk = set_up_with_token(&app, &token).await;
    sign_in(&mut clerk, "clerk1").await;
    let home = body_text(clerk.get("/staff").await).await;
    assert!(home.contains("窗口受理人员"));
    let listing = body_text(secadmin.get("/staff/accounts").await).await;
    assert!(listing.contains("clerk1") && listing.contains("市公安局"));
    let id: i64 = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE username = 'clerk1'")
        .fetch_one(app.db.pool())
        .await
        .expect("clerk");
    app.clock.advance(2);
    let res = secadmin.post("/staff/accounts/disable", &[("staff_id", &id.to_string())]).await;
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/staff/accounts?done=staff_disabled")
    );
    assert_eq!(clerk.get("/staff").await.status(), 401, "a disabled account's sessions end at once");

    // A supervisor's work email, where the daily digest goes: checked, kept when refused, stored.
    let supervisor = |email: &'static str| {
        [
            ("username", "super1"),
            ("display_name", "李科长"),
            ("email", email),
            ("role", "supervisor"),
            ("department", "civil-affairs"),
        ]
    };
    let bad = secadmin.post("/staff/accounts", &supervisor("li at example")).await;
    assert_eq!(bad.status(), 400);
    let html = body_text(bad).await;
    assert!(html.contains("请输入正确的电子邮箱") && html.contains("value=\"li at example\""));
    let res = secadmin.post("/staff/accounts", &supervisor("Li.Kezhang@Example.cn")).await;
    assert_eq!(res.status(), 200);
    let stored: Option<String> = sqlx::query_scalar("SELECT email FROM staff_accounts WHERE username = 'super1'")
        .fetch_one(app.db.pool())
        .await
        .expect("supervisor");
    assert_eq!(stored.as_deref(), Some("li.kezhang@example.cn"));
});

fn location(res: &Response<Body>) -> Option<&str> {
    res.headers().get("location").and_then(|v| v.to_str().ok())
}

on_both_backends!(staff_passwords_expire_after_90_days_and_recent_ones_cannot_return, |app| {
    let mut staff = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    sign_in(&mut staff, "auditor").await;
    let page = body_text(staff.get("/staff/password").await).await;
    assert!(page.contains("name=\"current_password\""), "a voluntary change asks for the current password");
    let wrong = staff
        .post(
            "/staff/password",
            &[("current_password", "Not-The-Password-1"), ("new_password", "Yellow-River-Lamp-77")],
        )
        .await;
    assert_eq!(wrong.status(), 403);

    app.clock.advance(91 * 86400);
    let res = sign_in(&mut staff, "auditor").await;
    assert_eq!(location(&res), Some("/staff/password"), "an expired password must be changed first");
    assert_eq!(staff.get("/staff").await.status(), 401, "nothing else opens meanwhile");
    assert_eq!(staff.get("/api/staff/data-calls").await.status(), 401);
    let page = body_text(staff.get("/staff/password").await).await;
    assert!(page.contains("超过 90 天") && !page.contains("name=\"current_password\""));
    let reused = staff.post("/staff/password", &[("new_password", STAFF_PASSWORD)]).await;
    assert_eq!(reused.status(), 400);
    assert!(body_text(reused).await.contains("最近 5 次"));
    let weak = staff.post("/staff/password", &[("new_password", "short")]).await;
    assert_eq!(weak.status(), 400);
    let res = staff.post("/staff/password", &[("new_password", "Yellow-River-Lamp-77")]).await;
    assert_eq!(location(&res), Some("/staff?done=password_changed"));
    assert_eq!(staff.get("/staff").await.status(), 200);
    let history: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_password_history")
        .fetch_one(app.db.pool())
        .await
        .expect("history");
    assert_eq!(history, 2);
});

on_both_backends!(staff_accounts_unused_for_90_days_are_disabled, |app| {
    let mut active = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    let mut idle = set_up(&app, "secadmin", StaffRole::SecurityAdmin).await;
    sign_in(&mut active, "auditor").await;
    sign_in(&mut idle, "secadmin").await;
    app::accounts::server::create_admin(&app.db, "sysadmin", "未设置", StaffRole::SystemAdmin).await.expect("admin");
    app.clock.advance(60 * 86400);
    sign_in(&mut active, "auditor").await;
    assert!(app::accounts::server::staff::disable_unused_as_of(&app.db, app.clock.now())
        .await
        .expect("job")
        .is_empty());
    app.clock.advance(31 * 86400);
    let disabled = app::accounts::server::staff::disable_unused_as_of(&app.db, app.clock.now()).await.expect("job");
    let names: Vec<String> =
        sqlx::query_scalar("SELECT username FROM staff_accounts WHERE status = 'disabled' ORDER BY username")
            .fetch_all(app.db.pool())
            .await
            .expect("names");
    assert_eq!(disabled.len(), 2);
    assert_eq!(names, vec!["secadmin".to_owned(), "sysadmin".to_owned()], "unused 91 days; never set up");
    assert_eq!(sign_in(&mut idle, "secadmin").await.status(), 401);
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_events WHERE event = 'disabled_unused'")
        .fetch_one(app.db.pool())
        .await
        .expect("events");
    assert_eq!(logged, 2);
    let res = sign_in(&mut active, "auditor").await;
    assert_eq!(location(&res), Some("/staff/password"), "used 31 days ago: active (its password is due)");
});

on_both_backends!(supervisors_oversee_a_department_or_the_city_and_the_security_log_is_for_auditors, |app| {
    let mut secadmin = set_up(&app, "secadmin", StaffRole::SecurityAdmin).await;
    sign_in(&mut secadmin, "secadmin").await;
    let unknown = secadmin
        .post(
            "/staff/accounts",
            &[("username", "clerk2"), ("display_name", "赵窗口"), ("role", "window_clerk"), ("department", "no-such")],
        )
        .await;
    assert_eq!(unknown.status(), 400);
    assert!(body_text(unknown).await.contains("没有这个部门"));
    let res = secadmin
        .post(
            "/staff/accounts",
            &[("username", "chief"), ("display_name", "钱主任"), ("role", "supervisor"), ("department", "")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    let token = html.split("/staff/setup?token=").nth(1).map(|r| r[..64].to_owned()).expect("link");
    let mut chief = set_up_with_token(&app, &token).await;
    sign_in(&mut chief, "chief").await;
    let home = body_text(chief.get("/staff").await).await;
    assert!(home.contains("审核负责人") && home.contains("全市"));
    assert!(body_text(secadmin.get("/staff/accounts").await).await.contains("全市"));

    // Wrong codes and sign-ins are in the log; only the audit administrator reads it.
    chief.post("/staff/login", &[("username", "chief"), ("password", STAFF_PASSWORD), ("code", "000000")]).await;
    assert_eq!(secadmin.get("/staff/security-log").await.status(), 403);
    assert_eq!(chief.get("/api/staff/security-log").await.status(), 403);
    let mut auditor = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    sign_in(&mut auditor, "auditor").await;
    let res = auditor.get("/staff/security-log").await;
    assert_eq!(res.status(), 200);
    let log = body_text(res).await;
    for expected in ["创建账号", "supervisor city", "账号设置", "wrong_code", "登录"] {
        assert!(log.contains(expected), "{expected} in the security log");
    }
    let export = auditor.get("/api/staff/security-log/export").await;
    assert_eq!(export.status(), 200);
    assert!(export
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("attachment")));
    let rows: serde_json::Value = serde_json::from_str(&body_text(export).await).expect("json");
    assert!(rows
        .as_array()
        .is_some_and(|r| r.iter().any(|e| e["event"] == "account_created" && e["detail"] == "supervisor city")));
    assert_eq!(secadmin.get("/api/staff/security-log/export").await.status(), 403);
    assert!(
        body_text(auditor.get("/staff/security-log").await).await.contains("导出安全日志"),
        "the export is logged too"
    );
    // Nobody changes the log, not even with the database's own rights.
    assert!(sqlx::query("UPDATE staff_events SET success = 1").execute(app.db.pool()).await.is_err());
    assert!(sqlx::query("DELETE FROM staff_events").execute(app.db.pool()).await.is_err());
});

on_both_backends!(a_staff_member_has_one_session_at_a_time, |app| {
    let mut first = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    sign_in(&mut first, "auditor").await;
    assert_eq!(first.get("/staff").await.status(), 200);
    let mut second = Staff { app: &app, cookie: None, secret: first.secret.clone() };
    sign_in(&mut second, "auditor").await;
    assert_eq!(second.get("/staff").await.status(), 200);
    assert_eq!(first.get("/staff").await.status(), 401, "signing in elsewhere ends the earlier session");
});

on_both_backends!(every_staff_sign_in_path_costs_one_password_check_whatever_the_account, |app| {
    let mut active = set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    let mut locked = set_up(&app, "locked", StaffRole::SecurityAdmin).await;
    let mut disabled = set_up(&app, "disabled", StaffRole::SystemAdmin).await;
    // Created, never set up: no password at all.
    app::accounts::server::create_admin(&app.db, "pending", "测试管理员", StaffRole::SystemAdmin).await.expect("admin");
    let now = app.clock.now();
    sqlx::query("UPDATE staff_accounts SET locked_until = $1 WHERE username = 'locked'")
        .bind(now + 3600)
        .execute(app.db.pool())
        .await
        .expect("lock");
    sqlx::query("UPDATE staff_accounts SET status = 'disabled' WHERE username = 'disabled'")
        .execute(app.db.pool())
        .await
        .expect("disable");
    app.clock.advance(30);
    let mut nobody = Staff { app: &app, cookie: None, secret: active.secret.clone() };
    let cases: [(&str, &mut Staff<'_>, &str, &str, bool, u16); 8] = [
        ("unknown", &mut nobody, "nobody", STAFF_PASSWORD, true, 401),
        (
            "pending set-up",
            &mut Staff { app: &app, cookie: None, secret: Vec::new() },
            "pending",
            STAFF_PASSWORD,
            false,
            401,
        ),
        (
            "known, wrong password",
            &mut Staff { app: &app, cookie: None, secret: active.secret.clone() },
            "auditor",
            "Wrong-Password-123",
            true,
            401,
        ),
        (
            "known, wrong code",
            &mut Staff { app: &app, cookie: None, secret: Vec::new() },
            "auditor",
            STAFF_PASSWORD,
            false,
            401,
        ),
        ("locked, right password and code", &mut locked, "locked", STAFF_PASSWORD, true, 401),
        (
            "locked, wrong password",
            &mut Staff { app: &app, cookie: None, secret: Vec::new() },
            "locked",
            "Wrong-Password-123",
            false,
            401,
        ),
        ("disabled, right password and code", &mut disabled, "disabled", STAFF_PASSWORD, true, 401),
        ("known, right password and code", &mut active, "auditor", STAFF_PASSWORD, true, 303),
    ];
    for (case, staff, username, password, real_code, status) in cases {
        let code = if real_code { staff.code() } else { "000000".to_owned() };
        let before = app.credentials.argon2_runs();
        let res = staff.post("/staff/login", &[("username", username), ("password", password), ("code", &code)]).await;
        assert_eq!(res.status().as_u16(), status, "{case}");
        assert_eq!(app.credentials.argon2_runs() - before, 1, "{case}: one argon2 computation");
    }
    let before = app.credentials.argon2_runs();
    let res = active
        .post(
            "/staff/password",
            &[("current_password", "Wrong-Password-123"), ("new_password", "Another-River-Bridge-43")],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.credentials.argon2_runs() - before, 1, "a wrong current password: one computation");
});
