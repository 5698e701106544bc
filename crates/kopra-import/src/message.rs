//! What the importer says about a row.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The row is imported; the user should look at this.
    Warning,
    /// Nothing from this row is stored.
    Error,
}

/// One message about one cell. `code` is a stable message key (`import.<code>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowMessage {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub severity: Severity,
    pub code: &'static str,
}
