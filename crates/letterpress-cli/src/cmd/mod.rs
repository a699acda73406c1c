//! One module per subcommand, each with its arguments and a `run` function.

pub mod build;
pub mod check;
pub mod compile;
pub mod history;
pub mod list;
pub mod profile;
pub mod render;
pub mod send;

use std::path::PathBuf;

use anyhow::Context;
use letterpress_core::Project;

/// The `--project` option shared by the commands that work on a project.
#[derive(Debug, Clone, clap::Args)]
pub struct ProjectArg {
    /// The project folder
    #[arg(long, short = 'p', value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
}

impl ProjectArg {
    pub fn load(&self) -> anyhow::Result<Project> {
        Project::load(&self.project).with_context(|| format!("cannot open project `{}`", self.project.display()))
    }
}
