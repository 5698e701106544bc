//! Importing files into the register: matching, holding back, idempotency, history.

use crate::both_engines;
use crate::harness::TestApp;
use kopra_db::Actor;
use kopra_db::import::{ImportOptions, RowAction};

both_engines!(
    the_ods_list_and_the_office_workbook_import_and_reimport_changes_nothing,
    an_office_imports_previews_saves_and_undoes_in_the_browser,
    duplicate_pairs_are_merged_or_marked_distinct,
    held_back_rows_are_created_or_applied_as_decided,
    a_mapping_edited_in_the_preview_is_saved_as_a_template_for_the_next_file,
    an_officer_limited_to_a_kecamatan_imports_only_rows_of_that_kecamatan,
    a_file_with_the_chairs_name_and_phone_fills_the_board_once,
    an_import_larger_than_one_insert_gives_every_row_its_version_and_audit_and_undoes_whole,
    the_last_rat_date_of_a_register_file_becomes_an_annual_report_and_undo_withdraws_it,
    register_figures_that_disagree_make_no_report_and_say_so,
);

/// Members that do not add up (laki-laki + perempuan ≠ jumlah): the cooperative is still
/// imported, but no report is made from its RAT date, and the row names the column.
async fn register_figures_that_disagree_make_no_report_and_say_so(app: TestApp) {
    let office = app.office().await;
    let actor = admin_actor();
    let file = "NAMA KOPERASI;NIK;KECAMATAN;TANGGAL RAT TERAKHIR;ANGGOTA LAKI-LAKI;ANGGOTA PEREMPUAN;JUMLAH ANGGOTA\n\
        Koperasi Hitung Salah;3275010020011;Bekasi Timur;15/03/2024;10;5;20\n\
        Koperasi Hitung Benar;3275010020012;Bekasi Timur;15/03/2024;10;5;15\n";
    let plan = planned(&app, &office, file.as_bytes(), "hitung.csv").await;
    assert_eq!(
        (plan.count(RowAction::Create), plan.reports()),
        (2, 1),
        "{:?}",
        plan.rows
    );
    let wrong = &plan.rows[0];
    assert_eq!(wrong.report_book_year, None);
    assert!(
        wrong
            .messages
            .iter()
            .any(|m| m.0 == "JUMLAH ANGGOTA" && m.2 == "warning" && m.3 == "report_figures_invalid"),
        "{:?}",
        wrong.messages
    );
    assert_eq!(plan.rows[1].report_book_year, Some(2023));
    app.db.commit_import(&plan, &office, &actor).await.unwrap();
    let wrong = app.db.cooperative_by_nik("3275010020011").await.unwrap().unwrap();
    assert!(app.db.annual_reports(wrong.id).await.unwrap().is_empty());
    let right = app.db.cooperative_by_nik("3275010020012").await.unwrap().unwrap();
    let reports = app.db.annual_reports(right.id).await.unwrap();
    assert_eq!((reports.len(), reports[0].report.members_total), (1, Some(15)));
}

/// "Tanggal RAT Terakhir" in a register file is evidence: it becomes the report of the book
/// year before the meeting, with the row's members and assets, and the status follows. A
/// row with figures but no date says they were not stored. Importing the file again makes
/// no second report; undoing the batch withdraws its reports (kept, with a version).
/// The actor of the tests' imports (no user: the CLI's shape).
fn admin_actor() -> Actor {
    Actor {
        user_id: None,
        name: "admin".into(),
        ip: None,
    }
}

/// A register file's plan, as of today (the status engine's day).
async fn planned(
    app: &TestApp,
    office: &kopra_db::settings::Office,
    file: &[u8],
    name: &str,
) -> kopra_db::import::ImportPlan {
    let today = kopra_db::status::wib_today();
    app.db
        .plan_import(file, name, office, &ImportOptions::default(), today)
        .await
        .unwrap()
}

