//! Who the command line acts as: an account, never the shell's `$USER`.
//!
//! A token is given in `BAGALAU_TOKEN`, or kept by `bagalau login` in the
//! user's configuration directory (`$XDG_CONFIG_HOME/bagalau/logins.toml`,
//! else `~/.config/bagalau/logins.toml`, readable by its owner only), one
//! per database. Without one, only the bootstrap runs: `bagalau init` (a
//! new database's first administrator), the demo in a new or a
//! demonstration database, and the commands that touch no database.

use crate::app::App;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_app::{Actor, FrontEnd, identity};
use bagalau_core::accounts::hash_password;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

/// The variable that gives the command line a token.
pub const TOKEN_VARIABLE: &str = "BAGALAU_TOKEN";

/// Where `bagalau login` keeps its tokens.
fn logins_file() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").ok_or_else(|| {
            anyhow!("neither XDG_CONFIG_HOME nor HOME is set: no place to keep the sign-in")
        })?)
        .join(".config"),
    };
    Ok(base.join("bagalau").join("logins.toml"))
}

/// The kept tokens, by database.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Logins {
    #[serde(default)]
    database: BTreeMap<String, String>,
}

fn read_logins() -> Result<Logins> {
    let path = logins_file()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("{}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Logins::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn write_logins(logins: &Logins) -> Result<()> {
    let path = logins_file()?;
    let dir = path.parent().expect("the file is in a directory");
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    // NamedTempFile is created readable by its owner only.
    std::io::Write::write_all(&mut file, toml::to_string(logins)?.as_bytes())?;
    file.persist(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The token the command line signs in with for the database at
/// `location`: `BAGALAU_TOKEN`, else the one `bagalau login` kept.
fn token_for(location: &str) -> Result<Option<String>> {
    if let Some(token) = std::env::var(TOKEN_VARIABLE)
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        return Ok(Some(token));
    }
    Ok(read_logins()?.database.remove(location))
}

/// Keeps the command line's token for the database at `location`.
pub fn keep(location: &str, token: &str) -> Result<()> {
    let mut logins = read_logins()?;
    logins
        .database
        .insert(location.to_string(), token.to_string());
    write_logins(&logins)
}

/// A password: from standard input with `--password-stdin`, else asked
/// for on the terminal without echo; or None to have one generated.
fn password(from_stdin: bool, prompt: bool) -> Result<Option<String>> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the password from standard input")?;
        return Ok(Some(s.trim_end_matches(['\n', '\r']).to_string()));
    }
    if prompt {
        return Ok(Some(rpassword::prompt_password("Password: ").context(
            "cannot ask for the password (no terminal: use --password-stdin)",
        )?));
    }
    Ok(None)
}

pub fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| anyhow!("no randomness from the operating system: {e}"))?;
    Ok(b)
}

/// Says which account was written with which roles, and its password
/// when it was generated (shown this once).
pub fn new_account(user: &bagalau_store::UserRecord, generated: Option<&str>) -> Result<()> {
    outln!("Account `{}`: {}.", user.name, user.roles.join(", "));
    if let Some(password) = generated {
        outln!("Its password, shown only now: {password}");
    }
    Ok(())
}

/// A password given or generated, and its Argon2id hash.
pub fn password_and_hash(from_stdin: bool) -> Result<(String, String, bool)> {
    let (password, generated) = match password(from_stdin, false)? {
        Some(p) => (p, false),
        None => (hex::encode(random::<12>()?), true),
    };
    let hash = hash_password(&password, &random::<16>()?)?;
    Ok((password, hash, generated))
}

impl App {
    /// The account the command line acts as, from its token.
    pub async fn signed_in(&self, now: &str) -> Result<Actor> {
        let location = self.store.location();
        let Some(token) = token_for(&location)? else {
            bail!(
                "no account: sign in to {location} with `bagalau login NAME`, or give a token in {TOKEN_VARIABLE} \
                 (a new database: `bagalau init --administrator NAME`)"
            );
        };
        identity::actor_for_token(&self.store, &token, now)
            .await
            .map_err(|e| match e {
                bagalau_app::AppError::Unauthenticated => anyhow!(
                    "the token for {location} is unknown, expired or revoked: sign in again with `bagalau login NAME`"
                ),
                other => other.into(),
            })
    }

    /// `bagalau init`: a new database's first administrator, signed in.
    pub async fn init(
        &self,
        name: &str,
        roles: &[String],
        password_stdin: bool,
        now: &str,
    ) -> Result<()> {
        let also = bagalau_app::accounts::checked_roles(&self.store, roles).await?;
        let (password, hash, generated) = password_and_hash(password_stdin)?;
        let user = identity::first_administrator(&self.store, name, hash, &also, now).await?;
        new_account(&user, generated.then_some(password.as_str()))?;
        self.keep_session(name, 30, now).await
    }

    /// Makes a command-line token for `name` and keeps it for this database.
    async fn keep_session(&self, name: &str, days: i64, now: &str) -> Result<()> {
        let actor = Actor {
            user: name.to_string(),
            roles: Vec::new(),
        };
        let (token, expires) = bagalau_app::accounts::issue_token(
            &self.store,
            FrontEnd::CommandLine,
            &actor,
            bagalau_app::accounts::NewToken {
                name,
                label: "command line",
                days,
                random: &random::<32>()?,
            },
            now,
        )
        .await?;
        keep(&self.store.location(), &token)?;
        outln!(
            "Signed in to {} as `{name}` until {expires}.",
            self.store.location()
        );
        Ok(())
    }

    /// `bagalau login`: signs in with a password and keeps the token.
    pub async fn login(
        &self,
        name: &str,
        password_stdin: bool,
        days: i64,
        now: &str,
    ) -> Result<()> {
        if !(1..=365).contains(&days) {
            bail!("--days: a command-line sign-in lasts 1 to 365 days");
        }
        let password = password(password_stdin, true)?.unwrap_or_default();
        let session = identity::sign_in(
            &self.store,
            identity::SignIn {
                name,
                password: &password,
                source: "",
                label: "command line",
                lifetime: chrono::Duration::days(days),
                front: FrontEnd::CommandLine,
                attempt_random: random()?,
                token_random: random()?,
            },
            now,
            |password, hash| async move {
                Ok(bagalau_core::accounts::verify_password(&password, &hash))
            },
        )
        .await?;
        keep(&self.store.location(), &session.token)?;
        outln!(
            "Signed in to {} as `{name}` ({}) until {}.",
            self.store.location(),
            session.user.roles.join(", "),
            session.expires_at
        );
        Ok(())
    }

    /// `bagalau logout`: revokes the kept token and forgets it.
    pub async fn logout(&self, now: &str) -> Result<()> {
        let location = self.store.location();
        let mut logins = read_logins()?;
        let Some(token) = logins.database.remove(&location) else {
            outln!("Not signed in to {location}.");
            return Ok(());
        };
        // A token that no longer works is forgotten all the same.
        if let Ok(actor) = identity::sign_out(&self.store, &token, now).await {
            outln!("Signed out of {location} (`{}`).", actor.user);
        }
        write_logins(&logins)
    }
}
