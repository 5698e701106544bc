//! Coaching (pembinaan): visits planned and recorded with findings, follow-ups that become
//! overdue on the agenda, plans from the activation worklist, counts per kecamatan and
//! type, and a pengurus limited to their own cooperative's visits.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode};
use kopra_domain::Role;
use serde_json::{Value, json};
use time::Duration;

both_engines!(
    a_visit_is_planned_recorded_and_its_overdue_follow_up_shows_on_the_agenda,
    the_worklist_becomes_visit_plans_of_a_sensible_type_once,
    visits_are_counted_per_kecamatan_and_type_for_the_year,
    a_pengurus_sees_their_own_cooperatives_visits_only,
);

async fn create_coop(app: &TestApp, token: &str, name: &str, extra: Value) -> i64 {
    let mut body = cooperative(name, None);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, c) = app
        .api(Method::POST, "/api/v1/cooperatives", Some(token), Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    c["id"].as_i64().unwrap()
}

async fn plan(app: &TestApp, token: &str, body: Value) -> Value {
    let (s, v) = app
        .api(Method::POST, "/api/v1/coaching/visits", Some(token), Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

async fn a_visit_is_planned_recorded_and_its_overdue_follow_up_shows_on_the_agenda(app: TestApp) {
    let admin = app.admin().await;
    let coop = create_coop(&app, &admin, "Kop Binaan Pembukuan", json!({})).await;
    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;
    let today = kopra_db::status::wib_today();
    let v = plan(
        &app,
        &petugas,
        json!({"cooperative_id": coop, "visit_type": "bookkeeping", "planned_on": today.to_string()}),
    )
    .await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["officer_name"], "petugas");
    assert_eq!(v["kind"], "visit");
    assert_eq!(v["kecamatan_code"], "32.75.04");
    assert_eq!(v["source"], "manual");
    assert_eq!(v["title"], "Pembukuan");
    assert!(v["held_on"].is_null());

    // Bad input comes back by field, never as a 500.
    let (s, e) = app
        .api(
            Method::POST,
            "/api/v1/coaching/visits",
            Some(&petugas),
            Some(json!({"cooperative_id": coop, "umkm_id": 1, "visit_type": "pijat", "planned_on": "besok", "participants": -3})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let codes = &e["error"]["field_codes"];
    assert_eq!(codes["umkm_id"], "value_not_in_list");
    assert_eq!(codes["visit_type"], "value_not_in_list");
    assert_eq!(codes["planned_on"], "date_format");
    assert_eq!(codes["participants"], "negative");
    let (s, e) = app
        .api(
            Method::POST,
            "/api/v1/coaching/visits",
            Some(&petugas),
            Some(json!({"cooperative_id": 999999, "visit_type": "legal", "planned_on": "2030-01-02"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field_codes"]["cooperative_id"], "value_not_in_list");

    // Recorded with findings; not in the future.
    let tomorrow = today + Duration::days(1);
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/visits/{id}/record"),
            Some(&petugas),
            Some(json!({"held_on": tomorrow.to_string(), "findings": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field_codes"]["held_on"], "date_in_future");
    let (s, r) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/visits/{id}/record"),
            Some(&petugas),
            Some(json!({"held_on": today.to_string(), "findings": "Buku kas belum ditutup sejak Maret."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["held_on"], today.to_string());
    assert_eq!(r["findings"], "Buku kas belum ditutup sejak Maret.");
    assert_eq!(r["version"], 2);

    // A follow-up due yesterday is overdue, on the visit and on the agenda.
    let yesterday = today - Duration::days(1);
    let (s, f) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/visits/{id}/follow-ups"),
            Some(&petugas),
            Some(json!({"action": "Tutup buku kas bulanan", "due_on": yesterday.to_string()})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    assert_eq!(f["overdue"], true);
    assert_eq!(f["status"], "open");
    let fid = f["id"].as_i64().unwrap();
    let (s, f2) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/visits/{id}/follow-ups"),
            Some(&petugas),
            Some(json!({"action": "Kirim neraca", "due_on": (today + Duration::days(7)).to_string()})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{f2}");
    assert_eq!(f2["overdue"], false);
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/visits/{id}/follow-ups"),
            Some(&petugas),
            Some(json!({"action": " ", "due_on": "31-12-2030"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field_codes"]["action"], "required");
    assert_eq!(e["error"]["field_codes"]["due_on"], "date_format");

    let (s, agenda) = app
        .api(Method::GET, "/api/v1/coaching/agenda", Some(&petugas), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{agenda}");
    assert_eq!(agenda["visits"].as_array().unwrap().len(), 1);
    let fus = agenda["follow_ups"].as_array().unwrap();
    assert_eq!(fus.len(), 2);
    assert_eq!(fus[0]["action"], "Tutup buku kas bulanan", "overdue first");
    assert_eq!(fus[0]["overdue"], true);
    assert_eq!(fus[0]["subject"], "Kop Binaan Pembukuan");

    let cookie = app.login_cookie("petugas").await;
    let (s, _, html) = app.page(Method::GET, "/pembinaan/agenda", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Tutup buku kas bulanan"), "{html}");
    assert!(html.contains("class=\"overdue\"") && html.contains("Terlambat"));
    let (_, _, html) = app
        .page(Method::GET, &format!("/pembinaan/{id}"), Some(&cookie), None)
        .await;
    assert!(html.contains("Buku kas belum ditutup sejak Maret."));
    assert!(html.contains("Terlambat"));

    // Marked done in the browser: no longer overdue, gone from the agenda.
    let (s, h, _) = app
        .page(
            Method::POST,
            &format!("/pembinaan/tindak-lanjut/{fid}/status"),
            Some(&cookie),
            Some("status=done&back=agenda"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/pembinaan/agenda");
    let (_, v) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits/{id}"),
            Some(&petugas),
            None,
        )
        .await;
    let done = v["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fid)
        .unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["done_on"], today.to_string());
    assert_eq!(done["overdue"], false);
    let (_, _, html) = app.page(Method::GET, "/pembinaan/agenda", Some(&cookie), None).await;
    assert!(!html.contains("Tutup buku kas bulanan"));
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/follow-ups/{fid}/status"),
            Some(&petugas),
            Some(json!({"status": "selesai"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field_codes"]["status"], "value_not_in_list");

    // Planned in the browser from the cooperative's page; the section lists its visits.
    let (_, _, detail) = app
        .page(Method::GET, &format!("/koperasi/{coop}"), Some(&cookie), None)
        .await;
    assert!(detail.contains("id=\"pembinaan\""));
    assert!(detail.contains(&format!("/pembinaan/baru?koperasi={coop}")));
    assert!(detail.contains(&format!("/pembinaan/{id}")));
    let (s, _, form) = app
        .page(
            Method::GET,
            &format!("/pembinaan/baru?koperasi={coop}"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("Kop Binaan Pembukuan"));
    let (s, _, err) = app
        .page(
            Method::POST,
            "/pembinaan/baru",
            Some(&cookie),
            Some(&format!(
                "cooperative_id={coop}&kind=visit&visit_type=&planned_on=2030-01-07"
            )),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.contains("Jenis pembinaan wajib diisi."), "{err}");
    let (s, h, _) = app
        .page(
            Method::POST,
            "/pembinaan/baru",
            Some(&cookie),
            Some(&format!(
                "cooperative_id={coop}&kind=visit&visit_type=digital&planned_on=2030-01-07"
            )),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h["location"].to_str().unwrap().starts_with("/pembinaan/"));
    let audits: i64 = app.count("audit_log").await;
    assert!(audits > 0);
}

async fn the_worklist_becomes_visit_plans_of_a_sensible_type_once(app: TestApp) {
    let admin = app.admin().await;
    let today = kopra_db::status::wib_today();
    let mut plain = Vec::new();
    for i in 0..5 {
        plain.push(create_coop(&app, &admin, &format!("Kop Tanpa RAT {i}"), json!({})).await);
    }
    let expired = create_coop(
        &app,
        &admin,
        "Kop Sertifikat Habis",
        json!({"certificate_valid_until": (today - Duration::days(180)).to_string()}),
    )
    .await;
    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;
    let (s, w) = app.api(Method::GET, "/api/v1/worklist", Some(&petugas), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(w["items"].as_array().unwrap().len(), 6, "{w}");

    // 2030-01-04 is a Friday: four visits then, the rest on Monday.
    let (s, r) = app
        .api(
            Method::POST,
            "/api/v1/coaching/plan-from-worklist",
            Some(&petugas),
            Some(json!({"start_date": "2030-01-04", "limit": 10})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let created = r["created"].as_array().unwrap();
    assert_eq!(created.len(), 6, "{r}");
    assert_eq!(r["already_planned"], 0);
    for v in created {
        assert_eq!(v["source"], "worklist");
        assert_eq!(v["officer_name"], "petugas");
        assert_eq!(v["kind"], "visit");
        let want = if v["cooperative_id"] == expired {
            "legal"
        } else {
            "rat_assistance"
        };
        assert_eq!(v["visit_type"], want, "{v}");
    }
    let mut days: Vec<&str> = created.iter().map(|v| v["planned_on"].as_str().unwrap()).collect();
    days.sort_unstable();
    assert_eq!(
        days,
        [
            "2030-01-04",
            "2030-01-04",
            "2030-01-04",
            "2030-01-04",
            "2030-01-07",
            "2030-01-07"
        ]
    );
    assert!(
        created.iter().any(|v| v["cooperative_id"] == plain[0]),
        "every worklist cooperative gets a plan"
    );

    // Twice: nothing new.
    let (s, r) = app
        .api(
            Method::POST,
            "/api/v1/coaching/plan-from-worklist",
            Some(&petugas),
            Some(json!({"start_date": "2030-01-04"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["created"].as_array().unwrap().len(), 0);
    assert_eq!(r["already_planned"], 6);
    assert_eq!(app.count("coaching_visits").await, 6);
    let (s, e) = app
        .api(
            Method::POST,
            "/api/v1/coaching/plan-from-worklist",
            Some(&petugas),
            Some(json!({"start_date": "4 Januari", "limit": -1})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field_codes"]["start_date"], "date_format");
    assert_eq!(e["error"]["field_codes"]["limit"], "negative");

    // The button in the browser plans nothing more either, and says so.
    let cookie = app.login_cookie("petugas").await;
    let (_, _, list) = app.page(Method::GET, "/pembinaan", Some(&cookie), None).await;
    assert!(list.contains("Buat rencana kunjungan dari daftar kerja"));
    let (s, h, _) = app
        .page(Method::POST, "/pembinaan/rencana", Some(&cookie), Some(""))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/pembinaan/agenda?dibuat=0");
    assert_eq!(app.count("coaching_visits").await, 6);
}

async fn visits_are_counted_per_kecamatan_and_type_for_the_year(app: TestApp) {
    let admin = app.admin().await;
    let today = kopra_db::status::wib_today();
    let year = today.year();
    let selatan = create_coop(&app, &admin, "Kop Selatan", json!({})).await;
    let bantar = create_coop(
        &app,
        &admin,
        "Kop Bantargebang",
        json!({"kelurahan_code": "32.75.07.1004"}),
    )
    .await;
    let d = today.to_string();
    let held = plan(
        &app,
        &admin,
        json!({"cooperative_id": selatan, "visit_type": "bookkeeping", "planned_on": d}),
    )
    .await;
    plan(
        &app,
        &admin,
        json!({"cooperative_id": selatan, "visit_type": "bookkeeping", "planned_on": d}),
    )
    .await;
    plan(
        &app,
        &admin,
        json!({"cooperative_id": bantar, "visit_type": "legal", "planned_on": d}),
    )
    .await;
    plan(
        &app,
        &admin,
        json!({"kind": "training", "visit_type": "digital", "planned_on": d, "title": "Pemasaran daring", "participants": 30}),
    )
    .await;
    plan(
        &app,
        &admin,
        json!({"cooperative_id": bantar, "visit_type": "legal", "planned_on": format!("{}-06-01", year - 1)}),
    )
    .await;
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/coaching/visits/{}/record", held["id"]),
            Some(&admin),
            Some(json!({"held_on": d})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, c) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/counts?year={year}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let mut got: Vec<(Value, String, i64, i64)> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kecamatan_code"].clone(),
                i["visit_type"].as_str().unwrap().to_string(),
                i["total"].as_i64().unwrap(),
                i["held"].as_i64().unwrap(),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.to_string().cmp(&b.0.to_string()).then(a.1.cmp(&b.1)));
    assert_eq!(
        got,
        vec![
            (json!("32.75.04"), "bookkeeping".to_string(), 2, 1),
            (json!("32.75.07"), "legal".to_string(), 1, 0),
            (Value::Null, "digital".to_string(), 1, 0),
        ]
    );
    let (_, last) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/counts?year={}", year - 1),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(last["items"].as_array().unwrap().len(), 1);

    // The list page shows the table; a filter by cooperative narrows the list.
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app.page(Method::GET, "/pembinaan", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"counts\"") && html.contains("Bekasi Selatan"));
    assert!(html.contains("(tanpa kecamatan)"));
    let (_, list) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits?cooperative_id={bantar}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (_, list) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits?from={year}-01-01"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 4);
    let (s, e) = app
        .api(Method::GET, "/api/v1/coaching/visits?from=kemarin", Some(&admin), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field_codes"]["from"], "date_format");
    let (s, _) = app
        .api(Method::GET, "/api/v1/coaching/counts?year=abc", Some(&admin), None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = app
        .page(Method::GET, "/pembinaan?dari=kemarin", Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_pengurus_sees_their_own_cooperatives_visits_only(app: TestApp) {
    let admin = app.admin().await;
    let own = create_coop(&app, &admin, "Kop Milik Pengurus", json!({})).await;
    let other = create_coop(&app, &admin, "Kop Tetangga", json!({})).await;
    let own_visit = plan(
        &app,
        &admin,
        json!({"cooperative_id": own, "visit_type": "rat_assistance", "planned_on": "2030-01-07"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let other_visit = plan(
        &app,
        &admin,
        json!({"cooperative_id": other, "visit_type": "business", "planned_on": "2030-01-08"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let pengurus = app.user("pengurus", Role::Pengurus, Some(own), &[]).await;
    let (s, list) = app
        .api(Method::GET, "/api/v1/coaching/visits", Some(&pengurus), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], own_visit);
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits?cooperative_id={other}"),
            Some(&pengurus),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits/{other_visit}"),
            Some(&pengurus),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits/{own_visit}"),
            Some(&pengurus),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = app
        .api(
            Method::POST,
            "/api/v1/coaching/visits",
            Some(&pengurus),
            Some(json!({"cooperative_id": own, "visit_type": "legal", "planned_on": "2030-01-07"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, agenda) = app
        .api(
            Method::GET,
            "/api/v1/coaching/agenda?from=2030-01-01",
            Some(&pengurus),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(agenda["visits"].as_array().unwrap().len(), 1, "{agenda}");
    let cookie = app.login_cookie("pengurus").await;
    let (s, _, html) = app.page(Method::GET, "/pembinaan", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Kop Milik Pengurus") && !html.contains("Kop Tetangga"));
    let (s, _, _) = app
        .page(Method::GET, &format!("/pembinaan/{other_visit}"), Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A petugas limited to another kecamatan does not see it either.
    let kec = app.user("petugas_kec", Role::Petugas, None, &["32.75.01"]).await;
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/coaching/visits/{own_visit}"),
            Some(&kec),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, list) = app.api(Method::GET, "/api/v1/coaching/visits", Some(&kec), None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}
