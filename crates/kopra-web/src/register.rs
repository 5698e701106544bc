//! Use cases shared by pages and the API: logging in with throttling, and checking that a
//! user may touch a given cooperative.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use kopra_db::Actor;
use kopra_db::audit::AuditEntry;
use kopra_db::cooperative_list::PersonalData;
use kopra_db::cooperatives::CooperativeRecord;
use kopra_db::status::ActivationScope;
use kopra_db::users::User;
use kopra_domain::plan::Plan;
use kopra_domain::{CooperativeFields, CooperativeInput, FieldError, FieldErrors, Permission};
use serde::Serialize;
use serde_json::json;
use time::{Date, Duration};

/// Failed attempts allowed per username within [`THROTTLE_WINDOW`].
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);

/// Checks a login, records the attempt in the audit trail, and refuses when the username
/// has failed too often recently.
pub async fn login(state: &AppState, username: &str, password: &str, ctx: &Ctx) -> Result<User, AppError> {
    let username = username.trim().to_lowercase();
    let actor = Actor {
        user_id: None,
        name: username.clone(),
        ip: ctx.ip.clone(),
    };
    let failures = state
        .db
        .failed_logins_since(&username, kopra_db::now() - THROTTLE_WINDOW)
        .await?;
    if failures >= MAX_FAILED_LOGINS {
        state
            .db
            .audit(
                &actor,
                AuditEntry {
                    action: "login.throttled",
                    entity_type: "user",
                    entity_id: Some(username),
                    before: None,
                    after: None,
                },
            )
            .await?;
        return Err(AppError::Throttled);
    }
    match state.db.authenticate(&username, password).await? {
        Some(user) => {
            let actor = user.actor(ctx.ip.clone());
            state
                .db
                .audit(
                    &actor,
                    AuditEntry {
                        action: "login.success",
                        entity_type: "user",
                        entity_id: Some(username),
                        before: None,
                        after: None,
                    },
                )
                .await?;
            Ok(user)
        }
        None => {
            state
                .db
                .audit(
                    &actor,
                    AuditEntry {
                        action: "login.failed",
                        entity_type: "user",
                        entity_id: Some(username),
                        before: None,
                        after: Some(json!({"reason": "bad credentials"})),
                    },
                )
                .await?;
            Err(AppError::InvalidCredentials)
        }
    }
}