async fn the_last_rat_date_of_a_register_file_becomes_an_annual_report_and_undo_withdraws_it(app: TestApp) {
    let office = app.office().await;
    let today = kopra_db::status::wib_today();
    let actor = admin_actor();
    let register = "NAMA KOPERASI;NIK;KECAMATAN\n\
        Koperasi Rapat Baru;3275010020001;Bekasi Timur\n\
        Koperasi Tanpa Tanggal;3275010020002;Bekasi Timur\n\
        Koperasi Rapat Lama;3275010020003;Bekasi Timur\n";
    let plan = planned(&app, &office, register.as_bytes(), "daftar.csv").await;
    assert_eq!((plan.count(RowAction::Create), plan.reports()), (3, 0));
    app.db.commit_import(&plan, &office, &actor).await.unwrap();
    let recent = time::Date::from_calendar_date(today.year() - 1, time::Month::March, 15).unwrap();
    let with_rat = format!(
        "NAMA KOPERASI;NIK;KECAMATAN;TANGGAL RAT TERAKHIR;JUMLAH ANGGOTA;ASET\n\
        Koperasi Rapat Baru;3275010020001;Bekasi Timur;{};120;500.000.000\n\
        Koperasi Tanpa Tanggal;3275010020002;Bekasi Timur;;40;1.000.000\n\
        Koperasi Rapat Lama;3275010020003;Bekasi Timur;24/03/2019;;\n",
        recent
            .format(time::macros::format_description!("[day]/[month]/[year]"))
            .unwrap()
    );
    let plan = planned(&app, &office, with_rat.as_bytes(), "ods.csv").await;
    assert_eq!(plan.reports(), 2, "{:?}", plan.rows);
    assert_eq!(plan.rows[0].report_book_year, Some(today.year() - 2));
    assert_eq!(plan.rows[2].report_book_year, Some(2018));
    assert!(
        plan.rows[1]
            .messages
            .iter()
            .any(|m| m.3 == "figures_without_rat" && m.2 == "warning"),
        "{:?}",
        plan.rows[1].messages
    );
    let batch = app.db.commit_import(&plan, &office, &actor).await.unwrap();

    let recent_coop = app.db.cooperative_by_nik("3275010020001").await.unwrap().unwrap();
    let reports = app.db.annual_reports(recent_coop.id).await.unwrap();
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert_eq!(
        (
            report.report.book_year,
            report.report.rat_date,
            report.report.members_total,
            report.report.assets
        ),
        (today.year() - 2, Some(recent), Some(120), Some(500_000_000))
    );
    assert_eq!(
        (recent_coop.status.as_str(), recent_coop.last_rat_date),
        ("active", Some(recent))
    );
    let old = app.db.cooperative_by_nik("3275010020003").await.unwrap().unwrap();
    assert_eq!(old.last_rat_date, Some(time::macros::date!(2019 - 03 - 24)));
    assert_ne!(old.status, "active");
    let undated = app.db.cooperative_by_nik("3275010020002").await.unwrap().unwrap();
    assert!(app.db.annual_reports(undated.id).await.unwrap().is_empty());
    assert_eq!(undated.status, "no_data");

    // The same file again: the reports are on record already.
    let again = planned(&app, &office, with_rat.as_bytes(), "ods.csv").await;
    assert_eq!(again.reports(), 0, "{:?}", again.rows);
    let reports_before = app.count("annual_reports").await;
    app.db.commit_import(&again, &office, &actor).await.unwrap();
    assert_eq!(app.count("annual_reports").await, reports_before);

    let undone = app.db.undo_import(batch, &office, &actor).await.unwrap();
    assert_eq!((undone.reports_withdrawn, undone.reports_skipped.len()), (2, 0));
    let recent_coop = app.db.cooperative(recent_coop.id).await.unwrap();
    assert_eq!(
        (recent_coop.status.as_str(), recent_coop.last_rat_date),
        ("no_data", None)
    );
    let report = app.db.annual_report(report.id).await.unwrap();
    assert_eq!(report.review_status, "withdrawn");
    assert_eq!(
        report.review_note.as_deref(),
        Some(format!("impor #{batch} dibatalkan").as_str())
    );
    let history = app.db.annual_report_history(report.id).await.unwrap();
    assert_eq!((history[0].action.as_str(), history.len()), ("withdraw", 2));
    assert_eq!(
        app.count("annual_reports").await,
        reports_before,
        "withdrawn, not deleted"
    );
}

