//! Annual reports drive the status; activation figures match a direct count.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode};
use kopra_domain::HomeRegion;
use kopra_domain::Role;
use kopra_domain::names::region_name_key;
use serde_json::json;
use std::collections::HashMap;

both_engines!(
    a_rat_report_changes_the_status_from_its_date,
    activation_of_the_demo_equals_a_direct_count,
    the_plan_has_milestones_and_actuals,
    pages_show_the_same_figures_as_the_api,
    a_report_entered_in_the_form_makes_the_cooperative_active,
    the_worklist_ranks_with_reasons_and_can_be_assigned,
    activation_for_today_counts_the_stored_statuses_and_agrees_with_the_engine,
    a_province_and_the_ministry_see_counts_by_kabkota_and_by_province,
);

async fn the_worklist_ranks_with_reasons_and_can_be_assigned(app: TestApp) {
    let t = app.admin().await;
    let mk = |name: &str, extra: serde_json::Value| {
        let mut b = cooperative(name, None);
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let today = kopra_db::status::wib_today();
    let lapsed = kopra_domain::status::add_years(today, -3) - time::Duration::days(30);
    let (_, near) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(mk("Kop Hampir Aktif", json!({}))),
        )
        .await;
    let rat = lapsed.to_string();
    app.api(
        Method::POST,
        &format!("/api/v1/cooperatives/{}/annual-reports", near["id"]),
        Some(&t),
        Some(json!({"book_year": lapsed.year() - 1, "rat_date": rat, "members_male": 200, "members_female": 100})),
    )
    .await;
    app.api(
        Method::POST,
        "/api/v1/cooperatives",
        Some(&t),
        Some(mk("Kop Tanpa Petunjuk", json!({}))),
    )
    .await;
    let (_, active) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(mk("Kop Sudah Aktif", json!({}))),
        )
        .await;
    let recent = (today - time::Duration::days(10)).to_string();
    app.api(
        Method::POST,
        &format!("/api/v1/cooperatives/{}/annual-reports", active["id"]),
        Some(&t),
        Some(json!({"book_year": today.year() - 1, "rat_date": recent})),
    )
    .await;

    let (s, w) = app.api(Method::GET, "/api/v1/worklist", Some(&t), None).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let names: Vec<&str> = w["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Kop Hampir Aktif", "Kop Tanpa Petunjuk"],
        "active cooperatives are not on the worklist"
    );
    let reasons: Vec<&str> = w["items"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, vec!["recently_lapsed", "many_members"]);
    assert_eq!(w["items"][0]["score"], 40 + 6);

    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;
    let pid = app.db.token_user(&petugas).await.unwrap().unwrap().id;
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/worklist/{}/assign", near["id"]),
            Some(&t),
            Some(json!({"user_id": pid})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, w) = app.api(Method::GET, "/api/v1/worklist", Some(&petugas), None).await;
    assert_eq!(w["items"][0]["assigned_to"], "petugas");
    let cookie = app.login_cookie("petugas").await;
    let (_, _, html) = app.page(Method::GET, "/daftar-kerja?mine=1", Some(&cookie), None).await;
    assert!(html.contains("Kop Hampir Aktif") && !html.contains("Kop Tanpa Petunjuk"));
    assert!(html.contains("baru lewat masa aktif"), "reasons in words");
    let (_, _, csv) = app
        .page(Method::GET, "/daftar-kerja/export.csv", Some(&cookie), None)
        .await;
    assert_eq!(csv.lines().count(), 3);
}

