//! A pengurus proposes changes to their own cooperative; the office applies or rejects them.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode, header};
use kopra_domain::Role;
use serde_json::json;

both_engines!(
    proposals_wait_for_the_office_and_never_overwrite,
    pengurus_proposes_through_the_form
);

async fn proposals_wait_for_the_office_and_never_overwrite(app: TestApp) {
    let admin = app.admin().await;
    let (_, own) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&admin),
            Some(cooperative("Kop Sejahtera", None)),
        )
        .await;
    let (_, other) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&admin),
            Some(cooperative("Kop Tetangga", None)),
        )
        .await;
    let own_id = own["id"].as_i64().unwrap();
    let pengurus = app.user("pengurus", Role::Pengurus, Some(own_id), &[]).await;
    let petugas = app.user("petugas", Role::Petugas, None, &[]).await;

    let url = format!("/api/v1/cooperatives/{own_id}/proposals");
    let (s, p) = app
        .api(
            Method::POST,
            &url,
            Some(&pengurus),
            Some(json!({"phone": "0812 1111 2222", "version": 1, "note": "nomor baru"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["status"], "pending");
    assert_eq!(
        p["changes"],
        json!([{"field": "phone", "from": null, "to": "081211112222"}])
    );
    assert_eq!(
        app.db.cooperative(own_id).await.unwrap().fields.phone,
        None,
        "nothing changes before the office decides"
    );
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/cooperatives/{}/proposals", other["id"]),
            Some(&pengurus),
            Some(json!({"phone": "0812 1111 2222"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only their own cooperative");
    let (s, e) = app
        .api(Method::POST, &url, Some(&pengurus), Some(json!({"email": "salah"})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["email"].is_string());
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{}/apply", p["id"]),
            Some(&pengurus),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a pengurus cannot apply their own proposal");

    let (s, applied) = app
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{}/apply", p["id"]),
            Some(&petugas),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{applied}");
    assert_eq!(applied["status"], "applied");
    let c = app.db.cooperative(own_id).await.unwrap();
    assert_eq!((c.fields.phone.as_deref(), c.version), (Some("081211112222"), 2));
    assert_eq!(
        app.db.cooperative_history(own_id).await.unwrap()[0].actor_name,
        "petugas"
    );

    // A proposal made on version 2; the office edits to version 3 meanwhile.
    let (_, late) = app
        .api(
            Method::POST,
            &url,
            Some(&pengurus),
            Some(json!({"name": "Kop Sejahtera Abadi"})),
        )
        .await;
    app.api(
        Method::PATCH,
        &format!("/api/v1/cooperatives/{own_id}"),
        Some(&admin),
        Some(json!({"notes": "dikunjungi"})),
    )
    .await;
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{}/apply", late["id"]),
            Some(&petugas),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(app.db.cooperative(own_id).await.unwrap().fields.name, "Kop Sejahtera");
    let (s, rejected) = app
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{}/reject", late["id"]),
            Some(&petugas),
            Some(json!({"note": "usulkan ulang"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (rejected["status"].as_str(), rejected["decision_note"].as_str()),
        (Some("rejected"), Some("usulkan ulang"))
    );
    let (_, list) = app.api(Method::GET, &url, Some(&pengurus), None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (rows, _) = app
        .db
        .audit_rows(
            &kopra_db::audit::AuditFilter {
                action: Some("proposal".into()),
                ..Default::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "proposal.reject",
            "proposal.create",
            "proposal.apply",
            "proposal.create"
        ]
    );
}

async fn pengurus_proposes_through_the_form(app: TestApp) {
    let admin = app.admin().await;
    let (_, own) = app
        .api(
            Method::POST,
            "/api/v1/cooperatives",
            Some(&admin),
            Some(cooperative("Kop Melati", None)),
        )
        .await;
    let id = own["id"].as_i64().unwrap();
    app.user("pengurus", Role::Pengurus, Some(id), &[]).await;
    app.user("petugas", Role::Petugas, None, &[]).await;
    let pengurus = app.login_cookie("pengurus").await;
    let (s, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}"), Some(&pengurus), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Usulkan perubahan") && !html.contains("/ubah\""),
        "a pengurus proposes, does not edit"
    );
    let (s, _, html) = app
        .page(Method::GET, &format!("/koperasi/{id}/usul"), Some(&pengurus), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"note\""));
    let form = "version=1&name=Kop+Melati+Jaya&kecamatan_code=32.75.04&kelurahan_code=32.75.04.1004&bentuk=Primer+Kabupaten%2FKota&jenis=Konsumen&kelompok=Kopkar&note=Hasil+RAT";
    let (s, h, _) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/usul"),
            Some(&pengurus),
            Some(form),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], format!("/koperasi/{id}?pesan=usulan").as_str());
    let petugas = app.login_cookie("petugas").await;
    let (_, _, html) = app.page(Method::GET, "/usulan", Some(&petugas), None).await;
    assert!(html.contains("Kop Melati") && html.contains("Nama koperasi"));
    let pid = app.db.proposals_of(id).await.unwrap()[0].id;
    let (s, _, _) = app
        .page(
            Method::POST,
            &format!("/koperasi/{id}/usulan/{pid}/terapkan"),
            Some(&petugas),
            Some("note="),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(app.db.cooperative(id).await.unwrap().fields.name, "Kop Melati Jaya");
}
