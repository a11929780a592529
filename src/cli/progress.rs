//! Long CLI operations: progress on one stderr line, Ctrl+C cancels (the
//! operation stops at its next step and undoes what it began); a second Ctrl+C
//! exits at once.

use std::time::Instant;

use crate::job::Job;

/// A job printing `phase：done/total（seconds）` to stderr and cancelled by Ctrl+C.
pub fn console_job() -> Job {
    let started = Instant::now();
    let job = Job::with_listener(move |s| {
        eprint!("\r{}：{}/{}（{} 秒）\x1b[K", s.phase, s.done, s.total, started.elapsed().as_secs());
    });
    let handle = job.clone();
    // Only one handler per process; a CLI process runs one command.
    let _ = ctrlc::set_handler(move || {
        if handle.is_cancelled() {
            eprintln!("\n已强制退出");
            std::process::exit(130);
        }
        eprintln!("\n正在取消（再按一次 Ctrl+C 立即退出）…");
        handle.cancel();
    });
    job
}
