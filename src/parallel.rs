//! Order-preserving parallel map: rayon behind the `parallel` feature, a
//! plain loop without it. Output order never depends on scheduling.

/// Maps `f` over `items`, keeping order. `threads == 0` uses rayon's global
/// pool; `threads == 1` runs on the calling thread; `n` uses a pool of `n`.
pub(crate) fn map<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        if threads == 1 {
            return items.iter().map(f).collect();
        }
        if threads == 0 {
            return items.par_iter().map(f).collect();
        }
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| items.par_iter().map(f).collect()),
            // A pool that cannot be built (no threads left) degrades to serial.
            Err(_) => items.iter().map(f).collect(),
        }
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = threads;
        items.iter().map(f).collect()
    }
}
