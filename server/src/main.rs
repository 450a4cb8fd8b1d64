//! `onestop`: serve the portal and run its maintenance tasks.

use anyhow::Context;
use app::platform::{AppContext, Db};
use clap::{Parser, Subcommand};
use onestop_server::{build_router, demo, registers, telemetry, Config};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "onestop", version, about = "OneStop (一网通办) government services portal")]
struct Cli {
    /// Optional TOML configuration file; environment variables override it.
    #[arg(long, global = true, env = "ONESTOP_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the portal until SIGTERM or Ctrl-C.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load demo data (site profile, departments, data catalogue, and the base registers' own
    /// database); safe to run repeatedly.
    SeedDemo {
        /// A city profile in TOML; the built-in demo city when omitted.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// Also demo staff (a window clerk and a supervisor for two departments, with one-time
        /// set-up links) and applications in every state, so the console has work in it. Only
        /// for a local demo: refused with https cookies or a remote register.
        #[arg(long)]
        with_cases: bool,
    },
    /// Data providers: serve the demo base registers and gas company to other systems over
    /// signed HTTP.
    Providers {
        #[command(subcommand)]
        command: ProvidersCommand,
    },
    /// The city library's catalogue search index.
    Library {
        #[command(subcommand)]
        command: LibraryCommand,
    },
    /// The bus company's timetable (GTFS) in its own database.
    Bus {
        #[command(subcommand)]
        command: BusCommand,
    },
    /// The demo hospitals' booking platform, as its hospital desks use it.
    Hospitals {
        #[command(subcommand)]
        command: HospitalsCommand,
    },
    /// The audit log of register calls.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Create an administrator (system, security or audit) and print a one-time set-up token.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// system_admin, security_admin or audit_admin (三员分立: three separate duties).
        #[arg(long, default_value = "system_admin")]
        role: String,
    },
}

#[derive(Subcommand)]
enum ProvidersCommand {
    /// Serve the registers' database (when ONESTOP_REGISTERS_KEY is set) and the gas company's
    /// (when ONESTOP_GAS_PROVIDER_KEY is set) on the given address.
    Serve {
        #[arg(long, default_value = "127.0.0.1:3200")]
        listen: std::net::SocketAddr,
    },
}

#[derive(Subcommand)]
enum LibraryCommand {
    /// Rebuild the search index from the library's records (the server keeps it current).
    Reindex {
        /// Only when there is no usable index yet (e.g. on every `make run`).
        #[arg(long)]
        if_missing: bool,
    },
}

#[derive(Subcommand)]
enum BusCommand {
    /// Validate a GTFS feed (a zip or a directory of .txt files) and, if it has no errors,
    /// replace the stored timetable with it; otherwise list every problem and change nothing.
    Import { feed: PathBuf },
    /// Serve the demo company's GTFS Realtime feed (its vehicles along the stored timetable, and
    /// its notices) for portals configured with ONESTOP_BUS_REALTIME_URL.
    ServeFeed {
        #[arg(long, default_value = "127.0.0.1:3300")]
        listen: std::net::SocketAddr,
    },
}

