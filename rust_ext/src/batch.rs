//! Batches over a rayon pool: one pool per thread count, built once, per process.

use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

/// Environment variable with the default thread count of batch calls.
pub const THREADS_ENV: &str = "TST_NUM_THREADS";

/// Below this many input bytes a batch runs on the calling thread: a pool costs more than it saves.
pub const PARALLEL_MIN_BYTES: usize = 64 * 1024;

/// Threads for a batch: the argument, else `TST_NUM_THREADS`, else every available core.
pub fn thread_count(requested: Option<usize>) -> Result<usize, String> {
    if let Some(n) = requested {
        return if n >= 1 { Ok(n) } else { Err(format!("num_threads must be a positive int or None, not {n}")) };
    }
    if let Ok(raw) = std::env::var(THREADS_ENV) {
        let value = raw.trim();
        if !value.is_empty() {
            return match value.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(format!("{THREADS_ENV} must be a positive integer, not {raw:?}")),
            };
        }
    }
    Ok(std::thread::available_parallelism().map_or(1, |n| n.get()))
}

struct Pools {
    pid: u32,
    pools: Vec<(usize, Arc<ThreadPool>)>,
}

/// Pools kept at most; the oldest goes first (its threads end once no batch uses it).
const MAX_POOLS: usize = 8;

static POOLS: Mutex<Pools> = Mutex::new(Pools { pid: 0, pools: Vec::new() });

/// The pool cache, unless it stays locked: a child made by `fork` while another thread of its
/// parent held the lock would wait for it forever, so after a short while give up.
fn lock_briefly() -> Option<MutexGuard<'static, Pools>> {
    for _ in 0..200 {
        match POOLS.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(e)) => return Some(e.into_inner()),
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_micros(50)),
        }
    }
    None
}

/// The cached pool with `threads` threads (None if one cannot be built).
///
/// Pools are built outside the lock. A forked child inherits the pools but not
/// their threads: it never touches them (they are leaked) and builds its own.
fn pool(threads: usize) -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    if let Some(mut cache) = lock_briefly() {
        if cache.pid != pid {
            std::mem::forget(std::mem::take(&mut cache.pools));
            cache.pid = pid;
        }
        if let Some((_, p)) = cache.pools.iter().find(|(n, _)| *n == threads) {
            return Some(Arc::clone(p));
        }
    }
    let built =
        Arc::new(ThreadPoolBuilder::new().num_threads(threads).thread_name(|k| format!("tst-{k}")).build().ok()?);
    if let Some(mut cache) = lock_briefly() {
        if cache.pid == pid {
            if let Some((_, p)) = cache.pools.iter().find(|(n, _)| *n == threads) {
                return Some(Arc::clone(p)); // another thread built one meanwhile; ours ends here
            }
            keep(&mut cache.pools, threads, Arc::clone(&built));
        }
    }
    Some(built)
}

/// Add `pool` for `threads` to `pools`, dropping the oldest beyond `MAX_POOLS`.
fn keep<T>(pools: &mut Vec<(usize, T)>, threads: usize, pool: T) {
    if pools.len() >= MAX_POOLS {
        pools.remove(0);
    }
    pools.push((threads, pool));
}

/// `f` over `items`, in order; parallel on `threads` threads when the batch is big enough.
pub fn map<T, R, F>(items: &[T], size: impl Fn(&T) -> usize, threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    let total: usize = items.iter().map(&size).sum();
    if threads > 1 && items.len() > 1 && total >= PARALLEL_MIN_BYTES {
        if let Some(p) = pool(threads) {
            return p.install(|| items.par_iter().map(&f).collect());
        }
    }
    items.iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_in_parallel() {
        let items: Vec<String> = (0..2000).map(|k| format!("{k:>64}")).collect();
        let seq = map(&items, |s| s.len(), 1, |s| s.trim().to_string());
        let par = map(&items, |s| s.len(), 3, |s| s.trim().to_string());
        assert_eq!(seq, par);
        assert_eq!(par[1999], "1999");
    }

    #[test]
    fn the_pool_cache_stays_small() {
        let mut pools = Vec::new();
        for n in 1..=2 * MAX_POOLS {
            keep(&mut pools, n, ());
        }
        assert_eq!(pools.len(), MAX_POOLS);
        assert_eq!(pools.first().map(|(n, _)| *n), Some(MAX_POOLS + 1));
        assert_eq!(pools.last().map(|(n, _)| *n), Some(2 * MAX_POOLS));
    }

    #[test]
    fn thread_counts() {
        assert_eq!(thread_count(Some(3)), Ok(3));
        assert!(thread_count(Some(0)).is_err());
        assert!(thread_count(None).unwrap() >= 1);
    }
}
