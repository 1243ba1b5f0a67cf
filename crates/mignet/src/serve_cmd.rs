//! `mignet serve` and `mignet user`: the web application and its accounts.

use anyhow::Context;
use clap::{Args, Subcommand};
use mignet_app::App;
use mignet_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use mignet_core::access::Role;
use std::path::PathBuf;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet serve\n  mignet serve --demo\n  mignet --db postgres://user@host/mignet serve --addr 0.0.0.0:8080\n\nWith --demo, an empty store is filled with the Thailand 2022 example (and an open 2023 period), and demo\naccounts are created; their sign-in is printed."
)]
pub struct ServeArgs {
    /// Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Load the Thailand 2022 example and demo accounts into an empty store
    #[arg(long)]
    demo: bool,
    /// Proxies whose X-Forwarded-For is believed, as addresses or networks (10.0.0.0/8),
    /// comma-separated; the address of anyone else is the connection's
    #[arg(
        long = "trusted-proxy",
        env = "MIGNET_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<String>,
    /// A dataset folder for --demo to load instead of the Thailand 2022 example compiled into mignet
    #[arg(long, value_name = "DIR")]
    demo_dir: Option<PathBuf>,
    /// The day the reporting round reads (YYYY-MM-DD) instead of today's date: due dates and
    /// overdue figures as they stand on that day. `@FILE` reads the day from FILE each time, so that
    /// writing the file moves the running server's day (a rehearsal of a round, a test)
    #[arg(long, value_name = "DATE|@FILE")]
    today: Option<String>,
    #[command(flatten)]
    mail: crate::mail_cmd::MailArgs,
    /// Seconds between runs of the message cycle (review steps, reminders, sending)
    #[arg(
        long,
        env = "MIGNET_MAIL_EVERY",
        default_value_t = 60,
        value_name = "SECONDS"
    )]
    mail_every: u64,
}

#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from MIGNET_PASSWORD or the first line of standard input.
    #[command(
        after_help = "Examples:\n  echo 'a long passphrase' | mignet user add --email admin@example.org --name 'Network admin' --role administrator\n  MIGNET_PASSWORD=... mignet user add --email focal@iom.int --name 'IOM focal point' --role focal_point --org IOM"
    )]
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, coordinator, focal_point or viewer
        #[arg(long)]
        role: String,
        /// The organisation of a focal point (its code, such as IOM)
        #[arg(long)]
        org: Option<String>,
        /// A focal point who approves its organisation's figures before they reach the network's
        /// coordinator (networks with `agency_approval = true`)
        #[arg(long, requires = "org")]
        approves: bool,
    },
    /// Create an API token for an account and print it (it is shown only once).
    #[command(after_help = "Examples:\n  mignet user token --email focal@iom.int --name laptop")]
    Token {
        #[arg(long)]
        email: String,
        /// What the token is for
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// List the accounts.
    List,
}

pub async fn serve(args: ServeArgs, db: &str) -> anyhow::Result<()> {
    let trusted_proxies = mignet_web::parse_trusted_proxies(&args.trusted_proxies.join(","))
        .map_err(|e| anyhow::anyhow!("--trusted-proxy: {e}"))?;
    let clock = match &args.today {
        Some(d) => mignet_app::Clock::parse(d)?,
        None => mignet_app::Clock::System,
    };
    let app = App::open(db).await?;
    if args.demo {
        let outcome = app
            .seed_demo(args.demo_dir.as_deref(), "mignet serve --demo")
            .await
            .context("preparing the demo")?;
        if let Some(created) = outcome.loaded {
            println!("demo: loaded the Thailand 2022 example ({created} items)");
        }
        println!("demo accounts (password `{DEMO_PASSWORD}`):");
        for (email, _, role, org) in DEMO_ACCOUNTS {
            println!(
                "  {email:<26} {}{}",
                role.as_str(),
                org.map(|o| format!(" of {o}")).unwrap_or_default()
            );
        }
    }
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    println!(
        "mignet is serving http://{} (store: {db}); stop with Ctrl-C or SIGTERM",
        listener.local_addr()?
    );
    mignet_web::serve(
        app,
        listener,
        mignet_web::ServeOptions {
            trusted_proxies,
            clock,
            messages: Some((
                args.mail.settings()?,
                std::time::Duration::from_secs(args.mail_every.max(1)),
            )),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

pub async fn user(args: UserArgs, db: &str) -> anyhow::Result<()> {
    let app = App::open(db).await?;
    match args.command {
        UserCommand::Add {
            email,
            name,
            role,
            org,
            approves,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "unknown role `{role}`: use administrator, coordinator, focal_point or viewer"
                )
            })?;
            let password = match std::env::var("MIGNET_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("cannot read the password from standard input")?;
                    line.trim_end_matches(['\n', '\r']).to_owned()
                }
            };
            let acc = app
                .add_account(
                    &email,
                    &name,
                    &password,
                    role,
                    org.as_deref(),
                    "mignet user add",
                )
                .await?;
            let acc = if approves {
                app.mark_approver(&acc.actor.email, "mignet user add")
                    .await?
            } else {
                acc
            };
            println!(
                "created {} ({}{}{})",
                acc.actor.email,
                acc.actor.role.as_str(),
                acc.actor
                    .organisation
                    .map(|o| format!(" of {o}"))
                    .unwrap_or_default(),
                if acc.actor.approves {
                    ", approves its figures"
                } else {
                    ""
                }
            );
        }
        UserCommand::Token { email, name } => {
            let acc = app
                .account_by_email(&email)
                .await?
                .with_context(|| format!("no account for {email}"))?;
            println!("{}", app.new_api_token(&acc.actor, &name).await?);
        }
        UserCommand::List => {
            for a in app.all_accounts().await? {
                println!(
                    "{:<30} {:<13} {:<8} {}",
                    a.actor.email,
                    a.actor.role.as_str(),
                    a.actor
                        .organisation
                        .map(|o| o.to_string())
                        .unwrap_or_default(),
                    if a.disabled { "disabled" } else { "" }
                );
            }
        }
    }
    Ok(())
}
