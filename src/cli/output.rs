//! Where output goes: stdout, or a file written atomically.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::CliError;

/// `--output`: the file to write instead of stdout.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// Write to FILE instead of stdout; the file appears whole or not at all
    /// (written to a temporary file in the same folder, then renamed).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl Target {
    /// Runs `write` on stdout or on a temporary file that then replaces
    /// `--output`; a failed write leaves any earlier file as it was.
    pub fn write(
        &self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        match &self.output {
            None => {
                let stdout = std::io::stdout();
                let mut out = BufWriter::new(stdout.lock());
                match write(&mut out).and_then(|()| out.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`| head`) is the reader's choice, not a failure.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(CliError::Output(format!("cannot write to stdout: {e}"))),
                }
            }
            Some(path) => write_atomically(path, write)
                .map_err(|e| CliError::Output(format!("cannot write {}: {e}", path.display()))),
        }
    }
}

/// Writes through a temporary file in `path`'s folder (a rename is atomic
/// only within one file system) and renames it over `path`.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // `/dev/null`, a named pipe, a terminal: renaming over one would
    // replace the device with a file, so these are written in place.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut out = BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let file = tempfile::Builder::new().prefix(".zhdedup-").suffix(".tmp").tempfile_in(dir)?;
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.as_file().sync_all()?;
    // A temporary file is private (0600); a report is meant to be read
    // like any other file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
