//! Bagalau's storage. One [`Store`] interface with two implementations:
//! [`SqliteStore`], the embedded default, and [`PgStore`] for production;
//! [`AnyStore`] picks one from the database URL. The SQL and the migrations
//! are shared. This is the only crate that knows SQL.
//!
//! Every write goes through [`Store::apply`] with an [`ImportBatch`] and runs
//! in one transaction: it all lands or none of it does.

/// The blob store, kept in its own crate so the analytics engine reads
/// records through the same one.
pub use bagalau_blobs as blobs;
pub mod files;
mod kept;
mod monitoring;
mod postgres;
mod sql;
mod sqlite;

pub use kept::{Family, KeptRecord, StoredQuestionnaire};
pub use postgres::{PgStore, redact};
pub use sqlite::SqliteStore;

use bagalau_core::audit;
use bagalau_core::cycle;
use bagalau_core::data::{Observation, YearData};
use bagalau_core::pack::Methodology;
use bagalau_core::performance::{self, PerformancePack, Series};
use bagalau_core::publication::Publication;
use bagalau_core::recommendation::Recommendation;
use bagalau_core::registry::Registry;
use bagalau_core::score::Assessment;
use bagalau_services::register::Register;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL `{0}` (use a file path or sqlite://PATH)")]
    UnsupportedUrl(String),
    #[error("the database {0} is read-only: nothing can be written to it")]
    ReadOnly(String),
    #[error(
        "the database {0} is read-only and was made by an older Bagalau: open a writable copy once to upgrade it"
    )]
    ReadOnlyOutdated(String),
    /// A write that would overwrite what is kept only ever once.
    #[error("{0}")]
    Conflict(String),
    #[error("stored {what} no longer validates: {message}")]
    Corrupt { what: String, message: String },
    #[error(
        "this audit trail is signed, and no audit key is configured: a write now would leave entries that no checkpoint vouches for. Set audit.key (BAGALAU_AUDIT__KEY) to the key file"
    )]
    Unsigned,
    #[error(
        "no audit key is configured: set audit.key (BAGALAU_AUDIT__KEY) to the key file that `bagalau audit keygen` makes"
    )]
    NoAuditKey,
    #[error("audit log: {0}")]
    Log(#[from] bagalau_core::transparency::LogError),
}

/// The keys of the audit trail's checkpoints: the one that signs, read
/// from its file outside the database, and the public keys of those it
/// replaced, whose checkpoints still hold.
#[derive(Debug, Clone, Default)]
pub struct AuditKeys {
    pub signing: Option<std::sync::Arc<bagalau_core::transparency::SigningKey>>,
    pub previous: Vec<String>,
}

impl AuditKeys {
    /// The public keys checkpoints are checked with: the signing key's first.
    pub fn public(&self) -> Vec<String> {
        self.signing
            .iter()
            .map(|k| k.public_key().to_string())
            .chain(self.previous.iter().cloned())
            .collect()
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A document (registry, pack, register of services) with the file it came from.
#[derive(Debug, Clone)]
pub struct Document<T> {
    pub file_name: String,
    pub text: String,
    pub parsed: T,
}

impl Document<Register> {
    /// The register of public services as it is stored: its canonical CSV,
    /// whether it was read from CSV or XLSX, so that the same register always
    /// has the same text, hash and audit content.
    pub fn service_register(file_name: impl Into<String>, register: Register) -> Self {
        Document {
            file_name: file_name.into(),
            text: register.to_csv(),
            parsed: register,
        }
    }
}

/// Additions to the built-in working-day calendar, as imported: the text
/// is checked by the services crate's calendar reader before it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarAdditions {
    pub file_name: String,
    pub text: String,
    /// RFC 3339 (ignored on write: the batch's time is kept).
    pub imported_at: String,
}

/// An import of delivery records, run as a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordImport {
    /// Random, unguessable: the job's name in the API.
    pub id: String,
    pub file_name: String,
    pub content_sha256: String,
    pub size: i64,
    /// `csv` or `parquet`.
    pub format: String,
    /// The account that asked, as recorded in the audit trail (`api:NAME`).
    pub requested_by: String,
    pub requested_at: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub finished_at: Option<String>,
    /// The outcome as JSON, once the job ended.
    pub outcome: Option<String>,
    /// Rows read so far: a progress hint, not audited (ignored on write).
    pub rows_read: i64,
    /// When its server last showed it at work, while it runs: not audited
    /// (ignored on write).
    pub heartbeat_at: Option<String>,
}

