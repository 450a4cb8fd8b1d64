//! Citizen accounts through the real router on both databases: registration, confirmation
//! mail, sign-in and lockout, session cookies and timeouts, real-name verification against the
//! population register, and the "use of my data" page.

use crate::on_both_backends;
use crate::registers::ZHANG_WEI;
use crate::support::{body_text, header_account_link, same_origin_form_post, test_config, test_subject_key, TestApp};
use axum::body::Body;
use axum::http::{Request, Response};

pub(crate) const PASSWORD: &str = "river-bridge-sunset-1936";

/// A browser: one session cookie, carried between requests.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Browser { app, cookie: None }
    }

    fn keep_cookie(&mut self, res: &Response<Body>) {
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            if text.contains("sid=") {
                let pair = text.split(';').next().unwrap_or_default().to_owned();
                // A removal (Max-Age=0) clears it.
                self.cookie = (!text.contains("Max-Age=0")).then_some(pair);
            }
        }
    }

    pub(crate) async fn get(&mut self, uri: &str) -> Response<Body> {
        self.get_with(uri, &[]).await
    }

    pub(crate) async fn get_with(&mut self, uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
        let mut req = Request::get(uri);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = self.app.send(req.body(Body::empty()).expect("request")).await;
        self.keep_cookie(&res);
        res
    }

    pub(crate) async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Response<Body> {
        let body = serde_urlencoded::to_string(form).expect("form");
        let mut req = same_origin_form_post(uri, &body);
        if let Some(c) = &self.cookie {
            req.headers_mut().insert("cookie", c.parse().expect("cookie"));
        }
        let res = self.app.send(req).await;
        self.keep_cookie(&res);
        res
    }

    /// Calls a server function as the browser build does: the encoded arguments, and an answer
    /// wanted as JSON (a plain form post would be redirected back instead).
    pub(crate) async fn post_raw(&mut self, uri: &str, body: &str) -> Response<Body> {
        let mut req = same_origin_form_post(uri, body);
        req.headers_mut().insert("accept", "application/json".parse().expect("accept"));
        if let Some(c) = &self.cookie {
            req.headers_mut().insert("cookie", c.parse().expect("cookie"));
        }
        let res = self.app.send(req).await;
        self.keep_cookie(&res);
        res
    }

    /// Posts a `multipart/form-data` form with files, as a browser's upload form does: `files`
    /// are (field, file name, bytes).
    pub(crate) async fn post_files(&mut self, uri: &str, files: &[(&str, &str, &[u8])]) -> Response<Body> {
        let mut req = multipart_post(uri, files);
        if let Some(c) = &self.cookie {
            req.headers_mut().insert("cookie", c.parse().expect("cookie"));
        }
        let res = self.app.send(req).await;
        self.keep_cookie(&res);
        res
    }

    pub(crate) async fn register(&mut self, name: &str, id: &str, email: &str) -> Response<Body> {
        self.register_with_phone(name, id, email, "").await
    }

    /// Registers, then signs in with the new account (registering itself does not sign in);
    /// returns the registration's answer.
    async fn register_with_phone(&mut self, name: &str, id: &str, email: &str, phone: &str) -> Response<Body> {
        let res = self.post_registration(name, id, email, phone).await;
        self.post("/login", &[("identifier", email), ("password", PASSWORD)]).await;
        res
    }

    async fn post_registration(&mut self, name: &str, id: &str, email: &str, phone: &str) -> Response<Body> {
        self.post(
            "/register",
            &[("name", name), ("id_number", id), ("email", email), ("phone", phone), ("password", PASSWORD)],
        )
        .await
    }
}

/// A `multipart/form-data` post from our own origin, as a browser's upload form sends it:
/// `files` are (field, file name, bytes).
pub(crate) fn multipart_post(uri: &str, files: &[(&str, &str, &[u8])]) -> Request<Body> {
    let boundary = "----onestop-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (field, name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n").as_bytes(),
        );
        body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("content-length", body.len())
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("origin", crate::support::ORIGIN)
        .body(Body::from(body))
        .expect("request")
}

/// 张伟's registration form, encoded as a browser posts it.
fn zhang_wei_registration() -> String {
    let form = [("name", "张伟"), ("id_number", ZHANG_WEI), ("email", "zhang.wei@example.cn"), ("password", PASSWORD)];
    serde_urlencoded::to_string(form).expect("form")
}

/// Whether a response sets a session cookie.
fn sets_session(res: &Response<Body>) -> bool {
    res.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap_or_default().contains("sid="))
}

/// Bodies of the mail queued for `email`, oldest first.
async fn mails_to(app: &TestApp, email: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT body FROM mail_outbox WHERE recipient = $1 ORDER BY id")
        .bind(email)
        .fetch_all(app.db.pool())
        .await
        .expect("mail")
}

async fn citizen_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM citizens").fetch_one(app.db.pool()).await.expect("count")
}

