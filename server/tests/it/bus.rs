//! The bus company's system: the demo timetable generated from the city profile.

use crate::accounts::Browser;
use crate::on_both_backends;
use crate::registers::{WANG_JIANGUO, ZHANG_WEI};
use crate::support::{body_text, TestApp};
use app::bus::arrivals::{beijing, Timetable};
use app::bus::gtfs;
use app::bus::store::BusStore;
use app::platform::testing::fresh_db;
use app::platform::Backend;
use onestop_server::demo::{install_bus, BusInstall, CityProfile, ProfileSource};

async fn demo_feed_checks(backend: Backend) {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text).expect("built-in profile");
    let store = BusStore::over(fresh_db(backend).await).await.expect("bus store");
    let BusInstall::Imported { routes, stops } = install_bus(&store, &profile, &source).await.expect("installs") else {
        panic!("a fresh store gets the demo feed")
    };
    assert!(routes >= 20 && stops >= 100, "{routes} lines, {stops} stops");
    assert!(matches!(install_bus(&store, &profile, &source).await.expect("again"), BusInstall::AlreadyCurrent));

    let feed = store.feed().await.expect("stored feed");
    assert_eq!(feed.agencies[0].timezone, "Asia/Shanghai");
    for route in &feed.routes {
        for direction in [0, 1] {
            let trips: Vec<_> =
                feed.trips.iter().filter(|t| t.route_id == route.id && t.direction_id == Some(direction)).collect();
            assert_eq!(trips.len(), 2, "line {} direction {direction}: a weekday and a weekend trip", route.short_name);
            for trip in trips {
                assert!(feed.frequencies.iter().any(|f| f.trip_id == trip.id), "{} runs by headway", trip.id);
            }
        }
    }
    // Stops are the gazetteer's streets and communities (or the profile's named places).
    let streets = source.read(&profile.gazetteer.streets).expect("streets");
    let communities = source.read(&profile.gazetteer.communities).expect("communities");
    for stop in &feed.stops {
        assert!(
            streets.contains(&stop.name) || communities.contains(&stop.name) || source.text.contains(&stop.name),
            "{} is a real place name",
            stop.name
        );
    }
    // 2026-10-01 (a Thursday) is a holiday: the weekend service runs; 2026-10-10 (a Saturday)
    // is a 调休 workday: the weekday service runs.
    let exception = |service: &str, date: &str| {
        feed.calendar_dates.iter().find(|d| d.service_id == service && d.date == date).map(|d| d.exception_type)
    };
    assert_eq!((exception("WD", "20261001"), exception("WE", "20261001")), (Some(2), Some(1)));
    assert_eq!((exception("WD", "20261010"), exception("WE", "20261010")), (Some(1), Some(2)));
    assert_eq!(exception("WD", "20261012"), None, "an ordinary Monday keeps its service");
    // Night lines run past midnight.
    assert!(feed.frequencies.iter().any(|f| f.end > 24 * 3600));
}

