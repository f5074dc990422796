//! Accounts: roles in their text form, Argon2id password hashes and API
//! token hashes. Randomness is a parameter: the caller supplies the salt and
//! the token bytes.

use crate::roles::Role;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error(
        "unknown role `{0}` (administrator, coordinator, methodologist, verifier, commission, analyst, monitor, monitor:ORGANISATION, reporter:BODY, importer:BODY, assessor:DIRECTION@AUTHORITY)"
    )]
    Role(String),
    #[error("a password needs at least 12 characters")]
    WeakPassword,
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

impl Role {
    /// The role as stored and typed: `reporter:minfin`, `assessor:budget@audit_chamber`,
    /// `monitor:adal_kogam`, `coordinator`.
    pub fn to_text(&self) -> String {
        match self {
            Role::Coordinator => "coordinator".into(),
            Role::Methodologist => "methodologist".into(),
            Role::Verifier => "verifier".into(),
            Role::CommissionMember => "commission".into(),
            Role::Monitor => "monitor".into(),
            Role::Administrator => "administrator".into(),
            Role::ServiceAnalyst => "analyst".into(),
            Role::ServiceImporter { provider } => format!("importer:{provider}"),
            Role::OrganisationMonitor { organisation } => format!("monitor:{organisation}"),
            Role::Reporter { body } => format!("reporter:{body}"),
            Role::Assessor {
                direction,
                authority,
            } => format!("assessor:{direction}@{authority}"),
        }
    }

    pub fn parse(text: &str) -> Result<Role, AccountError> {
        let bad = || AccountError::Role(text.to_string());
        let id_ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        Ok(match text.split_once(':') {
            None => match text {
                "coordinator" => Role::Coordinator,
                "methodologist" => Role::Methodologist,
                "verifier" => Role::Verifier,
                "commission" => Role::CommissionMember,
                "monitor" => Role::Monitor,
                "administrator" => Role::Administrator,
                "analyst" => Role::ServiceAnalyst,
                _ => return Err(bad()),
            },
            Some(("reporter", body)) if id_ok(body) => Role::Reporter { body: body.into() },
            Some(("importer", provider)) if id_ok(provider) => Role::ServiceImporter {
                provider: provider.into(),
            },
            Some(("monitor", organisation)) if id_ok(organisation) => Role::OrganisationMonitor {
                organisation: organisation.into(),
            },
            Some(("assessor", rest)) => match rest.split_once('@') {
                Some((d, a)) if id_ok(d) && id_ok(a) => Role::Assessor {
                    direction: d.into(),
                    authority: a.into(),
                },
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        })
    }
}

fn argon2() -> Argon2<'static> {
    // Argon2id with the RFC 9106 second recommended option's memory (64 MiB), 3 passes.
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(65536, 3, 1, None).expect("valid parameters"),
    )
}

