//! The store's one error type. Callers see what went wrong in terms they can
//! act on (retry later, tell the user, fix the data); no driver type leaves
//! `src/store/`.

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A row the operation needs does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A uniqueness or integrity rule refused the write (e.g. a duplicate key).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or is busy, full or stopped: worth
    /// retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bad query, a corrupt value, a schema mismatch.
    #[error("database error: {0}")]
    Internal(String),
}

impl StoreError {
    pub(crate) fn internal(what: impl std::fmt::Display) -> Self {
        StoreError::Internal(what.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &err {
            rusqlite::Error::SqliteFailure(e, _) => match e.code {
                ErrorCode::ConstraintViolation => StoreError::Conflict(err.to_string()),
                ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::CannotOpen
                | ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::OutOfMemory
                | ErrorCode::ReadOnly => StoreError::Unavailable(err.to_string()),
                _ => StoreError::Internal(err.to_string()),
            },
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound("no row".into()),
            _ => StoreError::Internal(err.to_string()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(err.to_string()),
            sqlx::Error::RowNotFound => StoreError::NotFound("no row".into()),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(err.to_string())
            }
            _ => StoreError::Internal(err.to_string()),
        }
    }
}

impl From<postgres::Error> for StoreError {
    fn from(err: postgres::Error) -> Self {
        use postgres::error::SqlState;
        let Some(db) = err.as_db_error() else {
            // No answer from the server: the connection broke or never was.
            let why =
                std::error::Error::source(&err).map_or_else(|| err.to_string(), |s| s.to_string());
            return StoreError::Unavailable(format!("PostgreSQL: {why}"));
        };
        let what = format!("{} ({})", db.message(), db.code().code());
        let code = db.code();
        if [
            SqlState::UNIQUE_VIOLATION,
            SqlState::FOREIGN_KEY_VIOLATION,
            SqlState::CHECK_VIOLATION,
            SqlState::NOT_NULL_VIOLATION,
            SqlState::EXCLUSION_VIOLATION,
        ]
        .contains(code)
        {
            StoreError::Conflict(what)
        } else if code.code().starts_with("08")
            || code.code().starts_with("57")
            || code.code().starts_with("53")
            || [
                SqlState::T_R_SERIALIZATION_FAILURE,
                SqlState::T_R_DEADLOCK_DETECTED,
                SqlState::LOCK_NOT_AVAILABLE,
            ]
            .contains(code)
        {
            // Connection trouble, a shutdown, a statement timeout (57014),
            // resources, or a conflict with another transaction: retry later.
            StoreError::Unavailable(what)
        } else {
            StoreError::Internal(what)
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Internal(format!("encoding a value: {err}"))
    }
}

/// Results of the store.
pub type StoreResult<T> = Result<T, StoreError>;
