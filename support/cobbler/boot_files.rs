//! Kernel and initrd files for distros.
//!
//! Cobbler checks a distro's kernel and initrd on the server's own filesystem. When the server
//! runs on this machine (the embedded fake, fake-cobbler, a local cobblerd), provspec writes
//! small dummy files into a temporary directory, removed when [`BootFiles`] is dropped. For a
//! remote server the directory is a setting and must already hold the files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The kernel file name (matches Cobbler's kernel pattern).
pub const KERNEL: &str = "vmlinuz";
/// The initrd file name.
pub const INITRD: &str = "initrd.img";
/// A file that exists but whose name does not match Cobbler's kernel pattern.
pub const NOT_A_KERNEL: &str = "bzImage";

/// A directory holding a kernel, an initrd and a misnamed kernel.
#[derive(Debug)]
pub struct BootFiles {
    dir: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl BootFiles {
    /// Writes the dummy files into a new temporary directory.
    pub fn create_local() -> io::Result<Self> {
        let temporary = tempfile::Builder::new()
            .prefix("provspec-boot-")
            .tempdir()?;
        for (name, content) in [
            (KERNEL, "provspec dummy kernel\n"),
            (INITRD, "provspec dummy initrd\n"),
            (
                NOT_A_KERNEL,
                "provspec dummy kernel with a name cobbler refuses\n",
            ),
        ] {
            fs::write(temporary.path().join(name), content)?;
        }
        Ok(Self {
            dir: temporary.path().to_owned(),
            _temporary: Some(temporary),
        })
    }

    /// Files that already exist on a remote server, in `dir`.
    pub fn remote(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            _temporary: None,
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The kernel's path.
    pub fn kernel(&self) -> String {
        self.dir.join(KERNEL).display().to_string()
    }

    /// The initrd's path.
    pub fn initrd(&self) -> String {
        self.dir.join(INITRD).display().to_string()
    }
}
