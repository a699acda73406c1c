//! Links the `letterpress` command as a fixed-address executable on Linux.
//!
//! A position-independent executable has its tables of pointers (about 42,000 of them, mostly
//! from the compiler's component code) patched by the loader at every start, which writes to
//! some 200 pages before `main` runs. At a fixed address the linker settles them once; the code
//! is the same. `letterpress compile` is often run once per file by build scripts, so its start
//! is a good part of its time. Address randomisation of the executable's own image is what this
//! gives up; the heap, the stacks and the libraries it loads are still placed at random.
fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os == "linux" && target_env == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
