//! Issued documents through the real router on both databases: a decision issues its notice in
//! the decision's transaction; the applicant finds it on their case page and downloads the PDF
//! (Chinese text a reader extracts, the same bytes every time); anyone verifies it by the QR
//! code's address, which says whether it is current; a second 补正 replaces the first; forged
//! references, other citizens and other departments get 404; clerks' downloads are audited.

use crate::applications::verified_citizen;
use crate::cases::{answer_supplement, case_worker, decide, status_of, submitted_low_income};
use crate::on_both_backends;
use crate::registers::LI_NA;
use crate::support::{body_text, TestApp};
use app::accounts::StaffRole;
use app::documents::server::testing::pdf_text;
use axum::body::Body;
use axum::http::Response;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

async fn body_bytes(res: Response<Body>) -> Vec<u8> {
    res.into_body().collect().await.expect("body").to_bytes().to_vec()
}

/// The download links of documents on a page, newest first as listed.
fn document_links(page: &str, base: &str) -> Vec<String> {
    page.match_indices(&format!("href=\"{base}/documents/"))
        .map(|(i, _)| {
            let start = i + "href=\"".len();
            page[start..start + page[start..].find('"').expect("closed attribute")].to_owned()
        })
        .collect()
}

/// The verification reference printed on a document (its verification address).
fn printed_reference(text: &str) -> String {
    let at = text.find("/verify/").expect("the verification address is printed") + "/verify/".len();
    text[at..at + 32].to_owned()
}

/// (kind, current) of the application's documents in the database, oldest first.
async fn stored(app: &TestApp, number: &str) -> Vec<(String, bool)> {
    let rows: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT kind, superseded_at FROM case_documents WHERE number = $1 ORDER BY id")
            .bind(number)
            .fetch_all(app.db.pool())
            .await
            .expect("documents");
    rows.into_iter().map(|(kind, superseded)| (kind, superseded.is_none())).collect()
}

fn supplement_request(reason: &'static str) -> [(&'static str, &'static str); 3] {
    [("action", "request_supplement"), ("need.income_statement", "yes"), ("why.income_statement", reason)]
}

