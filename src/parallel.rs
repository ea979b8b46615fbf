//! Order-preserving parallel map, and a parallel pass over disjoint items:
//! rayon behind the `parallel` feature, a plain loop without it. Output
//! never depends on scheduling.

/// Where parallel work runs. A pool of a set size is built once, with the
/// engine that owns it: built at every call, it cost about half a
/// millisecond, as much as clustering eight articles.
#[derive(Clone, Debug)]
pub(crate) enum Workers {
    /// The calling thread.
    Serial,
    /// rayon's global pool.
    #[cfg(feature = "parallel")]
    Global,
    /// A pool of a set size.
    #[cfg(feature = "parallel")]
    Pool(std::sync::Arc<rayon::ThreadPool>),
}

impl Workers {
    /// `threads == 0` uses rayon's global pool; `1` runs on the calling
    /// thread; `n` builds a pool of `n` (the calling thread if it cannot be
    /// built: no threads left). Without the `parallel` feature, always the
    /// calling thread.
    pub(crate) fn new(threads: usize) -> Workers {
        #[cfg(feature = "parallel")]
        {
            match threads {
                0 => Workers::Global,
                1 => Workers::Serial,
                n => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
                    Ok(pool) => Workers::Pool(std::sync::Arc::new(pool)),
                    Err(_) => Workers::Serial,
                },
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = threads;
            Workers::Serial
        }
    }

    /// Maps `f` over `items`, keeping order.
    pub(crate) fn map<T: Sync, R: Send>(
        &self,
        items: &[T],
        f: impl Fn(&T) -> R + Sync + Send,
    ) -> Vec<R> {
        #[cfg(feature = "parallel")]
        use rayon::prelude::*;
        match self {
            Workers::Serial => items.iter().map(f).collect(),
            #[cfg(feature = "parallel")]
            Workers::Global => items.par_iter().map(f).collect(),
            #[cfg(feature = "parallel")]
            Workers::Pool(pool) => pool.install(|| items.par_iter().map(f).collect()),
        }
    }

    /// Calls `f` on each of `items`, each on one thread: for work that
    /// fills disjoint parts of one result in place.
    pub(crate) fn for_each_mut<T: Send>(&self, items: &mut [T], f: impl Fn(&mut T) + Sync + Send) {
        #[cfg(feature = "parallel")]
        use rayon::prelude::*;
        match self {
            Workers::Serial => items.iter_mut().for_each(f),
            #[cfg(feature = "parallel")]
            Workers::Global => items.par_iter_mut().for_each(f),
            #[cfg(feature = "parallel")]
            Workers::Pool(pool) => pool.install(|| items.par_iter_mut().for_each(f)),
        }
    }
}
