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
    the_office_sees_and_edits_the_board_and_a_pengurus_sees_only_their_own,
    the_board_is_masked_or_left_out_for_whoever_may_not_see_it,
    the_list_export_carries_the_board_only_with_personal_data,
);

const BOARD: [&str; 6] = [
    "chair_name",
    "chair_phone",
    "secretary_name",
    "treasurer_name",
    "supervisor_name",
    "manager_name",
];

fn with_board(name: &str) -> Value {
    let mut c = cooperative(name, None);
    c["chair_name"] = json!("Hj. Siti Aminah");
    c["chair_phone"] = json!("0812-3456-7890");
    c["secretary_name"] = json!("Budi Santoso");
    c["treasurer_name"] = json!("Rina Wulandari");
    c["supervisor_name"] = json!("Ahmad Fauzi");
    c["manager_name"] = json!("Dewi Lestari");
    c
}

async fn the_office_sees_and_edits_the_board_and_a_pengurus_sees_only_their_own(app: TestApp) {
    use kopra_domain::Role;
    let admin = app.admin().await;
    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;
    let (s, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&petugas),
            Some(with_board("Kop Melati")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["chair_name"], "Hj. Siti Aminah");
    assert_eq!(
        c["chair_phone"], "081234567890",
        "the chair's phone is normalised like the phone"
    );
    let id = c["id"].as_i64().unwrap();
    let (_, other) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&admin),
            Some(with_board("Kop Mawar")),
        )
        .await;
    let (s, bad) = app
        .api(
            Method::PATCH,
            &format!("/api/v1/cooperatives/{id}"),
            Some(&petugas),
            Some(json!({"chair_phone": "telepon ketua"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.to_string().contains("chair_phone"), "{bad}");

    // The petugas sees the board on the page and corrects the chair in the form.
    app.user("petugas_web", Role::Petugas, None, &[]).await;
    let cookie = app.login_cookie("petugas_web").await;
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&cookie), None)
        .await;
    assert!(html.contains("Pengurus dan pengawas"), "the board's section");
    assert!(html.contains("Hj. Siti Aminah") && html.contains("Ketua Pengawas"));
    let (_, _, form) = app
        .page(Method::GET, &format!("/koperasi/{id}/ubah"), Some(&cookie), None)
        .await;
    assert!(form.contains("name=\"chair_name\"") && form.contains("value=\"Dewi Lestari\""));
    let (s, _, html) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/ubah"),
            Some(&cookie),
            Some(
                "version=1&name=Kop+Melati&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004\
                 &chair_name=Hj.+Siti+Aminah&chair_phone=0812-9999-0000&secretary_name=Budi+Santoso\
                 &treasurer_name=&supervisor_name=Ahmad+Fauzi&manager_name=Dewi+Lestari",
            ),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, got) = app
        .api(Method::GET, &format!("/api/v1/cooperatives/{id}"), Some(&petugas), None)
        .await;
    assert_eq!(got["chair_phone"], "081299990000");
    assert_eq!(got["treasurer_name"], Value::Null, "emptied in the form, cleared");
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&cookie), None)
        .await;
    assert!(
        html.contains("HP Ketua") && html.contains("081234567890") && html.contains("081299990000"),
        "the history keeps the board's old and new values"
    );

    // A pengurus sees their own cooperative's board and may propose a change to it…
    app.user("pengurus", Role::Pengurus, Some(id), &[]).await;
    let pengurus_token = app.user("pengurus_api", Role::Pengurus, Some(id), &[]).await;
    let (s, own) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}"),
            Some(&pengurus_token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(own["chair_name"], "Hj. Siti Aminah");
    let pengurus = app.login_cookie("pengurus").await;
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&pengurus), None)
        .await;
    assert!(html.contains("Pengurus dan pengawas") && html.contains("Ahmad Fauzi"));
    let (_, _, form) = app
        .page(Method::GET, &format!("/koperasi/{id}/usul"), Some(&pengurus), None)
        .await;
    assert!(form.contains("name=\"chair_name\""), "the proposal form has the board");
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/usul"),
            Some(&pengurus),
            Some(
                "version=2&name=Kop+Melati&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004\
                 &chair_name=Hj.+Siti+Aminah&chair_phone=0812-9999-0000&secretary_name=Budi+Santoso\
                 &supervisor_name=Ahmad+Fauzi&manager_name=Rudi+Hartono&note=Manajer+baru",
            ),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&cookie), None)
        .await;
    assert!(
        html.contains("Dewi Lestari") && html.contains("Rudi Hartono"),
        "the office reviews the board change field by field"
    );
    // …but another cooperative stays refused, board or not.
    let (s, refused) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{}", other["id"]),
            Some(&pengurus_token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(!refused.to_string().contains("Siti Aminah"));
}

