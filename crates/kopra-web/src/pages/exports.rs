//! Excel exports of the strengthening modules' lists: coalitions, loan applications,
//! coaching visits and an award programme's ranking. Each is audited, carries the export
//! time and the user in its title lines, and covers what the user may see.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kopra_domain::{Permission, Scope};

/// Audits the export and answers with the workbook.
async fn workbook(
    state: &AppState,
    user: &PageUser,
    what: &'static str,
    file: &str,
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let lines = vec![
        title,
        format!("{}: {} · {}", t.key("export.at"), kopra_db::now(), user.user.username),
    ];
    let bytes = kopra_report::xlsx::table_workbook("Data", &lines, &headers, &rows)
        .map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
    state
        .db
        .audit(
            &user.actor(),
            kopra_db::audit::AuditEntry {
                action: "export.xlsx",
                entity_type: what,
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({"rows": rows.len()})),
            },
        )
        .await
        .map_err(|e| user.fail(e))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        bytes,
    )
        .into_response())
}

fn keys(t: &Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t.key(k)).collect()
}

pub async fn coalitions(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ViewCoalitions)?;
    let t = Tr::new(user.ctx.lang);
    let items = match user.user.scope() {
        Scope::All => state.db.coalitions(None, &[]).await,
        Scope::Kecamatan(list) => state.db.coalitions(None, &list).await,
        Scope::Cooperative(id) => state.db.coalitions(Some(id), &[]).await,
        Scope::Nothing => Ok(vec![]),
    }
    .map_err(|e| user.fail(e))?;
    let rows = items
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.anchor_name.clone(),
                t.key(&format!("coalition.purpose.{}", c.purpose)),
                t.key(&format!("coalition.status.{}", c.status)),
                c.members.to_string(),
                c.purchases_value.to_string(),
                c.sales_value.to_string(),
                c.savings.to_string(),
            ]
        })
        .collect();
    let headers = keys(
        &t,
        &[
            "field.name",
            "coalition.anchor",
            "field.purpose",
            "field.status",
            "coalition.members",
            "coalition.purchases",
            "coalition.sales",
            "coalition.savings",
        ],
    );
    workbook(
        &state,
        &user,
        "coalition",
        "koalisi.xlsx",
        t.key("coalition.title"),
        headers,
        rows,
    )
    .await
}

pub async fn loans(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ViewLoans)?;
    let t = Tr::new(user.ctx.lang);
    let lang = user.ctx.lang.code();
    let f = crate::api::loans::filter_for(&user.user, &Default::default()).map_err(|e| user.fail(e))?;
    let items = state.db.applications(&f).await.map_err(|e| user.fail(e))?;
    let rows = items
        .iter()
        .map(|a| {
            vec![
                a.applicant.clone(),
                a.channel.label(lang).to_string(),
                a.amount.to_string(),
                a.rate.map(|r| r.to_string()).unwrap_or_default(),
                a.tenor_months.map(|m| m.to_string()).unwrap_or_default(),
                a.stage.label(lang).to_string(),
                a.stage_on.to_string(),
                a.rejected_reason.clone().unwrap_or_default(),
                a.applied_year.to_string(),
            ]
        })
        .collect();
    let headers = keys(
        &t,
        &[
            "field.name",
            "field.channel",
            "loans.amount",
            "loans.rate",
            "loans.tenor",
            "loans.stage",
            "field.date",
            "field.reason",
            "loans.year",
        ],
    );
    workbook(
        &state,
        &user,
        "loan",
        "pinjaman.xlsx",
        t.key("loans.title"),
        headers,
        rows,
    )
    .await
}

pub async fn visits(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ViewCoaching)?;
    let t = Tr::new(user.ctx.lang);
    let f = kopra_db::coaching::VisitFilter::of_scope(&user.user.scope());
    let items = state.db.visits(&f).await.map_err(|e| user.fail(e))?;
    let rows = items
        .iter()
        .map(|v| {
            vec![
                v.planned_on.to_string(),
                v.held_on.map(|d| d.to_string()).unwrap_or_default(),
                v.cooperative_name.clone().or(v.umkm_name.clone()).unwrap_or_default(),
                v.kecamatan_name.clone().unwrap_or_default(),
                v.visit_type.clone(),
                v.kind.clone(),
                v.title.clone(),
                v.officer_name.clone(),
                v.findings.clone().unwrap_or_default(),
                v.open_follow_ups.to_string(),
            ]
        })
        .collect();
    let headers = vec![
        t.key("coaching.planned_on"),
        t.key("coaching.held_on"),
        t.key("field.name"),
        t.key("field.kecamatan_code"),
        t.key("coaching.type"),
        t.key("coaching.kind"),
        t.key("coaching.title_field"),
        t.key("coaching.officer"),
        t.key("coaching.findings"),
        t.key("coaching.open_follow_ups"),
    ];
    workbook(
        &state,
        &user,
        "coaching",
        "pembinaan.xlsx",
        t.key("coaching.title"),
        headers,
        rows,
    )
    .await
}

pub async fn ranking(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAwards)?;
    let t = Tr::new(user.ctx.lang);
    let programme = state.db.programme(id).await.map_err(|e| user.fail(e))?;
    let ranking = state.db.award_ranking(id, None).await.map_err(|e| user.fail(e))?;
    let rows = ranking
        .iter()
        .flat_map(|c| {
            c.items.iter().map(move |r| {
                vec![
                    c.category.clone(),
                    r.rank.map(|n| n.to_string()).unwrap_or_default(),
                    r.cooperative_name.clone(),
                    r.cooperative_nik.clone().unwrap_or_default(),
                    r.average.map(|a| format!("{a:.2}")).unwrap_or_default(),
                    r.jurors.to_string(),
                    r.upward_level.clone().unwrap_or_default(),
                ]
            })
        })
        .collect();
    let headers = vec![
        t.key("award.category"),
        t.key("award.rank"),
        t.key("field.name"),
        t.key("field.nik"),
        t.key("award.average"),
        t.key("award.jurors"),
        t.key("award.upward_label"),
    ];
    workbook(
        &state,
        &user,
        "award",
        "peringkat.xlsx",
        programme.name.clone(),
        headers,
        rows,
    )
    .await
}