fn location(res: &Response<Body>) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The confirmation link's token from the newest queued mail to `email`.
async fn mailed_token(app: &TestApp, email: &str) -> String {
    let body: String = sqlx::query_scalar("SELECT body FROM mail_outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .expect("a queued mail");
    let start = body.find("token=").expect("link in mail") + "token=".len();
    body[start..start + 64].to_owned()
}

on_both_backends!(registration_queues_a_confirmation_mail_and_stores_no_plain_id, |app| {
    let mut b = Browser::new(&app);
    let res = b.post_registration("张伟", ZHANG_WEI, "zhang.wei@example.cn", "138 1234 5678").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/register?done=check_mail");
    assert!(!sets_session(&res), "registering does not sign in");
    let page = body_text(b.get("/register?done=check_mail").await).await;
    assert!(page.contains("请查收邮件") && !page.contains("action=\"/register\""), "the page says what is next");
    assert_eq!(mailed_token(&app, "zhang.wei@example.cn").await.len(), 64);
    let res = b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/account");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .find(|c| c.contains("sid="));
    let cookie = cookie.expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let html = body_text(b.get("/account").await).await;
    assert!(html.contains("620102********8172"), "masked ID");
    let details = body_text(b.get("/account/profile").await).await;
    assert!(details.contains("620102********8172") && details.contains("138****5678"), "masked ID and phone");
    for page in [&html, &details] {
        assert!(!page.contains(ZHANG_WEI) && !page.contains("13812345678"));
    }
    // The ID number is stored only sealed, referenced and masked.
    let row: (String, String, String) =
        sqlx::query_as("SELECT id_number_sealed, id_number_ref, id_number_masked FROM citizens")
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert!(!row.0.contains("19880312") && !row.1.contains("19880312"));
    assert_eq!(row.1, test_subject_key().person(&app::identifiers::ResidentId::parse(ZHANG_WEI).expect("id")));
    assert_eq!(row.2, "620102********8172");
});

on_both_backends!(registration_never_tells_whether_an_email_phone_or_id_number_has_an_account, |app| {
    let first = Browser::new(&app).post_registration("张伟", ZHANG_WEI, "zhang.wei@example.cn", "13812345678").await;
    let fresh = (first.status(), location(&first), sets_session(&first), body_text(first).await);
    assert_eq!(mails_to(&app, "zhang.wei@example.cn").await.len(), 1, "the confirmation mail");
    let wang = crate::registers::WANG_JIANGUO;
    let li_na = crate::registers::LI_NA;
    // The same email address (any case), the same ID number, the same phone number: each
    // answered exactly like a new registration, with one password hash, and no new account.
    let attempts: [(&str, &str, &str, &str, &str); 3] = [
        ("王建国", wang, "ZHANG.WEI@example.cn", "", "电子邮箱"),
        ("张伟", ZHANG_WEI, "someone.else@example.cn", "", "身份证号码"),
        ("李娜", li_na, "li.na@example.cn", "138 1234 5678", "手机号码"),
    ];
    for (name, id, email, phone, what) in attempts {
        let before = app.credentials.argon2_runs();
        let res = Browser::new(&app).post_registration(name, id, email, phone).await;
        assert_eq!(app.credentials.argon2_runs(), before + 1, "{what}: the same hashing work");
        let answer = (res.status(), location(&res), sets_session(&res), body_text(res).await);
        assert_eq!(answer, fresh, "{what}: the same answer as a new registration");
        assert_eq!(citizen_count(&app).await, 1, "{what}: no second account");
        let notice = mails_to(&app, "zhang.wei@example.cn").await.pop().expect("a notice to the owner");
        assert!(notice.contains("有人（可能是您本人）刚刚尝试用您的") && notice.contains(what), "{what}: {notice}");
        assert!(notice.contains("http://127.0.0.1:3000/login"), "a sign-in link");
        assert!(notice.contains("http://127.0.0.1:3000/password-reset"), "a reset link");
        assert!(!notice.contains(id) && !notice.contains(email), "the notice repeats nothing typed");
    }
    assert_eq!(mails_to(&app, "zhang.wei@example.cn").await.len(), 4, "the confirmation and three notices");
    assert!(mails_to(&app, "someone.else@example.cn").await.is_empty(), "nothing to whoever typed the ID number");
    assert!(mails_to(&app, "li.na@example.cn").await.is_empty());
    // The notice is real mail: the outbox delivers it like any other.
    let folder = std::env::temp_dir().join(format!("onestop-register-notice-{:016x}", rand::random::<u64>()));
    let mailer =
        app::platform::mail::Mailer::folder(folder.clone(), "OneStop <noreply@onestop.example>").expect("mailer");
    let delivered = app::platform::mail::deliver_due(&app.db, &mailer, app.clock.now()).await.expect("deliver");
    assert_eq!(delivered, 4);
    let files: Vec<String> = std::fs::read_dir(&folder)
        .expect("mail folder")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    assert!(files.iter().filter(|m| m.contains("To: zhang.wei@example.cn")).count() == 4);
    let _ = std::fs::remove_dir_all(&folder);
});

on_both_backends!(one_address_gets_ten_registrations_an_hour, |app| {
    use axum::extract::ConnectInfo;
    let from = |ip: &str| ConnectInfo(std::net::SocketAddr::new(ip.parse().expect("ip"), 40000));
    // Documentation addresses of their own: the counter is per process.
    let address = if app.db.backend() == app::platform::Backend::Sqlite { "198.51.100.30" } else { "198.51.100.31" };
    let post = |ip: &str, body: &str| {
        let mut req = same_origin_form_post("/register", body);
        req.extensions_mut().insert(from(ip));
        req
    };
    for i in 0..10 {
        let body = format!("name=%E5%BC%A0%E4%BC%9F&id_number=&email=person{i}%40example.cn&password=");
        assert_eq!(app.send(post(address, &body)).await.status(), 400, "attempt {i} is counted, then judged");
    }
    let body = zhang_wei_registration();
    let res = app.send(post(address, &body)).await;
    assert_eq!(res.status(), 429);
    let html = body_text(res).await;
    assert!(html.contains("注册过多，请 1 小时后再试"), "a clear message");
    assert!(html.contains("value=\"zhang.wei@example.cn\""), "what was typed is kept");
    assert_eq!(citizen_count(&app).await, 0, "nothing happened");
    let other = if app.db.backend() == app::platform::Backend::Sqlite { "203.0.113.30" } else { "203.0.113.31" };
    let res = app.send(post(other, &body)).await;
    assert_eq!(location(&res), "/register?done=check_mail", "another address is not affected");
});

on_both_backends!(bad_registrations_keep_what_was_typed_except_the_password, |app| {
    let mut b = Browser::new(&app);
    let bad_id = format!("{}0", &ZHANG_WEI[..17]);
    let res = b
        .post(
            "/register",
            &[
                ("name", "张伟"),
                ("id_number", &bad_id),
                ("email", "zhang.wei@"),
                ("phone", ""),
                ("password", "12345678"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("身份证号码校验位不正确"));
    assert!(html.contains("请输入正确的电子邮箱"));
    assert!(html.contains("这个密码太常见"));
    assert!(html.contains(&format!("value=\"{bad_id}\"")), "typed ID kept");
    assert!(html.contains("value=\"zhang.wei@\""), "typed email kept");
    assert!(!html.contains("value=\"12345678\""), "the password is never sent back");
    assert!(html.contains("error-summary"));
});

on_both_backends!(the_confirmation_link_works_once, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let token = mailed_token(&app, "zhang.wei@example.cn").await;
    let page = body_text(b.get(&format!("/account/verify-email?token={token}")).await).await;
    assert!(page.contains(&format!("value=\"{token}\"")), "the page asks before confirming");
    let res = b.post("/account/verify-email", &[("token", &token)]).await;
    assert_eq!(location(&res), "/account?done=email_verified");
    let again = b.post("/account/verify-email", &[("token", &token)]).await;
    assert_eq!(again.status(), 400);
    assert!(body_text(again).await.contains("链接无效或已过期"));
    // Opened in a browser that is not signed in (the usual case): on to signing in.
    let mut fresh = Browser::new(&app);
    fresh.post_registration("王建国", crate::registers::WANG_JIANGUO, "wang@example.cn", "").await;
    let token = mailed_token(&app, "wang@example.cn").await;
    let res = fresh.post("/account/verify-email", &[("token", &token)]).await;
    assert_eq!(location(&res), "/login?done=email_verified");
    assert!(body_text(fresh.get("/login?done=email_verified").await).await.contains("电子邮箱已确认"));
});

on_both_backends!(sign_in_rotates_the_session_and_sign_out_ends_it, |app| {
    let mut b = Browser::new(&app);
    b.register_with_phone("张伟", ZHANG_WEI, "zhang.wei@example.cn", "13812345678").await;
    let registered_cookie = b.cookie.clone().expect("cookie");
    let res = b.post("/logout", &[]).await;
    assert_eq!(location(&res), "/?done=signed_out");
    // The old cookie no longer signs anyone in.
    let mut replay = Browser { app: &app, cookie: Some(registered_cookie.clone()) };
    assert_eq!(replay.get("/account").await.status(), 401);
    let res = b
        .post("/login?next=/account/data-access", &[("identifier", "Zhang.Wei@example.cn"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/account/data-access");
    assert_ne!(b.cookie.as_deref(), Some(registered_cookie.as_str()), "a new session id at sign-in");
    assert_eq!(b.get("/account").await.status(), 200);
    let by_phone = Browser::new(&app).post("/login", &[("identifier", "13812345678"), ("password", PASSWORD)]).await;
    assert_eq!(by_phone.status(), 303, "phone numbers sign in too");
    let elsewhere = Browser::new(&app)
        .post("/login?next=https://evil.example/", &[("identifier", "13812345678"), ("password", PASSWORD)])
        .await;
    assert_eq!(location(&elsewhere), "/account", "never redirected off-site");
    // A tab or a line break that browsers drop (`/\t/evil.example` reads as `//evil.example`),
    // typed or encoded twice: the safe default, never another site and never a 500.
    for next in ["%2F%09%2Fevil.example", "%2F%0D%0A%2Fevil.example", "%2F%2509%2Fevil.example", "%2F%5Cevil.example"] {
        let res = Browser::new(&app)
            .post(&format!("/login?next={next}"), &[("identifier", "13812345678"), ("password", PASSWORD)])
            .await;
        // Control characters stop at the input boundary: the sign-in page again (400), no redirect.
        if next.contains("%09") || next.contains("%0D") {
            assert_eq!(res.status(), 400, "{next}");
            assert!(res.headers().get("location").is_none(), "{next}");
        } else {
            assert_eq!(res.status(), 303, "{next}");
            assert_eq!(location(&res), "/account", "{next}");
        }
    }
});

on_both_backends!(wrong_passwords_say_the_same_for_every_account_and_lock_after_five, |app| {
    Browser::new(&app).register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let attempt = |identifier: &'static str, password: &'static str| {
        let app = &app;
        async move { Browser::new(app).post("/login", &[("identifier", identifier), ("password", password)]).await }
    };
    let unknown = attempt("nobody@example.cn", "wrong-password-1").await;
    let known = attempt("zhang.wei@example.cn", "wrong-password-1").await;
    assert_eq!((unknown.status().as_u16(), known.status().as_u16()), (401, 401));
    let (unknown, known) = (body_text(unknown).await, body_text(known).await);
    assert!(known.contains("账号或密码不正确"));
    // The pages differ only in the typed identifier and the per-response CSP nonce.
    let strip = |html: &str| {
        let nonce = html.split("nonce=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
        html.replace(nonce, "N").replace("nobody@example.cn", "X").replace("zhang.wei@example.cn", "X")
    };
    assert!(strip(&unknown) == strip(&known), "no difference between unknown and known accounts");
    for _ in 0..4 {
        attempt("zhang.wei@example.cn", "wrong-password-2").await;
    }
    let locked = attempt("zhang.wei@example.cn", PASSWORD).await;
    assert_eq!(locked.status(), 401, "the right password is refused while locked");
    let events: Vec<String> = sqlx::query_scalar("SELECT event FROM account_events WHERE event = 'account_locked'")
        .fetch_all(app.db.pool())
        .await
        .expect("events");
    assert_eq!(events.len(), 1);
    app.clock.advance(16 * 60);
    sqlx::query("UPDATE citizens SET locked_until = locked_until - 960")
        .execute(app.db.pool())
        .await
        .expect("age lock");
    assert_eq!(attempt("zhang.wei@example.cn", PASSWORD).await.status(), 303, "unlocked after 15 minutes");
});

on_both_backends!(sessions_end_after_30_idle_minutes_and_after_12_hours, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    for _ in 0..3 {
        app.clock.advance(29 * 60);
        assert_eq!(b.get("/account").await.status(), 200, "activity within 30 minutes keeps the session");
    }
    app.clock.advance(31 * 60);
    let res = b.get("/account").await;
    assert_eq!(res.status(), 401);
    assert!(body_text(res).await.contains("请先登录"));

    b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    for _ in 0..24 {
        app.clock.advance(29 * 60);
        assert_eq!(b.get("/account").await.status(), 200, "11 h 36 min of steady activity");
    }
    app.clock.advance(29 * 60);
    assert_eq!(b.get("/account").await.status(), 401, "12 hours after sign-in, however active");
});

on_both_backends!(a_page_updating_itself_does_not_keep_an_idle_session_open, |app| {
    let (stop, _) = crate::bus::install_demo_buses(&app);
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let background = [(app::ui::live_update::BACKGROUND_HEADER, "1")];
    // Half an hour of the stop page updating itself every few minutes, nobody at the keyboard.
    for _ in 0..10 {
        app.clock.advance(3 * 60);
        assert_eq!(b.get_with(&format!("/bus/stops/{stop}"), &background).await.status(), 200);
    }
    app.clock.advance(60);
    assert_eq!(b.get("/account").await.status(), 401, "31 idle minutes end the session");

    // The same requests made by the citizen are activity.
    b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    for _ in 0..10 {
        app.clock.advance(3 * 60);
        assert_eq!(b.get(&format!("/bus/stops/{stop}")).await.status(), 200);
    }
    app.clock.advance(60);
    assert_eq!(b.get("/account").await.status(), 200, "the citizen was active a minute ago");
});

on_both_backends!(real_name_verification_checks_the_register_and_shows_in_use_of_my_data, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let res = b.post("/account/real-name", &[]).await;
    assert_eq!(location(&res), "/account?done=real_name_verified");
    assert!(body_text(b.get("/account").await).await.contains("已通过实名认证"));
    let html = body_text(b.get("/account/data-access").await).await;
    assert!(html.contains("人口基础信息") && html.contains("市公安局"));
    assert!(html.contains("实名认证：核验姓名与身份证号是否一致"));
    assert!(html.contains("履行法定职责") && html.contains("data-label=\"信息项\"") && html.contains(">姓名<"));

    // Someone registering another person's number with their own name is not verified.
    let mut m = Browser::new(&app);
    let wang = crate::registers::WANG_JIANGUO;
    m.register("王建", wang, "impostor@example.cn").await;
    let res = m.post("/account/real-name", &[]).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("不一致"));
    // Each person sees only their own records.
    let mine = body_text(m.get("/account/data-access").await).await;
    assert_eq!(mine.matches("<tr role=\"row\">").count(), 2, "header row and the one check of this account");
});

on_both_backends!(account_data_needs_a_signed_in_citizen, |app| {
    for uri in ["/api/account/me", "/api/account/data-access"] {
        assert_eq!(app.get(uri).await.status(), 401, "{uri}");
    }
    assert_eq!(app.get("/account/data-access").await.status(), 401);
});

#[tokio::test]
async fn over_https_the_session_cookie_is_host_only_and_secure() {
    let config = test_config(&[("ONESTOP_PUBLIC_ORIGIN", "https://zwfw.example.gov.cn")]);
    let app = TestApp::with_config(app::platform::Backend::Sqlite, config).await;
    let body = zhang_wei_registration();
    let req = crate::support::form_post(
        "/register",
        &body,
        &[("sec-fetch-site", "same-origin"), ("origin", "https://zwfw.example.gov.cn")],
    );
    assert_eq!(app.send(req).await.status(), 303);
    let body =
        serde_urlencoded::to_string([("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).expect("form");
    let req = crate::support::form_post(
        "/login",
        &body,
        &[("sec-fetch-site", "same-origin"), ("origin", "https://zwfw.example.gov.cn")],
    );
    let res = app.send(req).await;
    assert_eq!(res.status(), 303);
    let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("__Host-sid="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
}

/// The reset token from the newest reset mail to `email`.
async fn reset_token(app: &TestApp, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM mail_outbox WHERE recipient = $1 AND body LIKE '%password-reset/new%' ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(app.db.pool())
    .await
    .expect("a reset mail");
    let start = body.find("token=").expect("link") + "token=".len();
    body[start..start + 64].to_owned()
}

on_both_backends!(password_reset_says_the_same_for_everyone_works_once_and_expires, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let mails = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM mail_outbox WHERE body LIKE '%password-reset/new%'")
            .fetch_one(app.db.pool())
            .await
            .expect("count")
    };
    let unknown = Browser::new(&app).post("/password-reset", &[("email", "nobody@example.cn")]).await;
    let known = Browser::new(&app).post("/password-reset", &[("email", "zhang.wei@example.cn")]).await;
    assert_eq!(location(&unknown), "/password-reset?done=sent");
    assert_eq!(location(&known), location(&unknown), "the same answer for unknown and known addresses");
    assert_eq!(mails().await, 1, "only the real account gets a mail");

    // An expired link (30 minutes) does nothing.
    let stale = reset_token(&app, "zhang.wei@example.cn").await;
    app.clock.advance(31 * 60);
    let res = Browser::new(&app)
        .post("/password-reset/new", &[("token", &stale), ("password", "brand-new-river-song-77")])
        .await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("重置链接无效"));

    b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(b.get("/account").await.status(), 200);
    Browser::new(&app).post("/password-reset", &[("email", "zhang.wei@example.cn")]).await;
    let token = reset_token(&app, "zhang.wei@example.cn").await;
    app.clock.advance(5);
    let mut r = Browser::new(&app);
    let weak = r.post("/password-reset/new", &[("token", &token), ("password", "12345678")]).await;
    assert_eq!(weak.status(), 400, "a refused password does not use up the link");
    let done = r.post("/password-reset/new", &[("token", &token), ("password", "brand-new-river-song-77")]).await;
    assert_eq!(location(&done), "/login?done=password_reset");
    assert_eq!(b.get("/account").await.status(), 401, "every session ends with a new password");
    let again = r.post("/password-reset/new", &[("token", &token), ("password", "another-new-river-88")]).await;
    assert_eq!(again.status(), 400, "a link works once");
    let old =
        Browser::new(&app).post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), 401);
    let new = Browser::new(&app)
        .post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", "brand-new-river-song-77")])
        .await;
    assert_eq!(new.status(), 303);
});

on_both_backends!(a_citizen_session_opens_no_staff_page_or_endpoint, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    for uri in ["/api/staff/catalogue", "/api/staff/data-calls", "/api/staff/me", "/staff/catalogue", "/staff"] {
        assert_eq!(b.get(uri).await.status(), 403, "{uri}");
    }
});

on_both_backends!(changing_the_password_needs_the_current_one_and_ends_other_sessions, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let mut other = Browser::new(&app);
    other.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(other.get("/account").await.status(), 200);
    app.clock.advance(5);
    let wrong = b
        .post(
            "/account/password",
            &[("current_password", "not-it-at-all-9"), ("new_password", "brand-new-river-song-77")],
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let html = body_text(wrong).await;
    assert!(html.contains("当前密码不正确"));
    assert!(html.contains("<h1 class=\"page-title\">账号安全<"), "shown again on its own page");
    let res = b
        .post("/account/password", &[("current_password", PASSWORD), ("new_password", "brand-new-river-song-77")])
        .await;
    assert_eq!(location(&res), "/account/security?done=password_changed");
    assert!(body_text(b.get("/account/security?done=password_changed").await).await.contains("密码已修改"));
    assert_eq!(b.get("/account").await.status(), 200, "this session continues");
    assert_eq!(other.get("/account").await.status(), 401, "the other device is signed out");

    app.clock.advance(5);
    other.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", "brand-new-river-song-77")]).await;
    let res = b.post("/account/sign-out-everywhere", &[]).await;
    assert_eq!(location(&res), "/login?done=signed_out_everywhere");
    assert_eq!(b.get("/account").await.status(), 401);
    assert_eq!(other.get("/account").await.status(), 401);
});

on_both_backends!(citizens_can_download_their_data_and_close_their_account, |app| {
    let mut b = Browser::new(&app);
    b.register_with_phone("张伟", ZHANG_WEI, "zhang.wei@example.cn", "13812345678").await;
    b.post("/account/real-name", &[]).await;
    let res = b.get("/api/account/export").await;
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("attachment")));
    let export: serde_json::Value = serde_json::from_str(&body_text(res).await).expect("json");
    assert_eq!(export["id_number"], ZHANG_WEI, "their own number, in full, to them");
    assert_eq!(export["phone"], "13812345678");
    assert!(export["data_accesses"].as_array().is_some_and(|a| a.len() == 1));
    assert!(export["account_events"].as_array().is_some_and(|a| a.iter().any(|e| e["event"] == "register")));

    let wrong = b.post("/account/cancel", &[("cancel_password", "not-it-at-all-9")]).await;
    assert_eq!(wrong.status(), 403);
    let res = b.post("/account/cancel", &[("cancel_password", PASSWORD)]).await;
    assert_eq!(location(&res), "/login?done=account_cancelled");
    assert_eq!(b.get("/account").await.status(), 401);
    let login =
        Browser::new(&app).post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), 401);
    let row: (String, Option<String>, String, String) =
        sqlx::query_as("SELECT name, email, id_number_sealed, status FROM citizens")
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert_eq!(row, (String::new(), None, String::new(), "cancelled".to_owned()), "personal data erased");
    // The same person can register again.
    let again = Browser::new(&app).register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    assert_eq!(again.status(), 303);
});

