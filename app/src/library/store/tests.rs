use super::*;
use crate::library::demo::{generate, LibraryProfile};
use crate::site::Bilingual;

fn profile() -> LibraryProfile {
    let branch = |code: &str, zh: &str| Branch {
        code: code.into(),
        name: Bilingual { zh: zh.into(), en: code.into() },
        address: Bilingual { zh: "演示地址".into(), en: "demo address".into() },
        hours: Bilingual { zh: "9:00–17:00".into(), en: "9:00–17:00".into() },
        longitude: 103.8,
        latitude: 36.0,
    };
    LibraryProfile {
        seed: 11,
        as_of: "2026-01-01".into(),
        records: 1500,
        marc: vec![],
        branches: vec![branch("main", "总馆"), branch("east", "东区分馆")],
        patrons: Vec::new(),
        rules: crate::library::demo::default_rules(),
    }
}

#[tokio::test]
async fn the_store_serves_records_changes_and_live_holdings_from_its_own_database() {
    let dir = std::env::temp_dir().join(format!("onestop-library-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/library.db?mode=rwc", dir.display());
    let store = LibraryStore::open(&url).await.expect("opens");
    let marc = vec![include_bytes!("../../../../server/demo/library/loc_books_chi_sample.mrc.gz").to_vec()];
    let data = generate(&profile(), &marc).expect("generates");
    store.install(&data).await.expect("installs");
    assert_eq!(store.installed_fingerprint().await.expect("reads").as_deref(), Some(data.fingerprint.as_str()));

    let branches = store.branches().await.expect("branches");
    assert_eq!(branches.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), ["main", "east"]);

    // The whole catalogue comes back page by page, each record once, with its branches.
    let mut cursor = 0;
    let mut seen = 0;
    loop {
        let page = store.changes(&ChangesRequest { cursor, limit: 400 }).await.expect("changes");
        assert_eq!(page.total, 1500);
        if page.records.is_empty() {
            break;
        }
        for changed in &page.records {
            assert!(changed.seq > cursor);
            assert!(!changed.branches.is_empty(), "{} has no branch", changed.record.id);
            let expected =
                data.items.iter().any(|i| i.record_id == changed.record.id && i.status == ItemStatus::OnShelf);
            assert_eq!(changed.available, expected);
        }
        seen += page.records.len();
        cursor = page.next_cursor;
    }
    assert_eq!(seen, 1500);

    let first = &data.records[0];
    assert_eq!(&store.record(&first.id).await.expect("record"), first);
    assert_eq!(store.record("loc-nonexistent").await, Err(ProviderError::NotFound));
    assert!(matches!(store.record("'; DROP").await, Err(ProviderError::BadRequest(_))));

    let ids = vec![first.id.clone(), data.records[1].id.clone()];
    let items = store.holdings(&HoldingsRequest { record_ids: ids.clone() }).await.expect("holdings");
    let expected = data.items.iter().filter(|i| ids.contains(&i.record_id)).count();
    assert_eq!(items.len(), expected);
    let too_many = HoldingsRequest { record_ids: vec!["gen-000001".into(); MAX_HOLDINGS_RECORDS + 1] };
    assert!(matches!(store.holdings(&too_many).await, Err(ProviderError::BadRequest(_))));
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A library of 300 records with two demo readers, installed as `seed-demo` does today.
async fn with_readers(name: &str) -> (LibraryStore, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("onestop-library-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = LibraryStore::open(&format!("sqlite://{}/library.db?mode=rwc", dir.display())).await.expect("opens");
    let mut profile = profile();
    profile.records = 300;
    profile.patrons = vec![
        crate::library::demo::DemoPatron { card: "1000000001".into(), name: "甲".into(), pin: "1111".into() },
        crate::library::demo::DemoPatron { card: "1000000002".into(), name: "乙".into(), pin: "2222".into() },
    ];
    store.install(&generate(&profile, &[]).expect("generates")).await.expect("installs");
    let today = crate::platform::time::beijing_today();
    assert!(store.install_patrons(&profile, today).await.expect("readers"));
    assert!(!store.install_patrons(&profile, today).await.expect("readers"), "the same readers are kept");
    (store, dir)
}

#[tokio::test]
async fn a_pin_is_checked_with_the_same_work_for_known_and_unknown_cards() {
    let (store, dir) = with_readers("pin").await;
    let check = |card: &str, pin: &str| PatronCheck { card_no: card.into(), pin: pin.into() };
    assert_eq!(store.verify_patron(&check("1000000001", "1111")).await, Ok(true));
    assert_eq!(store.verify_patron(&check("1000000001", "2222")).await, Ok(false), "another card's PIN");
    assert_eq!(store.verify_patron(&check("1000000003", "1111")).await, Ok(false), "no such card");
    assert_eq!(store.verify_patron(&check("1000000001", "")).await, Ok(false));
    assert!(matches!(store.verify_patron(&check("10'; --", "1111")).await, Err(ProviderError::BadRequest(_))));
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn renewals_follow_the_rules_and_a_copy_is_reserved_once() {
    let (store, dir) = with_readers("lending").await;
    let account = store.patron("1000000001").await.expect("account");
    assert_eq!(account.name, "甲");
    assert_eq!(account.loans.len(), 4);
    let rules = account.rules;
    let today = crate::platform::time::beijing_today();
    let renew = |barcode: &str| RenewRequest { card_no: "1000000001".into(), barcode: barcode.into() };
    let by = |f: &dyn Fn(&Loan) -> bool| account.loans.iter().find(|l| f(l)).expect("such a loan").barcode.clone();
    let limit = by(&|l| l.renewals == rules.max_renewals);
    let reserved = by(&|l| l.reserved_by_another);
    let overdue = by(&|l| l.due_date < account.today);
    let fine = by(&|l| l.renewals == 0 && !l.reserved_by_another && l.due_date >= account.today);
    assert_eq!(store.renew(&renew(&limit)).await, Ok(Err(RenewRefusal::LimitReached)));
    assert_eq!(store.renew(&renew(&reserved)).await, Ok(Err(RenewRefusal::Reserved)));
    assert_eq!(store.renew(&renew(&overdue)).await, Ok(Err(RenewRefusal::Overdue)));
    let due = crate::platform::time::day_text(today + time::Duration::days(i64::from(rules.renew_days)));
    assert_eq!(store.renew(&renew(&fine)).await, Ok(Ok(Renewed { due_date: due.clone() })));
    let again = store.patron("1000000001").await.expect("account");
    let renewed = again.loans.iter().find(|l| l.barcode == fine).expect("the loan");
    assert_eq!((renewed.renewals, renewed.due_date.as_str()), (1, due.as_str()));
    // Another reader cannot renew this reader's loan.
    let theirs = RenewRequest { card_no: "1000000002".into(), barcode: fine.clone() };
    assert_eq!(store.renew(&theirs).await, Ok(Err(RenewRefusal::NotOnLoan)));
    // The next reader's hold on the reserved loan waits for its return.
    let other = store.patron("1000000002").await.expect("account");
    assert!(other.holds.iter().any(|h| h.barcode == reserved && h.pickup_by.is_none()), "{other:?}");

    // Reserving: a copy on the shelf becomes on hold, once.
    let items = store
        .holdings(&HoldingsRequest { record_ids: vec!["gen-000001".into(), "gen-000002".into(), "gen-000003".into()] })
        .await
        .expect("holdings");
    let copy = items.iter().find(|i| i.status == ItemStatus::OnShelf).expect("a copy on the shelf").clone();
    let reserve = |card: &str, barcode: &str, branch: &str| ReserveRequest {
        card_no: card.into(),
        barcode: barcode.into(),
        pickup_branch: branch.into(),
    };
    let hold = store.reserve(&reserve("1000000001", &copy.barcode, "east")).await.expect("answers").expect("reserved");
    let pickup_by = crate::platform::time::day_text(today + time::Duration::days(i64::from(rules.pickup_days)));
    assert_eq!((hold.pickup_branch.as_str(), hold.pickup_by.as_deref()), ("east", Some(pickup_by.as_str())));
    let now = store.holdings(&HoldingsRequest { record_ids: vec![copy.record_id.clone()] }).await.expect("holdings");
    assert_eq!(now.iter().find(|i| i.barcode == copy.barcode).map(|i| i.status), Some(ItemStatus::OnHold));
    assert_eq!(
        store.reserve(&reserve("1000000002", &copy.barcode, "main")).await,
        Ok(Err(ReserveRefusal::NotAvailable)),
        "a reserved copy is not reserved again"
    );
    assert_eq!(store.reserve(&reserve("1000000002", "399999999999", "main")).await, Ok(Err(ReserveRefusal::Unknown)));
    assert_eq!(store.reserve(&reserve("1000000002", &copy.barcode, "nowhere")).await, Ok(Err(ReserveRefusal::Unknown)));
    assert!(store.patron("1000000001").await.expect("account").holds.iter().any(|h| h.barcode == copy.barcode));
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