impl RecordImport {
    /// What the audit trail keeps of it (not the progress hint).
    pub fn audit_content(&self) -> String {
        format!(
            "file={}; sha256={}; size={}; format={}; requested_by={}; requested_at={}; state={}; finished_at={}; outcome={}",
            self.file_name,
            self.content_sha256,
            self.size,
            self.format,
            self.requested_by,
            self.requested_at,
            self.state,
            self.finished_at.as_deref().unwrap_or(""),
            self.outcome.as_deref().unwrap_or("")
        )
    }
}

/// Where the stored register of public services came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRegisterImport {
    /// The file imported, or `demonstration` for the demo's register.
    pub file_name: String,
    /// SHA-256 of the stored canonical CSV.
    pub content_hash: String,
    /// RFC 3339.
    pub imported_at: String,
}

impl ServiceRegisterImport {
    /// True for the demo's register, which is an illustration, not the official one.
    pub fn is_demonstration(&self) -> bool {
        self.file_name == bagalau_core::data::DEMONSTRATION
    }
}

/// A login attempt, reserved before its password is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    /// Unique: how the attempt is ended, and a failure's key on the audit
    /// trail ([`LoginAttempt::id_for`]).
    pub id: String,
    /// A valid account name (checked before anything is stored).
    pub name: String,
    /// The client's address, or empty when unknown.
    pub source: String,
    pub at: chrono::NaiveDateTime,
}

impl LoginAttempt {
    /// `NAME@TIME/RANDOM`: readable on the audit trail, unique by its
    /// random part (attempts may share a name and a microsecond).
    pub fn id_for(name: &str, at: chrono::NaiveDateTime, random: &[u8; 8]) -> String {
        format!("{name}@{}/{}", login_time(at), hex::encode(random))
    }
}