async fn pages_show_the_same_figures_as_the_api(app: TestApp) {
    let office = app.office().await;
    app.db.load_demo(&office).await.unwrap();
    let t = app.admin().await;
    let cookie = app.login_cookie("admin").await;
    let (_, a) = app
        .api(Method::GET, "/api/v1/activation?as_of=2021-12-31", Some(&t), None)
        .await;
    let (s, _, html) = app
        .page(Method::GET, "/aktivasi?as_of=2021-12-31", Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let rate = format!("{:.1}%", a["rate"].as_f64().unwrap() * 100.0).replace('.', ",");
    assert!(
        html.contains(&format!("<strong id=\"activation-rate\">{rate}</strong>")),
        "page rate {rate}"
    );
    assert!(html.contains(&format!("{} aktif ÷ {} terdaftar", a["active"], a["registered"])));
    assert!(html.contains(&format!("{} belum ada data RAT", a["no_data"])));
    // The map: 12 kecamatan, each titled with its own figures and linked to its list.
    assert_eq!(html.matches("<path d=").count(), 12);
    for k in a["by_kecamatan"].as_array().unwrap() {
        let title = format!("{}: ", k["name"].as_str().unwrap());
        assert!(html.contains(&format!("<title>{title}")), "map title for {title}");
        assert!(html.contains(&format!("data-code=\"{}\"", k["code"].as_str().unwrap())));
    }
    assert!(
        !html.contains("fill=\"#d9d9d9\" stroke"),
        "every kecamatan has cooperatives, so none is grey"
    );
    // The funnel starts from the same registered count and ends at the same active count.
    assert!(html.contains(&format!("Terdaftar: <strong>{}</strong>", a["registered"])));
    assert!(html.contains(&format!("Aktif: <strong>{}</strong>", a["active"])));
    assert!(html.contains("RAT tahun buku 2020 diadakan"));
    let (s, _, html) = app
        .page(Method::GET, "/aktivasi?as_of=31-12-2021", Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("TTTT-BB-HH"));
    // The list filters by stored status.
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?status=no_data&per_page=1", Some(&cookie), None)
        .await;
    assert!(html.contains("Belum ada data"));
}

async fn a_report_entered_in_the_form_makes_the_cooperative_active(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Bangkit", None)),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    let cookie = app.login_cookie("admin").await;
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&cookie), None)
        .await;
    assert!(html.contains("Belum ada data: belum ada RAT yang tercatat"));
    let (s, _, html) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/laporan"),
            Some(&cookie),
            Some("book_year=2025&rat_date=2026-03-14&members_male=12&members_female=abc"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Anggota perempuan bukan angka yang sah"));
    let form = "book_year=2025&rat_date=2026-03-14&reported_date=2026-03-20&members_male=12&members_female=10&assets=Rp+250.000.000&shu=-1.500.000";
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/laporan"),
            Some(&cookie),
            Some(form),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&cookie), None)
        .await;
    assert!(
        html.contains("Aktif sejak 2026-03-14: RAT diadakan 2026-03-14"),
        "explanation on the page"
    );
    assert!(html.contains("Rp250.000.000") && html.contains("Rp-1.500.000"));
    assert!(html.contains("2026-03-14: Aktif"), "timeline entry");
    let (_, list) = app
        .api(Method::GET, "/api/v1/cooperatives?status=active", Some(&t), None)
        .await;
    assert_eq!(list["total"], 1);
}

