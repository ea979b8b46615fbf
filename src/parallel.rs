//! Order-preserving parallel map: rayon behind the `parallel` feature, a
//! plain loop without it. Output order never depends on scheduling.

/// Where parallel work runs: rayon's global pool, a pool of a set size, or
/// the calling thread. A pool of a set size is built once, with the engine
/// that owns it: built at every call, it cost about half a millisecond, as
/// much as clustering eight articles.
#[derive(Clone, Debug)]
pub(crate) struct Workers {
    /// `None`: the global pool (or, without the feature, the calling thread).
    #[cfg(feature = "parallel")]
    pool: Option<std::sync::Arc<rayon::ThreadPool>>,
    serial: bool,
}

impl Workers {
    /// `threads == 0` uses rayon's global pool; `1` runs on the calling
    /// thread; `n` builds a pool of `n` (the calling thread if it cannot be
    /// built: no threads left).
    pub(crate) fn new(threads: usize) -> Workers {
        #[cfg(feature = "parallel")]
        {
            if threads < 2 {
                return Workers { pool: None, serial: threads == 1 };
            }
            match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
                Ok(pool) => Workers { pool: Some(std::sync::Arc::new(pool)), serial: false },
                Err(_) => Workers { pool: None, serial: true },
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = threads;
            Workers { serial: true }
        }
    }

    /// Maps `f` over `items`, keeping order.
    pub(crate) fn map<T: Sync, R: Send>(
        &self,
        items: &[T],
        f: impl Fn(&T) -> R + Sync + Send,
    ) -> Vec<R> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            if self.serial {
                return items.iter().map(f).collect();
            }
            match &self.pool {
                Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
                None => items.par_iter().map(f).collect(),
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = self.serial;
            items.iter().map(f).collect()
        }
    }
}