/// The PHC string of an Argon2id hash of the password with this salt.
pub fn hash_password(password: &str, salt: &[u8; 16]) -> Result<String, AccountError> {
    if password.chars().count() < 12 {
        return Err(AccountError::WeakPassword);
    }
    let salt = SaltString::encode_b64(salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// The stored hash of an account that cannot sign in with a password (it
/// acts through API tokens only): not a PHC string, so nothing verifies against it.
pub const NO_PASSWORD: &str = "!";

/// Whether a stored hash is a PHC string a password can be verified
/// against (not [`NO_PASSWORD`]).
pub fn is_password_hash(phc: &str) -> bool {
    PasswordHash::new(phc).is_ok()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// An API token as given to its holder (`bgl_` and 64 hex digits) from 32 random bytes.
pub fn token_text(random: &[u8; 32]) -> String {
    format!("bgl_{}", hex::encode(random))
}

/// What is stored of a token: its SHA-256, never the token.
pub fn token_hash(token: &str) -> String {
    crate::hash::sha256_hex(token.as_bytes())
}

/// The longest account name: names are identifiers people type, and
/// anything longer is refused before it is stored or hashed.
pub const ACCOUNT_NAME_MAX: usize = 64;

/// Whether `name` can be an account's name: 1 to [`ACCOUNT_NAME_MAX`]
/// ASCII letters, digits and `. _ - @`.
pub fn valid_account_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= ACCOUNT_NAME_MAX
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
}

/// Recent login attempts are kept this long; older ones no longer count.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;

/// How attempts that failed (or are still being checked) slow further ones
/// down: the first `free` within the window pass at once; after that each
/// must wait 2^(n − free) seconds after the latest attempt, at most `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub free: usize,
    pub cap_seconds: i64,
}

/// Per account name, from any address: an attacker spread over many
/// addresses gets a few guesses a minute, and the account's owner waits
/// at most a minute, never a lockout.
pub const NAME_BACKOFF: Backoff = Backoff {
    free: 5,
    cap_seconds: 60,
};

/// Per source address, whatever the names tried: one address that keeps
/// failing waits up to the whole window.
pub const SOURCE_BACKOFF: Backoff = Backoff {
    free: 10,
    cap_seconds: LOGIN_WINDOW_MINUTES * 60,
};

impl Backoff {
    /// When the next attempt may be made, given the times of the recent
    /// failed or pending attempts; None: now.
    pub fn next_allowed(
        &self,
        attempts: &[chrono::NaiveDateTime],
        now: chrono::NaiveDateTime,
    ) -> Option<chrono::NaiveDateTime> {
        let window = chrono::Duration::minutes(LOGIN_WINDOW_MINUTES);
        let recent: Vec<_> = attempts
            .iter()
            .copied()
            .filter(|t| *t > now - window && *t <= now)
            .collect();
        if recent.len() < self.free {
            return None;
        }
        let over = (recent.len() - self.free).min(62) as u32;
        let wait = 2i64.saturating_pow(over).min(self.cap_seconds);
        let latest = recent.iter().max().copied()?;
        let allowed = latest + chrono::Duration::seconds(wait);
        (allowed > now).then_some(allowed)
    }
}

/// When a login may be tried, given the recent failed or pending attempts
/// for its account name and from its source address: the later of what
/// [`NAME_BACKOFF`] and [`SOURCE_BACKOFF`] allow; None: now. Unknown names
/// count like known ones, so the answer never tells which accounts exist.
pub fn login_allowed_at(
    by_name: &[chrono::NaiveDateTime],
    by_source: &[chrono::NaiveDateTime],
    now: chrono::NaiveDateTime,
) -> Option<chrono::NaiveDateTime> {
    NAME_BACKOFF
        .next_allowed(by_name, now)
        .max(SOURCE_BACKOFF.next_allowed(by_source, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for text in [
            "coordinator",
            "methodologist",
            "verifier",
            "commission",
            "monitor",
            "monitor:adal_kogam",
            "reporter:minfin",
            "assessor:budget@audit_chamber",
        ] {
            assert_eq!(Role::parse(text).unwrap().to_text(), text);
        }
        for bad in [
            "admin",
            "reporter:",
            "reporter:Min Fin",
            "assessor:budget",
            "assessor:@x",
            "reporter:a:b",
            "monitor:",
            "monitor:Adal Kogam",
        ] {
            assert!(Role::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let salt = [7u8; 16];
        let phc = hash_password("correct horse battery", &salt).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{phc}");
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse battery!", &phc));
        assert!(!verify_password("anything", "not a hash"));
        for guess in ["", "!", "password"] {
            assert!(!verify_password(guess, NO_PASSWORD), "{guess}");
        }
        assert_eq!(
            hash_password("short", &salt),
            Err(AccountError::WeakPassword)
        );
        assert_ne!(
            phc,
            hash_password("correct horse battery", &[8u8; 16]).unwrap(),
            "the salt matters"
        );
    }

    #[test]
    fn tokens_are_stored_as_hashes() {
        let t = token_text(&[1u8; 32]);
        assert!(t.starts_with("bgl_") && t.len() == 68);
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}
