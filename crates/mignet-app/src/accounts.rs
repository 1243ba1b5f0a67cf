//! Accounts and sign-in: passwords hashed with Argon2id, session and API tokens random and stored
//! only as SHA-256 hashes.

use crate::{App, AppError};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use mignet_core::OrgCode;
use mignet_core::access::{Actor, Role};
use mignet_store::Account;
use sha2::{Digest, Sha256};

/// How long a session lasts without a new sign-in.
pub const SESSION_HOURS: u64 = 12;

/// A new session: the secret token for the cookie and the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system gives random bytes");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The rules a new password must meet.
pub fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::invalid(
            "password",
            "a password needs at least 10 characters",
        ));
    }
    Ok(())
}

impl App {
    /// Creates an account (the command line's `mignet user add`, the administrator's form).
    pub async fn add_account(
        &self,
        email: &str,
        name: &str,
        password: &str,
        role: Role,
        organisation: Option<&str>,
        by: &str,
    ) -> Result<Account, AppError> {
        if !email.contains('@') || email.trim().len() < 3 {
            return Err(AppError::invalid(
                "email",
                format!("`{email}` is not an email address"),
            ));
        }
        check_password(password)?;
        let org = organisation
            .map(|o| {
                OrgCode::parse(o)
                    .map_err(|e| AppError::invalid("organisation", format!("`{o}` {e}")))
            })
            .transpose()?;
        let hash = Argon2::default()
            .hash_password(password.as_bytes())
            .map_err(|e| AppError::Internal(format!("cannot hash the password: {e}")))?
            .to_string();
        Ok(self
            .store()
            .create_account(email, name, &hash, role, org.as_ref(), by)
            .await?)
    }

    /// Checks an email and password and opens a session. The same answer is given for an unknown email
    /// and a wrong password, so that sign-in reveals no accounts.
    pub async fn login(&self, email: &str, password: &str) -> Result<NewSession, AppError> {
        let refused = || AppError::Unauthorized("the email or the password is wrong".into());
        let Some((account, hash)) = self.store().account_for_login(email).await? else {
            // Spend the same time as a real check, so timing does not reveal unknown emails.
            let _ = Argon2::default().hash_password(password.as_bytes());
            return Err(refused());
        };
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| AppError::Internal(format!("stored password hash: {e}")))?;
        if Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_err()
        {
            return Err(refused());
        }
        if account.disabled {
            return Err(AppError::Unauthorized("this account is disabled".into()));
        }
        let (token, csrf) = (random_token(), random_token());
        let expires =
            std::time::SystemTime::now() + std::time::Duration::from_secs(SESSION_HOURS * 3600);
        let expires = humantime::format_rfc3339_seconds(expires).to_string();
        self.store()
            .create_session(&token_hash(&token), account.actor.id, &csrf, &expires)
            .await?;
        Ok(NewSession {
            token,
            csrf,
            actor: account.actor,
        })
    }

    /// The account and CSRF token of a session cookie's token.
    pub async fn session(&self, token: &str) -> Result<Option<(Actor, String)>, AppError> {
        Ok(self.store().session(&token_hash(token)).await?)
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store().end_session(&token_hash(token)).await?)
    }

    /// A new API token for an account; the token is shown once and only its hash is kept.
    pub async fn new_api_token(&self, actor: &Actor, name: &str) -> Result<String, AppError> {
        let token = format!("mgt_{}", random_token());
        self.store()
            .create_api_token(&token_hash(&token), actor.id, name)
            .await?;
        Ok(token)
    }

    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>, AppError> {
        Ok(self.store().token_actor(&token_hash(token)).await?)
    }
}

impl App {
    fn require_admin(actor: &Actor) -> Result<(), AppError> {
        if actor.may_manage_accounts() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "only an administrator manages accounts".into(),
            ))
        }
    }

    /// Every account, for the administrator.
    pub async fn list_accounts(&self, actor: &Actor) -> Result<Vec<Account>, AppError> {
        Self::require_admin(actor)?;
        Ok(self.store().accounts().await?)
    }

    /// The administrator's form for a new account. A focal point's organisation must be a member of
    /// the network.
    pub async fn create_account_as(
        &self,
        actor: &Actor,
        account: &NewAccount,
    ) -> Result<Account, AppError> {
        Self::require_admin(actor)?;
        self.check_organisation(account.role, account.organisation.as_deref())
            .await?;
        self.add_account(
            &account.email,
            &account.name,
            &account.password,
            account.role,
            account.organisation.as_deref(),
            &actor.email,
        )
        .await
    }

    /// Changes an account's role, organisation or disabled flag (audited). Administrators cannot
    /// demote or disable themselves, so the network always keeps one who can undo a mistake.
    pub async fn change_account(
        &self,
        actor: &Actor,
        id: i64,
        role: Role,
        organisation: Option<&str>,
        disabled: bool,
    ) -> Result<Account, AppError> {
        Self::require_admin(actor)?;
        if id == actor.id && (role != Role::Administrator || disabled) {
            return Err(AppError::invalid(
                "role",
                "you cannot demote or disable your own account; ask another administrator",
            ));
        }
        self.check_organisation(role, organisation).await?;
        let org = organisation.map(OrgCode::parse).transpose().map_err(|e| {
            AppError::invalid(
                "organisation",
                format!("`{}` {e}", organisation.unwrap_or("")),
            )
        })?;
        Ok(self
            .store()
            .update_account(id, role, org.as_ref(), disabled, &actor.email)
            .await?)
    }

    async fn check_organisation(&self, role: Role, org: Option<&str>) -> Result<(), AppError> {
        match (role, org) {
            (Role::FocalPoint, None) => Err(AppError::invalid(
                "organisation",
                "a focal point reports for one organisation: choose it",
            )),
            (Role::FocalPoint, Some(o)) => {
                let ds = self.dataset().await?;
                match ds.organisation(o) {
                    Some(x) if x.member => Ok(()),
                    Some(_) => Err(AppError::invalid(
                        "organisation",
                        format!("{o} is a partner, not a member; only members report figures"),
                    )),
                    None => Err(AppError::invalid(
                        "organisation",
                        format!("`{o}` is not one of the network's organisations"),
                    )),
                }
            }
            (_, Some(_)) => Err(AppError::invalid(
                "organisation",
                "only a focal point belongs to an organisation",
            )),
            (_, None) => Ok(()),
        }
    }
}

/// What the administrator types for a new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: Role,
    pub organisation: Option<String>,
}