#[derive(Subcommand)]
enum HospitalsCommand {
    /// Record at the hospital desk that the patient of a booking arrived (its 8-digit booking
    /// code): only on the booking's day before its time slot ends; afterwards it is a no-show.
    Arrive { identifier: String },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Delete audit rows older than the retention period (190 days).
    Purge,
    /// Check the hash chains of the register-call audit and the case audit; exits non-zero if a
    /// row was altered.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), |k| std::env::var(k).ok()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("onestop: configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_tracing(config.log_format);
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("onestop: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    // The provider endpoints belong to the registers and the gas company, not the portal: they
    // need no portal database.
    if let Command::Providers { command: ProvidersCommand::Serve { listen } } = command {
        return registers::serve_providers(&config, listen, shutdown_signal()).await;
    }
    // The index belongs to the portal but is built from the library alone.
    if let Command::Library { command: LibraryCommand::Reindex { if_missing } } = command {
        return onestop_server::library::reindex(&config.library, if_missing).await;
    }
    // Arrivals belong to the hospitals' platform: its own database, not the portal's.
    if let Command::Hospitals { command: HospitalsCommand::Arrive { identifier } } = &command {
        let hospitals = app::hospitals::store::HospitalStore::open(&config.hospitals_database_url)
            .await
            .context("cannot open the hospitals' database")?;
        let arrived = hospitals.arrive(identifier, app::platform::time::now_unix()).await;
        hospitals.close().await;
        return match arrived {
            Ok(true) => {
                println!("arrival recorded: {identifier}");
                Ok(())
            }
            Ok(false) => anyhow::bail!("no booking {identifier} is waiting for an arrival now"),
            Err(err) => anyhow::bail!("the hospitals' platform failed: {err}"),
        };
    }
    // The timetable belongs to the bus company: it needs no portal database.
    match command {
        Command::Bus { command: BusCommand::Import { feed } } => {
            return onestop_server::bus::import(&config.bus_database_url, &feed).await;
        }
        Command::Bus { command: BusCommand::ServeFeed { listen } } => {
            return onestop_server::bus::serve_feed(&config.bus_database_url, listen, shutdown_signal()).await;
        }
        _ => {}
    }
    let db = open_database(&config).await?;
    match command {
        Command::Serve => serve(config, db).await,
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::SeedDemo { profile, with_cases } => {
            if with_cases && (config.secure_cookies || config.registers.remote_url.is_some()) {
                anyhow::bail!(
                    "--with-cases makes demo staff and applications: it is for a local demo only, not with \
                     ONESTOP_SECURE_COOKIES or a remote register"
                );
            }
            let source = match profile {
                Some(path) => demo::ProfileSource::from_file(&path)?,
                None => demo::ProfileSource::built_in(),
            };
            let profile = demo::CityProfile::parse(&source.text).context("invalid city profile")?;
            let items = demo::seed(&db, &profile, &source).await?;
            println!(
                "demo data loaded: {} departments, {} data resources, {} service items ({} new or changed)",
                profile.departments.len(),
                profile.data_resources.len(),
                items.published + items.unchanged,
                items.published
            );
            let store = app::registers::store::RegisterStore::open(&config.registers.database_url)
                .await
                .context("cannot open the registers' database")?;
            match demo::install_registers(&store, &profile, &source).await? {
                demo::RegistersInstall::AlreadyCurrent => println!("demo registers are current"),
                demo::RegistersInstall::Generated { people, entities, places } => {
                    println!("demo registers generated: {people} people, {entities} legal entities, {places} places")
                }
            }
            store.close().await;
            let hospitals = app::hospitals::store::HospitalStore::open(&config.hospitals_database_url)
                .await
                .context("cannot open the hospitals' database")?;
            if let Some((count, doctors)) = demo::install_hospitals(&hospitals, &profile, &source).await? {
                println!("demo hospitals: {count} hospitals, {doctors} doctors");
            }
            hospitals.close().await;
            let gas = app::gas::store::GasStore::open(&config.gas_database_url)
                .await
                .context("cannot open the gas company's database")?;
            let today = app::gas::store::today();
            if let Some(accounts) = demo::install_gas(&gas, &profile, &source, today).await? {
                println!("demo gas company: {accounts} accounts");
            }
            gas.close().await;
            let bus = app::bus::store::BusStore::open(&config.bus_database_url)
                .await
                .context("cannot open the bus company's database")?;
            match demo::install_bus(&bus, &profile, &source).await? {
                demo::BusInstall::NoBus => println!("the profile has no bus company"),
                demo::BusInstall::AlreadyCurrent => println!("demo bus timetable is current"),
                demo::BusInstall::Imported { routes, stops } => {
                    println!("demo bus timetable imported: {routes} lines, {stops} stops")
                }
            }
            bus.close().await;
            // The demo library is installed into its own database; a remote library has its own data.
            {
                let library = app::library::store::LibraryStore::open(&config.library.database_url)
                    .await
                    .context("cannot open the library's database")?;
                let readers = match demo::install_library(&library, &profile, &source).await? {
                    demo::LibraryInstall::NoLibrary => {
                        println!("the profile has no library");
                        None
                    }
                    demo::LibraryInstall::AlreadyCurrent { readers } => {
                        println!("demo library is current");
                        readers
                    }
                    demo::LibraryInstall::Generated { records, items, branches, readers } => {
                        println!("demo library generated: {records} records, {items} copies in {branches} branches");
                        readers
                    }
                };
                if readers.is_some() {
                    // The demo cards, so a demo person can bind theirs at /library/my.
                    for p in profile.library.iter().flat_map(|l| &l.patrons) {
                        println!("demo library card for {}: card number {}, PIN {}", p.name, p.card, p.pin);
                    }
                }
                library.close().await;
            }
            if with_cases {
                seed_demo_cases(&config, &db, &profile, &source).await?;
            }
            Ok(())
        }
        Command::Providers { .. } | Command::Library { .. } | Command::Bus { .. } | Command::Hospitals { .. } => Ok(()),
        Command::Audit { command: AuditCommand::Purge } => {
            let deleted = app::sharing::server::audit::purge(&db, app::platform::time::now_unix()).await?;
            println!("audit rows older than the retention period deleted: {deleted}");
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let report = app::sharing::server::audit::verify_chain(&db).await?;
            if let Some(id) = report.first_broken {
                anyhow::bail!("audit chain broken at row {id} of {}", report.rows);
            }
            println!("audit chain intact: {} rows", report.rows);
            let (rows, broken) = app::cases::server::db::verify_chain(&db).await?;
            match broken {
                None => {
                    println!("case audit chain intact: {rows} rows");
                    Ok(())
                }
                Some(id) => anyhow::bail!("case audit chain broken at row {id} of {rows}"),
            }
        }
        Command::CreateAdmin { username, display_name, role } => {
            let role = app::accounts::StaffRole::from_code(&role).context("unknown role")?;
            let setup = app::accounts::server::create_admin(&db, &username, &display_name, role).await?;
            println!("Created {} '{username}'.", role.code());
            println!("One-time set-up token (shown only now, valid for 24 hours):");
            println!("{}", setup.token);
            Ok(())
        }
    }
}

/// Connects and migrates; a failed migration stops every command with a clear message.
async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url).await.context("cannot open the database")?;
    db.migrate().await.context("database migration failed; the server was not started")?;
    Ok(db)
}

