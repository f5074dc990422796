//! `bagalau user …`: accounts, roles and API tokens. Randomness (salts,
//! generated passwords, tokens) comes from the operating system here and is
//! handed to the pure functions of `bagalau_core::accounts`.

use crate::app::App;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_core::accounts::{hash_password, token_hash, token_text};
use bagalau_core::cycle::Role;
use bagalau_store::{Store, TokenRecord, UserRecord};
use std::io::Read;

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| anyhow!("no randomness from the operating system: {e}"))?;
    Ok(b)
}

impl App {
    pub async fn user_add(
        &self,
        name: &str,
        roles: &[String],
        password_stdin: bool,
        now: &str,
    ) -> Result<()> {
        if !bagalau_core::accounts::valid_account_name(name) {
            bail!(
                "an account name is 1 to {} letters, digits and . _ - @",
                bagalau_core::accounts::ACCOUNT_NAME_MAX
            );
        }
        let registry = self.store.registry().await?;
        let mut parsed = Vec::new();
        for r in roles {
            let role = Role::parse(r)?;
            let body = match &role {
                Role::Reporter { body } => Some(body.as_str()),
                Role::Assessor { authority, .. } => Some(authority.as_str()),
                _ => None,
            };
            if let Some(body) = body {
                match &registry {
                    Some(reg) if reg.body(body).is_some() => {}
                    Some(_) => bail!("role `{r}`: `{body}` is not in the registry"),
                    None => bail!("role `{r}` names a body: import the registry first"),
                }
            }
            parsed.push(role.to_text());
        }
        parsed.sort();
        parsed.dedup();
        let (password, generated) = if password_stdin {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the password from standard input")?;
            (s.trim_end_matches(['\n', '\r']).to_string(), false)
        } else {
            (hex::encode(random::<12>()?), true)
        };
        let hash = hash_password(&password, &random::<16>()?)?;
        let existing = self
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.name == name);
        let mut batch = self.batch(now);
        batch.users.push(UserRecord {
            name: name.to_string(),
            password_hash: hash,
            roles: parsed.clone(),
            created_at: existing.map_or(now.to_string(), |u| u.created_at),
        });
        self.store.apply(batch).await?;
        outln!("Account `{name}`: {}.", parsed.join(", "));
        if generated {
            outln!("Its password, shown only now: {password}");
        }
        Ok(())
    }

    pub async fn user_list(&self) -> Result<()> {
        let users = self.store.users().await?;
        if users.is_empty() {
            outln!("No accounts yet: bagalau user add NAME --role …");
        }
        for u in users {
            outln!(
                "{:<24} {}  (since {}{})",
                u.name,
                u.roles.join(", "),
                u.created_at,
                if u.password_hash == bagalau_core::accounts::NO_PASSWORD {
                    "; no password"
                } else {
                    ""
                }
            );
        }
        Ok(())
    }

    pub async fn user_token(&self, name: &str, label: &str, days: i64, now: &str) -> Result<()> {
        if !self.store.users().await?.iter().any(|u| u.name == name) {
            bail!("no account `{name}`");
        }
        if days < 1 {
            bail!("a token lives at least one day");
        }
        let token = token_text(&random::<32>()?);
        let created = chrono::DateTime::parse_from_rfc3339(now)?;
        let expires = (created + chrono::Duration::days(days))
            .with_timezone(&chrono::Utc)
            .to_rfc3339();
        let mut batch = self.batch(now);
        batch.tokens.push(TokenRecord {
            token_hash: token_hash(&token),
            name: name.into(),
            label: label.into(),
            created_at: now.into(),
            expires_at: Some(expires.clone()),
        });
        self.store.apply(batch).await?;
        outln!("API token for `{name}` ({label}), valid until {expires}, shown only now:");
        outln!("{token}");
        Ok(())
    }
}