on_both_backends!(a_legal_representative_links_their_business_and_nobody_else_can, |app| {
    let li_na = crate::registers::LI_NA;
    let company = crate::registers::LI_NA_COMPANY;
    let mut b = Browser::new(&app);
    b.register("李娜", li_na, "li.na@example.cn").await;
    let early = b.post("/account/entities", &[("credit_code", company)]).await;
    assert_eq!(early.status(), 403, "real-name verification first");
    b.post("/account/real-name", &[]).await;
    let calls = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM data_access_log")
            .fetch_one(app.db.pool())
            .await
            .expect("count")
    };
    let before = calls().await;
    let bad = format!("{}0", &company[..17]);
    let res = b.post("/account/entities", &[("credit_code", &bad)]).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("统一社会信用代码校验位不正确") && html.contains(&format!("value=\"{bad}\"")));
    assert_eq!(calls().await, before, "a bad checksum never reaches the register");
    let res = b.post("/account/entities", &[("credit_code", &company.to_lowercase())]).await;
    assert_eq!(location(&res), "/account/business?done=entity_linked");
    assert!(body_text(b.get("/account/business").await).await.contains("兰州金城智联信息技术有限公司"));
    assert!(body_text(b.get("/account").await).await.contains("已关联 1 家企业"), "the overview counts them");

    let mut z = Browser::new(&app);
    z.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    z.post("/account/real-name", &[]).await;
    let res = z.post("/account/entities", &[("credit_code", company)]).await;
    assert_eq!(res.status(), 403);
    assert!(body_text(res).await.contains("法定代表人不是您"));
    let consumers: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT consumer FROM data_access_log WHERE operation = 'entity'")
            .fetch_all(app.db.pool())
            .await
            .expect("audit");
    assert_eq!(consumers, vec!["accounts.legal_person".to_owned()], "entity checks are audited");
});

