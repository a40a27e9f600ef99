//! Progress on standard error for long runs, only when it is a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::out;

/// Files read, messages read and the rate; silent when standard error is
/// not a terminal (pipes, logs, tests).
pub struct Progress {
    bar: Option<ProgressBar>,
    files: usize,
    pending: u64,
}

/// Messages counted before the bar is updated (keeps the cost negligible).
const BATCH: u64 = 256;

impl Progress {
    /// A progress display for `files` inputs.
    pub fn new(files: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner} {elapsed} {prefix} {human_pos} 条消息 {per_sec} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { bar, files, pending: 0 }
    }

    /// Starting the `index`-th (0-based) input.
    pub fn file(&mut self, index: usize, name: &str) {
        self.flush();
        if let Some(b) = &self.bar {
            b.set_prefix(format!("文件 {}/{}", index + 1, self.files));
            b.set_message(name.to_owned());
        }
    }

    /// One more record read.
    pub fn tick(&mut self) {
        self.pending += 1;
        if self.pending >= BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(b) = &self.bar {
            b.inc(self.pending);
        }
        self.pending = 0;
    }

    /// Print a line on standard error without tearing the display (and
    /// without panicking when standard error is a closed pipe).
    pub fn eprintln(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| out::stderr_line(line)),
            None => out::stderr_line(line),
        }
    }

    /// Remove the display.
    pub fn finish(mut self) {
        self.flush();
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}
