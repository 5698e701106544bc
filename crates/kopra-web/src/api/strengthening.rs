//! `/api/v1/umkm`, matchmaking, `/api/v1/coalitions` and loan readiness: strengthening
//! cooperatives by bringing UMKM into them.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::i18n::Lang;
use crate::register::today;
use crate::umkm_params::UmkmListParams;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::coalitions::{CoalitionRecord, CoalitionSummary, NewCoalition, TransactionRecord};
use kopra_db::cooperatives::VersionEntry;
use kopra_db::umkm::UmkmRecord;
use kopra_domain::coalition::{TransactionInput, TransactionKind};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::loan::Channel;
use kopra_domain::matchmaking::Reason;
use kopra_domain::umkm_input::UmkmInput;
use kopra_domain::{FieldError, FieldErrors, Permission, Scope};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, utoipa::ToSchema)]
pub struct UmkmPage {
    pub items: Vec<UmkmRecord>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A reason in the caller's language.
pub fn reason_text(r: &Reason, lang: Lang) -> String {
    match lang {
        Lang::Id => r.describe_id(),
        Lang::En => r.describe_en(),
    }
}

/// May this user see the UMKM (a petugas limited to some kecamatan: only theirs)?
fn check_umkm_scope(user: &ApiUser, record: &UmkmRecord) -> Result<(), ApiError> {
    match user.user.scope() {
        Scope::All => Ok(()),
        Scope::Kecamatan(list) if list.contains(&record.fields.kecamatan_code) => Ok(()),
        _ => Err(user.fail(AppError::Forbidden)),
    }
}

async fn load_umkm(state: &AppState, user: &ApiUser, id: i64) -> Result<UmkmRecord, ApiError> {
    let record = state.db.umkm(id).await.map_err(|e| user.fail(e))?;
    check_umkm_scope(user, &record)?;
    Ok(record)
}

/// The UMKM register, filtered and paged.
#[utoipa::path(get, path = "/api/v1/umkm", params(UmkmListParams), security(("bearer" = [])),
    responses((status = 200, body = UmkmPage), (status = 401), (status = 403), (status = 422)))]