/// Rows past several multi-row INSERTs (`ROWS_PER_INSERT`): each new record is the row's,
/// with its first version and its audit entry; updates among them get theirs; undo takes
/// the whole batch back.
async fn an_import_larger_than_one_insert_gives_every_row_its_version_and_audit_and_undoes_whole(app: TestApp) {
    use kopra_db::import::ROWS_PER_INSERT;
    let office = app.office().await;
    let today = time::macros::date!(2026 - 11 - 29);
    let actor = admin_actor();
    let nik = |i: usize| format!("3275010{:06}", 100_000 + i);
    let line = |i: usize, name: &str| format!("{name} {i};{};Bekasi Timur\n", nik(i));
    // Ten records first; the big file changes their names and adds the rest.
    let mut first = String::from("NAMA KOPERASI;NIK;KECAMATAN\n");
    for i in 0..10 {
        first.push_str(&line(i, "Koperasi Lama"));
    }
    let plan = app
        .db
        .plan_import(first.as_bytes(), "awal.csv", &office, &ImportOptions::default(), today)
        .await
        .unwrap();
    assert_eq!(plan.count(RowAction::Create), 10, "{:?}", plan.rows);
    app.db.commit_import(&plan, &office, &actor).await.unwrap();

    let n = 2 * ROWS_PER_INSERT + 7;
    let mut big = String::from("NAMA KOPERASI;NIK;KECAMATAN\n");
    for i in 0..n {
        big.push_str(&line(i, "Koperasi Baru"));
    }
    let plan = app
        .db
        .plan_import(big.as_bytes(), "besar.csv", &office, &ImportOptions::default(), today)
        .await
        .unwrap();
    assert_eq!(plan.count(RowAction::Update), 10);
    assert_eq!(plan.count(RowAction::Create), n - 10, "{:?}", &plan.rows[..3]);
    let versions = app.count("cooperative_versions").await;
    let audit = app.count("audit_log").await;
    let batch = app.db.commit_import(&plan, &office, &actor).await.unwrap();
    assert_eq!(app.count("cooperatives").await, n as i64);
    assert_eq!(
        app.count("cooperative_versions").await,
        versions + n as i64,
        "a version per row"
    );
    assert_eq!(
        app.count("audit_log").await,
        audit + n as i64 + 1,
        "an audit entry per record, and one for the batch"
    );
    let (_, rows) = app.db.import_batch(batch).await.unwrap();
    assert_eq!(rows.len(), n);
    // Every row's record is the one with its NIK and name, across the INSERT boundaries.
    for (line, id, action, from) in rows {
        let i = (line - 2) as usize;
        let record = app.db.cooperative(id.expect("a record")).await.unwrap();
        assert_eq!(record.fields.nik.as_deref(), Some(nik(i).as_str()), "line {line}");
        assert_eq!(record.fields.name, format!("Koperasi Baru {i}"));
        let history = app.db.cooperative_history(record.id).await.unwrap();
        assert_eq!(history[0].reason.as_deref(), Some(format!("impor #{batch}").as_str()));
        let (audit, _) = app
            .db
            .audit_rows(
                &kopra_db::audit::AuditFilter {
                    entity_type: Some("cooperative".into()),
                    entity_id: Some(record.id.to_string()),
                    ..Default::default()
                },
                1,
                10,
            )
            .await
            .unwrap();
        assert!(audit[0].actor_name.starts_with(&format!("impor #{batch}")));
        if i < 10 {
            assert_eq!((action.as_str(), from, record.version), ("update", Some(1), 2));
            assert_eq!(audit[0].action, "cooperative.update");
            assert!(history[0].changes.iter().any(|c| c.field == "name"));
        } else {
            assert_eq!((action.as_str(), from, record.version), ("create", None, 1));
            assert_eq!(audit[0].action, "cooperative.create");
            assert!(history[0].changes.iter().any(|c| c.field == "nik"));
        }
    }

    let report = app.db.undo_import(batch, &office, &actor).await.unwrap();
    assert_eq!((report.archived, report.restored), (n - 10, 10));
    assert!(report.skipped.is_empty());
    let old = app.db.cooperative_by_nik(&nik(3)).await.unwrap().unwrap();
    assert_eq!((old.fields.name.as_str(), old.version), ("Koperasi Lama 3", 3));
    let new = app.db.cooperative_by_nik(&nik(n - 1)).await.unwrap().unwrap();
    assert!(new.archived);
}

