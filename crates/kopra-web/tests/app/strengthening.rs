//! Strengthening cooperatives through the API: the UMKM register with size classes,
//! matchmaking, coalitions with savings, and loan readiness.

use crate::both_engines;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use kopra_domain::Role;
use serde_json::{Value, json};

both_engines!(
    size_classes_sit_on_the_regulations_edges_and_bad_umkm_are_refused_by_field,
    a_doll_cooperative_gets_doll_makers_nearby_forms_a_coalition_and_sees_its_savings,
    a_cooperative_without_a_rat_is_not_ready_for_lpdb_and_is_told_why,
    a_loan_application_moves_stage_by_stage_and_arrears_block_the_next,
    a_umkm_spreadsheet_is_checked_then_imported_and_again_changes_nothing,
);

async fn umkm(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.api(Method::POST, "/api/v1/umkm", Some(token), Some(body)).await
}

async fn size_classes_sit_on_the_regulations_edges_and_bad_umkm_are_refused_by_field(app: TestApp) {
    let t = app.admin().await;
    let cases = [
        (json!({"capital": 1_000_000_000i64}), "mikro"),
        (json!({"capital": 1_000_000_001i64}), "kecil"),
        (json!({"capital": 5_000_000_001i64}), "menengah"),
        (json!({"annual_sales": 50_000_000_000i64}), "menengah"),
        (json!({"annual_sales": 50_000_000_001i64}), "besar"),
        (
            json!({"capital": 20_000_000_000i64, "annual_sales": 1_500_000_000i64}),
            "mikro",
        ),
    ];
    for (i, (figures, class)) in cases.iter().enumerate() {
        let mut body = json!({"name": format!("Usaha {i}"), "kelurahan_code": "32.75.07.1004"});
        for (k, v) in figures.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, r) = umkm(&app, &t, body).await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert!(r["id"].as_i64().is_some());
        assert_eq!(r["size_class"], *class, "{figures}");
        assert_eq!(r["kecamatan_code"], "32.75.07");
    }
    // The basis is shown: sales decide for a running business.
    let (_, last) = app.api(Method::GET, "/api/v1/umkm?q=Usaha+5", Some(&t), None).await;
    assert_eq!(last["items"][0]["size_basis"]["basis"], "hasil_penjualan_tahunan");
    assert_eq!(last["items"][0]["size_basis"]["regulation"], "pp_7_2021");

    let (s, r) = umkm(
        &app,
        &t,
        json!({"name": "Boneka Satu", "kelurahan_code": "32.75.07.1004", "nib": "9120001234567", "kbli": ["32402"], "products": ["Boneka", "dakron"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["products"], json!(["boneka", "dakron"]));
    let (s, r) = umkm(
        &app,
        &t,
        json!({"name": "Boneka Dua", "kelurahan_code": "32.75.07.1004", "nib": "9120 0012 3456 7"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");
    assert!(r["error"]["fields"]["nib"].as_str().unwrap().contains("UMKM lain"));
    let (s, r) = umkm(
        &app,
        &t,
        json!({"name": "X", "kelurahan_code": "32.16.01.2001", "kbli": ["324"], "capital": -5}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r["error"]["field_codes"]["kbli"], "kbli_format");
    assert_eq!(r["error"]["field_codes"]["capital"], "negative");
    let (s, r) = umkm(&app, &t, json!({"name": "X", "kelurahan_code": "32.16.01.2001"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r["error"]["field_codes"]["kelurahan_code"], "region_outside_home",
        "a desa in Kabupaten Bekasi is outside Kota Bekasi's office"
    );
    // Filters by product; a pengurus cannot read the register.
    let (_, list) = app
        .api(Method::GET, "/api/v1/umkm?product=BONEKA", Some(&t), None)
        .await;
    assert_eq!(list["total"], 1);
    let (s, _) = app
        .api(Method::GET, "/api/v1/umkm?size_class=raksasa", Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, coop) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(crate::harness::cooperative("Kop Pengurus", None)),
        )
        .await;
    let pengurus = app.user("pengurus", Role::Pengurus, coop["id"].as_i64(), &[]).await;
    let (s, _) = app.api(Method::GET, "/api/v1/umkm", Some(&pengurus), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn a_doll_cooperative_gets_doll_makers_nearby_forms_a_coalition_and_sees_its_savings(app: TestApp) {
    let t = app.admin().await;
    let (_, coop) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(json!({"name": "Koperasi Sentra Pengrajin Boneka", "kelurahan_code": "32.75.07.1004"})),
        )
        .await;
    let coop_id = coop["id"].as_i64().unwrap();
    let (_, other) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(json!({"name": "Kopkar Lain", "kelurahan_code": "32.75.06.1001"})),
        )
        .await;
    let mut ids = std::collections::HashMap::new();
    for (name, kel, products) in [
        ("Boneka Cikiwul", "32.75.07.1004", json!(["boneka", "dakron"])),
        ("Boneka Mustikajaya", "32.75.11.1003", json!(["boneka"])),
        ("Kue Cikiwul", "32.75.07.1004", json!(["kue kering"])),
        ("Sepatu Medansatria", "32.75.06.1001", json!(["sepatu"])),
        ("Boneka Ditolak", "32.75.07.1007", json!(["boneka"])),
    ] {
        let (s, r) = umkm(
            &app,
            &t,
            json!({"name": name, "kelurahan_code": kel, "products": products, "capital": 50_000_000}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        ids.insert(name, r["id"].as_i64().unwrap());
    }
    let (s, m) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{coop_id}/matches"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    let names: Vec<&str> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "Boneka Cikiwul", "{m}");
    assert!(
        names.iter().position(|n| *n == "Boneka Mustikajaya") < names.iter().position(|n| *n == "Kue Cikiwul"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"Sepatu Medansatria"),
        "no shared product, not near: not proposed"
    );
    let best = &m["items"][0];
    let reasons: Vec<&str> = best["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons.iter().any(|r| r.contains("boneka")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("kelurahan")), "{reasons:?}");
    assert!(best["score"].as_u64().unwrap() > m["items"][1]["score"].as_u64().unwrap());

    // Dismissed: never proposed again.
    let (s, _) = app
        .api(
            Method::POST,
            &format!(
                "/api/v1/cooperatives/{coop_id}/matches/{}/dismiss",
                ids["Boneka Ditolak"]
            ),
            Some(&t),
            Some(json!({"reason": "sudah anggota koperasi lain"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // A coalition from the two doll makers, and a joint purchase of dacron.
    let (s, c) = app
        .api(
            Method::POST,
            "/api/v1/coalitions",
            Some(&t),
            Some(json!({"anchor_cooperative_id": coop_id, "name": "Koalisi Dakron Bantargebang", "purpose": "joint_buying",
                "umkm_ids": [ids["Boneka Cikiwul"], ids["Boneka Mustikajaya"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_i64().unwrap();
    let (s, e) = app
        .api(
            Method::POST,
            "/api/v1/coalitions",
            Some(&t),
            Some(json!({"anchor_cooperative_id": 999_999, "name": "Koalisi Tanpa Induk", "purpose": "both"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field_codes"]["anchor_cooperative_id"], "value_not_in_list");
    let (s, tx) = app
        .api(
            Method::POST,
            &format!("/api/v1/coalitions/{cid}/transactions"),
            Some(&t),
            Some(
                json!({"kind": "purchase", "date": "2026-11-20", "goods": "Dakron", "quantity": 500.0, "unit": "kg",
                "value": 9_000_000, "individual_value": 10_500_000}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{tx}");
    assert_eq!(tx["saving"], 1_500_000);
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/coalitions/{cid}/transactions"),
            Some(&t),
            Some(
                json!({"kind": "sale", "date": "2026-11-21", "goods": "Boneka", "quantity": 10.0, "value": 1_000_000}),
            ),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a joint-buying coalition records no sale: {e}"
    );
    assert_eq!(e["error"]["field_codes"]["kind"], "kind_not_allowed");
    let (_, c) = app
        .api(Method::GET, &format!("/api/v1/coalitions/{cid}"), Some(&t), None)
        .await;
    assert_eq!(c["savings"], 1_500_000);
    assert_eq!(c["members"].as_array().unwrap().len(), 2);
    // Paused, then ended: the record and its savings stay.
    let (s, c) = app
        .api(
            Method::POST,
            &format!("/api/v1/coalitions/{cid}/status"),
            Some(&t),
            Some(json!({"status": "ended"})),
        )
        .await;
    assert_eq!(
        (s, c["status"].as_str(), c["savings"].as_i64()),
        (StatusCode::OK, Some("ended"), Some(1_500_000))
    );
    // A business that closed is archived with a reason, never deleted.
    let gone = ids["Sepatu Medansatria"];
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/umkm/{gone}/archive"),
            Some(&t),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
    let (s, r) = app
        .api(
            Method::POST,
            &format!("/api/v1/umkm/{gone}/archive"),
            Some(&t),
            Some(json!({"reason": "usaha tutup"})),
        )
        .await;
    assert_eq!((s, r["archived"].as_bool()), (StatusCode::OK, Some(true)), "{r}");
    let (_, list) = app.api(Method::GET, "/api/v1/umkm?q=sepatu", Some(&t), None).await;
    assert_eq!(list["total"], 0);
    let (_, list) = app
        .api(Method::GET, "/api/v1/umkm?q=sepatu&archived=true", Some(&t), None)
        .await;
    assert_eq!(list["total"], 1);

    // Members are no longer proposed; the dismissed one neither.
    let (_, m) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{coop_id}/matches"),
            Some(&t),
            None,
        )
        .await;
    let names: Vec<&str> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Kue Cikiwul"]);

    // The anchor's pengurus sees the coalition; another cooperative's pengurus does not.
    let own = app.user("pengurus_boneka", Role::Pengurus, Some(coop_id), &[]).await;
    let stranger = app
        .user("pengurus_lain", Role::Pengurus, other["id"].as_i64(), &[])
        .await;
    let (s, c) = app
        .api(Method::GET, &format!("/api/v1/coalitions/{cid}"), Some(&own), None)
        .await;
    assert_eq!((s, c["savings"].clone()), (StatusCode::OK, json!(1_500_000)));
    let (s, _) = app
        .api(Method::GET, &format!("/api/v1/coalitions/{cid}"), Some(&stranger), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/coalitions/{cid}/transactions"),
            Some(&own),
            Some(json!({"kind": "purchase", "date": "2026-11-20", "goods": "Kain", "quantity": 1.0, "value": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a pengurus sees, the office records");
    let (_, list) = app.api(Method::GET, "/api/v1/coalitions", Some(&stranger), None).await;
    assert_eq!(list["items"], json!([]));
}

async fn a_cooperative_without_a_rat_is_not_ready_for_lpdb_and_is_told_why(app: TestApp) {
    let t = app.admin().await;
    let (_, coop) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(json!({"name": "KSP Tanpa RAT", "kelurahan_code": "32.75.04.1004", "legal_entity_number": "518/BH/XIII/2010",
                "address": "Jl. Melati 1"})),
        )
        .await;
    let id = coop["id"].as_i64().unwrap();
    let (s, r) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}/loan-readiness?channel=lpdb"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["ready"], false);
    let criteria = r["criteria"].as_array().unwrap();
    let missing: Vec<&Value> = criteria.iter().filter(|c| c["met"] == false).collect();
    let rat = missing
        .iter()
        .find(|c| c["label"].as_str().unwrap().contains("RAT"))
        .expect("the missing RAT is named");
    assert!(rat["detail"].as_str().unwrap().contains("RAT"), "{rat}");
    assert!(
        criteria
            .iter()
            .any(|c| c["met"] == true && c["label"].as_str().unwrap().to_lowercase().contains("badan hukum")),
        "the legal entity is met: {r}"
    );
    assert!(!r["documents"].as_array().unwrap().is_empty());
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}/loan-readiness?channel=arisan"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // In English, the same answer in English words.
    let (_, en) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}/loan-readiness?channel=lpdb&lang=en"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(en["ready"], false);
}

async fn a_loan_application_moves_stage_by_stage_and_arrears_block_the_next(app: TestApp) {
    let t = app.admin().await;
    let (_, coop) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(crate::harness::cooperative("KSP Pinjaman Uji", None)),
        )
        .await;
    let id = coop["id"].as_i64().unwrap();
    let (s, a) = app
        .api(
            Method::POST,
            "/api/v1/loans",
            Some(&t),
            Some(json!({"cooperative_id": id, "channel": "lpdb", "amount": 500_000_000, "rate": 6.0, "tenor_months": 36})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let loan = a["id"].as_i64().unwrap();
    assert_eq!(a["stage"], "prepared");
    let step = |stage: &str, extra: Value| {
        // No date: today, the day the application was recorded.
        let mut body = json!({"stage": stage});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    // Skipping a stage is refused; so is a rejection without a reason.
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/loans/{loan}/stage"),
            Some(&t),
            Some(step("feasible", json!({}))),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/loans/{loan}/stage"),
            Some(&t),
            Some(step("rejected", json!({}))),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for stage in ["submitted", "admin_passed", "feasible", "contract", "disbursed"] {
        let (s, r) = app
            .api(
                Method::POST,
                &format!("/api/v1/loans/{loan}/stage"),
                Some(&t),
                Some(step(stage, json!({}))),
            )
            .await;
        assert_eq!((s, r["stage"].as_str()), (StatusCode::OK, Some(stage)), "{r}");
    }
    let (_, a) = app
        .api(Method::GET, &format!("/api/v1/loans/{loan}"), Some(&t), None)
        .await;
    assert_eq!(a["events"].as_array().unwrap().len(), 6, "every move is kept");
    // A stale version is a conflict, not a lost move.
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/loans/{loan}/stage"),
            Some(&t),
            Some(step("repaying", json!({"version": 1}))),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Arrears on the LPDB loan: the readiness for the next LPDB loan names them.
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/loans/{loan}/arrears"),
            Some(&t),
            Some(json!({"in_arrears": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, r) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}/loan-readiness?channel=lpdb"),
            Some(&t),
            None,
        )
        .await;
    let arrears = r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"].as_str().unwrap().contains("tunggakan"))
        .expect("an arrears criterion");
    assert_eq!(arrears["met"], false, "{arrears}");
    // Totals by channel, stage and year.
    let (_, totals) = app.api(Method::GET, "/api/v1/loans/totals", Some(&t), None).await;
    assert_eq!(totals["items"][0]["amount"], 500_000_000);
    assert_eq!(totals["items"][0]["stage"], "disbursed");
    // A pengurus of another cooperative sees none of it.
    let (_, other) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(crate::harness::cooperative("Kop Lain", None)),
        )
        .await;
    let stranger = app
        .user("pengurus_lain", Role::Pengurus, other["id"].as_i64(), &[])
        .await;
    let (s, _) = app
        .api(Method::GET, &format!("/api/v1/loans/{loan}"), Some(&stranger), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, list) = app.api(Method::GET, "/api/v1/loans", Some(&stranger), None).await;
    assert_eq!(list["items"], json!([]));
    let own = app.user("pengurus_ksp", Role::Pengurus, Some(id), &[]).await;
    let (_, list) = app.api(Method::GET, "/api/v1/loans", Some(&own), None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // The board page shows it in its column.
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app.page(Method::GET, "/pinjaman", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("KSP Pinjaman Uji") && html.contains("Rp500.000.000"),
        "{html}"
    );
    // And the list goes to Excel, audited.
    let (s, bytes) = app.download("/pinjaman/export.xlsx", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    let cells = TestApp::workbook_cells(&bytes);
    assert!(
        cells
            .iter()
            .any(|r| r.first().map(String::as_str) == Some("KSP Pinjaman Uji") && r.iter().any(|c| c == "500000000")),
        "{cells:?}"
    );
    assert!(app.count("audit_log WHERE action = 'export.xlsx'").await >= 1);
}

async fn a_umkm_spreadsheet_is_checked_then_imported_and_again_changes_nothing(app: TestApp) {
    let t = app.admin().await;
    let cookie = app.login_cookie("admin").await;
    let auth = ("cookie", cookie.as_str());
    let bad = "DATA UMKM KOTA BEKASI 2026\n\nNAMA USAHA;PEMILIK;NIB;KBLI;PRODUK;KELURAHAN;KECAMATAN;MODAL;OMZET\n\
        Boneka Melati;Bu Sari;9120000000001;32402;boneka, dakron;Cikiwul;Bantar Gebang;250 jt;Rp 1.200.000.000\n\
        Kue Kenanga;Bu Ani;12345;10710;kue kering;Margahayu;;50000000;\n\
        Tanpa Kelurahan;Pak Budi;;;;;;;\n";
    let (s, _, html) = app
        .post_multipart(
            "/umkm/impor",
            auth,
            &[("action", None, b"commit"), ("file", Some("umkm.csv"), bad.as_bytes())],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("3 baris: 1 baru, 0 diperbarui, 0 tidak berubah, 2 ditolak"),
        "{html}"
    );
    assert!(
        html.contains("NIB «12345»: NIB harus 13 angka"),
        "row, column, value and advice: {html}"
    );
    assert!(html.contains("Kelurahan kosong"), "{html}");
    let (_, list) = app.api(Method::GET, "/api/v1/umkm", Some(&t), None).await;
    assert_eq!(list["total"], 0, "nothing is stored while rows are rejected");

    let good = "NAMA USAHA;PEMILIK;NIB;KBLI;PRODUK;KELURAHAN;KECAMATAN;MODAL;OMZET\n\
        Boneka Melati;Bu Sari;9120000000001;32402;boneka, dakron;Cikiwul;Bantar Gebang;250 jt;Rp 1.200.000.000\n\
        Kue Kenanga;Bu Ani;9120000000002;10710;kue kering;Margahayu;;50000000;\n\
        Keripik Pedas;Bu Rina;;10790;keripik;Margahayu;;;\n";
    let (s, _, html) = app
        .post_multipart(
            "/umkm/impor",
            auth,
            &[("action", None, b"check"), ("file", Some("umkm.csv"), good.as_bytes())],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("3 baris: 3 baru"), "{html}");
    assert!(!html.contains("Tersimpan"), "a check writes nothing");
    let (_, _, html) = app
        .post_multipart(
            "/umkm/impor",
            auth,
            &[("action", None, b"commit"), ("file", Some("umkm.csv"), good.as_bytes())],
        )
        .await;
    assert!(html.contains("Tersimpan: 3 UMKM baru"), "{html}");
    let (_, list) = app.api(Method::GET, "/api/v1/umkm?q=melati", Some(&t), None).await;
    let melati = &list["items"][0];
    assert_eq!(melati["capital"], 250_000_000);
    assert_eq!(melati["size_class"], "mikro", "sales of 1.2 bn: mikro");
    assert_eq!(melati["kelurahan_code"], "32.75.07.1004");
    assert_eq!(melati["products"], json!(["boneka", "dakron"]));
    let (_, _, html) = app
        .post_multipart(
            "/umkm/impor",
            auth,
            &[("action", None, b"commit"), ("file", Some("umkm.csv"), good.as_bytes())],
        )
        .await;
    assert!(
        // The business without a NIB is found by kelurahan, name and owner, not added again.
        html.contains("3 tidak berubah") && html.contains("Tersimpan: 0 UMKM baru, 0 diperbarui"),
        "{html}"
    );
    // A corrected file updates only what changed, as a new version by the import.
    let corrected = good.replace("250 jt", "300 jt");
    let (_, _, html) = app
        .post_multipart(
            "/umkm/impor",
            auth,
            &[
                ("action", None, b"commit"),
                ("file", Some("umkm.csv"), corrected.as_bytes()),
            ],
        )
        .await;
    assert!(html.contains("1 diperbarui"), "{html}");
    let id = melati["id"].as_i64().unwrap();
    let (_, h) = app
        .api(Method::GET, &format!("/api/v1/umkm/{id}/history"), Some(&t), None)
        .await;
    assert_eq!(h["items"][0]["changes"][0]["field"], "capital");
    assert!(
        h["items"][0]["actor_name"]
            .as_str()
            .unwrap()
            .starts_with("impor UMKM umkm.csv")
    );
}
