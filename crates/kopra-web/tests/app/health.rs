//! The health assessment of a savings-and-loan cooperative, end to end.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode};
use serde_json::json;

both_engines!(a_sample_ksp_scores_as_computed_by_hand);

async fn a_sample_ksp_scores_as_computed_by_hand(app: TestApp) {
    let t = app.admin().await;
    let mut ksp = cooperative("KSP Sehat Sentosa", None);
    ksp["jenis"] = json!("Simpan Pinjam");
    ksp["kelompok"] = json!("Kop. Simpan Pinjam");
    let (_, c) = app.api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(ksp)).await;
    let url = format!("/api/v1/cooperatives/{}", c["id"]);
    app.api(
        Method::POST,
        &format!("{url}/annual-reports"),
        Some(&t),
        Some(json!({"book_year": 2023, "rat_date": "2024-03-02", "modal_sendiri": 1_000_000_000i64})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("{url}/annual-reports"),
        Some(&t),
        Some(json!({"book_year": 2024, "rat_date": "2025-03-01",
        "modal_sendiri": 1_080_000_000i64, "assets": 4_320_000_000i64, "loans_given": 3_456_000_000i64})),
    )
    .await;

    let (s, p) = app
        .api(
            Method::GET,
            &format!("{url}/health-assessments/prefill?book_year=2024"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["regulation"], "permenkop-9-2020");
    assert_eq!(
        p["answers"],
        json!({"modal_sendiri_per_aset": 25.0, "pertumbuhan_modal_sendiri": 8.0, "pinjaman_per_aset_produktif": 80.0})
    );

    let mut answers = p["answers"].clone();
    for (k, v) in [
        ("prinsip_koperasi", 7),
        ("kelengkapan_kelembagaan", 8),
        ("tata_kelola_manajemen", 6),
        ("risiko_inheren", 6),
        ("manajemen_risiko", 5),
    ] {
        answers[k] = json!(v);
    }
    let (s, e) = app
        .api(
            Method::POST,
            &format!("{url}/health-assessments"),
            Some(&t),
            Some(json!({"book_year": 2024, "answers": answers.clone()})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "one indicator is missing");
    assert!(
        e["error"]["fields"]["biaya_pendidikan_per_shu"]
            .as_str()
            .unwrap()
            .contains("wajib"),
        "{e}"
    );
    answers["biaya_pendidikan_per_shu"] = json!(2.0);
    let (s, a) = app
        .api(
            Method::POST,
            &format!("{url}/health-assessments"),
            Some(&t),
            Some(json!({"book_year": 2024, "answers": answers})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["regulation"], "permenkop-9-2020");
    assert_eq!(a["result"]["total"], 74.79);
    assert_eq!(a["result"]["category_label"], "Cukup Sehat");

    let cookie = app.login_cookie("admin").await;
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{}", c["id"]), Some(&cookie), None)
        .await;
    assert!(
        html.contains("Cukup Sehat") && html.contains("74,79"),
        "the category on the cooperative page"
    );
    let (_, _, html) = app.page(Method::GET, "/", Some(&cookie), None).await;
    assert!(html.contains("Kesehatan koperasi simpan pinjam") && html.contains("Cukup Sehat"));
    let (s, _, html) = app
        .page(
            Method::GET,
            &format!("/koperasi/{}/kesehatan", c["id"]),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("value=\"25\"") && html.contains("dari 7 butir"),
        "ratios pre-filled, checklist sizes shown"
    );
    let (s, _, html) = app
        .page(
            Method::POST,
            &format!("/koperasi/{}/kesehatan", c["id"]),
            Some(&cookie),
            Some("book_year=2024&prinsip_koperasi=tujuh"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("bukan angka yang sah"));

    // A cooperative that is not a savings-and-loan one is not assessed this way.
    let (_, other) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Konsumen", None)),
        )
        .await;
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{}/health-assessments", other["id"]),
            Some(&t),
            Some(json!({"book_year": 2024, "answers": {}})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}
