//! Report attachments: type by content, size limit, stored in the database, downloaded.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use kopra_domain::Role;
use serde_json::json;

both_engines!(attachments_are_checked_by_content_and_shared);

async fn upload(
    app: &TestApp,
    path: &str,
    auth: (&str, &str),
    kind: &str,
    name: &str,
    data: &[u8],
) -> (StatusCode, String) {
    let (s, _, text) = app
        .post_multipart(
            path,
            auth,
            &[("kind", None, kind.as_bytes()), ("file", Some(name), data)],
        )
        .await;
    (s, text)
}

async fn attachments_are_checked_by_content_and_shared(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Berkas", None)),
        )
        .await;
    let (_, r) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{}/annual-reports", c["id"]),
            Some(&t),
            Some(json!({"book_year": 2024, "rat_date": "2025-03-01"})),
        )
        .await;
    let path = format!("/api/v1/annual-reports/{}/attachments", r["id"]);
    let bearer = format!("Bearer {t}");
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n".to_vec();

    let (s, body) = upload(
        &app,
        &path,
        ("authorization", &bearer),
        "rat_minutes",
        "C:\\dok\\notulen RAT 2024.pdf",
        &pdf,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            info["content_type"].as_str(),
            info["file_name"].as_str(),
            info["size"].as_i64()
        ),
        (
            Some("application/pdf"),
            Some("notulen RAT 2024.pdf"),
            Some(pdf.len() as i64)
        )
    );

    // A page of HTML named .pdf is refused: the content decides.
    let (s, body) = upload(
        &app,
        &path,
        ("authorization", &bearer),
        "other",
        "surat.pdf",
        b"<html><script>alert(1)</script>",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("PDF, JPEG atau PNG"), "{body}");
    // Over 10 MB is refused with a message, not a dropped connection.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'x');
    let (s, body) = upload(&app, &path, ("authorization", &bearer), "other", "besar.pdf", &big).await;
    assert!(
        s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::PAYLOAD_TOO_LARGE,
        "{s}"
    );
    assert!(body.contains("10 MB"), "{}", &body[..body.len().min(300)]);
    let (_, list) = app.api(Method::GET, &path, Some(&t), None).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "nothing stored from refused files"
    );

    // Download: the same bytes, as a download.
    let req = Request::builder()
        .uri(format!("/api/v1/attachments/{}", info["id"]))
        .header("authorization", &bearer)
        .body(Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(
        resp.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(bytes.as_ref(), pdf.as_slice());

    // The cooperative's pengurus may read it but not add files; another cooperative's may not read it.
    let own = app
        .user("pengurus", Role::Pengurus, Some(c["id"].as_i64().unwrap()), &[])
        .await;
    let (_, other_coop) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Lain", None)),
        )
        .await;
    let stranger = app
        .user(
            "pengurus_lain",
            Role::Pengurus,
            Some(other_coop["id"].as_i64().unwrap()),
            &[],
        )
        .await;
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/attachments/{}", info["id"]),
            Some(&own),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/attachments/{}", info["id"]),
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = upload(
        &app,
        &path,
        ("authorization", &format!("Bearer {own}")),
        "other",
        "x.pdf",
        &pdf,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Through the page, with the session cookie.
    let cookie = app.login_cookie("admin").await;
    let page_path = format!("/koperasi/{}/laporan/{}/lampiran", c["id"], r["id"]);
    let (s, _) = upload(
        &app,
        &page_path,
        ("cookie", &cookie),
        "financial_statement",
        "neraca.png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{}", c["id"]), Some(&cookie), None)
        .await;
    assert!(html.contains("Laporan keuangan · neraca.png") && html.contains("Notulen RAT · notulen RAT 2024.pdf"));
}
