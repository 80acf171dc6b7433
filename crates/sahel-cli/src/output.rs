//! Output folders: never overwrite an existing one, and never leave one half
//! written. Files are written into a hidden temporary sibling folder which is
//! renamed into place once everything is there.

use crate::scenario::InputError;
use std::path::{Path, PathBuf};

pub struct OutDir {
    target: PathBuf,
}

impl OutDir {
    /// Decide the output folder. An explicit `--out` must not exist or be empty;
    /// the default `out/NAME-seedN` gets a numeric suffix if taken.
    pub fn claim(out: Option<PathBuf>, name: &str, seed: u64) -> Result<OutDir, InputError> {
        let target = match out {
            Some(p) => {
                if p.exists() && !is_empty_dir(&p) {
                    return Err(InputError::new(format!(
                        "--out {}: the folder exists and is not empty; it is never overwritten (choose another)",
                        p.display()
                    )));
                }
                p
            }
            None => {
                let base = PathBuf::from("out").join(format!("{name}-seed{seed}"));
                let mut p = base.clone();
                let mut i = 2;
                while p.exists() {
                    p = PathBuf::from(format!("{}-{i}", base.display()));
                    i += 1;
                }
                p
            }
        };
        Ok(OutDir { target })
    }

    /// Write every file, then move the folder into place.
    pub fn commit(self, files: &[(&str, String)]) -> std::io::Result<PathBuf> {
        let parent = self.target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let leaf = self.target.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let tmp = parent.join(format!(".{leaf}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        for (name, text) in files {
            std::fs::write(tmp.join(name), text)?;
        }
        if self.target.exists() {
            // an empty folder the user made: replace it
            std::fs::remove_dir(&self.target)?;
        }
        std::fs::rename(&tmp, &self.target)?;
        Ok(self.target)
    }
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p).map(|mut d| d.next().is_none()).unwrap_or(false)
}
