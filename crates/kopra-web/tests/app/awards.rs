//! Awards (Hari Koperasi, 12 July): a round run end to end in the browser pages by two
//! jurors, and the API's checks.
//!
//! The default criteria (data/awards/default.json) weigh 12 in all: simpanan pokok and
//! simpanan wajib 2 each, the eight others 1 each. A juror's total is
//! Σ(points × weight) ÷ 12; full marks everywhere give 1200 ÷ 12 = 100.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode, header};
use kopra_db::Db;
use kopra_domain::Role;
use serde_json::{Value, json};

both_engines!(
    an_award_round_is_run_by_two_jurors_in_the_browser_to_a_ranking_and_a_certificate,
    the_api_checks_programmes_jurors_nominations_and_sheets,
);

const INDICATORS: [&str; 10] = [
    "simpanan_pokok_lunas",
    "simpanan_wajib_lunas",
    "rat_tepat_waktu",
    "kehadiran_rat",
    "pertumbuhan_volume_usaha",
    "partisipasi_anggota",
    "pertumbuhan_shu",
    "pertumbuhan_aset",
    "pertumbuhan_anggota",
    "manfaat_anggota_masyarakat",
];

/// Entries in the order of [`INDICATORS`].
type Sheet = [f64; 10];

/// Full marks: every band's top, 100 points for the jurors' judgement → 100.
const FULL: Sheet = [100.0, 100.0, 1.0, 80.0, 12.0, 80.0, 10.0, 10.0, 10.0, 100.0];

fn form_of(sheet: &Sheet) -> String {
    INDICATORS
        .iter()
        .zip(sheet)
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn location(h: &axum::http::HeaderMap) -> String {
    h.get(header::LOCATION).unwrap().to_str().unwrap().to_string()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    let sql = "SELECT COUNT(*) FROM audit_log WHERE action = $1";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(action).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(action).fetch_one(p).await.unwrap(),
    }
}