async fn a_rat_report_changes_the_status_from_its_date(app: TestApp) {
    let t = app.admin().await;
    let mut body = cooperative("Kop Aktif Kembali", None);
    body["legal_entity_date"] = json!("2010-05-04");
    let (_, c) = app
        .api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(body))
        .await;
    let url = format!("/api/v1/cooperatives/{}", c["id"]);
    let (s, st) = app.api(Method::GET, &format!("{url}/status"), Some(&t), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((st["status"].as_str(), st["since"].is_null()), (Some("no_data"), true));

    let (s, e) = app
        .api(
            Method::POST,
            &format!("{url}/annual-reports"),
            Some(&t),
            Some(json!({"book_year": 2023, "rat_date": "2023-11-30"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]["fields"]["rat_date"]
            .as_str()
            .unwrap()
            .contains("akhir tahun buku")
    );
    let report = json!({"book_year": 2023, "rat_date": "2024-07-16", "reported_date": "2024-09-01", "members_male": 40, "members_female": 25,
        "assets": 1_500_000_000i64, "business_volume": 900_000_000i64, "shu": -2_000_000});
    let (s, r) = app
        .api(
            Method::POST,
            &format!("{url}/annual-reports"),
            Some(&t),
            Some(report.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["members_total"], 65);
    assert_eq!(r["flags"], json!(["rat_late", "report_late"]));
    assert_eq!(r["source"], "entry");
    let (s, _) = app
        .api(Method::POST, &format!("{url}/annual-reports"), Some(&t), Some(report))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "one report per book year");

    let status_on = |d: &'static str| {
        let url = format!("{url}/status?as_of={d}");
        let t = t.clone();
        let app = &app;
        async move { app.api(Method::GET, &url, Some(&t), None).await.1 }
    };
    assert_eq!(status_on("2024-07-15").await["status"], "no_data");
    let st = status_on("2024-07-16").await;
    assert_eq!(
        (st["status"].as_str(), st["since"].as_str()),
        (Some("active"), Some("2024-07-16"))
    );
    assert_eq!(st["explanation"], "Aktif sejak 2024-07-16: RAT diadakan 2024-07-16");
    assert_eq!(status_on("2027-07-16").await["status"], "inactive");
    let st = status_on("2029-07-16").await;
    assert_eq!(st["status"], "dissolution_candidate");
    let timeline: Vec<(&str, &str)> = st["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["date"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        timeline,
        vec![
            ("2010-05-04", "no_data"),
            ("2024-07-16", "active"),
            ("2027-07-16", "inactive"),
            ("2029-07-16", "dissolution_candidate")
        ]
    );
    let (s, _) = app
        .api(Method::GET, &format!("{url}/status?as_of=kemarin"), Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The stored status, used by lists, follows too.
    let id = c["id"].as_i64().unwrap();
    let stored: (String,) = match &app.db {
        kopra_db::Db::Sqlite(p) => sqlx::query_as("SELECT status FROM cooperatives WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await
            .unwrap(),
        kopra_db::Db::Postgres(p) => sqlx::query_as("SELECT status FROM cooperatives WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await
            .unwrap(),
    };
    assert_eq!(stored.0, "active");

    // Correcting a report keeps its history; a stale correction is refused.
    let rid = r["id"].as_i64().unwrap();
    let (s, r2) = app
        .api(
            Method::PATCH,
            &format!("/api/v1/annual-reports/{rid}"),
            Some(&t),
            Some(json!({"reported_date": "2024-08-01", "version": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r2}");
    assert_eq!(
        (r2["version"].as_i64(), r2["flags"].clone()),
        (Some(2), json!(["rat_late"]))
    );
    let (s, _) = app
        .api(
            Method::PATCH,
            &format!("/api/v1/annual-reports/{rid}"),
            Some(&t),
            Some(json!({"shu": 0, "version": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, h) = app
        .api(
            Method::GET,
            &format!("/api/v1/annual-reports/{rid}/history"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(
        h["items"][0]["changes"],
        json!([{"field": "reported_date", "from": "2024-09-01", "to": "2024-08-01"}])
    );
    assert_eq!(h["items"].as_array().unwrap().len(), 2);

    // A decree overrides the evidence from its date, and is audited.
    let (s, e) = app
        .api(
            Method::POST,
            &format!("{url}/legal-state"),
            Some(&t),
            Some(json!({"status": "active", "decree_number": "x", "decree_date": "2025-01-01"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, _) = app
        .api(
            Method::POST,
            &format!("{url}/legal-state"),
            Some(&t),
            Some(json!({"status": "dissolved", "decree_number": "518/12/Diskop/2025", "decree_date": "2025-06-02"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let st = status_on("2025-06-02").await;
    assert_eq!(st["status"], "dissolved");
    assert!(st["explanation"].as_str().unwrap().contains("518/12/Diskop/2025"));
    assert_eq!(status_on("2025-06-01").await["status"], "active");
}

both_engines!(a_report_proposed_by_the_pengurus_counts_only_once_verified);

async fn a_report_proposed_by_the_pengurus_counts_only_once_verified(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Mandiri", None)),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    let url = format!("/api/v1/cooperatives/{id}");
    let pengurus = app.user("pengurus", Role::Pengurus, Some(id), &[]).await;
    let (s, r) = app
        .api(
            Method::POST,
            &format!("{url}/annual-reports"),
            Some(&pengurus),
            Some(json!({"book_year": 2025, "rat_date": "2026-02-20"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["review_status"], "proposed");
    let (_, st) = app.api(Method::GET, &format!("{url}/status"), Some(&t), None).await;
    assert_eq!(st["status"], "no_data", "a proposed report is no evidence yet");
    let rid = r["id"].as_i64().unwrap();
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/annual-reports/{rid}/return"),
            Some(&t),
            Some(json!({"note": " "})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "returning needs a note: {e}");
    let (s, back) = app
        .api(
            Method::POST,
            &format!("/api/v1/annual-reports/{rid}/return"),
            Some(&t),
            Some(json!({"note": "Lampirkan notulen RAT"})),
        )
        .await;
    assert_eq!(
        (s, back["review_status"].as_str(), back["review_note"].as_str()),
        (StatusCode::OK, Some("returned"), Some("Lampirkan notulen RAT"))
    );
    let (s, again) = app
        .api(
            Method::PATCH,
            &format!("/api/v1/annual-reports/{rid}"),
            Some(&pengurus),
            Some(json!({"members_male": 30, "members_female": 25})),
        )
        .await;
    assert_eq!(
        (s, again["review_status"].as_str()),
        (StatusCode::OK, Some("proposed")),
        "{again}"
    );
    let cookie = app.login_cookie("admin").await;
    let (_, _, html) = app.page(Method::GET, "/usulan", Some(&cookie), None).await;
    assert!(html.contains("Laporan RAT menunggu verifikasi") && html.contains("Kop Mandiri"));
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/laporan/{rid}/verifikasi"),
            Some(&cookie),
            Some(""),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, st) = app.api(Method::GET, &format!("{url}/status"), Some(&t), None).await;
    assert_eq!(
        (st["status"].as_str(), st["since"].as_str()),
        (Some("active"), Some("2026-02-20"))
    );
    let (s, _) = app
        .api(
            Method::PATCH,
            &format!("/api/v1/annual-reports/{rid}"),
            Some(&pengurus),
            Some(json!({"shu": 5})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a verified report is the office's to correct"
    );
}

async fn activation_of_the_demo_equals_a_direct_count(app: TestApp) {
    let office = app.office().await;
    let demo = app.db.load_demo(&office).await.unwrap();
    assert_eq!(
        demo.ods_reports, 162,
        "every ODS 'Tanggal RAT Terakhir' becomes a report"
    );
    app.db
        .recompute_statuses(time::macros::date!(2026 - 11 - 29))
        .await
        .unwrap();

    // The documented rule, counted straight from the ODS file: among the cooperatives the
    // city supervises (bentuk …Kabupaten/Kota), active = a RAT in (2018-12-31, 2021-12-31].
    let mut r = csv::Reader::from_reader(kopra_db::demo::ODS_KOTA_BEKASI_2021.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (kec, bentuk, rat) = (col("Kecamatan"), col("Bentuk Koperasi"), col("Tanggal RAT Terakhir"));
    let (mut registered, mut active, mut no_data) = (0, 0, 0);
    let mut by_kec: HashMap<String, (i64, i64)> = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if !rec[bentuk].ends_with("Kabupaten/Kota") {
            continue;
        }
        registered += 1;
        let e = by_kec.entry(region_name_key(&rec[kec])).or_default();
        e.0 += 1;
        let d = &rec[rat];
        if d.is_empty() {
            no_data += 1;
            continue;
        }
        let (dd, mm, yy) = (&d[0..2], &d[3..5], &d[6..10]);
        let iso = format!("{yy}-{mm}-{dd}");
        if iso.as_str() > "2018-12-31" && iso.as_str() <= "2021-12-31" {
            active += 1;
            e.1 += 1;
        }
    }
    let t = app.admin().await;
    let (s, a) = app
        .api(
            Method::GET,
            "/api/v1/activation?as_of=2021-12-31&scope=supervised",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(
        (a["registered"].as_i64(), a["active"].as_i64(), a["no_data"].as_i64()),
        (Some(registered), Some(active), Some(no_data))
    );
    assert_eq!(a["inactive"].as_i64(), Some(registered - active - no_data));
    assert_eq!(
        a["rate"].as_f64().unwrap(),
        (active as f64 / registered as f64 * 10000.0).round() / 10000.0
    );
    let by = a["by_kecamatan"].as_array().unwrap();
    assert_eq!(by.len(), 12);
    for k in by {
        let expected = by_kec[&region_name_key(k["name"].as_str().unwrap())];
        assert_eq!(
            (k["registered"].as_i64(), k["active"].as_i64()),
            (Some(expected.0), Some(expected.1)),
            "{}",
            k["name"]
        );
    }
    let (_, all) = app
        .api(
            Method::GET,
            "/api/v1/activation?as_of=2021-12-31&scope=all",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(all["registered"], 1046);
    let (s, _) = app
        .api(Method::GET, "/api/v1/activation?scope=semua", Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_plan_has_milestones_and_actuals(app: TestApp) {
    let t = app.admin().await;
    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;
    let (s, p) = app.api(Method::GET, "/api/v1/plan", Some(&petugas), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (p["target_rate"].as_f64(), p["horizon_years"].as_i64()),
        (Some(0.65), Some(5))
    );
    let body = json!({"baseline_year": 2023, "target_rate": 0.65, "horizon_years": 5, "baseline_rate": 0.15});
    let (s, _) = app
        .api(Method::PUT, "/api/v1/plan", Some(&petugas), Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, p) = app.api(Method::PUT, "/api/v1/plan", Some(&t), Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let m = p["milestones"].as_array().unwrap();
    assert_eq!(m.len(), 5);
    assert_eq!(
        (m[0]["year"].as_i64(), m[0]["target_rate"].as_f64()),
        (Some(2024), Some(0.25))
    );
    assert_eq!(m[4]["target_rate"].as_f64(), Some(0.65));
    assert!(m[0]["actual_rate"].is_number(), "past years carry the rate reached");
    assert!(m[4]["actual_rate"].is_null(), "2028 has not come yet");
    assert!(p["projection"]["months_left"].as_i64().unwrap() > 0);
    assert_eq!(
        p["projection"]["still_needed"], 0,
        "no cooperatives registered, nothing needed"
    );
    let (s, _) = app
        .api(
            Method::PUT,
            "/api/v1/plan",
            Some(&t),
            Some(json!({"baseline_year": 2023, "target_rate": 6.5, "horizon_years": 5})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A kecamatan with its own final target.
    let body = json!({"baseline_year": 2025, "target_rate": 0.65, "horizon_years": 5, "baseline_rate": 0.15, "kecamatan_targets": {"32.75.07": 0.40}});
    let (s, p) = app.api(Method::PUT, "/api/v1/plan", Some(&t), Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["kecamatan_targets"]["32.75.07"], 0.4);
    let cookie = app.login_cookie("admin").await;
    let (_, _, html) = app
        .page(Method::GET, "/aktivasi?as_of=2026-06-30", Some(&cookie), None)
        .await;
    let row = html.split("<tr>").find(|r| r.contains("Bantargebang</a>")).unwrap();
    assert!(
        row.contains("20,0%"),
        "Bantargebang's 2026 target phases towards its own 40%: {row}"
    );
    let row = html.split("<tr>").find(|r| r.contains("Bekasi Selatan</a>")).unwrap();
    assert!(row.contains("25,0%"), "the others follow the city: {row}");
}

/// The activation figure for today counts the stored statuses (an index scan) once the bulk
/// recompute has run today, and must say exactly what the status engine says over the
/// evidence — also right after single changes that the recompute has not seen.
async fn activation_for_today_counts_the_stored_statuses_and_agrees_with_the_engine(app: TestApp) {
    use kopra_db::status::{ActivationScope, CountedFrom};
    let office = app.office().await;
    app.db.load_demo(&office).await.unwrap();
    let today = kopra_db::status::wib_today();
    let t = app.admin().await;
    let (_, before) = app.api(Method::GET, "/api/v1/activation", Some(&t), None).await;
    assert_eq!(
        before["counted_from"], "evidence",
        "before any recompute for today the engine counts"
    );
    app.db.recompute_statuses(today).await.unwrap();

    let agree = |label: &'static str| {
        let app = &app;
        let t = t.clone();
        let office = office.clone();
        async move {
            for scope in [ActivationScope::Supervised, ActivationScope::All] {
                let (s, stored) = app
                    .api(
                        Method::GET,
                        &format!("/api/v1/activation?scope={}", scope.as_str()),
                        Some(&t),
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{stored}");
                assert_eq!(stored["counted_from"], "stored_statuses", "{label}");
                let engine = app
                    .db
                    .activation_counted(today, scope, &office, CountedFrom::Evidence)
                    .await
                    .unwrap();
                let mut engine = serde_json::to_value(&engine).unwrap();
                engine["counted_from"] = json!("stored_statuses");
                assert_eq!(stored, engine, "{label}, scope {}", scope.as_str());
            }
            let (_, a) = app.api(Method::GET, "/api/v1/activation", Some(&t), None).await;
            a
        }
    };
    let first = agree("after the recompute").await;
    assert!(first["registered"].as_i64().unwrap() > 500, "{first}");
    assert!(first["inactive"].as_i64().unwrap() > 0, "{first}");

    // A supervised cooperative without data gets a RAT held this year: active at once.
    let (_, list) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives?status=no_data&supervised=true&per_page=3",
            Some(&t),
            None,
        )
        .await;
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{list}");
    let book_year = today.year() - 1;
    let rat = time::Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap();
    let (s, r) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{}/annual-reports", ids[0]),
            Some(&t),
            Some(json!({"book_year": book_year, "rat_date": rat.to_string(), "reported_date": rat.to_string()})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let after_rat = agree("after a RAT was recorded").await;
    assert_eq!(after_rat["active"], first["active"].as_i64().unwrap() + 1);
    assert_eq!(after_rat["no_data"], first["no_data"].as_i64().unwrap() - 1);

    // Dissolved by decree: no longer registered.
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{}/legal-state", ids[1]),
            Some(&t),
            Some(json!({"status": "dissolved", "decree_number": "518/7/Diskop/2026", "decree_date": rat.to_string()})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let after_decree = agree("after a decree").await;
    assert_eq!(
        after_decree["registered"],
        after_rat["registered"].as_i64().unwrap() - 1
    );

    // Archived, and a new cooperative registered.
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{}/archive", ids[2]),
            Some(&t),
            Some(json!({"reason": "terdaftar dua kali"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Baru Hari Ini", None)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let last = agree("after an archive and a new record").await;
    assert_eq!(last["registered"], after_decree["registered"]);

    // Another date is always counted by the engine.
    let (_, past) = app
        .api(Method::GET, "/api/v1/activation?as_of=2021-12-31", Some(&t), None)
        .await;
    assert_eq!(past["counted_from"], "evidence");
}

/// The beranda counts by the level below the office: kecamatan for a kab/kota (the city's
/// test above), kab/kota for a province, provinces for the ministry — not thousands of
/// kecamatan rows.
async fn a_province_and_the_ministry_see_counts_by_kabkota_and_by_province(app: TestApp) {
    for (region, heading, rows) in [
        ("32", "Per kabupaten/kota", [("Kota Bekasi", 2), ("Kota Bandung", 1)]),
        (
            "ID",
            "Per provinsi",
            [("Jawa Barat", 3), ("Daerah Khusus Ibukota Jakarta", 1)],
        ),
    ] {
        let app = TestApp::for_region(app.engine, region).await;
        assert!(!matches!(app.office().await.home, HomeRegion::KabKota(_)));
        let t = app.admin().await;
        for (name, kelurahan) in [
            ("Kop Bekasi Satu", "32.75.04.1004"),
            ("Kop Bekasi Dua", "32.75.01.1001"),
            ("Kop Bandung", "32.73.01.1001"),
            ("Kop Gambir", "31.71.01.1001"),
        ] {
            let mut body = cooperative(name, None);
            body["kelurahan_code"] = json!(kelurahan);
            body["bentuk"] = json!("Primer Provinsi");
            let (s, c) = app
                .api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(body))
                .await;
            if region == "32" && kelurahan.starts_with("31.") {
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "outside the province: {c}");
            } else {
                assert_eq!(s, StatusCode::CREATED, "{c}");
            }
        }
        let cookie = app.login_cookie("admin").await;
        let (s, _, html) = app.page(Method::GET, "/", Some(&cookie), None).await;
        assert_eq!(s, StatusCode::OK);
        let table = html
            .split(r#"<table id="per-wilayah">"#)
            .nth(1)
            .and_then(|rest| rest.split("</table>").next())
            .unwrap_or_else(|| panic!("no area table: {html}"));
        assert!(html.contains(heading), "{region}: {heading}");
        assert_eq!(table.matches("<tr>").count(), 1 + rows.len(), "{region}: {table}");
        if region == "32" {
            assert!(
                table.contains(r#"<a href="/koperasi?kabkota=32.73">Kota Bandung</a>"#),
                "a kab/kota row opens the list filtered to it: {table}"
            );
        }
        for (name, n) in rows {
            assert!(
                (table.contains(&format!(r#"{name} <small>"#)) || table.contains(&format!(r#">{name}</a> <small>"#)))
                    && table.contains(&format!(r#"<td class="num">{n}</td>"#)),
                "{region}: {name} {n} in {table}"
            );
        }
    }
}
