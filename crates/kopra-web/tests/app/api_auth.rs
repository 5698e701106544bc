//! Logging in for a token, throttling, and the bearer check.

use crate::both_engines;
use crate::harness::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::json;

both_engines!(
    token_login_and_failures_are_audited,
    failed_logins_are_throttled,
    api_needs_a_valid_bearer_token,
    healthz_answers_when_the_database_does
);

async fn token_login_and_failures_are_audited(app: TestApp) {
    app.admin().await;
    let (s, body) = app
        .api(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "admin", "password": "salah"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (s, body) = app
        .api(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "ADMIN", "password": PASSWORD})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let token = body["token"].as_str().unwrap();
    let (s, _) = app.api(Method::GET, "/api/v1/cooperatives", Some(token), None).await;
    assert_eq!(s, StatusCode::OK);
    let (rows, _) = app
        .db
        .audit_rows(
            &kopra_db::audit::AuditFilter {
                action: Some("login".into()),
                ..Default::default()
            },
            1,
            10,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, vec!["login.success", "login.failed"]);
}

async fn failed_logins_are_throttled(app: TestApp) {
    app.admin().await;
    for _ in 0..5 {
        let (s, _) = app
            .api(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"username": "admin", "password": "tebakan"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while throttled.
    let (s, body) = app
        .api(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "admin", "password": PASSWORD})),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(body["error"]["message"].as_str().unwrap().contains("15 menit"));
}

async fn api_needs_a_valid_bearer_token(app: TestApp) {
    let token = app.admin().await;
    let (s, body) = app.api(Method::GET, "/api/v1/cooperatives", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (s, _) = app
        .api(Method::GET, "/api/v1/cooperatives", Some("not-a-token"), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // A revoked token stops working.
    let user = app.db.token_user(&token).await.unwrap().unwrap();
    let tokens = app.db.api_tokens(user.id).await.unwrap();
    app.db
        .revoke_api_token(tokens[0].id, user.id, &user.actor(None))
        .await
        .unwrap();
    let (s, _) = app.api(Method::GET, "/api/v1/cooperatives", Some(&token), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

async fn healthz_answers_when_the_database_does(app: TestApp) {
    let (s, body) = app.api(Method::GET, "/healthz", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok"}));
}
