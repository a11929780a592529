//! Long operations — year-end assessment, import, batch export, generation —
//! report their progress through a [`Job`] and stop at the next step once it is
//! cancelled. A cancelled operation leaves nothing behind: writes are in one
//! transaction that is rolled back, exported files are removed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Where a long operation stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    /// What it is doing now, e.g. 读取并计算 / 写入 / 导出登记表.
    pub phase: String,
    pub done: u64,
    pub total: u64,
    /// What the steps count, in words: 名干部, 个干事事项, 个文件 (empty when
    /// they are just steps).
    pub counting: String,
}

type Listener = Box<dyn Fn(&JobStatus) + Send + Sync>;

/// A handle shared by the operation (which reports) and whoever watches or
/// cancels it (another thread). Cloning shares the same job.
#[derive(Clone, Default)]
pub struct Job(Arc<Inner>);

#[derive(Default)]
struct Inner {
    cancelled: AtomicBool,
    status: Mutex<JobStatus>,
    last_report: Mutex<Option<Instant>>,
    listener: Option<Listener>,
}

/// Listeners hear at most this often (and always at a phase's start and end).
const REPORT_EVERY: Duration = Duration::from_millis(100);

impl Job {
    /// A job nobody watches (the CLI, tests, callers without a progress bar).
    pub fn new() -> Job {
        Job::default()
    }

    /// A job whose progress goes to `listener`.
    pub fn with_listener(listener: impl Fn(&JobStatus) + Send + Sync + 'static) -> Job {
        Job(Arc::new(Inner { listener: Some(Box::new(listener)), ..Inner::default() }))
    }

    /// Ask the operation to stop at its next step.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` once cancelled: operations call this between steps.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            let phase = self.status().phase;
            return Err(Error::Cancelled(if phase.is_empty() {
                "操作已停止，未做任何改动".into()
            } else {
                format!("{phase}已停止，未做任何改动")
            }));
        }
        Ok(())
    }

    /// Begin a phase of `total` steps.
    pub fn phase(&self, phase: &str, total: u64) -> Result<()> {
        self.phase_counting(phase, total, "")
    }

    /// Begin a phase of `total` steps, each one of what `counting` names (名干部 …).
    pub fn phase_counting(&self, phase: &str, total: u64, counting: &str) -> Result<()> {
        *lock(&self.0.status) = JobStatus { phase: phase.to_owned(), done: 0, total, counting: counting.to_owned() };
        self.report(true);
        self.check()
    }

    /// `n` more steps done.
    pub fn advance(&self, n: u64) -> Result<()> {
        let finished = {
            let mut s = lock(&self.0.status);
            s.done += n;
            s.done >= s.total
        };
        self.report(finished);
        self.check()
    }

    pub fn status(&self) -> JobStatus {
        lock(&self.0.status).clone()
    }

    fn report(&self, force: bool) {
        let Some(listener) = &self.0.listener else { return };
        {
            let mut last = lock(&self.0.last_report);
            if !force && last.is_some_and(|t| t.elapsed() < REPORT_EVERY) {
                return;
            }
            *last = Some(Instant::now());
        }
        listener(&self.status());
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_job_stops_at_its_next_step_and_listeners_hear_phases() {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let h = heard.clone();
        let job = Job::with_listener(move |s| lock(&h).push(s.clone()));
        job.phase("写入", 3).expect("phase");
        job.advance(1).expect("step");
        let watcher = job.clone();
        watcher.cancel();
        let err = job.advance(1).expect_err("cancelled");
        assert_eq!(err.code(), "cancelled");
        assert!(err.to_string().contains("写入已停止"), "{err}");
        let heard = lock(&heard);
        assert_eq!(
            heard.first(),
            Some(&JobStatus { phase: "写入".into(), done: 0, total: 3, counting: String::new() })
        );
        assert_eq!(job.status().done, 2);
    }
}