pub async fn umkm_list(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<UmkmListParams>, QueryRejection>,
) -> Result<Json<UmkmPage>, ApiError> {
    user.require(Permission::ViewUmkm)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let (filter, page, per_page) = p.parse(50).map_err(|e| user.fail(e))?;
    let page = state
        .db
        .list_umkm(&filter, &user.user.scope(), page, per_page)
        .await
        .map_err(|e| user.fail(e))?;
    let personal = user.user.role.allows(Permission::ViewPersonalData);
    Ok(Json(UmkmPage {
        items: page
            .items
            .into_iter()
            .map(|u| if personal { u } else { u.without_personal_data() })
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Register a UMKM; the answer carries its size class (PP 7/2021) and the basis used.
#[utoipa::path(post, path = "/api/v1/umkm", request_body = UmkmInput, security(("bearer" = [])),
    responses((status = 201, body = UmkmRecord), (status = 409, description = "NIB already used"), (status = 422)))]
pub async fn umkm_create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<UmkmInput>, JsonRejection>,
) -> Result<(StatusCode, Json<UmkmRecord>), ApiError> {
    user.require(Permission::EditUmkm)?;
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let fields = input.parse(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    crate::register::check_kecamatan(&user.user, &fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let record = state
        .db
        .create_umkm(&state.office, &fields, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// One UMKM.
#[utoipa::path(get, path = "/api/v1/umkm/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = UmkmRecord), (status = 403), (status = 404)))]
pub async fn umkm_get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<UmkmRecord>, ApiError> {
    user.require(Permission::ViewUmkm)?;
    let record = load_umkm(&state, &user, id).await?;
    Ok(Json(if user.user.role.allows(Permission::ViewPersonalData) {
        record
    } else {
        record.without_personal_data()
    }))
}

/// Change some fields (the body holds only those; null clears one), optionally with
/// `version` (stale → 409 with the current record).
#[utoipa::path(patch, path = "/api/v1/umkm/{id}", params(("id" = i64, Path)), request_body = Object, security(("bearer" = [])),
    responses((status = 200, body = UmkmRecord), (status = 409), (status = 422)))]
pub async fn umkm_patch(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<UmkmRecord>, ApiError> {
    user.require(Permission::EditUmkm)?;
    let Json(body) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let mut changes = super::json_object(body).map_err(|e| user.fail(e))?;
    let version = super::cooperatives::take_version(&mut changes).map_err(|e| user.fail(e))?;
    let current = load_umkm(&state, &user, id).await?;
    if version.is_some_and(|v| v != current.version) {
        return Err(user.fail(AppError::Conflict(serde_json::json!(current))));
    }
    let mut merged = serde_json::to_value(input_of(&current))
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    for (k, v) in changes {
        merged.insert(k, v);
    }
    let input: UmkmInput = serde_json::from_value(Value::Object(merged)).map_err(|e| {
        user.fail(AppError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
            e.to_string(),
        ))
    })?;
    let fields = input.parse(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    crate::register::check_kecamatan(&user.user, &fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let record = state
        .db
        .update_umkm(
            &state.office,
            id,
            &fields,
            Some(version.unwrap_or(current.version)),
            &user.actor(),
        )
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(record))
}

/// The stored record as the input it would be sent as.
pub fn input_of(r: &UmkmRecord) -> UmkmInput {
    let f = &r.fields;
    UmkmInput {
        name: Some(f.name.clone()),
        owner_name: f.owner_name.clone(),
        owner_phone: f.owner_phone.clone(),
        nib: f.nib.clone(),
        kbli: f.kbli.clone(),
        products: f.products.clone(),
        address: f.address.clone(),
        kelurahan_code: Some(f.kelurahan_code.clone()),
        capital: f.capital,
        annual_sales: f.annual_sales,
        employees_male: f.employees_male,
        employees_female: f.employees_female,
        skb_number: f.skb_number.clone(),
        cluster: f.cluster.clone(),
        recorded_on: Some(f.recorded_on.to_string()),
        notes: f.notes.clone(),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UmkmArchiveRequest {
    pub reason: String,
    /// The version the decision was made on; stale → 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Archives a UMKM (it closed, moved away, was a duplicate): never deleted, history kept.
#[utoipa::path(post, path = "/api/v1/umkm/{id}/archive", params(("id" = i64, Path)), request_body = UmkmArchiveRequest,
    security(("bearer" = [])), responses((status = 200, body = UmkmRecord), (status = 409), (status = 422)))]
pub async fn umkm_archive(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<UmkmArchiveRequest>, JsonRejection>,
) -> Result<Json<UmkmRecord>, ApiError> {
    user.require(Permission::EditUmkm)?;
    let Json(r) = body.map_err(|e| user.fail(super::json_rejection(e)))?;
    load_umkm(&state, &user, id).await?;
    Ok(Json(
        state
            .db
            .archive_umkm(id, &r.reason, r.version, &user.actor())
            .await
            .map_err(|e| user.fail(e))?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CoalitionStatusRequest {
    /// `draft|active|paused|ended`
    pub status: String,
}

/// Pauses, resumes or ends a coalition.
#[utoipa::path(post, path = "/api/v1/coalitions/{id}/status", params(("id" = i64, Path)), request_body = CoalitionStatusRequest,
    security(("bearer" = [])), responses((status = 200, body = CoalitionRecord), (status = 422)))]
pub async fn coalition_status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<CoalitionStatusRequest>, JsonRejection>,
) -> Result<Json<CoalitionRecord>, ApiError> {
    user.require(Permission::ManageCoalitions)?;
    let Json(r) = body.map_err(|e| user.fail(super::json_rejection(e)))?;
    load_coalition(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let status = kopra_domain::coalition::CoalitionStatus::from_code(r.status.trim()).ok_or_else(|| {
        user.fail(AppError::Invalid(FieldErrors::single(
            "status",
            FieldError::ValueNotInList,
        )))
    })?;
    state
        .db
        .set_coalition_status(id, status, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(state.db.coalition(id).await.map_err(|e| user.fail(e))?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UmkmHistory {
    pub items: Vec<VersionEntry>,
}

/// A UMKM's versions, newest first.
#[utoipa::path(get, path = "/api/v1/umkm/{id}/history", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = UmkmHistory), (status = 404)))]
pub async fn umkm_history(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<UmkmHistory>, ApiError> {
    user.require(Permission::ViewUmkm)?;
    load_umkm(&state, &user, id).await?;
    let items = state.db.umkm_history(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(UmkmHistory { items }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchItem {
    pub umkm_id: i64,
    pub name: String,
    pub score: u32,
    /// Why, in the caller's language.
    pub reasons: Vec<String>,
    /// The same reasons as stable codes.
    pub reason_codes: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchList {
    pub items: Vec<MatchItem>,
}

/// UMKM to bring into a cooperative, best first, each with its score and reasons in words.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/matches", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MatchList), (status = 403), (status = 404)))]
pub async fn cooperative_matches(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MatchList>, ApiError> {
    user.require(Permission::ManageCoalitions)?;
    super::cooperatives::load(&state, &user, id).await?;
    let proposals = state.db.cooperative_matches(id, 30).await.map_err(|e| user.fail(e))?;
    Ok(Json(MatchList {
        items: proposals
            .into_iter()
            .map(|p| MatchItem {
                umkm_id: p.umkm_id,
                name: p.umkm_name,
                score: p.score,
                reasons: p.reasons.iter().map(|r| reason_text(r, user.ctx.lang)).collect(),
                reason_codes: p.reasons.iter().map(|r| r.code().to_string()).collect(),
            })
            .collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CooperativeMatchItem {
    pub cooperative_id: i64,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<String>,
    pub reason_codes: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CooperativeMatchList {
    pub items: Vec<CooperativeMatchItem>,
}

/// Cooperatives a UMKM could join, best first.
#[utoipa::path(get, path = "/api/v1/umkm/{id}/matches", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CooperativeMatchList), (status = 404)))]
pub async fn umkm_matches(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CooperativeMatchList>, ApiError> {
    user.require(Permission::ManageCoalitions)?;
    load_umkm(&state, &user, id).await?;
    let proposals = state.db.umkm_matches(id, 30).await.map_err(|e| user.fail(e))?;
    Ok(Json(CooperativeMatchList {
        items: proposals
            .into_iter()
            .map(|p| CooperativeMatchItem {
                cooperative_id: p.cooperative_id,
                name: p.cooperative_name,
                score: p.score,
                reasons: p.reasons.iter().map(|r| reason_text(r, user.ctx.lang)).collect(),
                reason_codes: p.reasons.iter().map(|r| r.code().to_string()).collect(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DismissRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

/// Dismisses a proposal: it is remembered and never proposed again.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/matches/{umkm_id}/dismiss", params(("id" = i64, Path), ("umkm_id" = i64, Path)),
    request_body = DismissRequest, security(("bearer" = [])), responses((status = 204), (status = 404)))]
pub async fn dismiss_match(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, umkm_id)): Path<(i64, i64)>,
    body: Result<Json<DismissRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageCoalitions)?;
    let reason = match body {
        Ok(Json(b)) => b.reason,
        Err(JsonRejection::MissingJsonContentType(_)) => None,
        Err(r) => return Err(user.fail(super::json_rejection(r))),
    };
    super::cooperatives::load(&state, &user, id).await?;
    state
        .db
        .dismiss_match(id, umkm_id, reason.as_deref(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Opens a coalition around an anchor cooperative.
#[utoipa::path(post, path = "/api/v1/coalitions", request_body = NewCoalition, security(("bearer" = [])),
    responses((status = 201, body = CoalitionRecord), (status = 422)))]
pub async fn coalition_create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<NewCoalition>, JsonRejection>,
) -> Result<(StatusCode, Json<CoalitionRecord>), ApiError> {
    user.require(Permission::ManageCoalitions)?;
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    if let Ok(anchor) = state.db.cooperative(input.anchor_cooperative_id).await {
        crate::register::check_scope(&user.user, &anchor).map_err(|e| user.fail(e))?;
    }
    let id = state
        .db
        .create_coalition(&input, today(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    let record = state.db.coalition(id).await.map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CoalitionList {
    pub items: Vec<CoalitionSummary>,
}

/// Coalitions with their totals (a pengurus: their own cooperative's).
#[utoipa::path(get, path = "/api/v1/coalitions", security(("bearer" = [])), responses((status = 200, body = CoalitionList)))]
pub async fn coalition_list(State(state): State<AppState>, user: ApiUser) -> Result<Json<CoalitionList>, ApiError> {
    user.require(Permission::ViewCoalitions)?;
    let items = match user.user.scope() {
        Scope::All => state.db.coalitions(None, &[]).await,
        Scope::Kecamatan(list) => state.db.coalitions(None, &list).await,
        Scope::Cooperative(id) => state.db.coalitions(Some(id), &[]).await,
        Scope::Nothing => Ok(vec![]),
    }
    .map_err(|e| user.fail(e))?;
    Ok(Json(CoalitionList { items }))
}

/// A coalition as this user may see it.
pub async fn load_coalition(
    state: &AppState,
    user: &kopra_db::users::User,
    id: i64,
) -> Result<CoalitionRecord, AppError> {
    let c = state.db.coalition(id).await?;
    let anchor = state.db.cooperative(c.anchor_cooperative_id).await?;
    let allowed = match user.scope() {
        Scope::Cooperative(own) => {
            own == c.anchor_cooperative_id || c.members.iter().any(|m| m.cooperative_id == Some(own))
        }
        scope => scope.covers(anchor.id, &anchor.fields.kecamatan_code),
    };
    if allowed { Ok(c) } else { Err(AppError::Forbidden) }
}

/// One coalition: members, totals and `savings` (Σ individual_value − value over purchases).
#[utoipa::path(get, path = "/api/v1/coalitions/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CoalitionRecord), (status = 403), (status = 404)))]
pub async fn coalition_get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CoalitionRecord>, ApiError> {
    user.require(Permission::ViewCoalitions)?;
    Ok(Json(
        load_coalition(&state, &user.user, id).await.map_err(|e| user.fail(e))?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MembersRequest {
    pub umkm_ids: Vec<i64>,
}

/// Brings more UMKM into a coalition.
#[utoipa::path(post, path = "/api/v1/coalitions/{id}/members", params(("id" = i64, Path)), request_body = MembersRequest,
    security(("bearer" = [])), responses((status = 200, body = CoalitionRecord), (status = 422)))]
pub async fn coalition_add_members(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<MembersRequest>, JsonRejection>,
) -> Result<Json<CoalitionRecord>, ApiError> {
    user.require(Permission::ManageCoalitions)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    load_coalition(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    state
        .db
        .add_coalition_members(id, &req.umkm_ids, today(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(state.db.coalition(id).await.map_err(|e| user.fail(e))?))
}

/// A joint purchase or sale as sent.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransactionRequest {
    /// `purchase|sale`
    pub kind: String,
    /// YYYY-MM-DD
    pub date: String,
    pub goods: String,
    pub quantity: f64,
    /// e.g. kg, meter, pcs (default "unit")
    #[serde(default)]
    pub unit: Option<String>,
    /// Integer Rupiah the coalition paid or received.
    pub value: i64,
    /// Purchases: what the members would have paid alone, integer Rupiah.
    #[serde(default)]
    pub individual_value: Option<i64>,
    /// The UMKM members taking part (default: all of them).
    #[serde(default)]
    pub member_ids: Vec<i64>,
}

impl TransactionRequest {
    pub fn input(&self) -> Result<TransactionInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = TransactionKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", FieldError::ValueNotInList);
        }
        let date = parse_iso_date(&self.date);
        if date.is_none() {
            errors.add("date", FieldError::DateFormat);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(TransactionInput {
            kind: kind.expect("checked"),
            date: date.expect("checked"),
            goods: self.goods.clone(),
            quantity: self.quantity,
            unit: self
                .unit
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "unit".into()),
            value: self.value,
            individual_value: self.individual_value,
            member_ids: self.member_ids.clone(),
        })
    }
}

/// Records a joint purchase or sale.
#[utoipa::path(post, path = "/api/v1/coalitions/{id}/transactions", params(("id" = i64, Path)), request_body = TransactionRequest,
    security(("bearer" = [])), responses((status = 201, body = TransactionRecord), (status = 422)))]
pub async fn transaction_create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TransactionRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<TransactionRecord>), ApiError> {
    user.require(Permission::ManageCoalitions)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    load_coalition(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let input = req.input().map_err(|e| user.fail(AppError::Invalid(e)))?;
    let record = state
        .db
        .add_transaction(id, &input, today(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TransactionList {
    pub items: Vec<TransactionRecord>,
}

/// A coalition's transactions, newest first.
#[utoipa::path(get, path = "/api/v1/coalitions/{id}/transactions", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = TransactionList)))]
pub async fn transaction_list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<TransactionList>, ApiError> {
    user.require(Permission::ViewCoalitions)?;
    load_coalition(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let items = state.db.coalition_transactions(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(TransactionList { items }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadinessParams {
    /// lpdb, kur, himbara or bprs
    pub channel: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CriterionItem {
    pub code: String,
    pub label: String,
    pub met: bool,
    pub detail: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentItem {
    pub code: String,
    pub label: String,
    pub condition: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReadinessAnswer {
    pub channel: String,
    pub ready: bool,
    pub criteria: Vec<CriterionItem>,
    /// The documents to prepare (the register does not hold them).
    pub documents: Vec<DocumentItem>,
}

/// Whether a cooperative meets a soft-loan channel's criteria (domain.md §8), each met or
/// missing with a detail in words, and the documents to prepare.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/loan-readiness", params(("id" = i64, Path), ReadinessParams),
    security(("bearer" = [])), responses((status = 200, body = ReadinessAnswer), (status = 422)))]
pub async fn loan_readiness(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    params: Result<Query<ReadinessParams>, QueryRejection>,
) -> Result<Json<ReadinessAnswer>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let channel = readiness_channel(p.channel.as_deref()).map_err(|e| user.fail(e))?;
    super::cooperatives::load(&state, &user, id).await?;
    let readiness = state
        .db
        .loan_readiness(id, channel, today())
        .await
        .map_err(|e| user.fail(e))?
        .ok_or_else(|| {
            user.fail(AppError::Invalid(FieldErrors::single(
                "channel",
                FieldError::ValueNotInList,
            )))
        })?;
    Ok(Json(readiness_answer(&readiness, user.ctx.lang)))
}

/// The channel a readiness check asks about: LPDB when none is given; `other` has no criteria.
pub fn readiness_channel(code: Option<&str>) -> Result<Channel, AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(Channel::Lpdb),
        Some(c) => Channel::from_code(c)
            .filter(|c| *c != Channel::Other)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("channel", FieldError::ValueNotInList))),
    }
}

pub fn readiness_answer(r: &kopra_domain::loan::Readiness, lang: Lang) -> ReadinessAnswer {
    let en = lang == Lang::En;
    ReadinessAnswer {
        channel: r.channel.as_str().to_string(),
        ready: r.ready,
        criteria: r
            .criteria
            .iter()
            .map(|c| CriterionItem {
                code: c.code.clone(),
                label: if en { c.label_en.clone() } else { c.label_id.clone() },
                met: c.met,
                detail: if en { c.detail_en.clone() } else { c.detail_id.clone() },
            })
            .collect(),
        documents: r
            .documents
            .iter()
            .map(|d| DocumentItem {
                code: d.code.clone(),
                label: if en { d.label_en.clone() } else { d.label_id.clone() },
                condition: if en {
                    d.condition_en.clone()
                } else {
                    d.condition_id.clone()
                },
            })
            .collect(),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MembershipRequest {
    pub cooperative_id: i64,
    /// YYYY-MM-DD
    #[serde(default)]
    pub joined_on: Option<String>,
}

/// Records that a UMKM is a member of a cooperative.
#[utoipa::path(post, path = "/api/v1/umkm/{id}/memberships", params(("id" = i64, Path)), request_body = MembershipRequest,
    security(("bearer" = [])), responses((status = 201, body = Created), (status = 422)))]
pub async fn membership_create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<MembershipRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::EditUmkm)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    load_umkm(&state, &user, id).await?;
    let joined_on = match req.joined_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_iso_date(s).ok_or_else(|| {
            user.fail(AppError::Invalid(FieldErrors::single(
                "joined_on",
                FieldError::DateFormat,
            )))
        })?),
    };
    let coop = super::cooperatives::load(&state, &user, req.cooperative_id).await?;
    let mid = state
        .db
        .add_membership(id, coop.id, joined_on, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: mid })))
}
