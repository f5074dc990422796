//! `bagalau user …`: accounts, roles and API tokens, through the
//! application's account use cases (administrators keep the accounts;
//! anyone may have a token made for themself). Randomness (salts,
//! generated passwords, tokens) comes from the operating system here.

use crate::app::App;
use crate::signin::{password_and_hash, random};
use anyhow::Result;
use bagalau_app::FrontEnd;
use bagalau_app::accounts::{self, AddAccount, NewToken};
use bagalau_store::Store;

impl App {
    pub async fn user_add(
        &self,
        name: &str,
        roles: &[String],
        password_stdin: bool,
        now: &str,
    ) -> Result<()> {
        let actor = self.acting()?;
        // The permission first: nobody else is asked for a password.
        bagalau_app::permission::authorize(&actor, bagalau_app::permission::Action::KeepAccounts)?;
        let (password, password_hash, generated) = password_and_hash(password_stdin)?;
        let user = accounts::add(
            &self.store,
            FrontEnd::CommandLine,
            &actor,
            AddAccount {
                name: name.to_string(),
                roles: roles.to_vec(),
                password_hash,
            },
            now,
        )
        .await?;
        crate::signin::new_account(&user, generated.then_some(password.as_str()))
    }

    pub async fn user_list(&self) -> Result<()> {
        let users = accounts::list(&self.store, &self.acting()?).await?;
        if users.is_empty() {
            outln!("No accounts yet: bagalau user add NAME --role …");
        }
        for u in users {
            outln!(
                "{:<24} {}  (since {}{})",
                u.name,
                u.roles.join(", "),
                u.created_at,
                match (
                    &u.disabled_at,
                    u.password_hash == bagalau_core::accounts::NO_PASSWORD
                ) {
                    (Some(_), _) => "; DISABLED",
                    (None, true) => "; no password",
                    (None, false) => "",
                }
            );
        }
        Ok(())
    }

    pub async fn user_token(&self, name: &str, label: &str, days: i64, now: &str) -> Result<()> {
        let (token, expires) = accounts::issue_token(
            &self.store,
            FrontEnd::CommandLine,
            &self.acting()?,
            NewToken {
                name,
                label,
                days,
                random: &random::<32>()?,
            },
            now,
        )
        .await?;
        outln!("API token for `{name}` ({label}), valid until {expires}, shown only now:");
        outln!("{token}");
        Ok(())
    }

    /// `bagalau user disable` and `user enable`.
    pub async fn user_disable(&self, name: &str, disabled: bool, now: &str) -> Result<()> {
        let user = accounts::set_disabled(
            &self.store,
            FrontEnd::CommandLine,
            &self.acting()?,
            name,
            disabled,
            now,
        )
        .await?;
        match &user.disabled_at {
            Some(at) => outln!("Account `{name}` is disabled since {at}; its tokens are revoked."),
            None => outln!("Account `{name}` is enabled."),
        }
        Ok(())
    }

    /// `bagalau user revoke`.
    pub async fn user_revoke(&self, name: &str, now: &str) -> Result<()> {
        let n = accounts::revoke_tokens(
            &self.store,
            FrontEnd::CommandLine,
            &self.acting()?,
            name,
            now,
        )
        .await?;
        outln!("Revoked {n} token(s) of `{name}`.");
        Ok(())
    }

    /// Whether the demo may run without an account: in a database without
    /// accounts, or in one holding only demonstration values (a demo run
    /// before, carried on).
    pub async fn demo_without_account(&self) -> Result<bool> {
        if self.store.users().await?.is_empty() {
            return Ok(true);
        }
        let origins = self.store.value_origins().await?;
        Ok(origins
            .iter()
            .any(|(_, origin, _)| origin == bagalau_core::data::DEMONSTRATION)
            && origins.iter().all(|(year, origin, _)| {
                origin == bagalau_core::data::DEMONSTRATION
                    || *year == crate::demo_cycle::CYCLE_YEAR
            }))
    }
}
