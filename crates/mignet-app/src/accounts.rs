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

/// The most common passwords, lower-cased, one a line (data/common-passwords.md says where from).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Whether a password is on the list of common ones, compared lower-cased as the list is. The set is
/// built once and never changes: the list is compiled in.
fn is_common(password: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().map(str::trim).collect())
        .contains(password.trim().to_lowercase().as_str())
}

/// The rules a new password must meet, after NIST SP 800-63B: long enough, not one of the commonly
/// used passwords, and not the account's own email address. No rules on kinds of characters, which
/// push people to predictable substitutions rather than to longer passwords.
pub fn check_password(password: &str, email: &str) -> Result<(), AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::invalid(
            "password",
            "a password needs at least 10 characters",
        ));
    }
    if is_common(password) {
        return Err(AppError::invalid(
            "password",
            "this password is on the list of the most common passwords, which are tried first when accounts are attacked: choose another, such as a few unrelated words",
        ));
    }
    let lower = password.trim().to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if !email.is_empty() && (lower == email || (local.len() >= 4 && lower.contains(local))) {
        return Err(AppError::invalid(
            "password",
            "a password must not contain the account's email address or its name part",
        ));
    }
    Ok(())
}

/// The window in which failed sign-ins are counted.
pub const SIGN_IN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// Failed sign-ins to one account within the window before it takes no more tries.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins from one address within the window before it takes no more tries: more than for an
/// account, since the staff of one office often share an address, few enough to stop one address from
/// trying a password on many accounts.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The keys failed sign-ins are counted under: the account and, when known, the address, each with its
/// limit. Stored as hashes, so that the table of failures names no one.
fn throttle_keys(email: &str, from: Option<std::net::IpAddr>) -> Vec<(String, i64)> {
    let mut keys = vec![(
        token_hash(&format!("account:{}", email.trim().to_lowercase())),
        MAX_FAILURES_PER_ACCOUNT,
    )];
    if let Some(ip) = from {
        keys.push((
            token_hash(&format!("address:{ip}")),
            MAX_FAILURES_PER_ADDRESS,
        ));
    }
    keys
}

fn hash_password(password: String) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Password {
            action: "hash",
            source: Box::new(e),
        })
}

