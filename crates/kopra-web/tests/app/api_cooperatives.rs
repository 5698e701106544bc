//! The register through the API: create, validation, conflicts, history, archive, search.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

both_engines!(
    create_returns_the_record_with_derived_regions,
    bad_input_is_refused_with_the_field_named_and_nothing_stored,
    a_nik_can_be_used_only_once,
    stale_edits_conflict_and_history_keeps_every_version,
    archive_needs_a_reason_and_keeps_the_record,
    search_is_tolerant_and_filters_combine,
    regions_and_openapi_are_served,
);

async fn create_returns_the_record_with_derived_regions(app: TestApp) {
    let t = app.admin().await;
    let (s, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Koperasi Maju Bersama", Some("3275050020999"))),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    for field in [
        "id",
        "nik",
        "name",
        "legal_entity_number",
        "legal_entity_date",
        "address",
        "kelurahan_code",
        "kecamatan_code",
        "kabkota_code",
        "bentuk",
        "jenis",
        "kelompok",
        "sektor",
        "loop",
        "phone",
        "email",
        "certificate_valid_until",
        "ods_grade",
        "supervised",
        "archived",
        "version",
        "created_at",
        "updated_at",
    ] {
        assert!(c.get(field).is_some(), "record lacks {field}: {c}");
    }
    assert_eq!(c["kecamatan_code"], "32.75.04");
    assert_eq!(c["legal_entity_date"], serde_json::Value::Null);
    let (_, dated) = app
        .api(
            Method::PATCH,
            &format!("/api/v1/cooperatives/{}", c["id"]),
            Some(&t),
            Some(json!({"legal_entity_date": "2009-12-28"})),
        )
        .await;
    assert_eq!(dated["legal_entity_date"], "2009-12-28", "dates are ISO text in JSON");
    let c = dated;
    assert_eq!(c["kabkota_code"], "32.75");
    assert_eq!(c["supervised"], true);
    assert_eq!(c["version"], 2);
    let (s, got) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{}", c["id"]),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got, c);
    // A Primer Nasional cooperative in the city is listed but not supervised by the city.
    let mut national = cooperative("KSP Lima Garuda", None);
    national["bentuk"] = json!("Primer Nasional");
    let (_, n) = app
        .api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(national))
        .await;
    assert_eq!(n["supervised"], false);
}

async fn bad_input_is_refused_with_the_field_named_and_nothing_stored(app: TestApp) {
    let t = app.admin().await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (cooperative("Kop A", Some("12345")), "nik", "13 angka"),
        (
            json!({"name": "Kop B", "kelurahan_code": "32.75.04.1999"}),
            "kelurahan_code",
            "tidak ada",
        ),
        (json!({"name": "  ", "kecamatan_code": "32.75.04"}), "name", "wajib"),
        (
            json!({"name": "Kop C", "kecamatan_code": "32.16.01"}),
            "kecamatan_code",
            "luar wilayah",
        ),
        (
            json!({"name": "Kop D", "kecamatan_code": "32.75.04", "email": "bukan surel"}),
            "email",
            "surel",
        ),
        (
            json!({"name": "Kop E", "kecamatan_code": "32.75.04", "jenis": "Leasing"}),
            "jenis",
            "pilihan",
        ),
        (
            json!({"name": "Kop F", "kecamatan_code": "32.75.04", "legal_entity_date": "31/02/2019"}),
            "legal_entity_date",
            "TTTT-BB-HH",
        ),
    ];
    for (body, field, words) in cases {
        let (s, e) = app
            .api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {e}");
        assert_eq!(e["error"]["code"], "invalid");
        let msg = e["error"]["fields"][field]
            .as_str()
            .unwrap_or_else(|| panic!("no message for {field}: {e}"));
        assert!(msg.contains(words), "{field}: {msg}");
    }
    // Malformed JSON, a wrong content type, and an oversized body.
    let raw = |body: &str, ctype: &str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/cooperatives")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (s, _, text) = app.send(raw("{\"name\": ", "application/json")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("invalid_json"));
    let (s, _, _) = app.send(raw("name=x", "text/plain")).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = format!(
        "{{\"name\": \"{}\", \"kecamatan_code\": \"32.75.04\"}}",
        "x".repeat(300 * 1024)
    );
    let (s, _, text) = app.send(raw(&big, "application/json")).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{}", &text[..text.len().min(200)]);
    let (s, e) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(json!({"name": "Kop G", "kecamatan_code": "32.75.04", "colour": "red"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(app.count("cooperatives").await, 0);
    assert_eq!(app.count("cooperative_versions").await, 0);
}

async fn a_nik_can_be_used_only_once(app: TestApp) {
    let t = app.admin().await;
    let (s, _) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Satu", Some("3275050020111"))),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, e) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Dua", Some("3275050020111"))),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["error"]["fields"]["nik"].as_str().unwrap().contains("sudah dipakai"));
    assert_eq!(app.count("cooperatives").await, 1);
}