/// How a login attempt's time is stored: UTC to the microsecond, so that
/// stored times compare as text.
pub(crate) fn login_time(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Everything one command writes, applied atomically.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub registry: Option<Document<Registry>>,
    /// The register of public services, replacing the stored one; its text
    /// is the canonical CSV (see [`Document::service_register`]).
    pub service_register: Option<Document<Register>>,
    pub packs: Vec<Document<Methodology>>,
    /// Years whose stored pack (as it stands after `packs`) is adopted.
    pub pack_adoptions: Vec<i32>,
    /// Corrections of approved years: new (None) or changed (their id).
    pub corrections: Vec<(Option<i64>, bagalau_core::correction::Correction)>,
    /// Values with their origin (a file name, or `demonstration`).
    pub observations: Vec<(Observation, String)>,
    pub assessments: Vec<Assessment>,
    pub performance_packs: Vec<Document<PerformancePack>>,
    /// Series observations with their origin.
    pub series: Vec<(performance::Observation, String)>,
    /// New publication versions with their canonical content (never replaced).
    pub publications: Vec<(Publication, String)>,
    /// New versions of a year's ratings of service quality with their
    /// canonical JSON (never replaced; the same fields as a publication).
    pub service_ratings: Vec<(Publication, String)>,
    /// Accounts created or changed.
    pub users: Vec<UserRecord>,
    /// New API tokens (hashes only).
    pub tokens: Vec<TokenRecord>,
    /// Cycles opened (year, calendar).
    pub cycles: Vec<(i32, cycle::Calendar)>,
    /// Extensions granted (year, extension).
    pub extensions: Vec<(i32, cycle::Extension)>,
    /// Submission states set (year, body, state).
    pub submissions: Vec<(i32, String, cycle::SubmissionState)>,
    /// Conclusions written (year, conclusion); a new text replaces the old one, on record.
    pub conclusions: Vec<(i32, cycle::Conclusion)>,
    /// Objections filed (id None) or changed (id Some).
    pub objections: Vec<(i32, Option<i64>, cycle::Objection)>,
    /// A year's verification selection, replacing any earlier one.
    pub selection: Option<(i32, u64, Vec<SelectionRecord>)>,
    /// Findings recorded by verifiers.
    pub findings: Vec<FindingRecord>,
    /// Recommendations issued (id None) or changed (id Some).
    pub recommendations: Vec<(Option<i64>, Recommendation)>,
    /// Evidence files uploaded (the content is in the file store already).
    pub evidence: Vec<EvidenceRecord>,
    /// Expert opinions recorded (year, opinion).
    pub opinions: Vec<(i32, cycle::Opinion)>,
    /// Evidence files attached to submissions (year, body, SHA-256); attaching one twice changes nothing.
    pub submission_evidence: Vec<(i32, String, String)>,
    /// Reserved login attempts (by id, see [`Store::reserve_login`]) whose
    /// password was wrong: kept as failures and audited.
    pub login_failures: Vec<String>,
    /// Reserved login attempts (by id) that did not fail (they succeeded,
    /// or the password was not tried): removed.
    pub login_releases: Vec<String>,
    /// Tokens revoked, by hash (logout): deleted, and the deletion audited.
    pub revoked_tokens: Vec<String>,
    /// Monitoring organisations registered or changed (by id).
    pub monitoring_organisations: Vec<bagalau_core::monitoring::Organisation>,
    /// Monitoring projects opened (id None) or moved on (id Some).
    pub monitoring_projects: Vec<(Option<i64>, bagalau_core::monitoring::Project)>,
    /// Findings submitted (id None) or replied to (id Some).
    pub monitoring_findings: Vec<(Option<i64>, bagalau_core::monitoring::Finding)>,
    /// Monitoring recommendations issued (id None) or changed (id Some).
    pub monitoring_recommendations:
        Vec<(Option<i64>, bagalau_core::monitoring::ProjectRecommendation)>,
    /// Citizens' records added (complaints, openness, survey responses).
    pub kept_records: Vec<KeptRecord>,
    /// Questionnaires of satisfaction surveys, new or replacing theirs.
    pub questionnaires: Vec<StoredQuestionnaire>,
    /// Additions to the working-day calendar, replacing the kept ones.
    pub calendar_additions: Option<CalendarAdditions>,
    /// Imports of delivery records, new or ended (by id).
    pub record_imports: Vec<RecordImport>,
    /// RFC 3339 time of the import (time is a parameter, never read here).
    pub at: String,
    /// Who writes: recorded in the audit trail.
    pub actor: String,
    /// Why, when the writer says: recorded in the audit trail.
    pub reason: Option<String>,
}

/// What an import changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    pub bodies: usize,
    pub packs: usize,
    pub values_new: usize,
    pub values_changed: usize,
    pub values_unchanged: usize,
    pub assessments: usize,
    pub performance_packs: usize,
    pub series_new: usize,
    pub series_changed: usize,
    pub series_unchanged: usize,
}

/// An account as stored. The password is an Argon2id PHC string.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub name: String,
    pub password_hash: String,
    pub roles: Vec<String>,
    pub created_at: String,
    /// Since when the account is disabled (RFC 3339): it signs in nowhere,
    /// its tokens are revoked.
    pub disabled_at: Option<String>,
}

impl UserRecord {
    /// What the audit trail records of an account: its roles and a fingerprint
    /// of the password hash (never the hash itself).
    pub fn audit_content(&self) -> String {
        let mut roles = self.roles.clone();
        roles.sort();
        let mut content = format!(
            "roles={}; password={}",
            roles.join(","),
            &bagalau_core::hash::sha256_hex(self.password_hash.as_bytes())[..16]
        );
        if let Some(at) = &self.disabled_at {
            content.push_str(&format!("; disabled={at}"));
        }
        content
    }
}

/// An API token as stored: its SHA-256, whose account, a label, an optional expiry.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRecord {
    pub token_hash: String,
    pub name: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
}

impl TokenRecord {
    pub fn audit_key(&self) -> String {
        self.token_hash[..16].to_string()
    }

    pub fn audit_content(&self) -> String {
        format!(
            "user={}; label={}; expires={}",
            self.name,
            self.label,
            self.expires_at.as_deref().unwrap_or("never")
        )
    }
}

