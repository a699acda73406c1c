//! Work spread over the machine's cores, results kept in input order.

use std::cell::Cell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// The stack of each thread [`map`] starts.
const HELPER_STACK: usize = 8 * 1024 * 1024;

/// `f` applied to every item, on as many threads as the machine has cores (at most one per item),
/// with the results in the order of `items`. Each thread takes the next item not yet taken, so a
/// slow item does not hold up the others.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let _busy = Busy::mark();
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            done.push((index, f(item)));
        }
        done
    };
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        // As much stack as a main thread has, so that a compile runs without moving to a stack
        // of its own (see `compile::run_here`); only touched pages are committed. A helper the
        // system will not start only leaves its share to the others, which take any item left.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(HELPER_STACK).spawn_scoped(scope, work).ok())
            .collect();
        let mine = work();
        for (index, result) in helpers.into_iter().flat_map(|helper| match helper.join() {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        }) {
            results[index] = Some(result);
        }
        for (index, result) in mine {
            results[index] = Some(result);
        }
    });
    results.into_iter().map(|result| result.expect("every item was taken by one thread")).collect()
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
