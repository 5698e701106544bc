//! Kopra's domain: the types, validation and rules of cooperative supervision.
//!
//! Invariant: this crate does no IO and has no async code. Everything here is a pure
//! function of its inputs, so every rule can be tested with worked examples.

pub mod annual_report;
pub mod attachment;
pub mod award;
pub mod certificate;
pub mod coaching;
pub mod coalition;
pub mod code_enum;
pub mod cooperative;
pub mod duplicates;
pub mod field_error;
pub mod format;
pub mod health;
pub mod history;
pub mod loan;
pub mod matchmaking;
pub mod names;
pub mod neighbours;
pub mod nik;
pub mod ods;
pub mod permission;
pub mod plan;
pub mod region;
pub mod region_index;
pub mod status;
pub mod supervision;
pub mod umkm;
pub mod umkm_input;
pub mod value_sets;
pub mod worklist;

pub use cooperative::{Amendment, AmendmentInput, CooperativeFields, CooperativeInput};
pub use field_error::{FieldError, FieldErrors};
pub use history::{FieldChange, field_changes};
pub use nik::NikKoperasi;
pub use permission::{Permission, Role, Scope, may_see_board};
pub use region::{HomeRegion, RegionCode, RegionLevel};
pub use region_index::{RegionIndex, RegionMatch};
pub use value_sets::{Bentuk, BentukArea, Jenis, Kelompok, Loop, Sektor};