async fn stale_edits_conflict_and_history_keeps_every_version(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Lama", None)),
        )
        .await;
    let url = format!("/api/v1/cooperatives/{}", c["id"]);
    let (s, v2) = app
        .api(
            Method::PATCH,
            &url,
            Some(&t),
            Some(json!({"name": "Kop Baru", "version": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v2}");
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["jenis"], "Konsumen", "unchanged fields stay");
    // Someone still holding version 1 is refused, and told what is current.
    let (s, e) = app
        .api(
            Method::PATCH,
            &url,
            Some(&t),
            Some(json!({"name": "Kop Tertimpa", "version": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(e["error"]["code"], "stale");
    assert_eq!(e["current"]["name"], "Kop Baru");
    // Without a version the change applies to the current one; null clears a field.
    let (s, v3) = app
        .api(
            Method::PATCH,
            &url,
            Some(&t),
            Some(json!({"phone": "0812-3456-7890", "kelompok": null})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v3}");
    assert_eq!(v3["phone"], "081234567890");
    assert_eq!(v3["kelompok"], Value::Null);
    let (s, h) = app.api(Method::GET, &format!("{url}/history"), Some(&t), None).await;
    assert_eq!(s, StatusCode::OK);
    let items = h["items"].as_array().unwrap();
    assert_eq!(
        items.iter().map(|i| i["version"].as_i64().unwrap()).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert_eq!(items[1]["actor_name"], "admin");
    assert_eq!(
        items[1]["changes"],
        json!([{"field": "name", "from": "Kop Lama", "to": "Kop Baru"}])
    );
    assert_eq!(items[2]["action"], "create");
    let (rows, _) = app
        .db
        .audit_rows(
            &kopra_db::audit::AuditFilter {
                entity_type: Some("cooperative".into()),
                ..Default::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "one audit row per write");
    assert!(rows[1].before.as_deref().unwrap().contains("Kop Lama"));
    assert!(rows[1].after.as_deref().unwrap().contains("Kop Baru"));
}

async fn archive_needs_a_reason_and_keeps_the_record(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Tidur", Some("3275050020222"))),
        )
        .await;
    let url = format!("/api/v1/cooperatives/{}", c["id"]);
    let (s, e) = app
        .api(
            Method::POST,
            &format!("{url}/archive"),
            Some(&t),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["reason"].is_string());
    let (s, a) = app
        .api(
            Method::POST,
            &format!("{url}/archive"),
            Some(&t),
            Some(json!({"reason": "Tidak ditemukan di alamat", "version": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["archived"], true);
    let (_, list) = app.api(Method::GET, "/api/v1/cooperatives", Some(&t), None).await;
    assert_eq!(list["total"], 0, "archived records leave the usual list");
    let (_, list) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives?archived=true&q=tidur",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(list["total"], 1, "and are found on request");
    let (_, h) = app.api(Method::GET, &format!("{url}/history"), Some(&t), None).await;
    assert_eq!(h["items"][0]["action"], "archive");
    assert_eq!(h["items"][0]["reason"], "Tidak ditemukan di alamat");
    assert_eq!(h["items"].as_array().unwrap().len(), 2);
    // Archiving twice is a conflict, not a second archive.
    let (s, _) = app
        .api(
            Method::POST,
            &format!("{url}/archive"),
            Some(&t),
            Some(json!({"reason": "lagi"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

async fn search_is_tolerant_and_filters_combine(app: TestApp) {
    let t = app.admin().await;
    let mut boneka = cooperative("KOPERASI SENTRA PENGRAJIN BONEKA", Some("3275030010021"));
    boneka["kelurahan_code"] = json!("32.75.07.1004");
    boneka["legal_entity_number"] = json!("47/BH/PRAKOP/XI/2008");
    app.api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(boneka))
        .await;
    let mut ksp = cooperative("KSP Lima Garuda", Some("3275050020033"));
    ksp["jenis"] = json!("Simpan Pinjam");
    app.api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(ksp)).await;
    for (q, expect) in [
        ("kop.%20sentra%20pengrajin", "KOPERASI SENTRA PENGRAJIN BONEKA"),
        ("boneka", "KOPERASI SENTRA PENGRAJIN BONEKA"),
        ("Koperasi%20Lima%20Garuda", "KSP Lima Garuda"),
        ("3275050020033", "KSP Lima Garuda"),
        ("prakop%2Fxi", "KOPERASI SENTRA PENGRAJIN BONEKA"),
    ] {
        let (s, r) = app
            .api(Method::GET, &format!("/api/v1/cooperatives?q={q}"), Some(&t), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["total"], 1, "q={q}: {r}");
        assert_eq!(r["items"][0]["name"], expect);
    }
    let (_, r) = app
        .api(Method::GET, "/api/v1/cooperatives?kecamatan=32.75.07", Some(&t), None)
        .await;
    assert_eq!(r["total"], 1);
    let (_, r) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives?jenis=Simpan%20Pinjam&kecamatan=32.75.07",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r["total"], 0);
    let (_, r) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives?per_page=1&page=2&sort=name",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(
        (r["total"].as_i64(), r["page"].as_i64(), r["per_page"].as_i64()),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(r["items"][0]["name"], "KSP Lima Garuda");
    let (s, e) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives?per_page=100000&supervised=kadang",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["per_page"].is_string() && e["error"]["fields"]["supervised"].is_string());
    // LIKE wildcards typed by users are literal.
    let (_, r) = app.api(Method::GET, "/api/v1/cooperatives?q=%25", Some(&t), None).await;
    assert_eq!(r["total"], 0);
}

async fn regions_and_openapi_are_served(app: TestApp) {
    let t = app.admin().await;
    let (s, r) = app
        .api(
            Method::GET,
            "/api/v1/regions?level=kecamatan&parent=32.75",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["items"].as_array().unwrap().len(), 12);
    let (_, r) = app
        .api(Method::GET, "/api/v1/regions?level=provinsi", Some(&t), None)
        .await;
    assert_eq!(r["items"].as_array().unwrap().len(), 38);
    let (_, r) = app.api(Method::GET, "/api/v1/regions", Some(&t), None).await;
    assert_eq!(r["items"].as_array().unwrap().len(), 38, "provinces by default");
    let (_, r) = app
        .api(Method::GET, "/api/v1/regions?parent=32.75.04", Some(&t), None)
        .await;
    assert_eq!(r["items"][3]["name"], "Jakasetia");
    let (_, r) = app.api(Method::GET, "/api/v1/regions?level=kota", Some(&t), None).await;
    assert_eq!(r["items"].as_array().unwrap().len(), 98);
    let (s, _) = app
        .api(Method::GET, "/api/v1/regions?level=negara", Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, doc) = app.api(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/cooperatives",
        "/api/v1/cooperatives/{id}",
        "/api/v1/cooperatives/{id}/archive",
        "/api/v1/cooperatives/{id}/history",
        "/api/v1/auth/token",
        "/api/v1/regions",
    ] {
        assert!(doc["paths"].get(path).is_some(), "OpenAPI lacks {path}");
    }
    assert!(doc["components"]["schemas"]["CooperativeRecord"].is_object());
}
