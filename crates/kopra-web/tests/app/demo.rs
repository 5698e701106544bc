//! The demo data: the ODS list of Kota Bekasi's 1,046 cooperatives.

use crate::both_engines;
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use kopra_db::cooperative_list::CountBy;
use kopra_domain::Scope;
use kopra_domain::names::region_name_key;
use std::collections::HashMap;

both_engines!(
    demo_loads_every_ods_cooperative_into_its_kecamatan,
    the_doll_makers_cooperative_gets_doll_makers_nearby_as_its_best_matches,
);

async fn demo_loads_every_ods_cooperative_into_its_kecamatan(app: TestApp) {
    let office = app.office().await;
    let report = app.db.load_demo(&office).await.unwrap();
    assert_eq!((report.loaded, report.rejected), (1046, 0));
    assert!(app.db.load_demo(&office).await.unwrap().already_loaded, "loads once");

    // Counts per kecamatan equal the ODS file's, after name normalisation.
    let mut expected: HashMap<String, i64> = HashMap::new();
    let mut r = csv::Reader::from_reader(kopra_db::demo::ODS_KOTA_BEKASI_2021.as_bytes());
    let col = r.headers().unwrap().iter().position(|h| h == "Kecamatan").unwrap();
    for rec in r.records() {
        *expected.entry(region_name_key(&rec.unwrap()[col])).or_default() += 1;
    }
    let counts = app
        .db
        .count_cooperatives(CountBy::Kecamatan, &Scope::All)
        .await
        .unwrap();
    assert_eq!(counts.len(), 12);
    for c in &counts {
        let name = c.label.as_deref().unwrap();
        assert_eq!(Some(&c.count), expected.get(&region_name_key(name)), "{name}");
    }
    let selatan = counts.iter().find(|c| c.key.as_deref() == Some("32.75.04")).unwrap();
    assert_eq!((selatan.label.as_deref(), selatan.count), (Some("Bekasi Selatan"), 173));

    let t = app.admin().await;
    let (_, found) = app
        .api(Method::GET, "/api/v1/cooperatives?q=bridgestone", Some(&t), None)
        .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["nik"], "3275070040031");
    assert_eq!(found["items"][0]["bentuk"], "Primer Provinsi");
    assert_eq!(
        found["items"][0]["supervised"], false,
        "a Primer Provinsi cooperative is the province's"
    );
    let (_, supervised) = app
        .api(
            Method::GET,
            "/api/v1/cooperatives?supervised=true&per_page=1",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(supervised["total"], 780, "779 Primer + 1 Sekunder Kabupaten/Kota");
}

async fn the_doll_makers_cooperative_gets_doll_makers_nearby_as_its_best_matches(app: TestApp) {
    let office = app.office().await;
    let report = app.db.load_demo(&office).await.unwrap();
    assert!(
        report.umkm.umkm >= 400,
        "several hundred synthetic UMKM: {:?}",
        report.umkm
    );
    assert!(
        report.umkm.coalitions >= 2 && report.umkm.transactions >= 3,
        "{:?}",
        report.umkm
    );
    let t = app.admin().await;
    let (_, found) = app
        .api(Method::GET, "/api/v1/cooperatives?q=3275030010021", Some(&t), None)
        .await;
    let id = found["items"][0]["id"].as_i64().unwrap();
    let (_, m) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{id}/matches"),
            Some(&t),
            None,
        )
        .await;
    let items = m["items"].as_array().unwrap();
    assert!(items.len() >= 10, "{m}");
    for best in &items[..10] {
        let umkm = app.db.umkm(best["umkm_id"].as_i64().unwrap()).await.unwrap();
        assert!(
            umkm.fields.products.iter().any(|p| p == "boneka"),
            "{}",
            umkm.fields.name
        );
        assert_eq!(umkm.fields.kecamatan_code, "32.75.07", "nearby: in Bantargebang");
        let reasons = best["reasons"].as_array().unwrap();
        assert!(
            reasons.iter().any(|r| r.as_str().unwrap().contains("boneka")),
            "{reasons:?}"
        );
    }
    // The best is in the cooperative's own kelurahan (Cikiwul), and says so.
    let best = app.db.umkm(items[0]["umkm_id"].as_i64().unwrap()).await.unwrap();
    assert_eq!(best.fields.kelurahan_code, "32.75.07.1004");
    assert!(
        items[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.as_str().unwrap().contains("kelurahan"))
    );
    // The UMKM list shows them on a map of the kecamatan, and the synthetic label.
    let cookie = app.login_cookie("admin").await;
    let (_, _, html) = app
        .page(Method::GET, "/umkm?kecamatan=32.75.07", Some(&cookie), None)
        .await;
    assert_eq!(html.matches("<path ").count(), 12, "one shape per kecamatan");
    assert!(html.contains("UMKM</title>"), "each kecamatan's count in its tooltip");
    let (_, _, detail) = app
        .page(Method::GET, &format!("/umkm/{}", best.id), Some(&cookie), None)
        .await;
    assert!(
        detail.contains("Data contoh (sintetis)"),
        "synthetic data is labelled as such"
    );
    assert!(
        detail.contains("PP 7/2021 Pasal 35"),
        "the size class names its regulation"
    );
    // The coalitions and the coaching visits go to Excel.
    let (s, bytes) = app.download("/koalisi/export.xlsx", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    let cells = TestApp::workbook_cells(&bytes);
    assert!(
        cells
            .iter()
            .any(|r| r.iter().any(|c| c == "Koalisi Pemasaran Boneka Bantargebang")),
        "{cells:?}"
    );
    let (s, _) = app.download("/pembinaan/export.xlsx", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    // The demo coalitions show their savings.
    let (_, list) = app.api(Method::GET, "/api/v1/coalitions", Some(&t), None).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["savings"].as_i64().unwrap() > 0),
        "{list}"
    );
}