/// A body selected for verification, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionRecord {
    pub body: String,
    /// `risk` or `draw`.
    pub by: String,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A verifier's finding: a value corrected, with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRecord {
    pub year: i32,
    pub body: String,
    pub indicator: String,
    pub old_value: Option<f64>,
    pub new_value: Option<f64>,
    pub reason: String,
    pub verifier: String,
}

impl FindingRecord {
    pub fn audit_content(&self) -> String {
        format!(
            "{}/{}/{}: {} -> {}; by {}; because {}",
            self.year,
            self.body,
            self.indicator,
            self.old_value.map_or("none".into(), audit::number),
            self.new_value.map_or("none".into(), audit::number),
            self.verifier,
            self.reason
        )
    }
}

/// An upload of an evidence file.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRecord {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub file_name: String,
    pub uploaded_by: String,
}

impl EvidenceRecord {
    pub fn audit_content(&self) -> String {
        format!(
            "{} ({}, {} bytes, sha256 {}) by {}",
            self.file_name, self.media_type, self.size, self.sha256, self.uploaded_by
        )
    }
}

/// Where a year's stored pack came from.
#[derive(Debug, Clone)]
pub struct StoredPack {
    pub file_name: String,
    pub methodology: Methodology,
}

/// The storage interface. Async so that a PostgreSQL implementation can sit
/// behind it unchanged.
#[allow(async_fn_in_trait)]
pub trait Store {
    async fn apply(&self, batch: ImportBatch) -> Result<ImportCounts>;
    async fn registry(&self) -> Result<Option<Registry>>;
    /// The register of public services, if one was imported.
    async fn service_register(&self) -> Result<Option<Register>>;
    /// Where the stored register of public services came from, and when.
    async fn service_register_import(&self) -> Result<Option<ServiceRegisterImport>>;
    async fn pack(&self, year: i32) -> Result<Option<StoredPack>>;
    async fn pack_years(&self) -> Result<Vec<i32>>;
    /// The years whose stored pack is adopted (the others are drafts).
    async fn adopted_pack_years(&self) -> Result<Vec<i32>>;
    /// The kept records of a family (of one part, or all), by part and key.
    async fn kept_records(&self, family: Family, part: Option<&str>) -> Result<Vec<KeptRecord>>;
    /// The questionnaires kept, by id.
    async fn questionnaires(&self) -> Result<Vec<StoredQuestionnaire>>;
    /// The additions to the working-day calendar, if any were imported.
    async fn calendar_additions(&self) -> Result<Option<CalendarAdditions>>;
    /// An import of delivery records, by its id.
    async fn record_import(&self, id: &str) -> Result<Option<RecordImport>>;
    /// Sets a running import's rows read so far and when its server last
    /// showed it at work (`at`): hints outside the audit trail (its start
    /// and end are in it).
    async fn record_import_progress(&self, id: &str, rows_read: i64, at: &str) -> Result<()>;
    /// The corrections of a year, with their ids, oldest first.
    async fn corrections(
        &self,
        year: i32,
    ) -> Result<Vec<(i64, bagalau_core::correction::Correction)>>;
    async fn year_data(&self, year: i32) -> Result<YearData>;
    async fn assessment(
        &self,
        year: i32,
        pack_hash: &str,
        input_hash: &str,
    ) -> Result<Option<Assessment>>;
    /// How many reporting values of each year came from each origin.
    async fn value_origins(&self) -> Result<Vec<(i32, String, i64)>>;
    async fn performance_pack(&self, year: i32) -> Result<Option<PerformancePack>>;
    async fn performance_years(&self) -> Result<Vec<i32>>;
    /// Every series value (the series are small: indicators × years).
    async fn series(&self) -> Result<Series>;
    /// The audit trail, in sequence order.
    async fn audit_entries(&self) -> Result<Vec<audit::Entry>>;
    /// A hash of what the public pages are made of: the registry's, the
    /// register of services', every pack's and every publication's content
    /// hash, and the audit trail's last entry; it changes whenever any of
    /// them does.
    async fn public_fingerprint(&self) -> Result<String>;
    /// The latest audit entry written before `at` (RFC 3339 in UTC, compared
    /// as text to the second, the form every entry's time has), if any.
    async fn audit_latest_before(&self, at: &str) -> Result<Option<audit::Entry>>;
    /// Every stored record with its canonical content, for `audit::verify`.
    async fn audit_records(&self) -> Result<Vec<audit::Record>>;
    /// The signed checkpoints of the audit trail: (entries signed, note),
    /// by size.
    async fn audit_checkpoints(&self) -> Result<Vec<(u64, String)>>;
    /// The latest signed checkpoint.
    async fn latest_audit_checkpoint(&self) -> Result<Option<(u64, String)>>;
    /// Signs a checkpoint of the whole trail now, with the audit key, and
    /// keeps it; the one kept already when nothing was written since.
    async fn sign_audit_checkpoint(&self, at: &str) -> Result<String>;
    /// The checkpoint signed at the write that made a published version.
    async fn publication_checkpoint(&self, year: i32, version: i32) -> Result<Option<String>>;
    /// Published versions, oldest first (all years when `year` is None).
    async fn publications(&self, year: Option<i32>) -> Result<Vec<Publication>>;
    /// The canonical content of one published version.
    async fn publication_content(&self, year: i32, version: i32) -> Result<Option<String>>;
    /// Published versions of the ratings of service quality, oldest first
    /// (all years when `year` is None).
    async fn service_ratings(&self, year: Option<i32>) -> Result<Vec<Publication>>;
    /// The canonical JSON of one published version of a year's ratings.
    async fn service_ratings_content(&self, year: i32, version: i32) -> Result<Option<String>>;
    async fn users(&self) -> Result<Vec<UserRecord>>;
    async fn cycle(&self, year: i32) -> Result<Option<cycle::Calendar>>;
    /// When the year's cycle was first opened (RFC 3339), if it was.
    async fn cycle_opened_at(&self, year: i32) -> Result<Option<String>>;
    async fn extensions(&self, year: i32) -> Result<Vec<cycle::Extension>>;
    /// Each body's submission state for a year.
    async fn submissions(&self, year: i32) -> Result<Vec<(String, cycle::SubmissionState)>>;
    async fn conclusions(&self, year: i32) -> Result<Vec<cycle::Conclusion>>;
    async fn objections(&self, year: i32) -> Result<Vec<(i64, cycle::Objection)>>;
    async fn selection(&self, year: i32) -> Result<Vec<SelectionRecord>>;
    /// Findings of a year, or of every year.
    async fn findings(&self, year: Option<i32>) -> Result<Vec<FindingRecord>>;
    /// Recommendations of a year, or of every year, with their ids.
    async fn recommendations(&self, year: Option<i32>) -> Result<Vec<(i64, Recommendation)>>;
    /// The uploads of a file, by its SHA-256 (the same content may be sent more than once).
    async fn evidence_uploads(&self, sha256: &str) -> Result<Vec<EvidenceRecord>>;
    /// The expert opinions on a year, in the order recorded.
    async fn opinions(&self, year: i32) -> Result<Vec<cycle::Opinion>>;
    /// Reserves a login attempt before its password is checked, unless the
    /// recent failed or reserved attempts for its name or from its source
    /// say to wait ([`bagalau_core::accounts::login_allowed_at`]): None when
    /// reserved, else when it may be tried (nothing is kept). Reservations
    /// are serialised, so concurrent attempts count against each other.
    async fn reserve_login(&self, attempt: &LoginAttempt) -> Result<Option<chrono::NaiveDateTime>>;
    /// The evidence attached to submissions: (year, body, SHA-256), of a year or of every year.
    async fn submission_evidence(&self, year: Option<i32>) -> Result<Vec<(i32, String, String)>>;
    /// The objections (year, id, objection) citing a file.
    async fn objections_citing(&self, sha256: &str) -> Result<Vec<(i32, i64, cycle::Objection)>>;
    /// The tokens of an account (sessions and API tokens), oldest first.
    async fn tokens_of(&self, name: &str) -> Result<Vec<TokenRecord>>;
    /// The account holding a token (by its hash), unless the token expired
    /// before `now` or the account is disabled.
    async fn user_by_token(&self, token_hash: &str, now: &str) -> Result<Option<UserRecord>>;
    /// Monitoring organisations, by id.
    async fn monitoring_organisations(&self)
    -> Result<Vec<bagalau_core::monitoring::Organisation>>;
    /// Monitoring projects with their ids, oldest first.
    async fn monitoring_projects(&self) -> Result<Vec<(i64, bagalau_core::monitoring::Project)>>;
    /// Findings of a project, or of every project, with their ids.
    async fn monitoring_findings(
        &self,
        project: Option<i64>,
    ) -> Result<Vec<(i64, bagalau_core::monitoring::Finding)>>;
    /// Recommendations of a project, or of every project, with their ids.
    async fn monitoring_recommendations(
        &self,
        project: Option<i64>,
    ) -> Result<Vec<(i64, bagalau_core::monitoring::ProjectRecommendation)>>;
    /// The bodies table (derived from the registry), sorted by id:
    /// (id, kind, name kk, name ru, name en).
    async fn body_rows(&self) -> Result<Vec<(String, String, String, String, String)>>;
}