/// `seed-demo --with-cases`: demo staff and applications through the portal's own code.
async fn seed_demo_cases(
    config: &Config,
    db: &Db,
    profile: &demo::CityProfile,
    source: &demo::ProfileSource,
) -> anyhow::Result<()> {
    let applicants = demo::demo_applicants(profile, source, 60)?;
    let ctx = app_context(config, db).await?;
    let made = app::cases::server::demo::seed(&ctx, &applicants).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if made.already {
        println!("demo cases are already there");
        return Ok(());
    }
    println!(
        "demo cases: {} applications; set up the demo staff accounts with these one-time links:",
        made.applications
    );
    for (username, role, department, link) in &made.staff {
        println!("  {username} ({}, {department}): {link}", role.code());
    }
    Ok(())
}

/// The context every request and job works in, as `serve` builds it.
async fn app_context(config: &Config, db: &Db) -> anyhow::Result<AppContext> {
    // First, so a missing font stops the start with its setting named, not the first decision.
    let document_font = app::documents::server::DocumentFont::load(&config.document_font).map_err(|reason| {
        anyhow::anyhow!(
            "invalid value for ONESTOP_DOCUMENT_FONT: {reason} (install Debian's fonts-wqy-microhei, or name another CJK font)"
        )
    })?;
    let site = app::site::server::load(db).await.context("cannot load the site profile")?;
    if site.portal_name.zh.is_empty() {
        tracing::warn!("no site profile: run `onestop seed-demo` or load your city's profile");
    }
    let secrets = registers::load_or_create_secrets(&config.secret_key_file)?;
    let shared = registers::shared_data(config, db, &secrets).await?;
    Ok(AppContext::new(app::platform::AppServices {
        db: db.clone(),
        site: Arc::new(site),
        secure_cookies: config.secure_cookies,
        shared: Arc::new(shared),
        hospitals: app::hospitals::Provider::InProcess(Arc::new(
            app::hospitals::store::HospitalStore::open(&config.hospitals_database_url)
                .await
                .context("cannot open the hospitals' database")?,
        )),
        gas: onestop_server::gas::provider(config).await?,
        bus: Default::default(),
        secrets,
        clock: app::platform::clock::Clock::system(),
        public_origin: config.public_origin.clone(),
        mail_is_local: config.mail.smtp.is_none(),
        catalogue: Default::default(),
        credentials: Default::default(),
        applications: app::applications::server::Settings::new(
            config.draft_days,
            &config.files.limits,
            config.rating_ledger_days,
        ),
        files: app::platform::files::FileStore::new(&config.files.storage).with_context(|| {
            format!("cannot open the file store in {} (ONESTOP_FILES_DIR)", config.files.storage.dir.display())
        })?,
        document_font,
        library: onestop_server::library::library(&config.library).await?,
        map_tiles: config.map_tiles.clone(),
    }))
}

