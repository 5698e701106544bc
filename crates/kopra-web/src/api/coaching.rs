//! `/api/v1/coaching`: visits and trainings (pembinaan), their follow-ups, officers'
//! agendas, counts per kecamatan and type, and visit plans from the activation worklist.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::today;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::coaching::{Agenda, CoachingCount, FollowUp, PlanResult, VisitFilter, VisitRecord, VisitSummary};
use kopra_db::users::User;
use kopra_domain::coaching::{FollowUpInput, RecordInput, VisitInput, next_working_day};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::{FieldError, FieldErrors, Permission, Scope};
use serde::{Deserialize, Serialize};
use time::Duration;

/// May this user see the visit? The office within its kecamatan (general trainings, in no
/// kecamatan, for all of it); a pengurus their own cooperative's.
pub fn may_see_visit(user: &User, v: &VisitSummary) -> bool {
    match user.scope() {
        Scope::All => true,
        Scope::Kecamatan(list) => v.kecamatan_code.as_ref().is_none_or(|k| list.contains(k)),
        Scope::Cooperative(own) => v.cooperative_id == Some(own),
        Scope::Nothing => false,
    }
}

/// A visit as this user may see it.
pub async fn load_visit(state: &AppState, user: &User, id: i64) -> Result<VisitRecord, AppError> {
    let v = state.db.visit(id, today()).await?;
    if may_see_visit(user, &v.visit) {
        Ok(v)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks that the user may plan a visit for the subject of `input` (their scope).
pub async fn check_subject(state: &AppState, user: &User, input: &VisitInput) -> Result<(), AppError> {
    if let Some(c) = input.cooperative_id
        && let Ok(coop) = state.db.cooperative(c).await
    {
        crate::register::check_scope(user, &coop)?;
    }
    if let Some(u) = input.umkm_id
        && let Ok(umkm) = state.db.umkm(u).await
    {
        crate::register::check_kecamatan(user, &umkm.fields.kecamatan_code)?;
    }
    Ok(())
}

fn optional_date(s: Option<&str>, field: &'static str, errors: &mut FieldErrors) -> Option<time::Date> {
    let s = s.map(str::trim).filter(|s| !s.is_empty())?;
    let d = parse_iso_date(s);
    if d.is_none() {
        errors.add(field, FieldError::DateFormat);
    }
    d
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitParams {
    pub cooperative_id: Option<i64>,
    pub umkm_id: Option<i64>,
    /// The officer's user id.
    pub officer: Option<i64>,
    /// YYYY-MM-DD (date held, else planned)
    pub from: Option<String>,
    /// YYYY-MM-DD
    pub to: Option<String>,
}

/// The filter for these parameters within the user's scope (a cooperative outside it: 403).
pub async fn visit_filter(state: &AppState, user: &User, p: &VisitParams) -> Result<VisitFilter, AppError> {
    let mut errors = FieldErrors::default();
    let from = optional_date(p.from.as_deref(), "from", &mut errors);
    let to = optional_date(p.to.as_deref(), "to", &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut f = VisitFilter::of_scope(&user.scope());
    if let Some(c) = p.cooperative_id {
        match user.scope() {
            Scope::Cooperative(own) if own != c => return Err(AppError::Forbidden),
            _ => {}
        }
        if let Ok(coop) = state.db.cooperative(c).await {
            crate::register::check_scope(user, &coop)?;
        }
        f.cooperative = Some(c);
    }
    f.umkm = p.umkm_id;
    f.officer = p.officer;
    f.from = from;
    f.to = to;
    Ok(f)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VisitList {
    pub items: Vec<VisitSummary>,
}

/// Visits and trainings, newest first (a pengurus: their own cooperative's).
#[utoipa::path(get, path = "/api/v1/coaching/visits", params(VisitParams), security(("bearer" = [])),
    responses((status = 200, body = VisitList), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<VisitParams>, QueryRejection>,
) -> Result<Json<VisitList>, ApiError> {
    user.require(Permission::ViewCoaching)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let f = visit_filter(&state, &user.user, &p).await.map_err(|e| user.fail(e))?;
    let items = state.db.visits(&f).await.map_err(|e| user.fail(e))?;
    Ok(Json(VisitList { items }))
}

/// Plans a visit (one cooperative or UMKM) or a training (one of them, or neither for a
/// general training with `participants`).
#[utoipa::path(post, path = "/api/v1/coaching/visits", request_body = VisitInput, security(("bearer" = [])),
    responses((status = 201, body = VisitRecord), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<VisitInput>, JsonRejection>,
) -> Result<(StatusCode, Json<VisitRecord>), ApiError> {
    user.require(Permission::ManageCoaching)?;
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    check_subject(&state, &user.user, &input)
        .await
        .map_err(|e| user.fail(e))?;
    let visit = input.validate().map_err(|e| user.fail(AppError::Invalid(e)))?;
    let id = state
        .db
        .plan_visit(&visit, input.officer_user_id, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    let record = state.db.visit(id, today()).await.map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// One visit with its follow-ups (`overdue`: open after the due date).
#[utoipa::path(get, path = "/api/v1/coaching/visits/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VisitRecord), (status = 403), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<VisitRecord>, ApiError> {
    user.require(Permission::ViewCoaching)?;
    Ok(Json(
        load_visit(&state, &user.user, id).await.map_err(|e| user.fail(e))?,
    ))
}

/// Records that a visit was held (not in the future), with its findings.
#[utoipa::path(post, path = "/api/v1/coaching/visits/{id}/record", params(("id" = i64, Path)), request_body = RecordInput,
    security(("bearer" = [])), responses((status = 200, body = VisitRecord), (status = 404), (status = 422)))]
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<RecordInput>, JsonRejection>,
) -> Result<Json<VisitRecord>, ApiError> {
    user.require(Permission::ManageCoaching)?;
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    load_visit(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let (held_on, findings, participants) = input.validate(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    state
        .db
        .record_visit(id, held_on, findings.as_deref(), participants, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(state.db.visit(id, today()).await.map_err(|e| user.fail(e))?))
}

/// Adds a follow-up action with its due date.
#[utoipa::path(post, path = "/api/v1/coaching/visits/{id}/follow-ups", params(("id" = i64, Path)), request_body = FollowUpInput,
    security(("bearer" = [])), responses((status = 201, body = FollowUp), (status = 404), (status = 422)))]
pub async fn add_follow_up(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<FollowUpInput>, JsonRejection>,
) -> Result<(StatusCode, Json<FollowUp>), ApiError> {
    user.require(Permission::ManageCoaching)?;
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    load_visit(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let (action, due_on) = input.validate().map_err(|e| user.fail(AppError::Invalid(e)))?;
    let fid = state
        .db
        .add_follow_up(id, &action, due_on, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(state.db.follow_up(fid, today()).await.map_err(|e| user.fail(e))?),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusRequest {
    /// `open|done|cancelled`
    #[serde(default)]
    pub status: String,
}

/// Marks a follow-up done (today), cancelled, or open again.
#[utoipa::path(post, path = "/api/v1/coaching/follow-ups/{id}/status", params(("id" = i64, Path)), request_body = StatusRequest,
    security(("bearer" = [])), responses((status = 200, body = FollowUp), (status = 404), (status = 422)))]
pub async fn follow_up_status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<StatusRequest>, JsonRejection>,
) -> Result<Json<FollowUp>, ApiError> {
    user.require(Permission::ManageCoaching)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let f = state.db.follow_up(id, today()).await.map_err(|e| user.fail(e))?;
    load_visit(&state, &user.user, f.visit_id)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(
        state
            .db
            .set_follow_up_status(id, &req.status, today(), &user.actor())
            .await
            .map_err(|e| user.fail(e))?,
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaParams {
    /// The officer's user id (default: the caller).
    pub officer: Option<i64>,
    /// YYYY-MM-DD (default: today)
    pub from: Option<String>,
    /// YYYY-MM-DD (default: 30 days after `from`)
    pub to: Option<String>,
}

/// The agenda for these parameters: an officer's (default the caller's); a pengurus
/// sees their cooperative's.
pub async fn agenda_for(state: &AppState, user: &User, p: &AgendaParams) -> Result<Agenda, AppError> {
    let mut errors = FieldErrors::default();
    let from = optional_date(p.from.as_deref(), "from", &mut errors).unwrap_or_else(today);
    let to = optional_date(p.to.as_deref(), "to", &mut errors).unwrap_or(from + Duration::days(30));
    if to < from {
        errors.add("to", FieldError::ValueNotInList);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut f = VisitFilter::of_scope(&user.scope());
    match user.scope() {
        Scope::Cooperative(_) | Scope::Nothing => {
            if p.officer.is_some() {
                return Err(AppError::Forbidden);
            }
        }
        _ => f.officer = Some(p.officer.unwrap_or(user.id)),
    }
    Ok(state.db.agenda(&f, from, to, today()).await?)
}

/// An officer's agenda (default: the caller's, the next 30 days): visits planned and held
/// by date, and open follow-ups, overdue first. A pengurus: their cooperative's.
#[utoipa::path(get, path = "/api/v1/coaching/agenda", params(AgendaParams), security(("bearer" = [])),
    responses((status = 200, body = Agenda), (status = 403), (status = 422)))]
pub async fn agenda(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<AgendaParams>, QueryRejection>,
) -> Result<Json<Agenda>, ApiError> {
    user.require(Permission::ViewCoaching)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    Ok(Json(
        agenda_for(&state, &user.user, &p).await.map_err(|e| user.fail(e))?,
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountParams {
    /// Default: this year.
    pub year: Option<i32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CountList {
    pub year: i32,
    pub items: Vec<CoachingCount>,
}

/// The year's visits and trainings per kecamatan and type (within the caller's scope).
pub async fn counts_for(state: &AppState, user: &User, year: Option<i32>) -> Result<CountList, AppError> {
    let year = year.unwrap_or(today().year());
    if !(1900..=2200).contains(&year) {
        return Err(AppError::Invalid(FieldErrors::single(
            "year",
            FieldError::ValueNotInList,
        )));
    }
    let items = state
        .db
        .coaching_counts(year, &VisitFilter::of_scope(&user.scope()))
        .await?;
    Ok(CountList { year, items })
}

/// Visits and trainings per kecamatan and type in a year (`total` planned or held, `held`).
#[utoipa::path(get, path = "/api/v1/coaching/counts", params(CountParams), security(("bearer" = [])),
    responses((status = 200, body = CountList), (status = 422)))]
pub async fn counts(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<CountParams>, QueryRejection>,
) -> Result<Json<CountList>, ApiError> {
    user.require(Permission::ViewCoaching)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    Ok(Json(
        counts_for(&state, &user.user, p.year).await.map_err(|e| user.fail(e))?,
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct PlanRequest {
    /// The officer (default: the caller).
    #[serde(default)]
    pub officer_user_id: Option<i64>,
    /// At most this many visits (default 20, at most 200).
    #[serde(default)]
    pub limit: Option<i64>,
    /// YYYY-MM-DD (default: the next working day).
    #[serde(default)]
    pub start_date: Option<String>,
}

/// Plans from the worklist for a user: the checked request's officer, limit and start.
pub async fn plan(
    state: &AppState,
    user: &User,
    req: &PlanRequest,
    actor: &kopra_db::Actor,
) -> Result<PlanResult, AppError> {
    let mut errors = FieldErrors::default();
    let limit = req.limit.unwrap_or(20);
    if limit < 0 {
        errors.add("limit", FieldError::Negative);
    }
    let start = optional_date(req.start_date.as_deref(), "start_date", &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let start = start.unwrap_or_else(|| next_working_day(today() + Duration::days(1)));
    let limit = usize::try_from(limit.min(200)).unwrap_or(0);
    Ok(state
        .db
        .plan_from_worklist(
            req.officer_user_id.unwrap_or(user.id),
            &user.scope(),
            limit,
            start,
            today(),
            actor,
        )
        .await?)
}

/// Plans visits for the activation worklist's cooperatives (within the caller's scope,
/// assigned to the officer or to nobody) that have none planned: a few a working day from
/// `start_date`, each of the type its reasons suggest. Running it again plans nothing twice.
#[utoipa::path(post, path = "/api/v1/coaching/plan-from-worklist", request_body = PlanRequest, security(("bearer" = [])),
    responses((status = 200, body = PlanResult), (status = 422)))]
pub async fn plan_from_worklist(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<PlanRequest>, JsonRejection>,
) -> Result<Json<PlanResult>, ApiError> {
    user.require(Permission::ManageCoaching)?;
    let req = match body {
        Ok(Json(b)) => b,
        Err(JsonRejection::MissingJsonContentType(_)) => PlanRequest::default(),
        Err(r) => return Err(user.fail(super::json_rejection(r))),
    };
    Ok(Json(
        plan(&state, &user.user, &req, &user.actor())
            .await
            .map_err(|e| user.fail(e))?,
    ))
}