#[tokio::test]
async fn the_demo_timetable_is_generated_from_the_profile_and_imported_checked_sqlite() {
    demo_feed_checks(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_demo_timetable_is_generated_from_the_profile_and_imported_checked_postgres() {
    demo_feed_checks(Backend::Postgres).await;
}

#[test]
fn the_demo_timetable_is_deterministic_and_has_no_warnings() {
    let one = onestop_server::demo::built_in_bus_feed().expect("generates");
    let two = onestop_server::demo::built_in_bus_feed().expect("generates");
    assert_eq!(one.files, two.files);
    let (_, report) = gtfs::read(&one.files).expect("valid GTFS");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

fn demo_timetable() -> Timetable {
    let generated = onestop_server::demo::built_in_bus_feed().expect("generates");
    let (feed, _) = gtfs::read(&generated.files).expect("valid GTFS");
    Timetable::new(&feed)
}

/// The demo timetable loaded into `app`, its clock moved on to the next 08:00 Beijing time
/// (buses run), and a stop in the middle of the first line's first direction.
fn load_demo_buses(app: &TestApp) -> (String, String) {
    let (_, seconds) = beijing(app.clock.now());
    app.clock.advance((8 * 3600 - i64::from(seconds)).rem_euclid(86_400));
    install_demo_buses(app)
}

/// The demo timetable loaded into `app`, and a stop in the middle of its first line.
pub(crate) fn install_demo_buses(app: &TestApp) -> (String, String) {
    let timetable = demo_timetable();
    let line = timetable.lines().into_iter().next().expect("a line");
    let (_, directions) = timetable.line(&line.id, app.clock.now(), None).expect("the line");
    let stops = &directions[0].stops;
    let stop = stops[stops.len() / 2].id.clone();
    app.ctx.bus.set_timetable(timetable);
    (stop, line.id)
}

/// The dispatch system's message as it was `ago` seconds before now.
fn publish(app: &TestApp, ago: i64) {
    let timetable = app.ctx.bus.timetable().expect("timetable");
    let message = app::bus::realtime::encode(&app::bus::dispatch::message(&timetable, app.clock.now() - ago));
    app.ctx.bus.accept(Ok(message)).expect("accepted");
}

#[tokio::test]
async fn the_bus_pages_answer_with_their_status_and_absurd_searches_get_a_message_by_the_field() {
    let app = TestApp::new(Backend::Sqlite).await;
    let res = app.get("/bus").await;
    assert_eq!(res.status(), 503, "no timetable loaded yet");
    assert!(body_text(res).await.contains("公交数据暂时无法访问"));

    let (stop, line) = load_demo_buses(&app);
    let res = app.get("/bus").await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(html.contains(&format!("href=\"/bus/lines/{line}\"")), "lines are listed");
    assert!(html.contains("name=\"from\""), "a place to find stops near");

    let long = "a".repeat(10_000);
    for (q, message) in
        [("", "请输入站名或线路号"), (long.as_str(), "最多输入 40 个字"), ("！！？。,,", "不能只有标点符号")]
    {
        let uri = format!("/bus?q={}", urlencoding(q));
        let res = app.get(&uri).await;
        assert_eq!(res.status(), 400, "{q:.20}");
        let html = body_text(res).await;
        assert!(html.contains(message), "{q:.20}");
        assert!(html.contains("id=\"bus-q-error\""), "the message is next to the field");
    }

    let html = body_text(app.get("/bus?q=1").await).await;
    assert!(html.contains("href=\"/bus/stops/"), "line 1's stops are found");
    let name = {
        let t = app.ctx.bus.timetable().expect("timetable");
        t.stop(&stop).expect("stop").name
    };
    let html = body_text(app.get(&format!("/bus?q={}", urlencoding(&name))).await).await;
    assert!(html.contains(&format!("href=\"/bus/stops/{stop}\"")), "found by name");

    // Nearby: the first district offered lists stops with their distance.
    let code = html.split("<option value=\"").nth(2).and_then(|r| r.split('"').next()).expect("a place").to_owned();
    let html = body_text(app.get(&format!("/bus?from={code}")).await).await;
    assert!(html.contains("bus-nearby-from") && html.contains(" 米"), "stops near the place with distances");

    // Nearby an address as typed: the stop's own street name is in the address register.
    let html = body_text(app.get(&format!("/bus?near={}", urlencoding(&name))).await).await;
    assert!(html.contains("id=\"bus-nearby-from\"") && html.contains(" 米"), "stops near a typed address");
    assert!(html.contains(&format!("value=\"{name}\"")), "the typed address is kept in its field");
    let res = app.get(&format!("/bus?near={}", urlencoding("没有这个地方的名字"))).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(
        html.contains("没有找到这个地址") && !html.contains("id=\"bus-nearby-from\""),
        "an unknown address said so"
    );
    let res = app.get(&format!("/bus?near={}", urlencoding("！！"))).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("id=\"bus-near-error\"") && html.contains("不能只有标点符号"), "refused next to the field");

    assert_eq!(app.get("/bus/stops/no-such-stop").await.status(), 404);
    assert_eq!(app.get("/bus/lines/no-such-line").await.status(), 404);
}

fn urlencoding(text: &str) -> String {
    serde_urlencoded::to_string([("q", text)]).expect("encodes").trim_start_matches("q=").to_owned()
}

#[tokio::test]
async fn a_stop_shows_real_time_while_the_feed_is_fresh_and_says_when_times_are_the_timetables() {
    let app = TestApp::new(Backend::Sqlite).await;
    // The page says the feed's age to the second; a second ticking between publish and render
    // under a loaded CI machine made this fail.
    app.clock.freeze();
    let (stop, line) = load_demo_buses(&app);
    let page = format!("/bus/stops/{stop}");

    let res = app.get(&page).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    // A timed reload only when the citizen turns it on, with the way to turn it off (WCAG 2.2.1).
    assert!(!html.contains("http-equiv=\"refresh\""), "no timed reload unless asked for");
    assert!(html.contains("id=\"bus-refresh\""), "a refresh link");
    assert!(html.contains(&format!("href=\"{page}?auto=1\" id=\"bus-auto\"")), "auto refresh offered");
    let auto = body_text(app.get(&format!("{page}?auto=1")).await).await;
    assert!(auto.contains("<meta http-equiv=\"refresh\" content=\"30\""), "refreshes itself without JS");
    assert!(auto.contains(&format!("href=\"{page}\" id=\"bus-auto\"")), "and can be stopped");
    assert!(html.contains("暂时收不到公交公司的实时数据"), "no feed yet: the timetable, said so");
    assert!(html.contains(">计划<") && !html.contains("bus-kind--live"));

    publish(&app, 5);
    let html = body_text(app.get(&page).await).await;
    assert!(html.contains("实时数据 5 秒前更新"), "the feed's age");
    assert!(html.contains("bus-kind--live") && html.contains(">实时<"), "real-time arrivals marked");
    assert!(html.contains("还有 ") && html.contains("站 / 约 "), "stops away and minutes");
    // The company's notice about this stop, in the reader's language.
    assert!(html.contains("公交公告") && html.contains("临时移位") && html.contains("以北 50 米"), "the notice");
    let english = body_text(app.get_with_cookie(&page, "onestop_lang=en").await).await;
    assert!(english.contains("Service notices") && english.contains("Road works: line"), "the notice in English");
    let html = body_text(app.get(&format!("/bus/lines/{line}")).await).await;
    assert!(html.contains("class=\"bus-strip\""), "the stop strip");
    assert!(html.contains("辆车正驶向本站") || html.contains("辆车在站"), "buses marked in words");
    assert!(html.contains("首班 ") && html.contains("约每 "), "first/last bus and headway");

    publish(&app, 300);
    let html = body_text(app.get(&page).await).await;
    assert!(html.contains("实时数据已中断，以下为计划时间") && html.contains("已有 5 分钟没有更新"));
    assert!(!html.contains("bus-kind--live"), "no time is called real-time");
}

on_both_backends!(favourite_stops_are_added_and_removed_without_js_and_only_by_their_owner, |app| {
    let (stop, _) = load_demo_buses(&app);
    let add = format!("/bus/stops/{stop}/favourite");
    let remove = format!("/bus/stops/{stop}/unfavourite");

    let mut anyone = Browser::new(&app);
    let res = anyone.post(&add, &[]).await;
    assert_eq!(res.status(), 303);
    assert!(crate::applications::location(&res).starts_with("/login?next="), "sign in first");

    let mut mine = Browser::new(&app);
    assert_eq!(mine.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await.status(), 303);
    let html = body_text(mine.get(&format!("/bus/stops/{stop}")).await).await;
    assert!(html.contains(&format!("action=\"{add}\"")), "a save form");
    let res = mine.post(&add, &[]).await;
    assert_eq!(crate::applications::location(&res), format!("/bus/stops/{stop}?notice=saved"));
    assert_eq!(mine.post(&add, &[]).await.status(), 303, "saving twice keeps one");
    let html = body_text(mine.get("/bus").await).await;
    assert!(html.contains(&format!("action=\"{remove}\"")), "listed with a remove form");
    assert_eq!(html.matches(&format!("action=\"{remove}\"")).count(), 1);

    let mut other = Browser::new(&app);
    assert_eq!(other.register("王建国", WANG_JIANGUO, "wang@example.cn").await.status(), 303);
    assert!(!body_text(other.get("/bus").await).await.contains(&format!("action=\"{remove}\"")), "not theirs");
    assert_eq!(other.post(&remove, &[]).await.status(), 404, "cannot remove mine");
    assert!(body_text(mine.get("/bus").await).await.contains(&format!("action=\"{remove}\"")), "still mine");

    let res = mine.post(&remove, &[]).await;
    assert_eq!(crate::applications::location(&res), "/bus?notice=removed");
    assert!(!body_text(mine.get("/bus").await).await.contains(&format!("action=\"{remove}\"")));
    assert_eq!(mine.post("/bus/stops/no-such-stop/favourite", &[]).await.status(), 404);
});

/// The company's side on a loopback port, its clock at 08:00 Beijing time (buses run).
async fn company_feed(timetable: Option<Timetable>) -> (String, app::platform::clock::Clock) {
    let clock = app::platform::clock::Clock::system();
    clock.freeze();
    let (_, seconds) = beijing(clock.now());
    clock.advance((8 * 3600 - i64::from(seconds)).rem_euclid(86_400));
    let company = app::bus::server::Buses::default();
    if let Some(timetable) = timetable {
        company.set_timetable(timetable);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}{}", listener.local_addr().expect("address"), app::bus::dispatch::FEED_PATH);
    let router = app::bus::dispatch::router(company, clock.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, clock)
}

#[tokio::test]
async fn the_portal_polls_the_companys_feed_url_and_a_company_without_data_changes_nothing() {
    let (url, clock) = company_feed(Some(demo_timetable())).await;
    let portal = app::bus::server::Buses::default();
    portal.set_timetable(demo_timetable());
    let client = app::bus::server::feed::FeedClient::new(&url);
    portal.accept(client.fetch().await).expect("the feed decodes");
    let realtime = portal.realtime().expect("a message");
    assert_eq!(realtime.timestamp, clock.now(), "the company's own time");
    assert!(!realtime.vehicles.is_empty() && !realtime.updates.is_empty(), "vehicles and predictions at 08:00");
    assert_eq!(realtime.alerts.len(), 1, "the company's notice");
    assert!(realtime.alerts[0].header.in_language("en").starts_with("Road works"));
    assert!(realtime.alerts[0].header.in_language("zh").starts_with("道路施工"));

    // A company with no timetable answers 503; nothing is accepted and the last message stays.
    let (empty, _) = company_feed(None).await;
    let refused = app::bus::server::feed::FeedClient::new(&empty).fetch().await;
    assert_eq!(refused.as_ref().map(|_| ()), Err(&"answered 503 Service Unavailable".to_owned()));
    assert!(portal.accept(refused).is_err());
    // A company that is not there at all.
    let gone = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        format!("http://{}/gtfs-rt/v1/feed", listener.local_addr().expect("address"))
    };
    let unreachable = app::bus::server::feed::FeedClient::new(&gone).fetch().await;
    assert!(unreachable.as_ref().is_err_and(|e| e.starts_with("unreachable")), "{unreachable:?}");
    assert!(portal.accept(unreachable).is_err());
    assert_eq!(portal.realtime().expect("kept").timestamp, clock.now(), "the last message is kept to age");
}
