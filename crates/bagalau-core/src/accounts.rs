//! Accounts: roles in their text form, Argon2id password hashes and API
//! token hashes. Randomness is a parameter: the caller supplies the salt and
//! the token bytes.

use crate::cycle::Role;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error(
        "unknown role `{0}` (coordinator, methodologist, verifier, commission, monitor, monitor:ORGANISATION, reporter:BODY, assessor:DIRECTION@AUTHORITY)"
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
                _ => return Err(bad()),
            },
            Some(("reporter", body)) if id_ok(body) => Role::Reporter { body: body.into() },
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

/// Failed logins allowed for one account name within [`LOGIN_WINDOW_MINUTES`].
pub const LOGIN_MAX_FAILURES: usize = 5;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;

/// When logins for an account name are refused, given its failed attempts:
/// after [`LOGIN_MAX_FAILURES`] failures within the window, until the oldest
/// of them leaves it. Unknown names count like known ones, so that the answer
/// never tells which accounts exist.
pub fn login_locked_until(
    failures: &[chrono::NaiveDateTime],
    now: chrono::NaiveDateTime,
) -> Option<chrono::NaiveDateTime> {
    let window = chrono::Duration::minutes(LOGIN_WINDOW_MINUTES);
    let mut recent: Vec<_> = failures
        .iter()
        .copied()
        .filter(|t| *t > now - window && *t <= now)
        .collect();
    if recent.len() < LOGIN_MAX_FAILURES {
        return None;
    }
    recent.sort();
    // The lock lifts when enough of the recent failures have aged out.
    Some(recent[recent.len() - LOGIN_MAX_FAILURES] + window)
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