on_both_backends!(citizens_see_their_sign_ins_and_end_another_one, |app| {
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let mut other = Browser::new(&app);
    other.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    let html = body_text(b.get("/account/security").await).await;
    assert!(html.contains("本设备"));
    let references: Vec<String> = html
        .split("name=\"reference\" value=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(references.len(), 1, "one other sign-in, and never a raw session id");
    let raw_ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM sessions").fetch_all(app.db.pool()).await.expect("ids");
    assert!(raw_ids.iter().all(|id| !html.contains(id.as_str())));
    let res = b.post("/account/sessions/revoke", &[("reference", &references[0])]).await;
    assert_eq!(location(&res), "/account/security?done=session_revoked");
    assert_eq!(other.get("/account").await.status(), 401);
    assert_eq!(b.get("/account").await.status(), 200);
    // Another person's reference ends nothing.
    let mut wang = Browser::new(&app);
    wang.register("王建国", crate::registers::WANG_JIANGUO, "wang@example.cn").await;
    let own = body_text(b.get("/account/security").await).await;
    assert!(own.contains("本设备") && !own.contains("name=\"reference\""));
    let theirs = app::platform::sessions::session_reference(
        wang.cookie.as_deref().and_then(|c| c.split('=').nth(1)).expect("cookie value"),
    );
    b.post("/account/sessions/revoke", &[("reference", &theirs)]).await;
    assert_eq!(wang.get("/account").await.status(), 200);
});

/// The six-digit code in the newest queued mail to `email`.
async fn mailed_code(app: &TestApp, email: &str) -> String {
    let body: String = sqlx::query_scalar("SELECT body FROM mail_outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .expect("a queued mail");
    let start = body.find("：").expect("code in mail") + "：".len();
    let code: String = body[start..].chars().take(6).collect();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "six digits: {code}");
    code
}

/// The code of the `nth` (from 1) unlock mail to `email`. Unlock codes are issued and mailed in
/// the background, so this waits (a bounded number of rounds) for that mail to be queued.
async fn unlock_code(app: &TestApp, email: &str, nth: usize) -> String {
    for _ in 0..200 {
        let codes: Vec<String> = mails_to(app, email)
            .await
            .iter()
            .filter_map(|body| body.split("解锁验证码：").nth(1).map(|rest| rest.chars().take(6).collect()))
            .collect();
        if let Some(code) = codes.get(nth - 1) {
            assert_eq!(codes.len(), nth, "one mail per request");
            return code.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no unlock mail number {nth} to {email}");
}

async fn lock_out(app: &TestApp, email: &str) {
    for _ in 0..5 {
        Browser::new(app).post("/login", &[("identifier", email), ("password", "wrong-password-3")]).await;
    }
    let locked = Browser::new(app).post("/login", &[("identifier", email), ("password", PASSWORD)]).await;
    assert_eq!(locked.status(), 401, "locked");
}

on_both_backends!(a_locked_account_unlocks_itself_with_an_emailed_code, |app| {
    Browser::new(&app).register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    lock_out(&app, "zhang.wei@example.cn").await;
    let mut b = Browser::new(&app);
    assert!(body_text(b.get("/login").await).await.contains("href=\"/login/unlock\""));
    let mails = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM mail_outbox").fetch_one(app.db.pool()).await.expect("n")
    };
    let before = mails().await;
    // The same answer for an unknown address, an unlocked account and a locked one.
    let unknown = b.post("/login/unlock", &[("email", "nobody@example.cn")]).await;
    let known = b.post("/login/unlock", &[("email", "zhang.wei@example.cn")]).await;
    assert_eq!((unknown.status().as_u16(), known.status().as_u16()), (200, 200));
    let strip = |html: &str| {
        let nonce = html.split("nonce=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
        html.replace(nonce, "N").replace("nobody@example.cn", "X").replace("zhang.wei@example.cn", "X")
    };
    let (unknown, known) = (body_text(unknown).await, body_text(known).await);
    assert!(known.contains("验证码已经发出"));
    assert!(strip(&unknown) == strip(&known), "nothing tells whether the account exists");
    let code = unlock_code(&app, "zhang.wei@example.cn", 1).await;
    assert_eq!(mails().await, before + 1, "one code, to the locked account only");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let res = b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", wrong)]).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("验证码不正确或已失效") && html.contains("value=\"zhang.wei@example.cn\""));
    let res = b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", &code)]).await;
    assert_eq!(location(&res), "/login?done=unlocked");
    let again = b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", &code)]).await;
    assert_eq!(again.status(), 400, "a code works once");
    let login = b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), 303, "unlocked at once, without waiting 15 minutes");
});