/// No role can read a record yet not see its board (the office has `ViewPersonalData`, a
/// pengurus reads only their own cooperative), so the masking is checked on what the
/// handlers call, for a pengurus looking at a cooperative that is not theirs.
async fn the_board_is_masked_or_left_out_for_whoever_may_not_see_it(app: TestApp) {
    use kopra_domain::Role;
    let admin = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&admin),
            Some(with_board("Kop Teratai")),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    let record = app.db.cooperative(id).await.unwrap();
    let stranger = kopra_db::users::User {
        id: 99,
        username: "pengurus_lain".into(),
        role: Role::Pengurus,
        cooperative_id: Some(id + 1000),
        kecamatan: vec![],
    };
    let json = kopra_web::register::record_json(&stranger, &record).unwrap();
    for k in BOARD {
        assert!(json.get(k).is_none(), "{k} left out: {json}");
    }
    assert_eq!(json["name"], "Kop Teratai", "the rest stays");
    let office = kopra_db::users::User {
        role: Role::Petugas,
        cooperative_id: None,
        ..stranger.clone()
    };
    let json = kopra_web::register::record_json(&office, &record).unwrap();
    assert_eq!(json["manager_name"], "Dewi Lestari");
    let history = app.db.cooperative_history(id).await.unwrap();
    let masked = kopra_web::register::mask_changes(&stranger, id, history[0].changes.clone(), "(data pribadi)");
    let chair = masked.iter().find(|c| c.field == "chair_name").unwrap();
    assert_eq!(chair.to.as_deref(), Some("(data pribadi)"));
    let name = masked.iter().find(|c| c.field == "name").unwrap();
    assert_eq!(name.to.as_deref(), Some("Kop Teratai"));
    let own = kopra_db::users::User {
        cooperative_id: Some(id),
        ..stranger
    };
    let shown = kopra_web::register::mask_changes(&own, id, history[0].changes.clone(), "(data pribadi)");
    assert!(shown.iter().any(|c| c.to.as_deref() == Some("Hj. Siti Aminah")));
}

async fn the_list_export_carries_the_board_only_with_personal_data(app: TestApp) {
    use kopra_db::cooperative_list::{CooperativeFilter, PersonalData, Sort, SortKey};
    use kopra_domain::Role;
    let admin = app.admin().await;
    app.api(
        Method::POST,
        "/api/v1/cooperatives",
        Some(&admin),
        Some(with_board("Kop Kamboja")),
    )
    .await;
    app.user("petugas", Role::Petugas, None, &[]).await;
    let cookie = app.login_cookie("petugas").await;
    let (s, _, csv) = app.page(Method::GET, "/koperasi/export.csv", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    let header_line = csv.lines().next().unwrap();
    for k in BOARD {
        assert!(header_line.contains(k), "{k} in {header_line}");
    }
    assert!(csv.contains("Hj. Siti Aminah") && csv.contains("081234567890"));

    let sort = Sort {
        key: SortKey::Name,
        descending: false,
    };
    let (headers, rows) = app
        .db
        .export_table(
            &CooperativeFilter::default(),
            &kopra_domain::Scope::All,
            sort,
            PersonalData::Omit,
        )
        .await
        .unwrap();
    assert!(BOARD.iter().all(|k| !headers.contains(k)), "{headers:?}");
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0]
            .iter()
            .all(|v| !v.contains("Siti Aminah") && !v.contains("Dewi"))
    );
    assert_eq!(rows[0].len(), headers.len());
    let (headers, rows) = app
        .db
        .export_table(
            &CooperativeFilter::default(),
            &kopra_domain::Scope::All,
            sort,
            PersonalData::Include,
        )
        .await
        .unwrap();
    assert_eq!(&headers[headers.len() - 6..], &BOARD);
    assert_eq!(rows[0][headers.len() - 1], "Dewi Lestari");
    // The ODS list has no board columns, whoever exports it.
    let ods = app
        .db
        .export_ods_csv(&kopra_domain::Scope::All, time::macros::date!(2026 - 11 - 29))
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&ods).contains("Siti Aminah"));
}

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
        ("47%2Fbh", "KOPERASI SENTRA PENGRAJIN BONEKA"),
        ("3275030", "KOPERASI SENTRA PENGRAJIN BONEKA"),
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
