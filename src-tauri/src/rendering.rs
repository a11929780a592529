//! How WebKitGTK draws the window.
//!
//! WebKitGTK composites the page on the GPU when it can. On this project's
//! reference machines (no GPU: Mesa's software renderer, llvmpipe) and on many
//! office PCs with weak or flaky graphics drivers, that costs more than it
//! gives: measured on the province archive (`bench/app.py`, docs/performance.md),
//! the page's process held 501–509 MB with compositing and 354–356 MB without,
//! and 登录 to the first cadre rows took 1.2–1.4 s against 0.58–0.62 s (both as
//! the fourth round's harness timed them, to within its 0.5 s poll). So the app
//! draws without accelerated compositing unless `GANSHI_GPU=1` asks for
//! WebKit's default.

use tauri::{Manager, Runtime};

/// The environment variable that keeps WebKit's own choice (`1`).
pub const GPU_ENV: &str = "GANSHI_GPU";

pub fn configure<R: Runtime>(app: &tauri::App<R>) {
    if std::env::var(GPU_ENV).is_ok_and(|v| v == "1") {
        return;
    }
    let Some(window) = app.get_webview_window("main") else { return };
    let applied = window.with_webview(|webview| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = webview;
    });
    if let Err(e) = applied {
        eprintln!("未能设置窗口绘制方式：{e}");
    }
}
