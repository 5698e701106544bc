//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kopra API", description = "The cooperative register of a Dinas Koperasi dan UMKM."),
    paths(
        super::token::create,
        super::cooperatives::list,
        super::cooperatives::create,
        super::cooperatives::get_one,
        super::cooperatives::patch,
        super::cooperatives::archive,
        super::cooperatives::history,
        super::proposals::create,
        super::proposals::list,
        super::proposals::apply,
        super::proposals::reject,
        super::status::status,
        super::status::reports,
        super::status::create_report,
        super::status::patch_report,
        super::status::set_legal_state,
        super::status::report_history,
        super::status::verify,
        super::status::return_report,
        super::status::attach,
        super::status::attachments,
        super::status::download,
        super::status::activation,
        super::status::get_plan,
        super::status::put_plan,
        super::health::regulations_list,
        super::health::list,
        super::health::create,
        super::health::prefill,
        super::worklist::list,
        super::worklist::assign,
        super::regions::list,
        super::loans::list,
        super::loans::create,
        super::loans::get_one,
        super::loans::move_stage,
        super::loans::arrears,
        super::loans::totals,
        super::strengthening::umkm_list,
        super::strengthening::umkm_create,
        super::strengthening::umkm_get,
        super::strengthening::umkm_patch,
        super::strengthening::umkm_history,
        super::strengthening::umkm_archive,
        super::strengthening::coalition_status,
        super::strengthening::umkm_matches,
        super::strengthening::membership_create,
        super::strengthening::cooperative_matches,
        super::strengthening::dismiss_match,
        super::strengthening::loan_readiness,
        super::strengthening::coalition_create,
        super::strengthening::coalition_list,
        super::strengthening::coalition_get,
        super::strengthening::coalition_add_members,
        super::strengthening::transaction_create,
        super::strengthening::transaction_list,
        super::coaching::list,
        super::coaching::create,
        super::coaching::get_one,
        super::coaching::record,
        super::coaching::add_follow_up,
        super::coaching::follow_up_status,
        super::coaching::agenda,
        super::coaching::counts,
        super::coaching::plan_from_worklist,
        super::awards::list,
        super::awards::create,
        super::awards::get_one,
        super::awards::set_jurors,
        super::awards::nominate,
        super::awards::score,
        super::awards::ranking,
        super::awards::upward,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