on_both_backends!(unlock_codes_expire_and_allow_five_tries, |app| {
    Browser::new(&app).register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    lock_out(&app, "zhang.wei@example.cn").await;
    let mut b = Browser::new(&app);
    b.post("/login/unlock", &[("email", "zhang.wei@example.cn")]).await;
    let code = unlock_code(&app, "zhang.wei@example.cn", 1).await;
    app.clock.advance(11 * 60);
    let late = b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", &code)]).await;
    assert_eq!(late.status(), 400, "expired after 10 minutes");

    lock_out(&app, "zhang.wei@example.cn").await;
    b.post("/login/unlock", &[("email", "zhang.wei@example.cn")]).await;
    let code = unlock_code(&app, "zhang.wei@example.cn", 2).await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", wrong)]).await;
    }
    let res = b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", &code)]).await;
    assert_eq!(res.status(), 400, "void after five wrong tries");
    let bad = b.post("/login/unlock/code", &[("email", "zhang.wei@example.cn"), ("code", "12ab")]).await;
    assert!(body_text(bad).await.contains("验证码是 6 位数字"));
});

on_both_backends!(changing_email_or_phone_needs_the_password_again_and_a_code_from_the_new_address, |app| {
    let mut b = Browser::new(&app);
    b.register_with_phone("张伟", ZHANG_WEI, "zhang.wei@example.cn", "13812345678").await;
    Browser::new(&app).register("王建国", crate::registers::WANG_JIANGUO, "wang@example.cn").await;
    let early = b.post("/account/contact/phone", &[("phone", "13987654321")]).await;
    assert_eq!(early.status(), 403, "no change without confirming the password first");
    assert!(body_text(early).await.contains("请先输入密码确认"));
    let page = body_text(b.get("/account/contact").await).await;
    assert!(page.contains("action=\"/account/contact/confirm\"") && !page.contains("/account/contact/phone"));
    let wrong = b.post("/account/contact/confirm", &[("password", "not-it-at-all-9")]).await;
    assert_eq!(wrong.status(), 403);
    let res = b.post("/account/contact/confirm", &[("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/account/contact");

    let res = b.post("/account/contact/phone", &[("phone", "139 8765 4321")]).await;
    assert_eq!(location(&res), "/account/profile?done=phone_changed");
    assert!(body_text(b.get("/account/profile?done=phone_changed").await).await.contains("139****4321"));

    let taken = b.post("/account/contact/email", &[("new_email", "wang@example.cn")]).await;
    assert_eq!(taken.status(), 400);
    assert!(body_text(taken).await.contains("该电子邮箱已注册"));
    let res = b.post("/account/contact/email", &[("new_email", "Zhang.Wei@Example.org")]).await;
    assert_eq!(res.status(), 200);
    assert!(body_text(res).await.contains("验证码已发送到新邮箱"));
    let code = mailed_code(&app, "zhang.wei@example.org").await;
    let res = b.post("/account/contact/email/confirm", &[("code", &code)]).await;
    assert_eq!(location(&res), "/account/profile?done=email_changed");
    let email: String = sqlx::query_scalar("SELECT email FROM citizens WHERE name = '张伟'")
        .fetch_one(app.db.pool())
        .await
        .expect("email");
    assert_eq!(email, "zhang.wei@example.org");
    let notice: String =
        sqlx::query_scalar("SELECT body FROM mail_outbox WHERE recipient = 'zhang.wei@example.cn' ORDER BY id DESC")
            .fetch_one(app.db.pool())
            .await
            .expect("notice to the old address");
    assert!(notice.contains("z***@example.org") && !notice.contains("zhang.wei@example.org"));
    let login =
        Browser::new(&app).post("/login", &[("identifier", "zhang.wei@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), 303, "the new address signs in");

    // The confirmation lasts five minutes.
    app.clock.advance(6 * 60);
    assert_eq!(b.post("/account/contact/phone", &[("phone", "")]).await.status(), 403);
});

on_both_backends!(a_form_posted_after_the_session_ran_out_is_kept_across_signing_in, |app| {
    let mut b = Browser::new(&app);
    b.register("李娜", crate::registers::LI_NA, "li.na@example.cn").await;
    b.post("/account/real-name", &[]).await;
    app.clock.advance(31 * 60);
    let res = b.post("/account/entities", &[("credit_code", crate::registers::LI_NA_COMPANY)]).await;
    assert_eq!(location(&res), "/login?expired=1&next=/account/business");
    let login_page = body_text(b.get("/login?expired=1&next=/account/business").await).await;
    assert!(login_page.contains("您刚才提交的内容已保留"));
    let res = b
        .post("/login?expired=1&next=/account/business", &[("identifier", "li.na@example.cn"), ("password", PASSWORD)])
        .await;
    assert_eq!(location(&res), "/account/business");
    let page = body_text(b.get("/account/business").await).await;
    assert!(page.contains("这是您在自动退出前填写的内容"));
    assert!(page.contains(&format!("value=\"{}\"", crate::registers::LI_NA_COMPANY)), "the typed code is back");
    let again = body_text(b.get("/account/business").await).await;
    assert!(!again.contains(crate::registers::LI_NA_COMPANY), "shown once");
});

on_both_backends!(stay_signed_in_renews_the_idle_timeout, |app| {
    assert_eq!(app.send(same_origin_form_post("/api/session/keep-alive", "")).await.status(), 401);
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let page = body_text(b.get("/account").await).await;
    assert!(page.contains("SessionTimeoutWarning"), "signed-in pages carry the warning island");
    app.clock.advance(20 * 60);
    // As the island's fetch sends it.
    let mut req = same_origin_form_post("/api/session/keep-alive", "");
    req.headers_mut().insert("accept", "application/json".parse().expect("header"));
    req.headers_mut().insert("cookie", b.cookie.clone().expect("cookie").parse().expect("cookie"));
    let res = app.send(req).await;
    assert_eq!(res.status(), 200);
    assert_eq!(body_text(res).await, "1800");
    app.clock.advance(20 * 60);
    assert_eq!(b.get("/account").await.status(), 200, "40 minutes after the last page, 20 after staying");
});

on_both_backends!(a_citizen_is_signed_in_on_at_most_five_devices, |app| {
    let mut first = Browser::new(&app);
    first.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    // Sessions record use in whole seconds: let the later ones be later.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut others = Vec::new();
    for _ in 0..4 {
        app.clock.advance(1);
        let mut b = Browser::new(&app);
        b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
        others.push(b);
    }
    assert_eq!(first.get("/account").await.status(), 200, "five sessions are allowed");
    let mut sixth = Browser::new(&app);
    sixth.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(first.get("/account").await.status(), 401, "the least recently used one ends");
    assert_eq!(sixth.get("/account").await.status(), 200);
    for b in &mut others {
        assert_eq!(b.get("/account").await.status(), 200, "the four others continue");
    }
});

on_both_backends!(one_address_gets_30_sign_in_attempts_per_15_minutes_over_all_accounts, |app| {
    use axum::extract::ConnectInfo;
    let from = |ip: &str| ConnectInfo(std::net::SocketAddr::new(ip.parse().expect("ip"), 40000));
    // A documentation address of its own: the counter is per process.
    let address = if app.db.backend() == app::platform::Backend::Sqlite { "198.51.100.7" } else { "198.51.100.8" };
    for i in 0..30 {
        let body = format!("identifier=person{i}%40example.cn&password=");
        let mut req = same_origin_form_post("/login", &body);
        req.extensions_mut().insert(from(address));
        assert_eq!(app.send(req).await.status(), 400, "attempt {i} is counted, then judged");
    }
    let mut req = same_origin_form_post("/login", "identifier=someone%40example.cn&password=x");
    req.extensions_mut().insert(from(address));
    let res = app.send(req).await;
    assert_eq!(res.status(), 429);
    assert!(body_text(res).await.contains("尝试次数过多"));
    let mut other = same_origin_form_post("/login", "identifier=someone%40example.cn&password=");
    other.extensions_mut().insert(from("203.0.113.99"));
    assert_eq!(app.send(other).await.status(), 400, "another address is not affected");
});

on_both_backends!(every_sign_in_path_costs_one_password_check_whatever_the_account, |app| {
    let wang = crate::registers::WANG_JIANGUO;
    Browser::new(&app).register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    Browser::new(&app).register("王建国", wang, "locked@example.cn").await;
    Browser::new(&app).register("李娜", crate::registers::LI_NA, "disabled@example.cn").await;
    let now = app.clock.now();
    sqlx::query("UPDATE citizens SET locked_until = $1 WHERE email = 'locked@example.cn'")
        .bind(now + 900)
        .execute(app.db.pool())
        .await
        .expect("lock");
    sqlx::query("UPDATE citizens SET status = 'disabled' WHERE email = 'disabled@example.cn'")
        .execute(app.db.pool())
        .await
        .expect("disable");
    let cases = [
        ("unknown", "nobody@example.cn", "wrong-password-1", 401),
        ("unknown phone", "13900000000", "wrong-password-1", 401),
        ("known, wrong password", "zhang.wei@example.cn", "wrong-password-1", 401),
        ("known, right password", "zhang.wei@example.cn", PASSWORD, 303),
        ("locked, right password", "locked@example.cn", PASSWORD, 401),
        ("locked, wrong password", "locked@example.cn", "wrong-password-1", 401),
        ("disabled, right password", "disabled@example.cn", PASSWORD, 401),
    ];
    for (case, identifier, password, status) in cases {
        let before = app.credentials.argon2_runs();
        let res = Browser::new(&app).post("/login", &[("identifier", identifier), ("password", password)]).await;
        assert_eq!(res.status().as_u16(), status, "{case}");
        assert_eq!(app.credentials.argon2_runs() - before, 1, "{case}: one argon2 computation");
    }

    // The other forms that check a password: one computation, right or wrong.
    let mut b = Browser::new(&app);
    b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    let forms: [(&str, &str, &str, u16); 4] = [
        ("/account/contact/confirm", "password", "not-it-at-all-9", 403),
        ("/account/contact/confirm", "password", PASSWORD, 303),
        ("/account/cancel", "cancel_password", "not-it-at-all-9", 403),
        ("/account/password", "current_password", "not-it-at-all-9", 403),
    ];
    for (uri, field, password, status) in forms {
        let before = app.credentials.argon2_runs();
        let res = b.post(uri, &[(field, password), ("new_password", "brand-new-river-song-77")]).await;
        assert_eq!(res.status().as_u16(), status, "{uri} {password}");
        assert_eq!(app.credentials.argon2_runs() - before, 1, "{uri} {password}: one argon2 computation");
    }

    // Unlock codes: the same keyed check for an unknown address, an unlocked and a locked account.
    for email in ["nobody@example.cn", "zhang.wei@example.cn", "locked@example.cn", "disabled@example.cn"] {
        let (runs, checks) = (app.credentials.argon2_runs(), app.credentials.code_checks());
        let res = Browser::new(&app).post("/login/unlock/code", &[("email", email), ("code", "123456")]).await;
        assert_eq!(res.status(), 400, "{email}");
        assert_eq!(app.credentials.code_checks() - checks, 1, "{email}: one code check");
        assert_eq!(app.credentials.argon2_runs(), runs, "{email}: no password work");
    }
});

on_both_backends!(the_header_names_the_signed_in_citizen_and_such_pages_are_never_stored, |app| {
    let anonymous = app.get("/services").await;
    assert_eq!(anonymous.headers().get("cache-control"), None, "public pages stay cacheable for visitors");
    let sign_in = ("/login".to_owned(), "登录".to_owned());
    assert_eq!(header_account_link(&body_text(anonymous).await), sign_in, "visitors get a sign-in link");
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    for uri in ["/", "/services", "/departments", "/no-such-page", "/account/security"] {
        let res = b.get(uri).await;
        let cache = res.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(cache.as_deref(), Some("no-store"), "{uri} names the citizen, so no cache keeps it");
        let link = header_account_link(&body_text(res).await);
        assert_eq!(link, ("/account".to_owned(), "个人中心：张伟".to_owned()), "{uri} names the citizen");
    }
    // A session that ran out names nobody.
    app.clock.advance(31 * 60);
    let res = b.get("/services").await;
    assert_eq!(res.headers().get("cache-control"), None);
    let html = body_text(res).await;
    assert_eq!(header_account_link(&html), sign_in);
    assert!(!html.contains("张伟"));
});

on_both_backends!(the_account_overview_leads_to_one_short_page_per_section, |app| {
    let sections = ["/account/profile", "/account/security", "/account/business", "/account/data"];
    for uri in std::iter::once("/account").chain(sections) {
        let res = app.get(uri).await;
        assert_eq!(res.status(), 401, "{uri}");
        assert!(body_text(res).await.contains(&format!("href=\"/login?next={uri}\"")), "{uri} signs in and returns");
    }
    let mut b = Browser::new(&app);
    b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let overview = body_text(b.get("/account").await).await;
    for section in sections {
        assert!(overview.contains(&format!("href=\"{section}\"")), "the overview links {section}");
    }
    assert!(
        overview.contains("action=\"/account/real-name\"")
            && overview.contains("action=\"/account/resend-confirmation\"")
    );
    assert!(!overview.contains("action=\"/account/password\""), "the overview is short: no section's forms");
    let expected: [(&str, &[&str]); 4] = [
        ("/account/profile", &["620102********8172", "href=\"/account/contact\""]),
        ("/account/security", &["action=\"/account/password\"", "action=\"/account/sign-out-everywhere\"", "本设备"]),
        ("/account/business", &["完成实名认证后，才能关联企业"]),
        (
            "/account/data",
            &["href=\"/account/data-access\"", "href=\"/api/account/export\"", "action=\"/account/cancel\""],
        ),
    ];
    for (uri, parts) in expected {
        let res = b.get(uri).await;
        assert_eq!(res.status(), 200, "{uri}");
        let html = body_text(res).await;
        assert!(html.contains("<p class=\"back-link\"><a href=\"/account\">返回个人中心"), "{uri} leads back");
        for part in parts {
            assert!(html.contains(part), "{part} on {uri}");
        }
    }
});
