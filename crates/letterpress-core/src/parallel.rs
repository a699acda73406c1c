//! Work spread over the machine's cores, results kept in input order.

use std::cell::Cell;
use std::sync::OnceLock;

thread_local! {
    /// Set on the threads of a [`map`] that spreads over every core.
    static ALL_CORES_BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread may start more threads for its own work without taking cores from
/// its siblings: false inside a [`map`] that already keeps every core busy.
pub fn cores_to_spare() -> bool {
    !ALL_CORES_BUSY.get()
}

/// Marks the calling thread as one of those keeping every core busy until dropped.
struct Busy(bool);

impl Busy {
    fn mark() -> Busy {
        Busy(ALL_CORES_BUSY.replace(true))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        ALL_CORES_BUSY.set(self.0);
    }
}

/// How many threads the machine runs at once. Asked once: the answer comes from the control
/// group's files, which cost a few system calls each time.
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// The stack of each thread [`map`] runs on.
const HELPER_STACK: usize = 8 * 1024 * 1024;

/// `f` applied to every item, on as many threads as the machine has cores (at most one per item),
/// with the results in the order of `items`. Items are handed out one at a time, and a thread that
/// runs out takes items from another's share, so a slow item does not hold up the others.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    let pool = match pool() {
        Some(pool) if items.len() > 1 => pool,
        _ => return items.iter().map(f).collect(),
    };
    pool.install(|| {
        items
            .par_iter()
            .with_max_len(1)
            .map(|item| {
                let _busy = Busy::mark();
                f(item)
            })
            .collect()
    })
}

/// The threads [`map`] runs on, started on its first use and kept; `None` on a single core, or
/// when the system will not start them, where [`map`] works on the calling thread. Kept rather
/// than started for each call, because a new thread may first take the core of the thread that
/// starts it until the system moves one of them (about a millisecond on some virtual machines),
/// while a waiting thread is woken on an idle core.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        // As much stack as a main thread has, so that a compile runs without moving to a stack
        // of its own (see `compile::run_here`); only touched pages are committed.
        let threads = cores();
        (threads > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .stack_size(HELPER_STACK)
                    .thread_name(|index| format!("letterpress-{index}"))
                    .build()
                    .ok()
            })
            .flatten()
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..200).collect();
        let squares = map(&items, |n| {
            // Uneven work, so that threads finish items out of order.
            std::thread::sleep(std::time::Duration::from_micros(n % 7 * 50));
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn threads_of_a_map_over_every_core_have_none_to_spare() {
        assert!(cores_to_spare());
        let items = [0u8; 8];
        let seen = map(&items, |_| cores_to_spare());
        let spread = cores() > 1;
        assert!(seen.iter().all(|&spare| spare != spread), "{seen:?}");
        // The calling thread works too, and is free again afterwards.
        assert!(cores_to_spare());
    }

    #[test]
    fn no_items_give_no_results() {
        assert!(map(&[] as &[u8], |_| 1).is_empty());
    }
}
