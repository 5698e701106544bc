//! Every page and API route, for every role: allowed or forbidden as intended.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode};
use kopra_domain::Role;
use serde_json::{Value, json};

both_engines!(api_routes_by_role, pages_by_role);

const ROLES: [&str; 5] = ["admin", "petugas", "petugas_kec", "pengurus", "anonymous"];

struct World {
    tokens: Vec<Option<String>>,
    cookies: Vec<Option<String>>,
    own: i64,
    /// One cooperative per role to archive.
    spare: Vec<i64>,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let (_, own) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&admin),
            Some(cooperative("Kop Milik Pengurus", None)),
        )
        .await;
    let own = own["id"].as_i64().unwrap();
    let mut spare = Vec::new();
    for i in 0..ROLES.len() {
        let (_, c) = app
            .api(
                Method::POST,
                "/api/v1/cooperatives",
                Some(&admin),
                Some(cooperative(&format!("Kop Cadangan {i}"), None)),
            )
            .await;
        spare.push(c["id"].as_i64().unwrap());
    }
    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;
    let petugas_kec = app.user("petugas_kec", Role::Petugas, None, &["32.75.01"]).await;
    let pengurus = app.user("pengurus", Role::Pengurus, Some(own), &[]).await;
    let tokens = vec![Some(admin), Some(petugas), Some(petugas_kec), Some(pengurus), None];
    let mut cookies = Vec::new();
    for name in &ROLES[..4] {
        cookies.push(Some(app.login_cookie(name).await));
    }
    cookies.push(None);
    World {
        tokens,
        cookies,
        own,
        spare,
    }
}

fn check(results: &mut Vec<String>, what: &str, role: &str, got: StatusCode, want: u16) {
    if got.as_u16() != want {
        results.push(format!("{what} as {role}: got {got}, want {want}"));
    }
}

