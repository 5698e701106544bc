//! The browser pages, in process: forms, errors in the user's language, conflicts, CSV.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode, header};

both_engines!(
    form_errors_name_the_field_and_store_nothing,
    stale_form_edit_is_a_conflict,
    list_search_export_and_language,
    city_list_offers_its_kecamatan_directly,
    province_list_offers_kabkota_then_its_kecamatan,
    national_list_offers_kabkota_not_every_kecamatan,
    logout_ends_the_session,
    wrong_login_shows_a_message
);

async fn form_errors_name_the_field_and_store_nothing(app: TestApp) {
    app.admin().await;
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app
        .page(
            Method::POST,
            "/koperasi/baru",
            Some(&cookie),
            Some("name=&nik=123&kecamatan_code=32.75.04"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Periksa isian berikut"), "error summary");
    assert!(html.contains("NIK Koperasi harus tepat 13 angka"), "NIK message");
    assert!(html.contains("Nama koperasi wajib diisi"), "name message");
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("value=\"123\""), "the user's input is kept");
    assert_eq!(app.count("cooperatives").await, 0);
    // Escaping: markup typed into a field comes back as text.
    let (_, _, html) = app
        .page(
            Method::POST,
            "/koperasi/baru",
            Some(&cookie),
            Some("name=%3Cscript%3Ex%3C%2Fscript%3E&nik=1"),
        )
        .await;
    assert!(
        !html.contains("<script>x</script>") && html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;")
    );
}

async fn stale_form_edit_is_a_conflict(app: TestApp) {
    let t = app.admin().await;
    let (_, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative("Kop Awal", None)),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}/ubah"), Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"version\" value=\"1\""));
    // Someone else saves first.
    app.api(
        Method::PATCH,
        &format!("/api/v1/cooperatives/{id}"),
        Some(&t),
        Some(serde_json::json!({"name": "Kop Orang Lain"})),
    )
    .await;
    let (s, _, html) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/ubah"),
            Some(&cookie),
            Some("version=1&name=Kop+Saya&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("sudah diubah orang lain"));
    assert!(
        html.contains("name=\"version\" value=\"2\""),
        "the form now carries the current version"
    );
    assert_eq!(app.db.cooperative(id).await.unwrap().fields.name, "Kop Orang Lain");
    // Saving again from the new version works, and the detail page shows the history.
    let (s, h, _) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/ubah"),
            Some(&cookie),
            Some("version=2&name=Kop+Saya&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], format!("/koperasi/{id}").as_str());
    let (_, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&cookie), None)
        .await;
    assert_eq!(html.matches("class=\"history-entry\"").count(), 3);
    assert!(html.contains("Kop Orang Lain") && html.contains("Kop Saya"));
}

