//! Self-service re-registration: invitation, answer without an account, review.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode, header};

both_engines!(
    a_pengurus_answers_an_invitation_and_the_office_approves,
    a_pengurus_corrects_the_chair_and_the_office_sees_it_in_the_diff,
);

async fn a_pengurus_corrects_the_chair_and_the_office_sees_it_in_the_diff(app: TestApp) {
    let t = app.admin().await;
    let mut body = cooperative("Kop Cempaka", None);
    body["chair_name"] = serde_json::json!("Bapak Sutrisno");
    body["secretary_name"] = serde_json::json!("Ani Rahayu");
    let (_, c) = app
        .api(Method::POST, "/api/v1/cooperatives", Some(&t), Some(body))
        .await;
    let id = c["id"].as_i64().unwrap();
    let cookie = app.login_cookie("admin").await;
    let (_, h, _) = app
        .page(
            Method::POST,
            "/kampanye",
            Some(&cookie),
            Some("name=Pendataan+Pengurus&starts_on=2026-11-01&ends_on=2026-12-31&kecamatan="),
        )
        .await;
    let campaign = h[header::LOCATION].to_str().unwrap().to_string();
    let invitations = app
        .db
        .invitations(campaign.rsplit('/').next().unwrap().parse().unwrap())
        .await
        .unwrap();
    let code = invitations[0].0.code.clone();
    assert_eq!(invitations[0].0.cooperative_id, id);

    // The pengurus finds the board as registered, to confirm or correct.
    let (_, _, html) = app.page(Method::GET, &format!("/u/{code}"), None, None).await;
    assert!(html.contains("Pengurus dan pengawas"));
    assert!(html.contains("value=\"Bapak Sutrisno\"") && html.contains("value=\"Ani Rahayu\""));
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/u/{code}"),
            None,
            Some("chair_name=Ibu+Sri+Mulyani&chair_phone=0812-7777-8888&secretary_name=Ani+Rahayu"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = app.page(Method::GET, &campaign, Some(&cookie), None).await;
    assert!(
        html.contains("Ketua Pengurus: Bapak Sutrisno → Ibu Sri Mulyani"),
        "the corrected chair in the field-by-field diff"
    );
    assert!(html.contains("HP Ketua: (kosong) → 081277778888"));
    assert!(!html.contains("Sekretaris:"), "a confirmed name is no change");
    let inv = invitations[0].0.id;
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("{campaign}/undangan/{inv}/setujui"),
            Some(&cookie),
            Some(""),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let record = app.db.cooperative(id).await.unwrap();
    assert_eq!(record.fields.chair_name.as_deref(), Some("Ibu Sri Mulyani"));
    assert_eq!(record.fields.secretary_name.as_deref(), Some("Ani Rahayu"));
}

async fn a_pengurus_answers_an_invitation_and_the_office_approves(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Anggrek", None)),
        )
        .await;
    let (_, other) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Kenanga", None)),
        )
        .await;
    let cookie = app.login_cookie("admin").await;
    let (s, h, _) = app
        .page(
            Method::POST,
            "/kampanye",
            Some(&cookie),
            Some("name=Pendataan+2026&starts_on=2026-11-01&ends_on=2026-12-31&kecamatan="),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let campaign = h[header::LOCATION].to_str().unwrap().to_string();
    let (_, _, letters) = app
        .page(Method::GET, &format!("{campaign}/surat"), Some(&cookie), None)
        .await;
    assert_eq!(letters.matches("class=\"letter\"").count(), 2);
    assert!(letters.contains("<svg"), "a QR code per letter");
    let id = c["id"].as_i64().unwrap();
    let invitations = app
        .db
        .invitations(campaign.rsplit('/').next().unwrap().parse().unwrap())
        .await
        .unwrap();
    let code = invitations
        .iter()
        .find(|(i, _, _)| i.cooperative_id == id)
        .unwrap()
        .0
        .code
        .clone();

    // The office already holds a report for book year 2025, with another RAT date.
    let earlier = kopra_domain::annual_report::AnnualReport {
        book_year: 2025,
        rat_date: Some(time::macros::date!(2026 - 05 - 01)),
        members_male: Some(5),
        members_female: Some(5),
        members_total: Some(10),
        ..Default::default()
    };
    let office_actor = kopra_db::Actor {
        user_id: None,
        name: "admin".into(),
        ip: None,
    };
    let report_id = app
        .db
        .create_annual_report(id, &earlier, "entry", &office_actor)
        .await
        .unwrap()
        .id;

    // The pengurus, without an account.
    let (s, _, html) = app
        .page(Method::GET, &format!("/u/{}", code.to_lowercase()), None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "codes are not case-sensitive");
    assert!(html.contains("Kop Anggrek"));
    let (s, _, html) = app
        .page(
            Method::POST,
            &format!("/u/{code}"),
            None,
            Some("phone=nomor&members_male=10"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Telepon bukan nomor telepon yang sah"));
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/u/{code}"),
            None,
            Some("phone=0812-5555-1234&members_male=30&members_female=25&rat_date=2026-03-21"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = app.page(Method::GET, "/u/TIDAKADA12", None, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The office sees the change, returns it once, then approves the corrected answer.
    let (_, _, html) = app.page(Method::GET, &campaign, Some(&cookie), None).await;
    assert!(
        html.contains("Telepon: (kosong) → 081255551234"),
        "a field-by-field diff"
    );
    assert!(
        html.contains("Tahun buku 2025 sudah punya laporan (RAT 2026-05-01)"),
        "the office is told the answer corrects a report on record"
    );
    let inv = invitations
        .iter()
        .find(|(i, _, _)| i.cooperative_id == id)
        .unwrap()
        .0
        .id;
    // An officer of another kecamatan does not see or decide this answer.
    app.user("petugas_timur", kopra_domain::Role::Petugas, None, &["32.75.01"])
        .await;
    let timur = app.login_cookie("petugas_timur").await;
    let (s, _, html) = app.page(Method::GET, &campaign, Some(&timur), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !html.contains("081255551234"),
        "another kecamatan's answers are not in the queue"
    );
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("{campaign}/undangan/{inv}/setujui"),
            Some(&timur),
            Some(""),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The queue filtered by kecamatan.
    let (_, _, html) = app
        .page(
            Method::GET,
            &format!("{campaign}?kecamatan=32.75.01"),
            Some(&cookie),
            None,
        )
        .await;
    assert!(!html.contains("081255551234"));
    let (_, _, html) = app
        .page(
            Method::GET,
            &format!("{campaign}?kecamatan=32.75.04"),
            Some(&cookie),
            None,
        )
        .await;
    assert!(html.contains("081255551234"));
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("{campaign}/undangan/{inv}/kembalikan"),
            Some(&cookie),
            Some("note=Jumlah+anggota+perempuan+kurang"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = app.page(Method::GET, &format!("/u/{code}"), None, None).await;
    assert!(
        html.contains("Jumlah anggota perempuan kurang"),
        "the pengurus sees the note"
    );
    assert!(
        html.contains("value=\"25\"") && html.contains("value=\"2026-03-21\""),
        "and what they sent, to correct it"
    );
    app.page(
        Method::POST,
        &format!("/u/{code}"),
        None,
        Some("phone=0812-5555-1234&members_male=30&members_female=27&rat_date=2026-03-21"),
    )
    .await;
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("{campaign}/undangan/{inv}/setujui"),
            Some(&cookie),
            Some(""),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let record = app.db.cooperative(id).await.unwrap();
    assert_eq!(record.fields.phone.as_deref(), Some("081255551234"));
    let history = app.db.cooperative_history(id).await.unwrap();
    assert!(
        history[0].actor_name.starts_with("kampanye \"Pendataan 2026\""),
        "{}",
        history[0].actor_name
    );
    let reports = app.db.annual_reports(id).await.unwrap();
    assert_eq!(reports.len(), 1, "the answer corrected the book year's report");
    assert_eq!(
        (
            reports[0].id,
            reports[0].report.rat_date,
            reports[0].report.members_total,
            reports[0].review_status.as_str()
        ),
        (
            report_id,
            Some(time::macros::date!(2026 - 03 - 21)),
            Some(57),
            "verified"
        )
    );
    let versions = app.db.annual_report_history(report_id).await.unwrap();
    assert_eq!(versions.len(), 2, "the earlier version stays in the history");
    let (_, st) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}/status"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(st["status"], "active");
    // Not found at the address: recorded, the cooperative untouched.
    let other_inv = invitations
        .iter()
        .find(|(i, _, _)| i.cooperative_id == other["id"].as_i64().unwrap())
        .unwrap()
        .0
        .id;
    app.page(
        Method::POST,
        &format!("{campaign}/undangan/{other_inv}/hasil"),
        Some(&cookie),
        Some("outcome=not_found&note=Kantor+kosong"),
    )
    .await;
    let (_, _, html) = app.page(Method::GET, &campaign, Some(&cookie), None).await;
    assert!(html.contains("Tidak ditemukan di alamat"));
    assert!(
        !app.db
            .cooperative(other["id"].as_i64().unwrap())
            .await
            .unwrap()
            .archived
    );
}
