//! What can stop a whole file from being read (as opposed to one row).

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not readable CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("the file lacks the column {0:?}")]
    MissingColumn(&'static str),
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large ({0} bytes; 50 MB at most)")]
    TooLarge(usize),
    #[error("the sheet has too many cells ({0})")]
    TooManyCells(usize),
    #[error("the sheet has more than 250,000 rows (at least {0}): split the file")]
    TooManyRows(usize),
    #[error("the workbook would expand to {0} bytes (300 MB at most)")]
    Expands(u64),
    #[error("the file cannot be read as a spreadsheet or CSV: {0}")]
    Unreadable(String),
    #[error("no sheet named {0:?}; the sheets are {1:?}")]
    NoSuchSheet(String, Vec<String>),
    #[error("no data table found (a header row and data rows)")]
    NoDataTable,
    #[error("no header row found: no row names at least a cooperative's name and kecamatan")]
    NoHeader,
}

impl ImportError {
    /// A stable code, also the message key suffix (`import.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Csv(_) | ImportError::Unreadable(_) => "unreadable",
            ImportError::MissingColumn(_) => "missing_column",
            ImportError::Empty => "empty",
            ImportError::TooLarge(_) => "too_large",
            ImportError::TooManyCells(_) | ImportError::Expands(_) => "too_many_cells",
            ImportError::TooManyRows(_) => "too_many_rows",
            ImportError::NoSuchSheet(..) => "no_such_sheet",
            ImportError::NoDataTable => "no_data_table",
            ImportError::NoHeader => "no_header",
        }
    }
}
