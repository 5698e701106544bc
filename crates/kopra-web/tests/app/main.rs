//! Kopra's integration tests: the whole router in process, over a real database.
//! Every test runs twice, on SQLite and on PostgreSQL (`KOPRA_TEST_DATABASE_URL`, an admin
//! URL; a missing URL fails the PostgreSQL tests, it never skips them).
//!
//! One test binary for the crate (it saves link time): add modules here, not new files
//! under tests/.

mod harness;

mod api_auth;
mod api_cooperatives;
mod attachments;
mod awards;
mod campaigns;
mod coaching;
mod demo;
mod health;
mod import;
mod jobs;
mod pages;
mod proposals;
mod report_import;
mod role_matrix;
mod schema;
mod status;
mod strengthening;
mod umkm_stream_import;
