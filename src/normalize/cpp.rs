//! Debian's C++ OpenCC through `opencc-rust` (feature `opencc`), for
//! differential tests and benchmarks against the pure-Rust tables.

use crate::error::Error;

/// A C++ OpenCC converter for one of OpenCC's shipped configurations.
///
/// ```
/// # #[cfg(feature = "opencc")] {
/// let t2s = zhdedup::OpenccConverter::new("t2s.json").unwrap();
/// assert_eq!(t2s.convert("王毅見俄外長"), "王毅见俄外长");
/// # }
/// ```
pub struct OpenccConverter {
    inner: opencc_rust::OpenCC,
}

impl std::fmt::Debug for OpenccConverter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenccConverter")
    }
}

impl OpenccConverter {
    /// Opens a configuration by file name (`t2s.json`, `s2tw.json`, …),
    /// looked up in OpenCC's data directory.
    ///
    /// # Errors
    ///
    /// When OpenCC cannot load the configuration.
    pub fn new(config: &str) -> Result<OpenccConverter, Error> {
        let inner = opencc_rust::OpenCC::new(config)
            .map_err(|e| Error::config(format!("OpenCC {config}: {e}")))?;
        Ok(OpenccConverter { inner })
    }

    /// Converts `text`.
    pub fn convert(&self, text: &str) -> String {
        self.inner.convert(text)
    }
}