async fn serve(config: Config, db: Db) -> anyhow::Result<()> {
    let mailer = match &config.mail.smtp {
        Some((host, port)) => app::platform::mail::Mailer::smtp(host, *port, &config.mail.from),
        None => app::platform::mail::Mailer::folder(config.mail.folder.clone(), &config.mail.from),
    }
    .map_err(anyhow::Error::msg)?;
    let ctx = app_context(&config, &db).await?;
    tokio::spawn(warm_catalogue(db.clone(), ctx.catalogue.clone()));
    tokio::spawn(onestop_server::library::keep_index_current(ctx.library.clone()));
    let realtime = match &config.bus_realtime_url {
        Some(url) => onestop_server::bus::RealtimeSource::Url(url.clone()),
        None => onestop_server::bus::RealtimeSource::InProcessDemo,
    };
    tokio::spawn(onestop_server::bus::keep_current(config.bus_database_url.clone(), ctx.bus.clone(), realtime));
    // Jobs that change shared data run once per period across every instance on this database
    // (the mail sender claims each message itself); the caches above are each instance's own.
    let instance: Arc<str> = app::platform::jobs::instance_name().into();
    tokio::spawn(scheduled(db.clone(), instance.clone(), APPLICATION_JOBS, {
        let ctx = ctx.clone();
        move || application_jobs(ctx.clone())
    }));
    tokio::spawn(scheduled(db.clone(), instance.clone(), FILE_CLEAN_UP, {
        let ctx = ctx.clone();
        move || file_clean_up(ctx.clone())
    }));
    tokio::spawn(scheduled(db.clone(), instance.clone(), SUPERVISION_JOBS, {
        let ctx = ctx.clone();
        move || supervision_jobs(ctx.clone())
    }));
    tokio::spawn(scheduled(db.clone(), instance.clone(), HOSPITAL_OFFER_MAILS, {
        let ctx = ctx.clone();
        move || hospital_offer_mails(ctx.clone())
    }));
    tokio::spawn(scheduled(db.clone(), instance.clone(), DAILY_JOBS, {
        let db = db.clone();
        move || daily_jobs(db.clone())
    }));
    tokio::spawn(scheduled(db.clone(), instance.clone(), SESSION_CLEAN_UP, {
        let db = db.clone();
        move || delete_expired_sessions(db.clone())
    }));
    tokio::spawn(send_mail(db.clone(), mailer));
    let app = build_router(&config, ctx);
    let listener = tokio::net::TcpListener::bind(config.listen_addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen_addr))?;
    let admin_listener = tokio::net::TcpListener::bind(config.admin_addr)
        .await
        .with_context(|| format!("cannot listen on {} (ONESTOP_ADMIN_ADDR)", config.admin_addr))?;
    tracing::info!(listen = %config.listen_addr, admin = %config.admin_addr, origin = %config.public_origin, "serving");
    // One signal stops both listeners.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let until_stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let public = axum::serve(listener, app.router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(until_stopped(stopped.clone()));
    let admin =
        axum::serve(admin_listener, app.admin.into_make_service()).with_graceful_shutdown(until_stopped(stopped));
    tokio::try_join!(async { public.await.context("server error") }, async {
        admin.await.context("admin server error")
    })?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Builds the published catalogue's snapshot and search index (and the segmentation