async fn new_cooperative(app: &TestApp, token: &str, name: &str, nik: Option<&str>) -> i64 {
    let (s, c) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(token),
            Some(cooperative(name, nik)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    c["id"].as_i64().unwrap()
}

async fn an_award_round_is_run_by_two_jurors_in_the_browser_to_a_ranking_and_a_certificate(app: TestApp) {
    let token = app.admin().await;
    app.user("juri1", Role::Petugas, None, &[]).await;
    app.user("juri2", Role::Petugas, None, &[]).await;
    let outsider_token = app.user("luar", Role::Petugas, None, &[]).await;
    let a = new_cooperative(&app, &token, "Koperasi Juara Sejahtera", Some("3275050020999")).await;
    let b = new_cooperative(&app, &token, "Koperasi Bina Usaha Mandiri", None).await;
    let c = new_cooperative(&app, &token, "Koperasi Cahaya Tani", None).await;
    new_cooperative(&app, &token, "Koperasi Bina Karya", None).await;
    let admin = app.login_cookie("admin").await;

    // The admin opens a programme; its date is Hari Koperasi of the year.
    let (s, _, html) = app.page(Method::GET, "/penghargaan", Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("href=\"/penghargaan\""), "the menu links to the awards");
    let form = format!(
        "year=2027&name={}&categories={}",
        enc("Koperasi Berprestasi Hari Koperasi 2027"),
        enc("Simpan Pinjam, Konsumen")
    );
    let (s, h, _) = app.page(Method::POST, "/penghargaan", Some(&admin), Some(&form)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let programme_path = location(&h);
    let pid: i64 = programme_path.rsplit('/').next().unwrap().parse().unwrap();
    let (s, _, html) = app
        .page(Method::POST, "/penghargaan", Some(&admin), Some("year=2027&name="))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("error-summary"));

    // Two jurors, then three nominations: by id, by a unique part of the name, and by a
    // part shared by two names (the page offers both to choose from).
    let (s, _, html) = app.page(Method::GET, &programme_path, Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("12 Juli 2027"));
    assert!(html.contains("value=\"juri1\""));
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/penghargaan/{pid}/juri"),
            Some(&admin),
            Some("juror=juri1&juror=juri2"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let nominate = |coop: String| format!("cooperative={}&category=Konsumen&note=", enc(&coop));
    let path = format!("/penghargaan/{pid}/nominasi");
    let (s, _, _) = app
        .page(Method::POST, &path, Some(&admin), Some(&nominate(a.to_string())))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, html) = app
        .page(Method::POST, &path, Some(&admin), Some(&nominate("bina".into())))
        .await;
    assert_eq!(s, StatusCode::OK, "two names contain 'bina'");
    assert!(html.contains("Koperasi Bina Usaha Mandiri") && html.contains("Koperasi Bina Karya"));
    let (s, _, _) = app
        .page(
            Method::POST,
            &path,
            Some(&admin),
            Some(&nominate("usaha mandiri".into())),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = app
        .page(Method::POST, &path, Some(&admin), Some(&nominate(c.to_string())))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, html) = app
        .page(Method::POST, &path, Some(&admin), Some(&nominate(c.to_string())))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "nominated once per category");
    assert!(html.contains("error-summary"));

    let (_, programme) = app
        .api(Method::GET, &format!("/api/v1/awards/{pid}"), Some(&token), None)
        .await;
    let nomination_of = |coop: i64| {
        programme["nominations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["cooperative_id"] == coop)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (na, nb, nc) = (nomination_of(a), nomination_of(b), nomination_of(c));
    assert_eq!(programme["event_date"], "2027-07-12");
    assert_eq!(programme["categories"], json!(["Simpan Pinjam", "Konsumen"]));

    // The sheets, with their totals worked by hand (Σ weights = 12):
    // A, juri1: full marks → 100. A, juri2: wajib 85% → 75 (−25×2), judgement 90 (−10):
    //   (1200 − 60) ÷ 12 = 95. Average 97.50.
    // B, juri1: pokok 80% → 75 (−50), wajib 60% → 50 (−100), RAT late → 0 (−100),
    //   judgement 50 (−50): 900 ÷ 12 = 75. B, juri2: wajib 80% → 75 (−50), attendance
    //   40% → 50 (−50), turnover +3% → 50 (−50), judgement 70 (−30): 1020 ÷ 12 = 85.
    //   Average 80.00.
    // C, juri1: pokok 50% → 25 (−150), wajib 40% → 0 (−200), RAT 0 (−100), attendance 10%
    //   → 25 (−75), turnover −5% → 0 (−100), participation 30% → 50 (−50), SHU +6% → 75
    //   (−25), assets 0% → 50 (−50), members +5% → 75 (−25), judgement 35 (−65):
    //   360 ÷ 12 = 30. C, juri2: the same with judgement 59 (−41): 384 ÷ 12 = 32.
    //   Average 31.00.
    let a2: Sheet = [100.0, 85.0, 1.0, 80.0, 12.0, 80.0, 10.0, 10.0, 10.0, 90.0];
    let b1: Sheet = [80.0, 60.0, 0.0, 80.0, 12.0, 80.0, 10.0, 10.0, 10.0, 50.0];
    let b2: Sheet = [100.0, 80.0, 1.0, 40.0, 3.0, 80.0, 10.0, 10.0, 10.0, 70.0];
    let c1: Sheet = [50.0, 40.0, 0.0, 10.0, -5.0, 30.0, 6.0, 0.0, 5.0, 35.0];
    let mut c2 = c1;
    c2[9] = 59.0;
    // juri1 first gives A 40 for the judgement ((1200 − 60) ÷ 12 = 95), then corrects it.
    let mut a1_first = FULL;
    a1_first[9] = 40.0;
    let rounds: Vec<(&str, i64, Sheet, &str)> = vec![
        ("juri1", na, a1_first, "95,00"),
        ("juri1", na, FULL, "100,00"),
        ("juri1", nb, b1, "75,00"),
        ("juri1", nc, c1, "30,00"),
        ("juri2", na, a2, "95,00"),
        ("juri2", nb, b2, "85,00"),
        ("juri2", nc, c2, "32,00"),
    ];
    for juror in ["juri1", "juri2"] {
        let cookie = app.login_cookie(juror).await;
        let (s, _, html) = app.page(Method::GET, &programme_path, Some(&cookie), None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains(&format!("/penghargaan/nominasi/{na}/nilai")),
            "jurors get the sheet link"
        );
        for (who, nomination, sheet, total) in rounds.iter().filter(|r| r.0 == juror) {
            let sheet_path = format!("/penghargaan/nominasi/{nomination}/nilai");
            let (s, _, html) = app.page(Method::GET, &sheet_path, Some(&cookie), None).await;
            assert_eq!(s, StatusCode::OK, "{who}");
            assert!(
                html.contains("Kelembagaan") && html.contains("Manfaat"),
                "grouped by aspect"
            );
            assert!(html.contains("≥ 100 → 100 poin"), "bands shown as help");
            let (s, h, _) = app
                .page(Method::POST, &sheet_path, Some(&cookie), Some(&form_of(sheet)))
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{who} scores {nomination}");
            let (s, _, html) = app.page(Method::GET, &location(&h), Some(&cookie), None).await;
            assert_eq!(s, StatusCode::OK);
            assert!(
                html.contains(&format!("<strong>{total}</strong>")),
                "{who} on {nomination}: {total}"
            );
        }
        // A sheet with a gap and a judgement above 100 is refused, per indicator.
        let mut bad = form_of(&FULL).replace("kehadiran_rat=80&", "kehadiran_rat=&");
        bad = bad.replace("manfaat_anggota_masyarakat=100", "manfaat_anggota_masyarakat=120");
        let (s, _, html) = app
            .page(
                Method::POST,
                &format!("/penghargaan/nominasi/{nc}/nilai"),
                Some(&cookie),
                Some(&bad),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Kehadiran anggota dalam RAT (%): wajib diisi."), "{html}");
    }
    let bad = form_of(&FULL).replace("manfaat_anggota_masyarakat=100", "manfaat_anggota_masyarakat=120");
    let juri1 = app.login_cookie("juri1").await;
    let (s, _, html) = app
        .page(
            Method::POST,
            &format!("/penghargaan/nominasi/{nc}/nilai"),
            Some(&juri1),
            Some(&bad),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("di luar rentang"));

    // A petugas who is not a juror may look but not score.
    let outsider = app.login_cookie("luar").await;
    let (s, _, html) = app.page(Method::GET, &programme_path, Some(&outsider), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("/nilai\""), "no sheet link for a non-juror");
    let (s, _, _) = app
        .page(
            Method::GET,
            &format!("/penghargaan/nominasi/{na}/nilai"),
            Some(&outsider),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/penghargaan/nominasi/{na}/nilai"),
            Some(&outsider),
            Some(&form_of(&FULL)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let values: serde_json::Map<String, Value> = INDICATORS.iter().map(|k| (k.to_string(), json!(100))).collect();
    let (s, _) = app
        .api(
            Method::PUT,
            &format!("/api/v1/awards/nominations/{na}/score"),
            Some(&outsider_token),
            Some(json!({"values": values})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The ranking: by the average, with each juror's total in the nominations table.
    let (s, _, html) = app.page(Method::GET, &programme_path, Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK);
    let ranking = &html[html.find("class=\"ranking\"").expect("a ranking table")..];
    let pos = |name: &str| ranking.find(name).unwrap_or_else(|| panic!("{name} in the ranking"));
    assert!(pos("Koperasi Juara Sejahtera") < pos("Koperasi Bina Usaha Mandiri"));
    assert!(pos("Koperasi Bina Usaha Mandiri") < pos("Koperasi Cahaya Tani"));
    for avg in ["97,50", "80,00", "31,00"] {
        assert!(ranking.contains(avg), "average {avg}");
    }
    let nominations = &html[html.find("id=\"nominations\"").unwrap()..];
    assert!(nominations.contains("100,00") && nominations.contains("95,00"));
    let (s, r) = app
        .api(
            Method::GET,
            &format!("/api/v1/awards/{pid}/ranking?category=konsumen"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let items = &r["items"][0]["items"];
    let got: Vec<(i64, i64, f64)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["cooperative_id"].as_i64().unwrap(),
                i["rank"].as_i64().unwrap(),
                i["average"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![(a, 1, 97.5), (b, 2, 80.0), (c, 3, 31.0)]);

    // Nominated upward, and the winner's certificate.
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/penghargaan/nominasi/{na}/usulkan"),
            Some(&admin),
            Some("level=province"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/penghargaan/nominasi/{na}/usulkan"),
            Some(&juri1),
            Some("level=ministry"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the admin nominates upward");
    let (s, _, html) = app.page(Method::GET, &programme_path, Some(&admin), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Diusulkan ke provinsi"));
    let (s, _, html) = app
        .page(
            Method::GET,
            &format!("/penghargaan/nominasi/{na}/piagam"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    for text in [
        "Koperasi Juara Sejahtera",
        "NIK 3275050020999",
        "Koperasi Berprestasi Hari Koperasi 2027",
        "Konsumen",
        "<td id=\"rank\">1</td>",
        "<td id=\"average\">97,50</td>",
        "Bekasi, 12 Juli 2027",
        "Kepala Dinas Koperasi dan UMKM Kota Bekasi",
        "class=\"certificate-page\"",
    ] {
        assert!(html.contains(text), "the certificate shows {text}");
    }
    let (_, _, css) = app.page(Method::GET, "/static/app.css", None, None).await;
    assert!(
        css.contains("@page { size: A4 landscape"),
        "the certificate prints on A4, landscape"
    );

    // Every sheet is audited, the correction too; the table keeps the latest per juror.
    assert_eq!(audit_count(&app, "award.score").await, 7);
    assert_eq!(app.count("award_scores").await, 6);
    assert_eq!(audit_count(&app, "award.upward").await, 1);
    let (_, p) = app
        .api(Method::GET, &format!("/api/v1/awards/{pid}"), Some(&token), None)
        .await;
    assert_eq!(p["status"], "scoring", "criteria are frozen once scoring starts");
}

async fn the_api_checks_programmes_jurors_nominations_and_sheets(app: TestApp) {
    let token = app.admin().await;
    let petugas = app.user("juri", Role::Petugas, None, &[]).await;
    let coop = new_cooperative(&app, &token, "Koperasi Uji Penghargaan", None).await;
    let archived = new_cooperative(&app, &token, "Koperasi Sudah Diarsip", None).await;
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{archived}/archive"),
            Some(&token),
            Some(json!({"reason": "bubar"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let pengurus = app.user("pengurus", Role::Pengurus, Some(coop), &[]).await;

    let (s, p) = app
        .api(
            Method::POST,
            "/api/v1/awards",
            Some(&token),
            Some(json!({"year": 2026, "name": "Koperasi Berprestasi 2026"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let pid = p["id"].as_i64().unwrap();
    assert_eq!(p["event_date"], "2026-07-12");
    assert_eq!(p["categories"], json!(["Umum"]));
    assert_eq!(p["criteria"]["id"], "koperasi-berprestasi-default");
    assert_eq!(p["status"], "open");
    let (s, r) = app
        .api(
            Method::POST,
            "/api/v1/awards",
            Some(&token),
            Some(json!({"year": 1900, "name": " ", "criteria": {"id": "x"}})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["year", "name", "criteria"] {
        assert!(r["error"]["field_codes"][f].is_string(), "{f}: {r}");
    }
    let (s, _) = app
        .api(
            Method::POST,
            "/api/v1/awards",
            Some(&petugas),
            Some(json!({"year": 2026, "name": "X"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, list) = app.api(Method::GET, "/api/v1/awards", Some(&petugas), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"][0]["name"], "Koperasi Berprestasi 2026");
    let (s, _) = app.api(Method::GET, "/api/v1/awards", Some(&pengurus), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Jurors are office users.
    let jurors = format!("/api/v1/awards/{pid}/jurors");
    let (s, r) = app
        .api(
            Method::PUT,
            &jurors,
            Some(&token),
            Some(json!({"usernames": ["juri", "pengurus"]})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let (s, r) = app
        .api(
            Method::PUT,
            &jurors,
            Some(&token),
            Some(json!({"usernames": ["juri", "admin"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["items"].as_array().unwrap().len(), 2);

    // Nominations: an existing, unarchived cooperative, once per category.
    let nominations = format!("/api/v1/awards/{pid}/nominations");
    let (s, r) = app
        .api(
            Method::POST,
            &nominations,
            Some(&token),
            Some(json!({"cooperative_id": archived})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r["error"]["field_codes"]["cooperative_id"], "value_not_in_list");
    let (s, r) = app
        .api(
            Method::POST,
            &nominations,
            Some(&token),
            Some(json!({"cooperative_id": coop, "category": "Lainnya"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r["error"]["field_codes"]["category"], "value_not_in_list");
    let (s, n) = app
        .api(
            Method::POST,
            &nominations,
            Some(&token),
            Some(json!({"cooperative_id": coop})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["category"], "Umum");
    let nid = n["id"].as_i64().unwrap();
    let (s, _) = app
        .api(
            Method::POST,
            &nominations,
            Some(&token),
            Some(json!({"cooperative_id": coop})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Sheets: field errors name the indicators; a good sheet gives its total.
    let score = format!("/api/v1/awards/nominations/{nid}/score");
    let (s, r) = app
        .api(
            Method::PUT,
            &score,
            Some(&petugas),
            Some(json!({"values": {"simpanan_pokok_lunas": 100, "manfaat_anggota_masyarakat": 101, "lain": 1}})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let codes = &r["error"]["field_codes"];
    assert_eq!(codes["simpanan_wajib_lunas"], "required");
    assert_eq!(codes["manfaat_anggota_masyarakat"], "number_format");
    assert_eq!(codes["lain"], "value_not_in_list");
    let mut values: serde_json::Map<String, Value> = INDICATORS
        .iter()
        .zip(FULL)
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    values.insert("simpanan_pokok_lunas".into(), json!(79.9));
    let (s, r) = app
        .api(Method::PUT, &score, Some(&petugas), Some(json!({"values": values})))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    // pokok 79.9% → 50 (−50×2): 1100 ÷ 12 = 91.666… → 91.67.
    assert_eq!(r["total"], 91.67);
    assert_eq!(r["average"], 91.67);
    let (_, r) = app
        .api(Method::PUT, &score, Some(&token), Some(json!({"values": values})))
        .await;
    assert_eq!(r["average"], 91.67);
    let (s, r) = app
        .api(
            Method::GET,
            &format!("/api/v1/awards/{pid}/ranking"),
            Some(&petugas),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["items"][0]["category"], "Umum");
    assert_eq!(r["items"][0]["items"][0]["rank"], 1);
    assert_eq!(r["items"][0]["items"][0]["jurors"], 2);
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/api/v1/awards/{pid}/ranking?category=Tidak+Ada"),
            Some(&petugas),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Upward: province or ministry only, by the admin.
    let upward = format!("/api/v1/awards/nominations/{nid}/upward");
    let (s, _) = app
        .api(Method::POST, &upward, Some(&token), Some(json!({"level": "planet"})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = app
        .api(
            Method::POST,
            &upward,
            Some(&petugas),
            Some(json!({"level": "ministry"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, r) = app
        .api(Method::POST, &upward, Some(&token), Some(json!({"level": "ministry"})))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["upward_level"], "ministry");
    assert!(r["upward_at"].is_string());
    assert_eq!(audit_count(&app, "award.programme").await, 1);
    assert_eq!(audit_count(&app, "award.jurors").await, 1);
    assert_eq!(audit_count(&app, "award.nominate").await, 1);
    assert_eq!(audit_count(&app, "award.score").await, 2);
}