/// The file of a SQLite database URL (a file path, `sqlite://PATH` or
/// `sqlite:PATH`); none for PostgreSQL.
pub fn sqlite_path(url: &str) -> Option<&str> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    Some(
        url.strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url),
    )
}

/// A store chosen by the database URL: `postgres://…` (or `postgresql://…`)
/// for PostgreSQL, a file path or `sqlite://PATH` for SQLite.
#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    pub async fn open(url: &str) -> Result<AnyStore> {
        if sqlite_path(url).is_none() {
            Ok(AnyStore::Postgres(PgStore::open(url).await?))
        } else {
            Ok(AnyStore::Sqlite(SqliteStore::open(url).await?))
        }
    }

    /// Where the data are: the SQLite file (absolute) or the redacted URL.
    pub fn location(&self) -> String {
        match self {
            AnyStore::Sqlite(s) => std::fs::canonicalize(s.path())
                .unwrap_or_else(|_| s.path().to_path_buf())
                .display()
                .to_string(),
            AnyStore::Postgres(p) => p.location().to_string(),
        }
    }

    /// The store, signing a checkpoint at each write with `keys.signing`.
    pub fn with_audit_keys(self, keys: AuditKeys) -> AnyStore {
        match self {
            AnyStore::Sqlite(s) => AnyStore::Sqlite(s.with_audit_keys(keys)),
            AnyStore::Postgres(p) => AnyStore::Postgres(p.with_audit_keys(keys)),
        }
    }

    pub fn audit_keys(&self) -> &AuditKeys {
        match self {
            AnyStore::Sqlite(s) => s.audit_keys(),
            AnyStore::Postgres(p) => p.audit_keys(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        match self {
            AnyStore::Sqlite(s) => s.is_read_only(),
            AnyStore::Postgres(_) => false,
        }
    }

    /// (an identity of this store in the process, how many writes it made):
    /// derived data cached in memory are stale when the count moves.
    pub fn generation(&self) -> (usize, u64) {
        match self {
            AnyStore::Sqlite(s) => s.generation(),
            AnyStore::Postgres(p) => p.generation(),
        }
    }

    pub async fn close(self) {
        match self {
            AnyStore::Sqlite(s) => s.close().await,
            AnyStore::Postgres(p) => p.close().await,
        }
    }
}

/// Forwards each `Store` method to the chosen implementation.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        impl Store for AnyStore {
            $(async fn $name(&self, $($arg: $ty),*) -> Result<$out> {
                match self {
                    AnyStore::Sqlite(s) => s.$name($($arg),*).await,
                    AnyStore::Postgres(p) => p.$name($($arg),*).await,
                }
            })*
        }
    };
}