/// dictionary) while the server starts listening, so the first search does not wait for it.
/// Later changes to the catalogue still rebuild it on the next use.
async fn warm_catalogue(db: Db, cache: app::catalogue::server::CatalogueCache) {
    let started = std::time::Instant::now();
    match cache.snapshot(&db).await {
        Ok(snapshot) => tracing::info!(
            items = snapshot.items.len(),
            ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "catalogue and search index ready"
        ),
        Err(err) => {
            tracing::warn!(error = ?err, "the catalogue could not be loaded at start; the first use will retry")
        }
    }
}

/// Runs `work` once per period of `schedule` across every instance on the database: each
/// instance looks a dozen times a period, and whichever claims the period first does it
/// (`platform::jobs`), so a period is not skipped while any instance is up.
async fn scheduled<Work, Run>(db: Db, instance: Arc<str>, schedule: app::platform::jobs::Schedule, mut work: Work)
where
    Work: FnMut() -> Run,
    Run: std::future::Future<Output = ()>,
{
    let look = (schedule.every / 12).max(std::time::Duration::from_secs(5));
    let mut interval = tokio::time::interval(look);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let now = app::platform::time::now_unix();
        let period = schedule.period(now);
        match app::platform::jobs::claim(&db, schedule.job, period, &instance, now).await {
            Ok(true) => {
                tracing::debug!(job = schedule.job, period, "scheduled job claimed");
                work().await;
            }
            Ok(false) => {}
            Err(err) => tracing::error!(job = schedule.job, error = %err, "cannot claim the scheduled job"),
        }
    }
}

const DAILY_JOBS: app::platform::jobs::Schedule =
    app::platform::jobs::Schedule { job: "retention", every: std::time::Duration::from_secs(24 * 3600) };
const APPLICATION_JOBS: app::platform::jobs::Schedule =
    app::platform::jobs::Schedule { job: "applications", every: std::time::Duration::from_secs(3600) };
const SUPERVISION_JOBS: app::platform::jobs::Schedule =
    app::platform::jobs::Schedule { job: "supervision-digest", every: std::time::Duration::from_secs(3600) };
const HOSPITAL_OFFER_MAILS: app::platform::jobs::Schedule =
    app::platform::jobs::Schedule { job: "hospital-offers", every: std::time::Duration::from_secs(60) };
const FILE_CLEAN_UP: app::platform::jobs::Schedule =
    app::platform::jobs::Schedule { job: "file-clean-up", every: std::time::Duration::from_secs(24 * 3600) };
const SESSION_CLEAN_UP: app::platform::jobs::Schedule =
    app::platform::jobs::Schedule { job: "session-clean-up", every: std::time::Duration::from_secs(600) };

