//! Integration tests of the export: real projects on disk, real target folders in temporary
//! directories.

mod assets;
mod confinement;
mod export;
mod golden;
mod round_trip;
mod util;