async fn a_file_with_the_chairs_name_and_phone_fills_the_board_once(app: TestApp) {
    let office = app.office().await;
    let today = time::macros::date!(2026 - 11 - 29);
    let actor = admin_actor();
    let file = "NAMA KOPERASI;NIK;KECAMATAN;NAMA KETUA;HP KETUA\n\
        Koperasi Ketua Satu;3275010010911;Bekasi Timur;H. Jajang Nurjaman;0813 2222 3333\n\
        Koperasi Ketua Dua;3275050010912;Rawalumbu;Ibu Nining;\n";
    let plan = app
        .db
        .plan_import(file.as_bytes(), "ketua.csv", &office, &ImportOptions::default(), today)
        .await
        .unwrap();
    assert_eq!(plan.count(RowAction::Create), 2, "{:?}", plan.rows);
    app.db.commit_import(&plan, &office, &actor).await.unwrap();
    let one = app.db.cooperative_by_nik("3275010010911").await.unwrap().unwrap();
    assert_eq!(one.fields.chair_name.as_deref(), Some("H. Jajang Nurjaman"));
    assert_eq!(one.fields.chair_phone.as_deref(), Some("081322223333"));
    let two = app.db.cooperative_by_nik("3275050010912").await.unwrap().unwrap();
    assert_eq!(two.fields.chair_name.as_deref(), Some("Ibu Nining"));
    assert_eq!(two.fields.chair_phone, None);
    let history = app.db.cooperative_history(one.id).await.unwrap();
    assert!(
        history[0]
            .changes
            .iter()
            .any(|c| c.field == "chair_phone" && c.to.as_deref() == Some("081322223333")),
        "the board is in the record's history"
    );

    let again = app
        .db
        .plan_import(file.as_bytes(), "ketua.csv", &office, &ImportOptions::default(), today)
        .await
        .unwrap();
    assert_eq!(again.count(RowAction::Unchanged), 2, "a re-import changes nothing");
    let versions = app.count("cooperative_versions").await;
    app.db.commit_import(&again, &office, &actor).await.unwrap();
    assert_eq!(app.count("cooperative_versions").await, versions);
}