on_both_backends!(decisions_issue_documents_the_applicant_downloads_and_anyone_verifies, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let case_page = format!("/applications/{reference}");
    assert!(body_text(citizen.get(&case_page).await).await.contains("还没有出具文书"));

    // 补正: the notice is stored with the decision and listed on the applicant's page.
    let res = decide(&mut clerk, &number, &supplement_request("请提供近6个月的收入证明")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(stored(&app, &number).await, [("supplement".to_owned(), true)]);
    let page = body_text(citizen.get(&case_page).await).await;
    assert!(page.contains("补正材料告知书") && page.contains("有效"));
    let links = document_links(&page, &case_page);
    assert_eq!(links.len(), 1);
    let res = citizen.get(&links[0]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert!(disposition.starts_with(&format!("attachment; filename=\"supplement-{number}.pdf\"")), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''%E8%A1%A5%E6%AD%A3"), "the Chinese name too: {disposition}");
    let first = body_bytes(res).await;
    let text = pdf_text(&first);
    let (item, department): (String, String) =
        sqlx::query_as("SELECT item_name, department_name FROM case_documents WHERE number = $1")
            .bind(&number)
            .fetch_one(app.db.pool())
            .await
            .expect("document");
    for expected in ["补正材料告知书", number.as_str(), "张伟", &item, &department, "请提供近6个月的收入证明"]
    {
        assert!(text.contains(expected), "{expected} missing from the notice: {text}");
    }
    assert!(text.contains(&app.ctx.site.portal_name.zh), "the portal's name comes from the site profile");

    // Anyone verifies it by its printed address, without signing in; the name is masked.
    let old_reference = printed_reference(&text);
    let verify = app.get(&format!("/verify/{old_reference}")).await;
    assert_eq!(verify.status(), 200);
    let verify = body_text(verify).await;
    assert!(verify.contains("真实文书，当前有效") && verify.contains(&number) && verify.contains(&item));
    assert!(verify.contains("张*") && !verify.contains("张伟"), "only the masked name");
    assert!(verify.contains(&hex::encode(Sha256::digest(&first))), "the digest of the file the applicant holds");

    // A second 补正 replaces the first, which still verifies as genuine but replaced.
    answer_supplement(&mut citizen, &reference, "收入证明.pdf", "已补充").await;
    let res = decide(&mut clerk, &number, &supplement_request("收入证明缺少单位盖章")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(stored(&app, &number).await, [("supplement".to_owned(), false), ("supplement".to_owned(), true)]);
    let verify = body_text(app.get(&format!("/verify/{old_reference}")).await).await;
    assert!(verify.contains("已被之后出具的同类文书替代") && !verify.contains("当前有效"));
    let page = body_text(citizen.get(&case_page).await).await;
    let links = document_links(&page, &case_page);
    assert_eq!(links.len(), 2, "both notices stay downloadable");
    assert!(page.contains("已被新文书替代"));
    let newest = pdf_text(&body_bytes(citizen.get(&links[0]).await).await);
    assert!(newest.contains("收入证明缺少单位盖章"), "newest first");
    let new_reference = printed_reference(&newest);
    assert!(body_text(app.get(&format!("/verify/{new_reference}")).await).await.contains("当前有效"));
    assert_eq!(body_bytes(citizen.get(&links[1]).await).await, first, "an issued document never changes");

    // 受理 issues the acceptance notice; the clerk downloads it from the console (audited).
    answer_supplement(&mut citizen, &reference, "收入证明-盖章.pdf", "已盖章").await;
    assert_eq!(decide(&mut clerk, &number, &[("action", "accept")]).await.status(), 303);
    assert_eq!(status_of(&app, &number).await, "accepted");
    let console = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    let staff_links = document_links(&console, &format!("/staff/cases/{number}"));
    assert_eq!(staff_links.len(), 3);
    assert!(console.contains("受理通知书"));
    let res = clerk.get(&staff_links[0]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let acceptance = pdf_text(&body_bytes(res).await);
    assert!(acceptance.contains("受理通知书") && acceptance.contains("决定予以受理") && acceptance.contains(&number));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_audit WHERE action = 'document_download' AND outcome = 'ok' AND detail = $1",
    )
    .bind(staff_links[0].rsplit('/').next().expect("id"))
    .fetch_one(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(audited, 1, "the clerk's download is in the case audit");
    let verify = body_text(app.get(&format!("/verify/{}", printed_reference(&acceptance))).await).await;
    assert!(verify.contains("受理通知书") && verify.contains("当前有效"));

    // 准予许可 issues the decision; 办结 issues nothing more.
    assert_eq!(decide(&mut clerk, &number, &[("action", "approve")]).await.status(), 303);
    assert_eq!(decide(&mut clerk, &number, &[("action", "complete")]).await.status(), 303);
    let kinds: Vec<String> = stored(&app, &number).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["supplement", "supplement", "acceptance", "approval"]);

    // The database keeps documents as issued.
    let changed =
        sqlx::query("UPDATE case_documents SET pdf = $1").bind(b"%PDF-".to_vec()).execute(app.db.pool()).await;
    assert!(changed.is_err(), "an issued document cannot be rewritten");
    assert!(sqlx::query("DELETE FROM case_documents").execute(app.db.pool()).await.is_err());
});

on_both_backends!(forged_references_other_citizens_and_other_departments_get_nothing, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    assert_eq!(decide(&mut clerk, &number, &[("action", "accept")]).await.status(), 303);
    let case_page = format!("/applications/{reference}");
    let link = document_links(&body_text(citizen.get(&case_page).await).await, &case_page).remove(0);
    let id = link.rsplit('/').next().expect("id").to_owned();
    let genuine = printed_reference(&pdf_text(&body_bytes(citizen.get(&link).await).await));

    // A changed character, another length or a reference signed by another key: 404, no facts.
    let mut forged = genuine.clone().into_bytes();
    forged[20] = if forged[20] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).expect("ascii");
    let other_key = app::platform::secrets::Secrets::from_master(&[9; 32]).expect("key").documents().new_reference();
    for reference in [forged.as_str(), &genuine[..31], "ABC", other_key.as_str()] {
        let res = app.get(&format!("/verify/{reference}")).await;
        assert_eq!(res.status(), 404, "{reference}");
        let page = body_text(res).await;
        assert!(page.contains("不是本平台出具的真实文书"), "{reference}");
        assert!(!page.contains(&number) && !page.contains("张*"), "nothing about any document");
        let api = app.get(&format!("/api/documents/verify?reference={reference}")).await;
        assert_eq!(api.status(), 404);
    }
    assert_eq!(app.get(&format!("/verify/{genuine}")).await.status(), 200);

    // Another citizen, or nobody signed in: 404 for the download, nothing in the list.
    let mut other = verified_citizen(&app, "李娜", LI_NA, "li.na@example.cn").await;
    assert_eq!(other.get(&link).await.status(), 404);
    assert_eq!(app.get(&link).await.status(), 404);
    let listed = other.get(&format!("/api/documents/mine?reference={reference}")).await;
    assert_eq!(body_text(listed).await, "[]");
    let citizen_path_to_staff_route = format!("/staff/cases/{number}/documents/{id}");
    assert_eq!(citizen.get(&citizen_path_to_staff_route).await.status(), 404, "a citizen is not staff");

    // A clerk of another department: 404, and no case of theirs to audit it under.
    let mut police = case_worker(&app, "clerk.police", StaffRole::WindowClerk, Some("public-security")).await;
    assert_eq!(police.get(&citizen_path_to_staff_route).await.status(), 404);
    assert_eq!(police.get(&format!("/api/staff/cases/documents?number={number}")).await.status(), 200);
    assert_eq!(body_text(police.get(&format!("/api/staff/cases/documents?number={number}")).await).await, "[]");

    // The department's clerk asking for a document the case does not have: 404, audited.
    let res = clerk.get(&format!("/staff/cases/{number}/documents/{}", id.parse::<i64>().expect("id") + 1000)).await;
    assert_eq!(res.status(), 404);
    let refused: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_audit WHERE action = 'document_download' AND outcome = 'not_found'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(refused, 1);
});
