//! Kopra's importer: reads the files offices keep into domain inputs, row by row, with
//! messages that name the row, the column and the value.
//!
//! The first format is the ministry's ODS list (`ods_csv`), used for the demo data. The
//! re-registration issue adds spreadsheets and column mapping here.

pub mod csv_stream;
pub mod dates;
pub mod error;
pub mod mapping;
pub mod message;
pub mod ods_csv;
pub mod report_rows;
pub mod rows;
pub mod table;
pub mod umkm_rows;
pub mod values;

pub use error::ImportError;
pub use message::{RowMessage, Severity};
pub use ods_csv::{OdsRow, read_ods_csv};