async fn an_officer_limited_to_a_kecamatan_imports_only_rows_of_that_kecamatan(app: TestApp) {
    use axum::http::{Method, StatusCode, header};
    let office = app.office().await;
    let today = time::macros::date!(2026 - 11 - 29);
    let actor = admin_actor();
    let first = "NAMA KOPERASI;NIK;KECAMATAN\nKoperasi Timur Satu;3275010010901;Bekasi Timur\nKoperasi Rawa Satu;3275050010902;Rawalumbu\n";
    let plan = app
        .db
        .plan_import(first.as_bytes(), "awal.csv", &office, &ImportOptions::default(), today)
        .await
        .unwrap();
    app.db.commit_import(&plan, &office, &actor).await.unwrap();

    // The officer of Bekasi Timur (32.75.01) sends a file touching both kecamatan.
    let second = "NAMA KOPERASI;NIK;KECAMATAN\n\
        Koperasi Timur Satu Baru;3275010010901;Bekasi Timur\n\
        Koperasi Rawa Satu Baru;3275050010902;Rawalumbu\n\
        Koperasi Pindah Ke Timur;3275050010902;Bekasi Timur\n\
        Koperasi Timur Dua;3275010010903;Bekasi Timur\n\
        Koperasi Rawa Dua;3275050010904;Rawalumbu\n";
    let scoped = ImportOptions {
        kecamatan_scope: vec!["32.75.01".into()],
        ..Default::default()
    };
    let plan = app
        .db
        .plan_import(second.as_bytes(), "petugas.csv", &office, &scoped, today)
        .await
        .unwrap();
    let actions: Vec<RowAction> = plan.rows.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        vec![
            RowAction::Update,
            RowAction::Rejected,
            RowAction::Rejected, // moves a Rawalumbu cooperative: not this officer's record
            RowAction::Create,
            RowAction::Rejected,
        ]
    );
    assert!(
        plan.rows[1]
            .messages
            .iter()
            .any(|m| m.3 == "outside_officer_scope" && m.0 == "KECAMATAN")
    );

    // In the browser the officer sees why, in words.
    app.user("petugas_timur", kopra_domain::Role::Petugas, None, &["32.75.01"])
        .await;
    let cookie = app.login_cookie("petugas_timur").await;
    let (s, h, _) = app
        .post_multipart(
            "/impor",
            ("cookie", cookie.as_str()),
            &[("file", Some("petugas.csv"), second.as_bytes())],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let preview = h[header::LOCATION].to_str().unwrap().to_string();
    let (_, _, html) = app.page(Method::GET, &preview, Some(&cookie), None).await;
    assert!(html.contains("3 ditolak"), "{html}");
    assert!(html.contains("di luar kecamatan tugas Anda"));
}

async fn a_mapping_edited_in_the_preview_is_saved_as_a_template_for_the_next_file(app: TestApp) {
    use axum::http::{Method, StatusCode, header};
    app.admin().await;
    let cookie = app.login_cookie("admin").await;
    let auth = ("cookie", cookie.as_str());
    let csv = "NAMA KOPERASI;NIK;ALAMAT;WILAYAH\nKoperasi Templat Satu;3275070040901;Jl. A;Bekasi Utara\nKoperasi Templat Dua;3275070040902;Jl. B;Rawalumbu\n";
    let (_, h, _) = app
        .post_multipart("/impor", auth, &[("file", Some("wilayah.csv"), csv.as_bytes())])
        .await;
    let preview = h[header::LOCATION].to_str().unwrap().to_string();
    let (_, _, html) = app.page(Method::GET, &preview, Some(&cookie), None).await;
    assert!(html.contains("2 ditolak"), "WILAYAH is not recognised as the kecamatan");
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("{preview}/kolom"),
            Some(&cookie),
            Some("col_0=name&col_1=nik&col_2=address&col_3=kecamatan&template_name=Format+Kecamatan"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = app.page(Method::GET, &preview, Some(&cookie), None).await;
    assert!(html.contains("2 baris: 2 baru"), "the edited mapping applies");
    // The next file in that shape: the template maps it.
    let (_, _, upload) = app.page(Method::GET, "/impor", Some(&cookie), None).await;
    assert!(upload.contains("Format Kecamatan"));
    let (_, h, _) = app
        .post_multipart(
            "/impor",
            auth,
            &[
                ("template", None, b"Format Kecamatan"),
                ("file", Some("wilayah2.csv"), csv.as_bytes()),
            ],
        )
        .await;
    let preview2 = h[header::LOCATION].to_str().unwrap().to_string();
    let (_, _, html) = app.page(Method::GET, &preview2, Some(&cookie), None).await;
    assert!(html.contains("2 baris: 2 baru"), "the template maps the next file");
}

async fn held_back_rows_are_created_or_applied_as_decided(app: TestApp) {
    use axum::http::{Method, StatusCode, header};
    let t = app.admin().await;
    let (_, a) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(crate::harness::cooperative("Koperasi Mitra Mandiri Berkarya", None)),
        )
        .await;
    let (_, b) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(crate::harness::cooperative("Koperasi Citra Warna Sejahtera", None)),
        )
        .await;
    let cookie = app.login_cookie("admin").await;
    let auth = ("cookie", cookie.as_str());
    let csv = "NAMA KOPERASI;KECAMATAN;KELURAHAN;TELEPON\nKop. Mitra Mandiri Berkarya;Bekasi Selatan;Jakasetia;0812 7777 1111\nKop. Citra Warna Sejahtera;Bekasi Selatan;Jakasetia;\n";
    let (_, h, _) = app
        .post_multipart("/impor", auth, &[("file", Some("ulang.csv"), csv.as_bytes())])
        .await;
    let preview = h[header::LOCATION].to_str().unwrap().to_string();
    let (_, _, html) = app.page(Method::GET, &preview, Some(&cookie), None).await;
    assert!(html.contains("2 ditahan sebagai kemungkinan duplikat"));
    assert!(html.contains(&format!("Terapkan ke koperasi #{}", a["id"])));
    // Row 2 is the registered cooperative; row 3 is, the office says, a different one.
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("{preview}/putusan"),
            Some(&cookie),
            Some(&format!("line=2&decision=apply&target={}", a["id"])),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    app.page(
        Method::POST,
        &format!("{preview}/putusan"),
        Some(&cookie),
        Some("line=3&decision=create"),
    )
    .await;
    let (_, _, html) = app.page(Method::GET, &preview, Some(&cookie), None).await;
    assert_eq!(app.count("import_decisions").await, 2, "both decisions stored");
    let counts = html
        .split("id=\"ringkasan\">")
        .nth(1)
        .unwrap_or("")
        .split('<')
        .next()
        .unwrap_or("")
        .to_string();
    assert!(
        counts.starts_with("2 baris: 1 baru, 1 diubah, 0 tidak berubah, 0 ditolak, 0 ditahan"),
        "decisions applied in the preview: {counts}"
    );
    let (s, _, _) = app
        .page(Method::POST, &format!("{preview}/simpan"), Some(&cookie), Some(""))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .cooperative(a["id"].as_i64().unwrap())
            .await
            .unwrap()
            .fields
            .phone
            .as_deref(),
        Some("081277771111")
    );
    assert_eq!(app.count("cooperatives").await, 3, "one created anyway");
    let _ = b;
}