forward! {
    apply(batch: ImportBatch) -> ImportCounts;
    registry() -> Option<Registry>;
    service_register() -> Option<Register>;
    service_register_import() -> Option<ServiceRegisterImport>;
    pack(year: i32) -> Option<StoredPack>;
    pack_years() -> Vec<i32>;
    adopted_pack_years() -> Vec<i32>;
    kept_records(family: Family, part: Option<&str>) -> Vec<KeptRecord>;
    questionnaires() -> Vec<StoredQuestionnaire>;
    calendar_additions() -> Option<CalendarAdditions>;
    record_import(id: &str) -> Option<RecordImport>;
    record_import_progress(id: &str, rows_read: i64, at: &str) -> ();
    corrections(year: i32) -> Vec<(i64, bagalau_core::correction::Correction)>;
    year_data(year: i32) -> YearData;
    assessment(year: i32, pack_hash: &str, input_hash: &str) -> Option<Assessment>;
    value_origins() -> Vec<(i32, String, i64)>;
    performance_pack(year: i32) -> Option<PerformancePack>;
    performance_years() -> Vec<i32>;
    series() -> Series;
    audit_entries() -> Vec<audit::Entry>;
    audit_latest_before(at: &str) -> Option<audit::Entry>;
    public_fingerprint() -> String;
    audit_records() -> Vec<audit::Record>;
    audit_checkpoints() -> Vec<(u64, String)>;
    latest_audit_checkpoint() -> Option<(u64, String)>;
    sign_audit_checkpoint(at: &str) -> String;
    publication_checkpoint(year: i32, version: i32) -> Option<String>;
    body_rows() -> Vec<(String, String, String, String, String)>;
    publications(year: Option<i32>) -> Vec<Publication>;
    users() -> Vec<UserRecord>;
    cycle(year: i32) -> Option<cycle::Calendar>;
    cycle_opened_at(year: i32) -> Option<String>;
    tokens_of(name: &str) -> Vec<TokenRecord>;
    extensions(year: i32) -> Vec<cycle::Extension>;
    submissions(year: i32) -> Vec<(String, cycle::SubmissionState)>;
    conclusions(year: i32) -> Vec<cycle::Conclusion>;
    objections(year: i32) -> Vec<(i64, cycle::Objection)>;
    selection(year: i32) -> Vec<SelectionRecord>;
    findings(year: Option<i32>) -> Vec<FindingRecord>;
    recommendations(year: Option<i32>) -> Vec<(i64, Recommendation)>;
    evidence_uploads(sha256: &str) -> Vec<EvidenceRecord>;
    opinions(year: i32) -> Vec<cycle::Opinion>;
    reserve_login(attempt: &LoginAttempt) -> Option<chrono::NaiveDateTime>;
    submission_evidence(year: Option<i32>) -> Vec<(i32, String, String)>;
    objections_citing(sha256: &str) -> Vec<(i32, i64, cycle::Objection)>;
    user_by_token(token_hash: &str, now: &str) -> Option<UserRecord>;
    publication_content(year: i32, version: i32) -> Option<String>;
    service_ratings(year: Option<i32>) -> Vec<Publication>;
    service_ratings_content(year: i32, version: i32) -> Option<String>;
    monitoring_organisations() -> Vec<bagalau_core::monitoring::Organisation>;
    monitoring_projects() -> Vec<(i64, bagalau_core::monitoring::Project)>;
    monitoring_findings(project: Option<i64>) -> Vec<(i64, bagalau_core::monitoring::Finding)>;
    monitoring_recommendations(project: Option<i64>) -> Vec<(i64, bagalau_core::monitoring::ProjectRecommendation)>;
}