/// A visit to the pengurus's own cooperative (in 32.75.04), planned by the admin.
async fn own_visit(app: &TestApp, w: &World) -> i64 {
    let (s, v) = app
        .api(
            Method::POST,
            "/api/v1/coaching/visits",
            w.tokens[0].as_deref(),
            Some(json!({"cooperative_id": w.own, "visit_type": "rat_assistance", "planned_on": "2030-01-07"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn api_routes_by_role(app: TestApp) {
    let w = world(&app).await;
    let own = w.own;
    let visit = own_visit(&app, &w).await;
    let cases: Vec<(Method, String, Option<Value>, [u16; 5])> = vec![
        (
            Method::GET,
            "/api/v1/cooperatives".into(),
            None,
            [200, 200, 200, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/cooperatives".into(),
            Some(cooperative("Kop Baru Matriks", None)),
            [201, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{}", w.spare[0]),
            None,
            [200, 200, 403, 403, 401],
        ),
        (
            Method::PATCH,
            format!("/api/v1/cooperatives/{own}"),
            Some(json!({"notes": "diperiksa"})),
            [200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/history"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::GET,
            "/api/v1/regions?level=provinsi".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/proposals"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/cooperatives/{}/proposals", w.spare[0]),
            Some(json!({"phone": "0811 222 333"})),
            [403, 403, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/cooperatives/{own}/proposals"),
            Some(json!({"phone": "0811 222 333"})),
            [403, 403, 403, 201, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/status"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/annual-reports"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/cooperatives/{own}/annual-reports"),
            Some(json!({"book_year": 2024, "rat_date": "2025-03-01"})),
            [201, 409, 403, 409, 401],
        ),
        (
            Method::POST,
            "/api/v1/annual-reports/999999/verify".into(),
            Some(json!({})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/annual-reports/999999/return".into(),
            Some(json!({"note": "x"})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::PATCH,
            "/api/v1/annual-reports/999999".into(),
            Some(json!({"shu": 1})),
            [404, 404, 404, 404, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/cooperatives/{}/legal-state", w.spare[4]),
            Some(json!({"status": "merged", "decree_number": "1/2025", "decree_date": "2025-01-02"})),
            [201, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/activation".into(),
            None,
            [200, 200, 200, 403, 401],
        ),
        (Method::GET, "/api/v1/worklist".into(), None, [200, 200, 200, 403, 401]),
        (
            Method::GET,
            "/api/v1/health-regulations".into(),
            None,
            [200, 200, 200, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/health-assessments"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/health-assessments/prefill?book_year=2024"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/cooperatives/{own}/health-assessments"),
            Some(json!({"book_year": 2024, "answers": {}})),
            [422, 422, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/worklist/{own}/assign"),
            Some(json!({"user_id": null})),
            [204, 204, 403, 403, 401],
        ),
        (Method::GET, "/api/v1/plan".into(), None, [200, 200, 200, 403, 401]),
        (
            Method::PUT,
            "/api/v1/plan".into(),
            Some(json!({"baseline_year": 2025, "target_rate": 0.65, "horizon_years": 5})),
            [200, 403, 403, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/proposals/999999/reject".into(),
            Some(json!({})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/proposals/999999/apply".into(),
            Some(json!({})),
            [404, 404, 404, 403, 401],
        ),
        (Method::GET, "/api/v1/umkm".into(), None, [200, 200, 200, 403, 401]),
        (
            Method::POST,
            "/api/v1/umkm".into(),
            Some(json!({"name": "Usaha Matriks", "kelurahan_code": "32.75.04.1004"})),
            [201, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/umkm/999999".into(),
            None,
            [404, 404, 404, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/matches"),
            None,
            [200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/cooperatives/{own}/loan-readiness?channel=lpdb"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::GET,
            "/api/v1/coalitions".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        (
            Method::POST,
            "/api/v1/coalitions".into(),
            Some(json!({"anchor_cooperative_id": own, "name": "Koalisi Matriks", "purpose": "both", "umkm_ids": []})),
            [201, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/coalitions/999999".into(),
            None,
            [404, 404, 404, 404, 401],
        ),
        (
            Method::POST,
            "/api/v1/coalitions/999999/transactions".into(),
            Some(json!({"kind": "purchase", "date": "2026-11-01", "goods": "Kain", "quantity": 1.0, "value": 1})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/coaching/visits".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/coaching/visits?cooperative_id={}", w.spare[0]),
            None,
            [200, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/coaching/visits".into(),
            Some(json!({"cooperative_id": own, "visit_type": "legal", "planned_on": "2030-01-08"})),
            [201, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/coaching/visits/{visit}"),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            Method::GET,
            "/api/v1/coaching/visits/999999".into(),
            None,
            [404, 404, 404, 404, 401],
        ),
        (
            Method::POST,
            format!("/api/v1/coaching/visits/{visit}/record"),
            Some(json!({"held_on": "2025-01-02", "findings": "uji"})),
            [200, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/coaching/visits/999999/follow-ups".into(),
            Some(json!({"action": "uji", "due_on": "2030-01-02"})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/coaching/follow-ups/999999/status".into(),
            Some(json!({"status": "done"})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/coaching/agenda".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        (
            Method::GET,
            "/api/v1/coaching/counts?year=2030".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        (
            Method::POST,
            "/api/v1/coaching/plan-from-worklist".into(),
            Some(json!({"limit": 0})),
            [200, 200, 200, 403, 401],
        ),
        (Method::GET, "/api/v1/loans".into(), None, [200, 200, 200, 200, 401]),
        (
            Method::POST,
            "/api/v1/loans".into(),
            Some(json!({"cooperative_id": own, "channel": "lpdb", "amount": 1000000})),
            [201, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/loans/totals".into(),
            None,
            [200, 200, 200, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/loans/999999".into(),
            None,
            [404, 404, 404, 404, 401],
        ),
        (Method::GET, "/api/v1/awards".into(), None, [200, 200, 200, 403, 401]),
        (
            Method::POST,
            "/api/v1/awards".into(),
            Some(json!({"year": 2027, "name": "Program Matriks"})),
            [201, 403, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/awards/999999".into(),
            None,
            [404, 404, 404, 403, 401],
        ),
        (
            Method::PUT,
            "/api/v1/awards/999999/jurors".into(),
            Some(json!({"usernames": ["petugas"]})),
            [404, 403, 403, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/awards/999999/nominations".into(),
            Some(json!({"cooperative_id": own})),
            [404, 403, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/awards/999999/ranking".into(),
            None,
            [404, 404, 404, 403, 401],
        ),
        (
            Method::PUT,
            "/api/v1/awards/nominations/999999/score".into(),
            Some(json!({"values": {}})),
            [404, 404, 404, 403, 401],
        ),
        (
            Method::POST,
            "/api/v1/awards/nominations/999999/upward".into(),
            Some(json!({"level": "province"})),
            [404, 403, 403, 403, 401],
        ),
        (Method::GET, "/healthz".into(), None, [200, 200, 200, 200, 200]),
        (
            Method::GET,
            "/api/v1/openapi.json".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, want) in cases {
        for (i, role) in ROLES.iter().enumerate() {
            let (s, _) = app
                .api(method.clone(), &path, w.tokens[i].as_deref(), body.clone())
                .await;
            check(&mut failures, &format!("{method} {path}"), role, s, want[i]);
        }
    }
    let want = [200, 200, 403, 403, 401];
    for (i, role) in ROLES.iter().enumerate() {
        let path = format!("/api/v1/cooperatives/{}/archive", w.spare[i]);
        let (s, _) = app
            .api(
                Method::POST,
                &path,
                w.tokens[i].as_deref(),
                Some(json!({"reason": "uji"})),
            )
            .await;
        check(&mut failures, &format!("POST {path}"), role, s, want[i]);
    }
    assert!(failures.is_empty(), "role matrix:\n{}", failures.join("\n"));
}

async fn pages_by_role(app: TestApp) {
    let w = world(&app).await;
    let own = w.own;
    let visit = own_visit(&app, &w).await;
    let new_form = "name=Kop+Formulir&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004".to_string();
    let edit_form =
        "name=Kop+Milik+Pengurus&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004&notes=dicek".to_string();
    let propose_form = "name=Kop+Milik+Pengurus+Baru&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004".to_string();
    let cases: Vec<(Method, String, Option<String>, [u16; 5])> = vec![
        (Method::GET, "/".into(), None, [200, 200, 200, 303, 303]),
        (Method::GET, "/koperasi".into(), None, [200, 200, 200, 403, 303]),
        (
            Method::GET,
            "/koperasi/export.csv".into(),
            None,
            [200, 200, 200, 403, 303],
        ),
        (
            Method::GET,
            "/koperasi/export.xlsx".into(),
            None,
            [200, 200, 200, 403, 303],
        ),
        (
            Method::GET,
            "/koperasi/export-ods.csv".into(),
            None,
            [200, 200, 200, 403, 303],
        ),
        (
            Method::GET,
            "/impor/unggahan/999999/hasil.xlsx".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (Method::GET, "/koperasi/baru".into(), None, [200, 200, 200, 403, 303]),
        (
            Method::POST,
            "/koperasi/baru".into(),
            Some(new_form),
            [303, 303, 403, 403, 303],
        ),
        (Method::GET, format!("/koperasi/{own}"), None, [200, 200, 403, 200, 303]),
        (
            Method::GET,
            format!("/koperasi/{own}/ubah"),
            None,
            [200, 200, 403, 403, 303],
        ),
        (Method::GET, "/audit".into(), None, [200, 403, 403, 403, 303]),
        (Method::GET, "/usulan".into(), None, [200, 200, 200, 403, 303]),
        (
            Method::GET,
            format!("/koperasi/{own}/usul"),
            None,
            [403, 403, 403, 200, 303],
        ),
        (Method::GET, "/aktivasi".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/daftar-kerja".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/impor".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/duplikat".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/kampanye".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/kampanye/999999".into(), None, [404, 404, 404, 403, 303]),
        (
            Method::GET,
            "/kampanye/999999/surat".into(),
            None,
            [404, 404, 403, 403, 303],
        ),
        (
            Method::POST,
            "/kampanye/999999/undangan/999999/setujui".into(),
            Some(String::new()),
            [404, 404, 404, 403, 303],
        ),
        (Method::GET, "/u/TIDAKADA12".into(), None, [404, 404, 404, 404, 404]),
        (
            Method::POST,
            "/duplikat/berbeda".into(),
            Some("a=999998&b=999999".into()),
            [404, 404, 404, 403, 303],
        ),
        (
            Method::POST,
            "/duplikat/gabung".into(),
            Some("a=999998&b=999999".into()),
            [404, 404, 404, 403, 303],
        ),
        (
            Method::GET,
            "/impor/unggahan/999999".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (
            Method::GET,
            "/impor/batch/999999".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (
            Method::POST,
            "/impor/batch/999999/batalkan".into(),
            Some(String::new()),
            [404, 404, 403, 403, 303],
        ),
        (
            Method::GET,
            format!("/koperasi/{own}/kesehatan"),
            None,
            [200, 200, 403, 403, 303],
        ),
        (
            Method::GET,
            "/daftar-kerja/export.csv".into(),
            None,
            [200, 200, 200, 403, 303],
        ),
        (
            Method::POST,
            format!("/daftar-kerja/{own}/tugaskan"),
            Some("user_id=".into()),
            [303, 303, 403, 403, 303],
        ),
        (
            Method::GET,
            format!("/koperasi/{own}/laporan"),
            None,
            [200, 200, 403, 200, 303],
        ),
        (
            Method::POST,
            format!("/koperasi/{own}/laporan"),
            Some("book_year=2023&rat_date=2024-03-01".into()),
            [303, 422, 403, 422, 303],
        ),
        (
            Method::POST,
            format!("/koperasi/{own}/laporan/999999/verifikasi"),
            Some(String::new()),
            [404, 404, 403, 403, 303],
        ),
        (
            Method::POST,
            format!("/koperasi/{}/status-hukum", w.spare[3]),
            Some("status=merged&decree_number=2%2F2025&decree_date=2025-02-03".into()),
            [303, 303, 403, 403, 303],
        ),
        (Method::GET, "/pembinaan".into(), None, [200, 200, 200, 200, 303]),
        (Method::GET, "/pembinaan/agenda".into(), None, [200, 200, 200, 200, 303]),
        (Method::GET, "/pembinaan/baru".into(), None, [200, 200, 200, 403, 303]),
        (
            Method::GET,
            format!("/pembinaan/baru?koperasi={own}"),
            None,
            [200, 200, 403, 403, 303],
        ),
        (
            Method::POST,
            "/pembinaan/baru".into(),
            Some(format!(
                "cooperative_id={own}&kind=visit&visit_type=legal&planned_on=2030-01-08"
            )),
            [303, 303, 403, 403, 303],
        ),
        (
            Method::GET,
            format!("/pembinaan/{visit}"),
            None,
            [200, 200, 403, 200, 303],
        ),
        (Method::GET, "/pembinaan/999999".into(), None, [404, 404, 404, 404, 303]),
        (
            Method::POST,
            format!("/pembinaan/{visit}/catat"),
            Some("held_on=2025-01-02&findings=uji".into()),
            [303, 303, 403, 403, 303],
        ),
        (
            Method::POST,
            format!("/pembinaan/{visit}/tindak-lanjut"),
            Some("action=uji&due_on=2030-01-02".into()),
            [303, 303, 403, 403, 303],
        ),
        (
            Method::POST,
            "/pembinaan/tindak-lanjut/999999/status".into(),
            Some("status=done".into()),
            [404, 404, 404, 403, 303],
        ),
        (
            Method::POST,
            "/pembinaan/rencana".into(),
            Some(String::new()),
            [303, 303, 303, 403, 303],
        ),
        (Method::GET, "/penghargaan".into(), None, [200, 200, 200, 403, 303]),
        (
            Method::POST,
            "/penghargaan".into(),
            Some("year=2027&name=Program+Matriks&categories=Umum".into()),
            [303, 403, 403, 403, 303],
        ),
        (
            Method::GET,
            "/penghargaan/999999".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (
            Method::POST,
            "/penghargaan/999999/juri".into(),
            Some("juror=petugas".into()),
            [404, 403, 403, 403, 303],
        ),
        (
            Method::POST,
            "/penghargaan/999999/nominasi".into(),
            Some(format!("cooperative={own}&category=Umum")),
            [404, 403, 403, 403, 303],
        ),
        (
            Method::GET,
            "/penghargaan/nominasi/999999/nilai".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (
            Method::POST,
            "/penghargaan/nominasi/999999/nilai".into(),
            Some("simpanan_pokok_lunas=100".into()),
            [404, 404, 404, 403, 303],
        ),
        (
            Method::GET,
            "/penghargaan/nominasi/999999/piagam".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (
            Method::POST,
            "/penghargaan/nominasi/999999/usulkan".into(),
            Some("level=province".into()),
            [404, 403, 403, 403, 303],
        ),
        (Method::GET, "/pengguna".into(), None, [200, 403, 403, 403, 303]),
        (Method::GET, "/token".into(), None, [200, 200, 200, 200, 303]),
        (Method::GET, "/login".into(), None, [200, 200, 200, 200, 200]),
        (Method::GET, "/static/app.css".into(), None, [200, 200, 200, 200, 200]),
        (Method::GET, "/umkm".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/umkm/baru".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/umkm/impor".into(), None, [200, 200, 200, 403, 303]),
        (Method::GET, "/koalisi".into(), None, [200, 200, 200, 200, 303]),
        (
            Method::GET,
            "/koalisi/export.xlsx".into(),
            None,
            [200, 200, 200, 200, 303],
        ),
        (
            Method::GET,
            "/pinjaman/export.xlsx".into(),
            None,
            [200, 200, 200, 200, 303],
        ),
        (
            Method::GET,
            "/pembinaan/export.xlsx".into(),
            None,
            [200, 200, 200, 200, 303],
        ),
        (
            Method::GET,
            "/penghargaan/999999/peringkat.xlsx".into(),
            None,
            [404, 404, 404, 403, 303],
        ),
        (Method::GET, "/pinjaman".into(), None, [200, 200, 200, 200, 303]),
        (
            Method::GET,
            format!("/koperasi/{own}/mitra"),
            None,
            [200, 200, 403, 403, 303],
        ),
        (
            Method::GET,
            format!("/koperasi/{own}/pinjaman"),
            None,
            [200, 200, 403, 200, 303],
        ),
        (Method::GET, "/healthz".into(), None, [200, 200, 200, 200, 200]),
        (Method::GET, "/bahasa/en".into(), None, [303, 303, 303, 303, 303]),
        (
            Method::POST,
            format!("/koperasi/{own}/ubah"),
            Some(edit_form.clone()),
            [303, 303, 403, 403, 303],
        ),
        (
            Method::POST,
            format!("/koperasi/{own}/usul"),
            Some(propose_form),
            [403, 403, 403, 303, 303],
        ),
        (
            Method::POST,
            format!("/koperasi/{own}/usulan/999999/terapkan"),
            Some("note=".into()),
            [404, 404, 403, 403, 303],
        ),
        (
            Method::POST,
            format!("/koperasi/{own}/usulan/999999/tolak"),
            Some("note=".into()),
            [404, 404, 403, 403, 303],
        ),
        (
            Method::POST,
            "/token".into(),
            Some("name=uji".into()),
            [200, 200, 200, 200, 303],
        ),
        (
            Method::POST,
            "/token/999999/cabut".into(),
            Some(String::new()),
            [404, 404, 404, 404, 303],
        ),
        (
            Method::POST,
            "/pengguna/999999/nonaktif".into(),
            Some(String::new()),
            [404, 403, 403, 403, 303],
        ),
        (
            Method::POST,
            "/pengguna/999999/aktif".into(),
            Some(String::new()),
            [404, 403, 403, 403, 303],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, form, want) in cases {
        for (i, role) in ROLES.iter().enumerate() {
            let (s, _, _) = app
                .page(method.clone(), &path, w.cookies[i].as_deref(), form.as_deref())
                .await;
            check(&mut failures, &format!("{method} {path}"), role, s, want[i]);
        }
    }
    let want = [303, 303, 403, 403, 303];
    for (i, role) in ROLES.iter().enumerate() {
        let path = format!("/koperasi/{}/arsip", w.spare[i]);
        let (s, _, _) = app
            .page(Method::POST, &path, w.cookies[i].as_deref(), Some("reason=uji"))
            .await;
        check(&mut failures, &format!("POST {path}"), role, s, want[i]);
    }
    // Restoring what was just archived (the forbidden ones stayed unarchived: 403 comes first).
    let want = [303, 303, 403, 403, 303];
    for (i, role) in ROLES.iter().enumerate() {
        let path = format!("/koperasi/{}/pulihkan", w.spare[i]);
        let (s, _, _) = app
            .page(Method::POST, &path, w.cookies[i].as_deref(), Some("reason=keliru"))
            .await;
        check(&mut failures, &format!("POST {path}"), role, s, want[i]);
    }
    let want = [200, 403, 403, 403, 303];
    for (i, role) in ROLES.iter().enumerate() {
        let form = format!("username=baru{i}&password=kata-sandi-panjang&role=petugas");
        let (s, _, _) = app
            .page(Method::POST, "/pengguna", w.cookies[i].as_deref(), Some(&form))
            .await;
        check(&mut failures, "POST /pengguna", role, s, want[i]);
    }
    // Last, since it ends the sessions.
    for (i, role) in ROLES.iter().enumerate() {
        let (s, _, _) = app
            .page(Method::POST, "/logout", w.cookies[i].as_deref(), Some(""))
            .await;
        check(&mut failures, "POST /logout", role, s, 303);
    }
    assert!(failures.is_empty(), "role matrix:\n{}", failures.join("\n"));
}