impl App {
    /// Creates an account (the command line's `mignet user add`, the administrator's form, the demo).
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
        check_password(password, email)?;
        let org = organisation
            .map(|o| {
                OrgCode::parse(o)
                    .map_err(|e| AppError::invalid("organisation", format!("`{o}` {e}")))
            })
            .transpose()?;
        // Argon2 takes tens of milliseconds of CPU by design: a blocking thread does it.
        let password = password.to_owned();
        let hash = crate::blocking(move || hash_password(password)).await??;
        Ok(self
            .store()
            .create_account(email, name, &hash, role, org.as_ref(), by)
            .await?)
    }

    /// [`App::sign_in`] without a known address: only the account's limit applies.
    pub async fn login(&self, email: &str, password: &str) -> Result<NewSession, AppError> {
        self.sign_in(email, password, None).await
    }

    /// Checks an email and password and opens a session. The same answer is given for an unknown email
    /// and a wrong password, so that sign-in reveals no accounts. Failures are counted per account and
    /// per address (`from`) in the store, so that every server process on one store shares the count;
    /// past [`MAX_FAILURES_PER_ACCOUNT`] or [`MAX_FAILURES_PER_ADDRESS`] within [`SIGN_IN_WINDOW`] the
    /// password is not even checked.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        from: Option<std::net::IpAddr>,
    ) -> Result<NewSession, AppError> {
        let keys = throttle_keys(email, from);
        let now = unix_now();
        let window = SIGN_IN_WINDOW.as_secs() as i64;
        let hashes: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        let counts = self.store().login_failures(&hashes, now - window).await?;
        let retry_after = keys
            .iter()
            .zip(&counts)
            .filter(|((_, max), (n, _))| n >= max)
            .map(|(_, (_, oldest))| oldest + window - now)
            .max();
        if let Some(secs) = retry_after {
            return Err(AppError::TooManyAttempts {
                retry_after: std::time::Duration::from_secs(secs.max(1) as u64),
            });
        }
        match self.check_credentials(email, password).await {
            Err(e @ AppError::Unauthorized(_)) => {
                self.store()
                    .record_login_failure(&hashes, now, now - window)
                    .await?;
                Err(e)
            }
            Err(e) => Err(e),
            Ok(session) => {
                // Only the account's count starts again: a sign-in that works must not reset the
                // address's, or one valid account would let an address try others without end.
                self.store().clear_login_failures(&hashes[0]).await?;
                Ok(session)
            }
        }
    }

    async fn check_credentials(&self, email: &str, password: &str) -> Result<NewSession, AppError> {
        let refused = || AppError::Unauthorized("the email or the password is wrong".into());
        let stored = self.store().account_for_login(email).await?;
        let given = password.to_owned();
        // Argon2 takes tens of milliseconds of CPU by design: a blocking thread does it.
        let (account, matches) = crate::blocking(move || match stored {
            // Spend the same time as a real check, so timing does not reveal unknown emails.
            None => hash_password(given).map(|_| (None, false)),
            Some((account, hash)) => {
                let parsed = PasswordHash::new(&hash).map_err(|e| AppError::Password {
                    action: "read the stored hash of",
                    source: Box::new(e),
                })?;
                let ok = Argon2::default()
                    .verify_password(given.as_bytes(), &parsed)
                    .is_ok();
                Ok((Some(account), ok))
            }
        })
        .await??;
        let Some(account) = account.filter(|_| matches) else {
            return Err(refused());
        };
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

    /// The account with this e-mail address, for the operator's command line (`mignet user token`).
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, AppError> {
        Ok(self.store().account_for_login(email).await?.map(|(a, _)| a))
    }

    /// Every account, for the operator's command line (`mignet user list`), which runs with the
    /// store's own credentials rather than as a signed-in person.
    pub async fn all_accounts(&self) -> Result<Vec<Account>, AppError> {
        Ok(self.store().accounts().await?)
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

    /// Marks the focal point `email` as its organisation's approver (the operator's `mignet user add
    /// --approves`; on the site, an administrator ticks it on the accounts page).
    pub async fn mark_approver(&self, email: &str, by: &str) -> Result<Account, AppError> {
        let acc = self
            .account_by_email(email)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("the account {email}")))?;
        if acc.actor.role != Role::FocalPoint {
            return Err(AppError::invalid(
                "approves",
                "only a focal point approves its organisation's figures",
            ));
        }
        Ok(self
            .store()
            .update_account(
                acc.actor.id,
                acc.actor.role,
                acc.actor.organisation.as_ref(),
                acc.disabled,
                true,
                by,
            )
            .await?)
    }

    /// Changes an account's role, organisation, disabled flag, or whether it approves its
    /// organisation's figures (a focal point only; audited). Administrators cannot demote or
    /// disable themselves, so the network always keeps one who can undo a mistake.
    pub async fn change_account(
        &self,
        actor: &Actor,
        id: i64,
        role: Role,
        organisation: Option<&str>,
        disabled: bool,
        approves: bool,
    ) -> Result<Account, AppError> {
        Self::require_admin(actor)?;
        if id == actor.id && (role != Role::Administrator || disabled) {
            return Err(AppError::invalid(
                "role",
                "you cannot demote or disable your own account; ask another administrator",
            ));
        }
        self.check_organisation(role, organisation).await?;
        if approves && role != Role::FocalPoint {
            return Err(AppError::invalid(
                "approves",
                "only a focal point approves its organisation's figures",
            ));
        }
        let org = organisation.map(OrgCode::parse).transpose().map_err(|e| {
            AppError::invalid(
                "organisation",
                format!("`{}` {e}", organisation.unwrap_or("")),
            )
        })?;
        Ok(self
            .store()
            .update_account(id, role, org.as_ref(), disabled, approves, &actor.email)
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
