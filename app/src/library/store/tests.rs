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