/// Helpers for test suites that run against PostgreSQL as well as SQLite.
pub mod testing {
    use sqlx::Connection;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The variable naming a PostgreSQL server for tests (an administrative
    /// URL such as `postgres://postgres@127.0.0.1:5432/postgres`). Unset: the
    /// PostgreSQL tests are skipped.
    pub const POSTGRES_URL_VAR: &str = "BAGALAU_TEST_POSTGRES_URL";

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    /// Creates an empty database for one test and returns its URL.
    pub async fn fresh_postgres_database(admin_url: &str) -> crate::Result<String> {
        let name = format!(
            "bagalau_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        let mut admin = sqlx::PgConnection::connect(admin_url).await?;
        // The name is ours: letters, digits and underscores only.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
        Ok(format!("{base}/{name}"))
    }

    /// Drops a database made by [`fresh_postgres_database`] (best effort).
    pub async fn drop_postgres_database(admin_url: &str, url: &str) {
        let Some((_, name)) = url.rsplit_once('/') else {
            return;
        };
        // Only databases made by `fresh_postgres_database`, whose names are safe.
        if !name.starts_with("bagalau_test_")
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return;
        }
        if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
        }
    }
}

/// The canonical text of cycle records, for the audit trail and its checks.
/// What the audit trail records of a correction of an approved year.
pub fn correction_content(c: &bagalau_core::correction::Correction) -> String {
    format!(
        "year={}; requested_by={}; reason={}; state={}; decided_by={}; decision={}; version={}",
        c.year,
        c.requested_by,
        c.reason,
        c.state.as_str(),
        c.decided_by.as_deref().unwrap_or(""),
        c.decision.as_deref().unwrap_or(""),
        c.version.map_or(String::new(), |v| v.to_string())
    )
}