/// May `user` see this cooperative (own cooperative, own kecamatan)?
pub fn check_scope(user: &User, record: &CooperativeRecord) -> Result<(), AppError> {
    if user.scope().covers(record.id, &record.fields.kecamatan_code) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May `user` see (and, where they may change the cooperative, change) the board of
/// cooperative `id`? The office with `ViewPersonalData`, and a pengurus for their own.
pub fn may_see_board(user: &User, id: i64) -> bool {
    kopra_domain::may_see_board(user.role, &user.scope(), id)
}

/// A cooperative as the caller may see it: the record, without the board's keys
/// (`chair_name`, `chair_phone`, `secretary_name`, `treasurer_name`, `supervisor_name`,
/// `manager_name`: personal data) for callers who may not see them.
pub fn record_json(user: &User, record: &CooperativeRecord) -> Result<serde_json::Value, AppError> {
    let mut v = serde_json::to_value(record).map_err(|e| AppError::Internal(e.to_string()))?;
    if !may_see_board(user, record.id)
        && let serde_json::Value::Object(m) = &mut v
    {
        for k in kopra_domain::cooperative::BOARD_FIELDS {
            m.remove(k);
        }
    }
    Ok(v)
}

/// Whether `user`'s exports of the register carry the board's columns.
pub fn export_personal_data(user: &User) -> PersonalData {
    if user.role.allows(Permission::ViewPersonalData) {
        PersonalData::Include
    } else {
        PersonalData::Omit
    }
}

/// The board's input fields taken from `from`: what a change by someone who may not see
/// the board keeps, whatever the request said about it.
pub fn keep_board(input: &mut CooperativeInput, from: Option<&CooperativeFields>) {
    let b = from.map(CooperativeFields::to_input).unwrap_or_default();
    input.chair_name = b.chair_name;
    input.chair_phone = b.chair_phone;
    input.secretary_name = b.secretary_name;
    input.treasurer_name = b.treasurer_name;
    input.supervisor_name = b.supervisor_name;
    input.manager_name = b.manager_name;
}

/// Field changes as `user` may see them about cooperative `id`: the board's values are
/// replaced by `masked` for those who may not see it.
pub fn mask_changes(
    user: &User,
    id: i64,
    changes: Vec<kopra_domain::FieldChange>,
    masked: &str,
) -> Vec<kopra_domain::FieldChange> {
    if may_see_board(user, id) {
        return changes;
    }
    changes
        .into_iter()
        .map(|mut c| {
            if kopra_domain::cooperative::is_personal_field(&c.field) {
                c.from = c.from.map(|_| masked.to_string());
                c.to = c.to.map(|_| masked.to_string());
            }
            c
        })
        .collect()
}

/// May `user` place a cooperative in this kecamatan?
pub fn check_kecamatan(user: &User, kecamatan_code: &str) -> Result<(), AppError> {
    if user.kecamatan.is_empty() || user.kecamatan.iter().any(|k| k == kecamatan_code) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Today in Indonesia's western time zone (WIB, UTC+7), for date validation.
pub fn today() -> time::Date {
    (time::OffsetDateTime::now_utc() + Duration::hours(7)).date()
}

/// The list's query parameters, shared by the page, the CSV export and the API.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Name (tolerant of case and of "Koperasi"/"Kop."/"KSP"), NIK or legal-entity number.
    pub q: Option<String>,
    /// Kemendagri province code, e.g. 32
    pub provinsi: Option<String>,
    /// Kemendagri kab/kota code, e.g. 32.75
    pub kabkota: Option<String>,
    /// Kemendagri kecamatan code, e.g. 32.75.04
    pub kecamatan: Option<String>,
    /// Kemendagri kelurahan code, e.g. 32.75.04.1004
    pub kelurahan: Option<String>,
    pub bentuk: Option<String>,
    pub jenis: Option<String>,
    pub kelompok: Option<String>,
    pub sektor: Option<String>,
    /// true or false
    pub supervised: Option<String>,
    /// false (default), true (archived only) or all
    pub archived: Option<String>,
    /// active, inactive, no_data, dissolution_candidate, dissolved, in_liquidation or merged
    pub status: Option<String>,
    /// name, nik, kecamatan, legal_entity_date, updated_at or last_rat
    pub sort: Option<String>,
    /// asc or desc
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// A parsed list request.
pub struct ListRequest {
    pub filter: kopra_db::cooperative_list::CooperativeFilter,
    pub sort: kopra_db::cooperative_list::Sort,
    pub page: i64,
    pub per_page: i64,
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

impl ListParams {
    pub fn parse(&self, default_per_page: i64) -> Result<ListRequest, AppError> {
        use kopra_db::cooperative_list::{ArchivedFilter, CooperativeFilter, MAX_PER_PAGE, Sort, SortKey};
        let mut errors = FieldErrors::default();
        let boolean = |v: &Option<String>, field: &'static str, errors: &mut FieldErrors| match opt(v).as_deref() {
            None => None,
            Some("true" | "1" | "ya") => Some(true),
            Some("false" | "0" | "tidak") => Some(false),
            Some(_) => {
                errors.add(field, FieldError::ValueNotInList);
                None
            }
        };
        let supervised = boolean(&self.supervised, "supervised", &mut errors);
        let archived = match opt(&self.archived).as_deref() {
            None | Some("false" | "0") => ArchivedFilter::Exclude,
            Some("true" | "1") => ArchivedFilter::Only,
            Some("all") => ArchivedFilter::Include,
            Some(_) => {
                errors.add("archived", FieldError::ValueNotInList);
                ArchivedFilter::Exclude
            }
        };
        let key = match opt(&self.sort) {
            None => SortKey::Name,
            Some(s) => SortKey::parse(&s).unwrap_or_else(|| {
                errors.add("sort", FieldError::ValueNotInList);
                SortKey::Name
            }),
        };
        let descending = match opt(&self.dir).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                errors.add("dir", FieldError::ValueNotInList);
                false
            }
        };
        let status = opt(&self.status);
        if status
            .as_deref()
            .is_some_and(|s| kopra_domain::status::Status::parse(s).is_none())
        {
            errors.add("status", FieldError::ValueNotInList);
        }
        let mut number = |v: &Option<String>, field: &'static str, default: i64, max: i64| match opt(v) {
            None => default,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    errors.add(field, FieldError::ValueNotInList);
                    default
                }
            },
        };
        let page = number(&self.page, "page", 1, 1_000_000);
        let per_page = number(&self.per_page, "per_page", default_per_page, MAX_PER_PAGE);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(ListRequest {
            filter: CooperativeFilter {
                q: opt(&self.q),
                provinsi: opt(&self.provinsi),
                kabkota: opt(&self.kabkota),
                kecamatan: opt(&self.kecamatan),
                kelurahan: opt(&self.kelurahan),
                bentuk: opt(&self.bentuk),
                jenis: opt(&self.jenis),
                kelompok: opt(&self.kelompok),
                sektor: opt(&self.sektor),
                supervised,
                archived,
                status,
            },
            sort: Sort { key, descending },
            page,
            per_page,
        })
    }
}