async fn duplicate_pairs_are_merged_or_marked_distinct(app: TestApp) {
    use axum::http::{Method, StatusCode};
    use serde_json::json;
    let t = app.admin().await;
    let mk = |name: &str, extra: serde_json::Value| {
        let mut b = crate::harness::cooperative(name, None);
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (_, a) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(mk("Koperasi Mitra Mandiri Berkarya", json!({"nik": "3275050020444"}))),
        )
        .await;
    let (_, b) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(mk(
                "Kop. Mitra Mandiri Berkarya",
                json!({"phone": "0812 1111 3333", "chair_name": "Pak Darto", "chair_phone": "0812 4444 5555"}),
            )),
        )
        .await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(mk("Koperasi Swadaya", json!({}))),
        )
        .await;
    let (_, d) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(mk("Kop. Swadaya", json!({}))),
        )
        .await;
    app.api(
        Method::POST,
        &format!("/api/v1/cooperatives/{}/annual-reports", b["id"]),
        Some(&t),
        Some(json!({"book_year": 2024, "rat_date": "2025-03-01"})),
    )
    .await;
    let pairs = app.db.duplicate_pairs(90).await.unwrap();
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    let cookie = app.login_cookie("admin").await;
    let (_, _, html) = app.page(Method::GET, "/duplikat", Some(&cookie), None).await;
    assert!(html.contains("Mitra Mandiri Berkarya") && html.contains("same kecamatan"));
    let (s, _, _) = app
        .page(
            Method::POST,
            "/duplikat/berbeda",
            Some(&cookie),
            Some(&format!("a={}&b={}", c["id"], d["id"])),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.duplicate_pairs(90).await.unwrap().len(),
        1,
        "a pair marked distinct is not proposed again"
    );
    let (s, _, _) = app
        .page(
            Method::POST,
            "/duplikat/gabung",
            Some(&cookie),
            Some(&format!("a={}&b={}", a["id"], b["id"])),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let survivor = app.db.cooperative(a["id"].as_i64().unwrap()).await.unwrap();
    let merged = app.db.cooperative(b["id"].as_i64().unwrap()).await.unwrap();
    assert_eq!(
        survivor.fields.phone.as_deref(),
        Some("081211113333"),
        "the survivor gains what it lacked"
    );
    assert_eq!(
        (
            survivor.fields.chair_name.as_deref(),
            survivor.fields.chair_phone.as_deref()
        ),
        (Some("Pak Darto"), Some("081244445555")),
        "the chair, with their phone, too"
    );
    assert!(
        merged.archived
            && merged
                .archive_reason
                .as_deref()
                .unwrap()
                .contains(&format!("#{}", a["id"]))
    );
    assert_eq!(
        app.db.annual_reports(survivor.id).await.unwrap().len(),
        1,
        "the report moved to the survivor"
    );
    assert!(
        app.db.cooperative_history(merged.id).await.unwrap().len() >= 2,
        "the merged record keeps its history"
    );
    assert!(app.db.duplicate_pairs(90).await.unwrap().is_empty());
}

