//! Progress display on stderr, kept inside the library so that every caller
//! (the CLI today, perhaps the web app's import later) gets the same bar.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Instant;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    /// A bar only when asked for and stderr is a terminal: piped output must
    /// stay clean for logs.
    pub(crate) fn new(enabled: bool, total_bytes: Option<u64>) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = match total_bytes {
                Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            };
            let style = ProgressStyle::with_template(
                "{spinner} reading [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
                 {binary_bytes_per_sec} {msg}",
            )
            .expect("valid template");
            bar.set_style(style);
            bar
        });
        Self {
            bar,
            started: Instant::now(),
        }
    }

    pub(crate) fn read(&self, bytes: u64, rows: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            b.set_message(format!(
                "{rows} rows, {:.1} M rows/s",
                rows as f64 / secs / 1e6
            ));
        }
    }

    pub(crate) fn counting(&self, partitions: u64) {
        if let Some(b) = &self.bar {
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} counting [{elapsed_precise}] {wide_bar} {pos}/{len} partitions",
                )
                .expect("valid template"),
            );
            b.set_length(partitions);
            b.set_position(0);
        }
    }

    pub(crate) fn counted(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