/// `supervised` or `all`; absent means the plan's setting.
pub async fn resolve_scope(state: &AppState, raw: Option<&str>) -> Result<ActivationScope, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => ActivationScope::parse(s)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("scope", FieldError::ValueNotInList))),
        None => Ok(ActivationScope::parse(&state.db.plan().await?.scope).unwrap_or(ActivationScope::Supervised)),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MilestoneProgress {
    pub year: i32,
    pub target_rate: f64,
    /// The rate on 31 December of that year (today for the current year; null for years to come).
    pub actual_rate: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanResponse {
    #[serde(flatten)]
    pub plan: Plan,
    /// The rate the milestones start from: the plan's baseline rate, or the one measured.
    pub measured_baseline_rate: f64,
    /// At the pace of the last 12 months: when the target is reached, what the plan needs.
    pub projection: kopra_domain::plan::Projection,
    pub milestones: Vec<MilestoneProgress>,
}

pub async fn plan_progress(state: &AppState, plan: Plan) -> Result<PlanResponse, AppError> {
    let scope = ActivationScope::parse(&plan.scope).unwrap_or(ActivationScope::Supervised);
    let today = today();
    let year_end = |y: i32| {
        Date::from_calendar_date(y, time::Month::December, 31)
            .unwrap_or(today)
            .min(today)
    };
    let measured_baseline = match plan.baseline_rate {
        Some(r) => r,
        None => {
            state
                .db
                .activation(year_end(plan.baseline_year), scope, &state.office)
                .await?
                .counts
                .rate
        }
    };
    let mut milestones = Vec::new();
    for m in plan.milestones(measured_baseline) {
        let actual_rate = if m.year > today.year() {
            None
        } else {
            Some(
                state
                    .db
                    .activation(year_end(m.year), scope, &state.office)
                    .await?
                    .counts
                    .rate,
            )
        };
        milestones.push(MilestoneProgress {
            year: m.year,
            target_rate: m.target_rate,
            actual_rate,
        });
    }
    let now = state.db.activation(today, scope, &state.office).await?.counts;
    let year_ago = state
        .db
        .activation(kopra_domain::status::add_years(today, -1), scope, &state.office)
        .await?
        .counts;
    let projection = plan.projection(today, now.active, now.registered, year_ago.active);
    Ok(PlanResponse {
        plan,
        measured_baseline_rate: measured_baseline,
        projection,
        milestones,
    })
}
