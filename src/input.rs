//! Files given by the user (imports, attachments): refused before they are
//! read when they are not regular files (a FIFO would block forever, a device
//! never end) or are larger than the limit of their use; the read itself stops
//! at the limit should the file grow meanwhile. Memory never holds more than the
//! limit of one file.

use std::io::Read as _;
use std::path::Path;

use crate::error::{Error, Result};

/// The bytes of the regular file `p`, at most `limit` of them.
pub fn read_limited(p: &Path, limit: u64) -> Result<Vec<u8>> {
    let refuse = |message: String| Error::Import { path: p.display().to_string(), message };
    let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
    if !meta.is_file() {
        return Err(refuse("不是普通文件（可能是设备、管道或其他特殊文件），不能读取".to_owned()));
    }
    let mb = |n: u64| format!("{:.1} MB", n as f64 / 1_048_576.0);
    if meta.len() > limit {
        return Err(refuse(format!("文件有 {}，超过上限 {}", mb(meta.len()), mb(limit))));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(p).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(|e| Error::io(p, e))?;
    if bytes.len() as u64 > limit {
        return Err(refuse(format!("文件超过上限 {}", mb(limit))));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_and_oversized_files_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().expect("dir");
        let small = dir.path().join("a.txt");
        std::fs::write(&small, b"12345").expect("write");
        assert_eq!(read_limited(&small, 5).expect("at the limit"), b"12345");
        let err = read_limited(&small, 4).expect_err("over the limit");
        assert!(err.to_string().contains("超过上限"), "{err}");
        let err = read_limited(dir.path(), 10).expect_err("a folder");
        assert!(err.to_string().contains("不是普通文件"), "{err}");
        // A FIFO would block a reader forever; it is refused without being opened.
        let fifo = dir.path().join("fifo");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            let err = read_limited(&fifo, 10).expect_err("a FIFO");
            assert!(err.to_string().contains("不是普通文件"), "{err}");
        }
        let err = read_limited(Path::new("/dev/zero"), 10).expect_err("a device");
        assert!(err.to_string().contains("不是普通文件"), "{err}");
    }
}
