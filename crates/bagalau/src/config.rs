//! The one typed configuration, built once in `main` from, in order of
//! precedence: command-line flags, `BAGALAU_*` environment variables, the
//! configuration file (`bagalau.toml` in the current directory, or
//! `--config-file PATH`), and the defaults below.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Database URL: a file path or `sqlite://PATH` for the embedded database.
    pub db: String,
    /// Language of names in output: `kk`, `ru` or `en`.
    pub lang: String,
    /// Log filter in `tracing` syntax, e.g. `info` or `bagalau=debug`.
    pub log: String,
    pub demo: DemoConfig,
    pub evidence: EvidenceConfig,
    pub services: ServicesConfig,
    #[serde(default)]
    pub audit: AuditConfig,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// The file of the key that signs the audit trail's checkpoints
    /// (`bagalau audit keygen`); without it, `audit.key` in the current
    /// folder if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Public keys of earlier audit keys, whose checkpoints still hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_keys: Vec<String>,
}

/// The key file used when `audit.key` is not set, if it exists.
pub const DEFAULT_AUDIT_KEY: &str = "audit.key";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServicesConfig {
    /// Folder of the public-service delivery records (Parquet, by year and month).
    pub dir: String,
    /// No longer read: the calendar additions are kept in the database
    /// (`bagalau services calendar-import`). Named, so that a configuration
    /// that still sets it is told so rather than silently ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    /// Folder of the content-addressed evidence file store.
    pub dir: String,
    /// Largest evidence file accepted, in megabytes.
    pub max_mb: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DemoConfig {
    /// Seed of the generated demonstration data.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            db: "bagalau.db".into(),
            lang: "en".into(),
            log: "warn".into(),
            demo: DemoConfig {
                seed: bagalau_demo::DEFAULT_SEED,
            },
            evidence: EvidenceConfig {
                dir: "evidence".into(),
                max_mb: 20,
            },
            services: ServicesConfig {
                dir: "services".into(),
                calendar: None,
            },
            audit: AuditConfig::default(),
        }
    }
}

/// The commented default configuration file, printed by `bagalau config default`.
pub const DEFAULT_FILE: &str = r#"# bagalau.toml: Bagalau's configuration.
# Every setting can also be given as an environment variable (BAGALAU_DB,
# BAGALAU_LANG, BAGALAU_LOG, BAGALAU_DEMO__SEED, BAGALAU_EVIDENCE__DIR,
# BAGALAU_EVIDENCE__MAX_MB, BAGALAU_SERVICES__DIR,
# BAGALAU_AUDIT__KEY, BAGALAU_AUDIT__PREVIOUS_KEYS)
# or, for db and lang, as a
# command-line flag (--db, --lang). Flags win over the environment, the
# environment over this file, this file over the defaults shown here.

# Database URL. A file path or sqlite://PATH is the embedded SQLite database
# (created if missing; opened read-only when the file is not writable);
# postgres://user:password@host:5432/database is PostgreSQL.
db = "bagalau.db"

# Language of names in tables and explanations: kk (Kazakh), ru (Russian)
# or en (English).
lang = "en"

# Log filter (tracing syntax): error, warn, info, debug, or per module such
# as "bagalau=debug,sqlx=warn". Logs go to standard error.
log = "warn"

[demo]
# Seed of the generated demonstration data: the same seed gives the same
# data, byte for byte.
seed = 2010

[evidence]
# Where evidence files (supporting documents of reports and objections) are
# kept, each once under its SHA-256: a folder, or S3-compatible storage as
# "s3://BUCKET/PREFIX" (credentials, region and endpoint from the AWS_*
# variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
# AWS_ENDPOINT, AWS_ALLOW_HTTP), which several servers can share.
dir = "evidence"
# Largest file accepted, in megabytes. Accepted types: PDF, PNG, JPEG, XLSX,
# DOCX, ODS, ODT and CSV, recognised by their content.
max_mb = 20

[services]
# Where the public-service delivery records are kept, as Parquet files
# partitioned by year and month (deliveries/year=YYYY/month=M/), with the
# cache of their monthly counts (cache/): a folder, or S3-compatible storage
# as "s3://BUCKET/PREFIX" (configured as the evidence store is), which
# several servers can share.
dir = "services"
# Additions to the built-in working-day calendar (movable holidays,
# transfers of days off) are kept in the database: bagalau services
# calendar-import FILE.

[audit]
# The file of the Ed25519 key that signs a checkpoint of the audit trail at
# every write (bagalau audit keygen makes one). Keep it outside the
# database, its server and its backups, readable by Bagalau alone: whoever
# holds it can vouch for a rewritten trail. Without this setting, audit.key
# in the current folder is used if it exists. Once a trail is signed, a
# write without the key is refused.
# key = "/etc/bagalau/audit.key"
# The public keys of earlier audit keys, after a rotation: their
# checkpoints still hold.
# previous_keys = ["bagalau.example.kz/audit+1a2b3c4d+AeXa…"]
"#;

/// Overrides given on the command line.
#[derive(Debug, Default, Serialize)]
pub struct Flags {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Config {
    pub fn load(file: Option<&Path>, flags: Flags) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "configuration file {} not found",
                    path.display()
                );
                anyhow::ensure!(
                    path.is_file(),
                    "the configuration file {} is a folder, not a file",
                    path.display()
                );
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("bagalau.toml")),
        }
        let config: Config = figment
            // Only the variables that name settings: others (BAGALAU_TEST_…) belong to other tools.
            .merge(Env::prefixed("BAGALAU_").split("__").only(&[
                "db",
                "lang",
                "log",
                "demo.seed",
                "evidence.dir",
                "evidence.max_mb",
                "services.dir",
                "services.calendar",
                "audit.key",
                "audit.previous_keys",
            ]))
            .merge(Serialized::defaults(flags))
            .extract()
            .context("invalid configuration")?;
        if let Some(file) = &config.services.calendar {
            anyhow::bail!(
                "invalid configuration: services.calendar ({file}) is no longer read; the calendar \
                 additions are kept in the database: import the file once with \
                 `bagalau services calendar-import {file}` and remove the setting"
            );
        }
        anyhow::ensure!(
            bagalau_core::Lang::parse(&config.lang).is_some(),
            "invalid configuration: lang must be kk, ru or en, not `{}`",
            config.lang
        );
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_default_file_is_the_default() {
        let parsed: Config = toml::from_str(DEFAULT_FILE).expect("the default file parses");
        assert_eq!(parsed, Config::default());
    }
}
