//! Accounts, sessions and API tokens. Passwords arrive already hashed and tokens as hashes: the store
//! never sees a secret.

use crate::audit::{self, Action, Change, Entity};
use crate::{Store, StoreError};
use mignet_core::OrgCode;
use mignet_core::access::{Actor, Role};
use sqlx::Row;
use sqlx::any::AnyRow;

/// An account, with what the store keeps about it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Account {
    pub actor: Actor,
    pub disabled: bool,
    pub created_at: String,
}

fn account(r: &AnyRow) -> Result<Account, StoreError> {
    let role: String = r.try_get("role")?;
    let org: Option<String> = r.try_get("organisation")?;
    Ok(Account {
        actor: Actor {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            name: r.try_get("name")?,
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("role `{role}`")))?,
            organisation: org
                .map(|o| OrgCode::parse(&o).map_err(|e| StoreError::Corrupt(e.to_string())))
                .transpose()?,
            approves: r.try_get::<i64, _>("approves")? != 0,
        },
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

/// Audit JSON of an account: never the password hash.
fn audit_json(a: &Account) -> serde_json::Value {
    serde_json::json!({
        "email": a.actor.email, "name": a.actor.name, "role": a.actor.role,
        "organisation": a.actor.organisation, "disabled": a.disabled,
        "approves": a.actor.approves,
    })
}

impl Store {
    /// Creates an account. Emails are kept lower-case; a second account with the same email is refused.
    pub async fn create_account(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
        organisation: Option<&OrgCode>,
        by: &str,
    ) -> Result<Account, StoreError> {
        self.retrying(|| {
            self.create_account_once(email, name, password_hash, role, organisation, by)
        })
        .await
    }

    async fn create_account_once(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
        organisation: Option<&OrgCode>,
        by: &str,
    ) -> Result<Account, StoreError> {
        let email = email.trim().to_lowercase();
        if (role == Role::FocalPoint) != organisation.is_some() {
            return Err(StoreError::Refused(
                "a focal point belongs to exactly one organisation, and only a focal point does"
                    .into(),
            ));
        }
        let mut tx = crate::figures::begin(self).await?;
        if sqlx::query("SELECT id FROM users WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(StoreError::Refused(format!(
                "an account for {email} already exists"
            )));
        }
        if let Some(o) = organisation
            && sqlx::query("SELECT code FROM organisations WHERE code = $1")
                .bind(o.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
        {
            return Err(StoreError::Refused(format!(
                "organisation `{o}` is not in the network"
            )));
        }
        let now = crate::now();
        let row = sqlx::query("INSERT INTO users (email, name, password_hash, role, organisation, disabled, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id")
            .bind(email.clone())
            .bind(name.to_owned())
            .bind(password_hash.to_owned())
            .bind(role.as_str())
            .bind(organisation.map(|o| o.to_string()))
            .bind(now.clone())
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = row.try_get("id")?;
        let acc = Account {
            actor: Actor {
                id,
                email: email.clone(),
                name: name.to_owned(),
                role,
                organisation: organisation.cloned(),
                approves: false,
            },
            disabled: false,
            created_at: now.clone(),
        };
        audit::record(
            &mut tx,
            by,
            &now,
            &Change {
                action: Action::Create,
                entity: Entity::Account,
                key: email,
                before: None,
                after: Some(audit_json(&acc)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(acc)
    }

    /// The account and its password hash, by email.
    pub async fn account_for_login(
        &self,
        email: &str,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let row = sqlx::query("SELECT u.id, u.email, u.name, u.role, u.organisation, u.approves, u.disabled, u.created_at, u.password_hash FROM users u WHERE u.email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((account(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query("SELECT u.id, u.email, u.name, u.role, u.organisation, u.approves, u.disabled, u.created_at FROM users u ORDER BY u.email").fetch_all(&self.pool).await?;
        rows.iter().map(account).collect()
    }

    /// Changes an account's role, organisation, disabled flag, or whether it approves its
    /// organisation's figures, audited.
    pub async fn update_account(
        &self,
        id: i64,
        role: Role,
        organisation: Option<&OrgCode>,
        disabled: bool,
        approves: bool,
        by: &str,
    ) -> Result<Account, StoreError> {
        self.retrying(|| self.update_account_once(id, role, organisation, disabled, approves, by))
            .await
    }

    async fn update_account_once(
        &self,
        id: i64,
        role: Role,
        organisation: Option<&OrgCode>,
        disabled: bool,
        approves: bool,
        by: &str,
    ) -> Result<Account, StoreError> {
        if (role == Role::FocalPoint) != organisation.is_some() {
            return Err(StoreError::Refused(
                "a focal point belongs to exactly one organisation, and only a focal point does"
                    .into(),
            ));
        }
        if approves && role != Role::FocalPoint {
            return Err(StoreError::Refused(
                "only a focal point approves its organisation's figures".into(),
            ));
        }
        let mut tx = crate::figures::begin(self).await?;
        let before = sqlx::query("SELECT u.id, u.email, u.name, u.role, u.organisation, u.approves, u.disabled, u.created_at FROM users u WHERE u.id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let before =
            account(&before.ok_or_else(|| StoreError::NotFound(format!("account {id}")))?)?;
        sqlx::query("UPDATE users SET role = $1, organisation = $2, disabled = $3, approves = $4 WHERE id = $5")
            .bind(role.as_str())
            .bind(organisation.map(|o| o.to_string()))
            .bind(i64::from(disabled))
            .bind(i64::from(approves))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let mut after = before.clone();
        after.actor.role = role;
        after.actor.organisation = organisation.cloned();
        after.disabled = disabled;
        after.actor.approves = approves;
        let change = Change {
            action: Action::Update,
            entity: Entity::Account,
            key: before.actor.email.clone(),
            before: Some(audit_json(&before)),
            after: Some(audit_json(&after)),
        };
        audit::record(&mut tx, by, &crate::now(), &change).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        // Expired sessions are of no use to anyone: each new session clears them, so the table holds
        // the live ones only (indexed by expiry, migration 0010).
        let now = crate::now();
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.clone())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash.to_owned())
            .bind(user_id)
            .bind(csrf.to_owned())
            .bind(now)
            .bind(expires_at.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live session of a token hash: its account and CSRF token. Expired sessions and disabled
    /// accounts give nothing.
    pub async fn session(&self, token_hash: &str) -> Result<Option<(Actor, String)>, StoreError> {
        let sql = "SELECT u.id, u.email, u.name, u.role, u.organisation, u.approves, u.disabled, u.created_at, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0";
        let row = sqlx::query(sql)
            .bind(token_hash.to_owned())
            .bind(crate::now())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((account(&r)?.actor, r.try_get("csrf")?)))
            .transpose()
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash.to_owned())
            .bind(user_id)
            .bind(name.to_owned())
            .bind(crate::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account behind an API token hash, unless disabled.
    pub async fn token_actor(&self, token_hash: &str) -> Result<Option<Actor>, StoreError> {
        let row = sqlx::query("SELECT u.id, u.email, u.name, u.role, u.organisation, u.approves, u.disabled, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.disabled = 0")
            .bind(token_hash.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(account(&r)?.actor)).transpose()
    }
}