async fn an_office_imports_previews_saves_and_undoes_in_the_browser(app: TestApp) {
    use axum::http::{Method, StatusCode, header};
    app.admin().await;
    let cookie = app.login_cookie("admin").await;
    let auth = ("cookie", cookie.as_str());
    let (s, _, html) = app
        .post_multipart("/impor", auth, &[("file", Some("bukan.xlsx"), b"PK\x03\x04 rusak")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("tidak dapat dibaca"),
        "a broken file gets a clear message"
    );
    let csv = "NAMA KOPERASI;KECAMATAN;NIK;ANGGOTA L\nKoperasi Uji Satu;Bekasi Utara;3275070049991;10\nKoperasi Uji Dua;Rawa Lumbu;;12\n;Bekasi Utara;;1\n";
    let (s, h, _) = app
        .post_multipart(
            "/impor",
            auth,
            &[("file", Some("uji.csv"), csv.as_bytes()), ("sheet", None, b"")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let preview = h[header::LOCATION].to_str().unwrap().to_string();
    let (s, _, html) = app.page(Method::GET, &preview, Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("3 baris: 2 baru, 0 diubah, 0 tidak berubah, 1 ditolak"),
        "preview counts"
    );
    assert!(html.contains("Nama koperasi kosong"));
    assert_eq!(app.count("cooperatives").await, 0, "nothing stored by a preview");
    let (s, h, _) = app
        .page(Method::GET, &format!("{preview}/hasil.xlsx"), Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("hasil-uji.csv.xlsx")
    );
    let (s, _, html) = app
        .page(Method::POST, &format!("{preview}/simpan"), Some(&cookie), Some(""))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "rejected rows need a decision");
    assert!(html.contains("Ada baris yang ditolak"));
    let (s, h, _) = app
        .page(
            Method::POST,
            &format!("{preview}/simpan"),
            Some(&cookie),
            Some("accept_valid=1"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let batch = h[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(app.count("cooperatives").await, 2);
    let (_, _, html) = app.page(Method::GET, "/impor", Some(&cookie), None).await;
    assert!(html.contains("uji.csv"), "the batch is listed");
    let (s, _, html) = app
        .page(Method::POST, &format!("{batch}/batalkan"), Some(&cookie), Some(""))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("2 diarsipkan"), "undo archives what the batch created");
    let (_, list) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives",
            Some(&app.user("petugas", kopra_domain::Role::Petugas, None, &[]).await),
            None,
        )
        .await;
    assert_eq!(list["total"], 0);
    let (s, _, _) = app
        .page(Method::POST, &format!("{batch}/batalkan"), Some(&cookie), Some(""))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a batch is undone once");
}

async fn the_ods_list_and_the_office_workbook_import_and_reimport_changes_nothing(app: TestApp) {
    let office = app.office().await;
    let today = time::macros::date!(2026 - 11 - 29);
    let opts = ImportOptions::default();
    let actor = Actor {
        user_id: None,
        name: "petugas".into(),
        ip: None,
    };
    let ods = kopra_db::demo::ODS_KOTA_BEKASI_2021.as_bytes();

    let plan = app
        .db
        .plan_import(ods, "ods_kota_bekasi_2021.csv", &office, &opts, today)
        .await
        .unwrap();
    assert_eq!(
        (
            plan.rows.len(),
            plan.count(RowAction::Create),
            plan.count(RowAction::Rejected),
            plan.count(RowAction::HeldBack)
        ),
        (1046, 1046, 0, 0)
    );
    assert!(
        plan.flagged() <= 8,
        "a few same-name pairs with their own NIKs are flagged, not held back"
    );
    let batch = app.db.commit_import(&plan, &office, &actor).await.unwrap();
    assert_eq!(app.count("cooperatives").await, 1046);
    let again = app
        .db
        .plan_import(ods, "ods_kota_bekasi_2021.csv", &office, &opts, today)
        .await
        .unwrap();
    assert_eq!(
        again.count(RowAction::Unchanged),
        1046,
        "importing the same file again changes nothing"
    );

    let xlsx = include_bytes!("../../../../data/samples/dinas_koperasi_kota_bekasi_2021.xlsx");
    let plan = app
        .db
        .plan_import(xlsx, "dinas.xlsx", &office, &opts, today)
        .await
        .unwrap();
    assert_eq!(plan.rows.len(), 1063);
    assert_eq!(plan.count(RowAction::Rejected), 5);
    assert_eq!(plan.count(RowAction::HeldBack), 12, "the twelve re-typed cooperatives");
    assert_eq!(
        plan.count(RowAction::Create),
        0,
        "every other row is a cooperative already registered"
    );
    let held: Vec<&str> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::HeldBack)
        .map(|r| r.name.trim())
        .collect();
    assert!(held.contains(&"Kop. Karyawan PT. Hrapan M.Utm") && held.contains(&"Koperasi Swadaya"));
    let second = app.db.commit_import(&plan, &office, &actor).await.unwrap();
    assert!(second > batch);
    // The history shows the change with the import batch as its actor.
    let updated = plan.rows.iter().find(|r| r.action == RowAction::Update).unwrap();
    let history = app
        .db
        .cooperative_history(updated.cooperative_id.unwrap())
        .await
        .unwrap();
    assert!(
        history[0].actor_name.starts_with(&format!("impor #{second}")),
        "{}",
        history[0].actor_name
    );
    assert_eq!(history[0].changes, updated.changes);
    let again = app
        .db
        .plan_import(xlsx, "dinas.xlsx", &office, &opts, today)
        .await
        .unwrap();
    assert_eq!(
        (
            again.count(RowAction::Update),
            again.count(RowAction::Create),
            again.count(RowAction::Unchanged)
        ),
        (0, 0, 1046),
        "importing the workbook again changes nothing"
    );
    // The register exported in ODS's shape reads back through the importer unchanged.
    let ods_export = app.db.export_ods_csv(&kopra_domain::Scope::All, today).await.unwrap();
    let back = app
        .db
        .plan_import(&ods_export, "ekspor_ods.csv", &office, &opts, today)
        .await
        .unwrap();
    assert_eq!(
        (
            back.count(RowAction::Unchanged),
            back.count(RowAction::Update),
            back.count(RowAction::Create),
            back.count(RowAction::Rejected)
        ),
        (1046, 0, 0, 0),
        "an ODS-shaped export imports back without change"
    );
    // A rejected file is a clear error, not a crash.
    let err = app
        .db
        .plan_import(b"\x00\x01\x02 not a spreadsheet", "x.xlsx", &office, &opts, today)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no data table") || err.to_string().contains("cannot be read"),
        "{err}"
    );
}