/// What the audit trail records of a pack's adoption: the methodology adopted.
pub fn adoption_content(content_hash: &str) -> String {
    format!("adopted sha256={content_hash}")
}

pub fn calendar_content(c: &cycle::Calendar) -> String {
    serde_json::to_string(c).expect("a calendar serialises")
}

pub fn extension_content(e: &cycle::Extension) -> String {
    format!(
        "until={}; granted_by={}; reason={}",
        iso(&e.until),
        e.granted_by,
        e.reason
    )
}

/// A date and time as stored: ISO 8601 without a zone (the cycle's local time).
pub fn iso(t: &chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub fn state_text(s: cycle::SubmissionState) -> &'static str {
    match s {
        cycle::SubmissionState::Draft => "draft",
        cycle::SubmissionState::Submitted => "submitted",
    }
}

pub fn objection_state_text(s: cycle::ObjectionState) -> &'static str {
    use cycle::ObjectionState::*;
    match s {
        Filed => "filed",
        Accepted => "accepted",
        Rejected => "rejected",
        Escalated => "escalated",
        Upheld => "upheld",
        Dismissed => "dismissed",
    }
}

pub fn objection_state(text: &str) -> cycle::ObjectionState {
    use cycle::ObjectionState::*;
    match text {
        "accepted" => Accepted,
        "rejected" => Rejected,
        "escalated" => Escalated,
        "upheld" => Upheld,
        "dismissed" => Dismissed,
        _ => Filed,
    }
}

pub fn conclusion_content(c: &cycle::Conclusion) -> String {
    format!("author={}; text={}", c.author, c.text)
}

/// What the audit trail records of an expert opinion.
pub fn opinion_content(year: i32, o: &cycle::Opinion) -> String {
    format!(
        "{year}/{}: {} (by {})",
        o.body.as_deref().unwrap_or("the year"),
        o.text,
        o.author
    )
}

pub fn objection_content(o: &cycle::Objection) -> String {
    format!(
        "body={}; direction={}; criterion={}; filed_by={}; statement={}; state={}; decided_by={}; reason={}",
        o.body,
        o.direction,
        o.criterion,
        o.filed_by,
        o.statement,
        objection_state_text(o.state),
        o.decided_by.as_deref().unwrap_or(""),
        o.reason.as_deref().unwrap_or("")
    ) + &if o.evidence.is_empty() {
        // Objections filed without files keep the content they were audited with.
        String::new()
    } else {
        format!("; evidence={}", o.evidence.join(","))
    }
}

/// A year's cycle and its progress, for listing what is due; `None` when no
/// cycle is open.
pub async fn cycle_progress<S: Store>(
    store: &S,
    year: i32,
) -> Result<Option<(cycle::Calendar, cycle::ProgressData)>> {
    let Some(calendar) = store.cycle(year).await? else {
        return Ok(None);
    };
    let bodies = match store.registry().await? {
        Some(r) => r
            .evaluated_in(year)
            .into_iter()
            .filter(|b| b.kind != bagalau_core::Kind::Other)
            .map(|b| b.id.clone())
            .collect(),
        None => Vec::new(),
    };
    let directions = match store.pack(year).await? {
        Some(p) => p
            .methodology
            .blocks
            .iter()
            .flat_map(|b| b.directions.iter().map(|d| d.id.clone()))
            .collect(),
        None => Vec::new(),
    };
    let data = cycle::ProgressData {
        bodies,
        directions,
        submissions: store.submissions(year).await?,
        extensions: store.extensions(year).await?,
        conclusions: store.conclusions(year).await?,
        objections: store
            .objections(year)
            .await?
            .into_iter()
            .map(|(_, o)| o)
            .collect(),
        published: !store.publications(Some(year)).await?.is_empty(),
    };
    Ok(Some((calendar, data)))
}