/// Every day: delete audit rows past retention, and disable staff accounts unused for 90 days.
async fn daily_jobs(db: Db) {
    let now = app::platform::time::now_unix();
    match app::sharing::server::audit::purge(&db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(rows = n, "purged audit rows past retention"),
        Err(err) => tracing::error!(error = %err, "audit purge failed"),
    }
    match app::accounts::server::staff::disable_unused_as_of(&db, now).await {
        Ok(ids) if ids.is_empty() => {}
        Ok(ids) => tracing::info!(accounts = ?ids, "disabled staff accounts unused for 90 days"),
        Err(err) => tracing::error!(error = %err, "disabling unused staff accounts failed"),
    }
}

/// Every hour: remind citizens of drafts about to expire, remove expired drafts, give the
/// default rating to finished applications left unrated for seven days, and accept by law the
/// applications whose review period passed.
async fn application_jobs(ctx: AppContext) {
    match app::applications::server::run_daily_jobs(&ctx).await {
        Ok((0, 0, 0)) => {}
        Ok((reminded, removed, defaulted)) => {
            tracing::info!(reminded, removed, defaulted, "application drafts and ratings")
        }
        Err(err) => tracing::error!(error = %err, "application jobs failed"),
    }
    match app::cases::server::deem_overdue_reviews_accepted(&ctx).await {
        Ok(0) => {}
        Ok(accepted) => tracing::info!(accepted, "applications accepted by law after the review period"),
        Err(err) => tracing::error!(error = %err, "the review-period job failed"),
    }
}

/// Every hour: the supervisors' daily digest of overdue cases and 差评 ledger entries (sent once
/// a day from the start of the working day; the hourly run makes up a day a restart would skip).
async fn supervision_jobs(ctx: AppContext) {
    match app::supervision::server::send_daily_digests(&ctx).await {
        Ok(0) => {}
        Ok(queued) => tracing::info!(queued, "supervisors' daily digests"),
        Err(err) => tracing::error!(error = ?err, "the supervisors' digest failed"),
    }
}

/// Every minute: mail the hospitals' waiting-list offers nobody has been told about, above all
/// those made when an earlier offer lapsed (inside whatever platform call came next, or this
/// job's own, which ends lapsed offers first).
async fn hospital_offer_mails(ctx: AppContext) {
    match app::hospitals::server::announce_offers(&ctx).await {
        Ok(0) => {}
        Ok(mailed) => tracing::info!(mailed, "waiting-list offers announced"),
        Err(err) => tracing::warn!(error = ?err, "waiting-list offers could not be announced"),
    }
}

/// Every day: delete stored files no application names any more (left by an upload refused or
/// cut off before its row was written), after a day's grace.
async fn file_clean_up(ctx: AppContext) {
    let referenced = match app::applications::server::db::referenced_objects(&ctx.db).await {
        Ok(keys) => keys.into_iter().collect(),
        Err(err) => {
            tracing::error!(error = %err, "cannot list the stored files in use");
            return;
        }
    };
    match ctx.files.gc(&referenced, std::time::Duration::from_secs(24 * 3600)).await {
        Ok(report) if report.deleted + report.leftovers == 0 => {}
        Ok(report) => {
            tracing::info!(deleted = report.deleted, leftovers = report.leftovers, "unused stored files removed")
        }
        Err(err) => tracing::warn!(error = %err, "stored file clean-up failed"),
    }
}

/// The mail sender: every few seconds, deliver what is due in the outbox. It runs on every
/// instance: each message is claimed by one sender before it is sent.
async fn send_mail(db: Db, mailer: app::platform::mail::Mailer) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        interval.tick().await;
        if let Err(err) = app::platform::mail::deliver_due(&db, &mailer, app::platform::time::now_unix()).await {
            tracing::error!(error = %err, "mail outbox failed");
        }
    }
}

/// Every ten minutes: remove expired sessions, so the table stays small.
async fn delete_expired_sessions(db: Db) {
    let store = app::platform::sessions::SqlSessionStore::new(db);
    if let Err(err) = store.delete_expired().await {
        tracing::error!(error = %err, "session clean-up failed");
    }
}

/// Resolves on SIGTERM or Ctrl-C; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