async fn list_search_export_and_language(app: TestApp) {
    let t = app.admin().await;
    for name in ["Kopkar Bridgestone", "Koperasi Sentra Boneka", "KSP Lima Garuda"] {
        app.api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&t),
            Some(cooperative(name, None)),
        )
        .await;
    }
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app
        .page(Method::GET, "/koperasi?q=bridgestone", Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Ditemukan 1 koperasi"));
    assert!(html.contains("Kopkar Bridgestone") && !html.contains("Lima Garuda"));
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?kecamatan=32.75.04", Some(&cookie), None)
        .await;
    assert!(
        html.contains("name=\"kelurahan\"") && html.contains("Jakasetia"),
        "kelurahan filter for the chosen kecamatan"
    );
    let (_, _, html) = app
        .page(
            Method::GET,
            "/koperasi?kecamatan=32.75.04&kelurahan=32.75.04.1001",
            Some(&cookie),
            None,
        )
        .await;
    assert!(html.contains("Ditemukan 0 koperasi"));
    let (s, h, csv) = app
        .page(Method::GET, "/koperasi/export.csv?jenis=Konsumen", Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].trim_start_matches('\u{feff}').starts_with("id,nik,name"));
    assert_eq!(lines.len(), 4, "header and three rows: {csv}");
    let (s, h, xlsx) = app
        .page(Method::GET, "/koperasi/export.xlsx?jenis=Konsumen", Some(&cookie), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    assert!(xlsx.len() > 1000);
    let (rows, _) = app
        .db
        .audit_rows(
            &kopra_db::audit::AuditFilter {
                action: Some("export".into()),
                ..Default::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        vec!["export.xlsx", "export.csv"],
        "every export is audited"
    );
    let (s, h, _) = app.page(Method::GET, "/bahasa/en", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let lang = h[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let both = format!("{cookie}; {lang}");
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?q=bridgestone", Some(&both), None)
        .await;
    assert!(html.contains("1 cooperatives found"));
    let (_, _, html) = app.page(Method::GET, "/", Some(&cookie), None).await;
    assert!(html.contains("Per kecamatan") && html.contains("Bekasi Selatan"));
}

/// The `<select name="…">` of a page, up to its end.
fn select<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("<select id=\"f-{name}\" name=\"{name}\">"))?;
    let end = html[start..].find("</select>")?;
    Some(&html[start..start + end])
}

/// Creates cooperatives through the API; each `(name, kelurahan code)`.
async fn cooperatives_in(app: &TestApp, token: &str, list: &[(&str, &str)]) {
    for (name, kelurahan) in list {
        let mut c = cooperative(name, None);
        c["kelurahan_code"] = serde_json::Value::String(kelurahan.to_string());
        let (s, body) = app
            .api(Method::POST, "/api/v1/cooperatives", Some(token), Some(c))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
}

async fn city_list_offers_its_kecamatan_directly(app: TestApp) {
    let t = app.admin().await;
    cooperatives_in(
        &app,
        &t,
        &[("Kop Selatan", "32.75.04.1004"), ("Kop Timur", "32.75.01.1001")],
    )
    .await;
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app.page(Method::GET, "/koperasi", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        select(&html, "kabkota").is_none(),
        "a city office has one kab/kota: no choice"
    );
    let kec = select(&html, "kecamatan").expect("the kecamatan select");
    assert!(kec.contains(">Bekasi Selatan<") && kec.contains(">Bekasi Timur<"));
    assert_eq!(
        kec.matches("<option").count(),
        13,
        "Semua and the 12 kecamatan of Kota Bekasi"
    );
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?kecamatan=32.75.01", Some(&cookie), None)
        .await;
    assert!(html.contains("Ditemukan 1 koperasi") && html.contains("Kop Timur") && !html.contains("Kop Selatan"));
    assert!(
        select(&html, "kecamatan")
            .unwrap()
            .contains("value=\"32.75.01\" selected")
    );
    assert!(select(&html, "kelurahan").is_some(), "the chosen kecamatan's kelurahan");
    assert!(!html.contains("kabkota="), "the city page's links are as before");
}

async fn province_list_offers_kabkota_then_its_kecamatan(app: TestApp) {
    let app = app.as_office("32");
    let t = app.admin().await;
    cooperatives_in(
        &app,
        &t,
        &[
            ("Kop Kota Bekasi", "32.75.04.1004"),
            ("Kop Tarumajaya", "32.16.01.2001"),
        ],
    )
    .await;
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app.page(Method::GET, "/koperasi", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Ditemukan 2 koperasi"));
    let kab = select(&html, "kabkota").expect("the kab/kota select");
    assert!(kab.contains("value=\"32.75\">Kota Bekasi<") && kab.contains("value=\"32.16\">Kabupaten Bekasi<"));
    assert!(!kab.contains("value=\"31."), "only the province's kab/kota");
    assert!(
        select(&html, "kecamatan").is_none(),
        "no kecamatan before a kab/kota is chosen"
    );
    // A kab/kota chosen: its kecamatan only, and the list of that kab/kota.
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?kabkota=32.16", Some(&cookie), None)
        .await;
    assert!(html.contains("Ditemukan 1 koperasi") && html.contains("Kop Tarumajaya"));
    assert!(select(&html, "kabkota").unwrap().contains("value=\"32.16\" selected"));
    let kec = select(&html, "kecamatan").expect("the kab/kota's kecamatan");
    assert!(kec.contains(">Tarumajaya<") && !kec.contains(">Bekasi Selatan<"));
    assert!(kec.matches("value=\"32.16.").count() == kec.matches("value=\"32.").count());
    assert!(html.contains("export.csv?kabkota=32.16"), "exports keep the filter");
    // A kecamatan chosen implies its kab/kota and filters.
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?kecamatan=32.75.04", Some(&cookie), None)
        .await;
    assert!(html.contains("Ditemukan 1 koperasi") && html.contains("Kop Kota Bekasi"));
    assert!(select(&html, "kabkota").unwrap().contains("value=\"32.75\" selected"));
    assert!(
        select(&html, "kecamatan")
            .unwrap()
            .contains("value=\"32.75.04\" selected")
    );
    assert!(select(&html, "kelurahan").unwrap().contains(">Jakasetia<"));
    // Another kab/kota chosen while a kecamatan was: the kab/kota wins.
    let (_, _, html) = app
        .page(
            Method::GET,
            "/koperasi?kabkota=32.16&kecamatan=32.75.04&kelurahan=32.75.04.1004",
            Some(&cookie),
            None,
        )
        .await;
    assert!(html.contains("Ditemukan 1 koperasi") && html.contains("Kop Tarumajaya"));
    assert!(
        select(&html, "kecamatan").unwrap().contains("value=\"\" selected"),
        "no kecamatan chosen"
    );
    assert!(select(&html, "kelurahan").is_none());
    // The API filters by kab/kota too.
    let (s, body) = app
        .api(Method::GET, "/api/v1/cooperatives?kabkota=32.75", Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["total"], 1, "{body}");
}

async fn national_list_offers_kabkota_not_every_kecamatan(app: TestApp) {
    let app = app.as_office("ID");
    let t = app.admin().await;
    cooperatives_in(
        &app,
        &t,
        &[
            ("Kop Kota Bekasi", "32.75.04.1004"),
            ("Kop Tarumajaya", "32.16.01.2001"),
        ],
    )
    .await;
    let cookie = app.login_cookie("admin").await;
    let (s, _, html) = app.page(Method::GET, "/koperasi", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    let prov = select(&html, "provinsi").expect("the province select");
    assert_eq!(
        prov.matches("<option").count(),
        1 + 38,
        "Semua and Indonesia's 38 provinces"
    );
    assert!(
        prov.contains("value=\"32\">JAWA BARAT<") || prov.contains("value=\"32\">Jawa Barat<"),
        "{prov}"
    );
    assert!(
        select(&html, "kabkota").is_none(),
        "no kab/kota before a province is chosen"
    );
    assert!(select(&html, "kecamatan").is_none());
    assert!(html.len() < 30_000, "not hundreds of kab/kota: {} bytes", html.len());
    // A province chosen: its kab/kota, and the list of that province (a range over the
    // kab/kota codes).
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?provinsi=32", Some(&cookie), None)
        .await;
    assert!(html.contains("Ditemukan 2 koperasi"), "both are in Jawa Barat");
    let kab = select(&html, "kabkota").expect("Jawa Barat's kab/kota");
    assert_eq!(kab.matches("value=\"32.").count(), 27, "{kab}");
    assert_eq!(kab.matches("<option").count(), 1 + 27);
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?provinsi=11", Some(&cookie), None)
        .await;
    assert!(
        html.contains("Ditemukan 0 koperasi") || html.contains(">Tidak ada"),
        "none in Aceh"
    );
    // A kab/kota implies its province and offers its kecamatan.
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?kabkota=11.01", Some(&cookie), None)
        .await;
    assert!(select(&html, "provinsi").unwrap().contains("value=\"11\" selected"));
    assert!(select(&html, "kabkota").unwrap().contains("value=\"11.01\" selected"));
    let kec = select(&html, "kecamatan").expect("Aceh Selatan's kecamatan");
    assert!(kec.matches("value=\"11.01.").count() > 5 && !kec.contains("value=\"32."));
    // Another province chosen while a kab/kota of the first was: the province wins.
    let (_, _, html) = app
        .page(Method::GET, "/koperasi?provinsi=32&kabkota=11.01", Some(&cookie), None)
        .await;
    assert!(html.contains("Ditemukan 2 koperasi"));
    assert!(select(&html, "kabkota").unwrap().contains("value=\"\" selected"));
    // The API filters by province too.
    let (s, body) = app
        .api(Method::GET, "/api/v1/cooperatives?provinsi=32", Some(&t), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["total"], 2, "{body}");
    let (_, body) = app
        .api(Method::GET, "/api/v1/cooperatives?provinsi=3", Some(&t), None)
        .await;
    assert_eq!(body["total"], 0, "a prefix of a code is not a province: {body}");
}

async fn logout_ends_the_session(app: TestApp) {
    app.admin().await;
    let cookie = app.login_cookie("admin").await;
    let (s, _, _) = app.page(Method::POST, "/logout", Some(&cookie), Some("")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, h, _) = app.page(Method::GET, "/koperasi", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/login");
}

async fn wrong_login_shows_a_message(app: TestApp) {
    app.admin().await;
    let (s, h, html) = app
        .page(Method::POST, "/login", None, Some("username=admin&password=salah"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(html.contains("Nama pengguna atau kata sandi salah"));
    assert!(h.get(header::SET_COOKIE).is_none());
    let (_, h, _) = app
        .page(
            Method::POST,
            "/login",
            None,
            Some(&format!("username=admin&password={}", crate::harness::PASSWORD)),
        )
        .await;
    let set = h[header::SET_COOKIE].to_str().unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"));
}
