//! The terminal output (provspec's own [`Terminal`]) with the JUnit and Cucumber JSON reports
//! teed off it.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cucumber::{WriterExt as _, writer};

use super::cucumber_json::CucumberJson;
use super::filter::SkippedScenarios;
use super::html::Html;
use super::junit::JUnit;
use super::options::RunOptions;
use super::report_file::ReportFile;
use super::terminal::Terminal;
use crate::world::ProvWorld;

/// A report written alongside the terminal output (its stats and free text are the
/// terminal's); none at all when its option is not given.
pub type Report<Wr> = writer::discard::Arbitrary<writer::discard::Stats<Maybe<Wr>>>;

/// A writer that is there only when a report was asked for: without one, events are dropped
/// at once instead of being normalized and collected for a sink (a tenth of a run's CPU).
pub struct Maybe<Wr>(Option<Wr>);

impl<W: cucumber::World, Wr: cucumber::Writer<W>> cucumber::Writer<W> for Maybe<Wr> {
    type Cli = Wr::Cli;

    async fn handle_event(
        &mut self,
        event: cucumber::parser::Result<cucumber::Event<cucumber::event::Cucumber<W>>>,
        cli: &Self::Cli,
    ) {
        if let Some(writer) = &mut self.0 {
            writer.handle_event(event, cli).await;
        }
    }
}

impl<Wr: writer::Normalized> writer::Normalized for Maybe<Wr> {}

/// The terminal writer with the JUnit, Cucumber JSON and HTML reports teed off it.
pub type ReportingWriter = writer::Tee<
    writer::Tee<
        writer::Tee<
            writer::libtest::Or<ProvWorld, TerminalWriter>,
            Report<writer::Normalize<ProvWorld, ReportFile<JUnit, Box<dyn Write>>>>,
        >,
        Report<writer::Normalize<ProvWorld, ReportFile<CucumberJson, Box<dyn Write>>>>,
    >,
    Report<writer::Normalize<ProvWorld, ReportFile<Html, Box<dyn Write>>>>,
>;

/// The terminal writer, normalised, with the run's summary at its end.
pub type TerminalWriter = writer::Summarize<writer::Normalize<ProvWorld, Terminal>>;

/// Where the reports go: files named by `--junit`, `--cucumber-json` and `--html`, or none.
pub struct Reports {
    junit: Option<Box<dyn Write>>,
    cucumber_json: Option<Box<dyn Write>>,
    /// The HTML page's file and the folder its links are relative to.
    html: Option<(Box<dyn Write>, PathBuf)>,
    /// The run in a few words, for the HTML page's title.
    title: String,
    /// The progress line, on a terminal.
    progress: Option<std::sync::Arc<super::progress::Progress>>,
    /// The scenarios the backend's tags skip, as the run finds them (JUnit lists them).
    skipped_by_tag: SkippedScenarios,
}

impl Reports {
    /// Creates the report files the options name (an unwritable path is one clear message).
    pub fn open(
        cli: &RunOptions,
        skipped_by_tag: SkippedScenarios,
        title: String,
    ) -> Result<Self, String> {
        let open = |path: &Option<PathBuf>, what: &str| -> Result<Option<Box<dyn Write>>, String> {
            path.as_ref()
                .map(|path| {
                    File::create(path)
                        .map(|file| Box::new(io::BufWriter::new(file)) as Box<dyn Write>)
                        .map_err(|e| {
                            format!("cannot write the {what} report to {}: {e}", path.display())
                        })
                })
                .transpose()
        };
        Ok(Self {
            junit: open(&cli.junit, "JUnit")?,
            cucumber_json: open(&cli.cucumber_json, "Cucumber JSON")?,
            html: open(&cli.html, "HTML")?.map(|out| {
                let page = cli.html.as_deref().unwrap_or(Path::new("."));
                let dir = std::path::absolute(page)
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .unwrap_or_default();
                (out, dir)
            }),
            title,
            skipped_by_tag,
            progress: None,
        })
    }

    /// Keeps `progress`'s line below the terminal output.
    pub fn with_progress(
        self,
        progress: Option<std::sync::Arc<super::progress::Progress>>,
    ) -> Self {
        Reports { progress, ..self }
    }

    /// The terminal output (provspec's own, or libtest's with `--format json` for IDEs),
    /// with the JUnit and Cucumber JSON reports written alongside, each in feature order.
    pub fn writer(self) -> ReportingWriter {
        let skipped_by_tag = self.skipped_by_tag.clone();
        let terminal = Terminal::stdout().with_progress(self.progress.clone());
        writer::Libtest::or(terminal.normalized().summarized())
            .tee::<ProvWorld, _>(
                Maybe(
                    self.junit
                        .map(|out| ReportFile::new(JUnit::new(skipped_by_tag), out).normalized()),
                )
                .discard_stats_writes()
                .discard_arbitrary_writes(),
            )
            .tee::<ProvWorld, _>(
                Maybe(
                    self.cucumber_json
                        .map(|out| ReportFile::new(CucumberJson::default(), out).normalized()),
                )
                .discard_stats_writes()
                .discard_arbitrary_writes(),
            )
            .tee::<ProvWorld, _>(
                Maybe(self.html.map(|(out, dir)| {
                    let body = Html::new(self.title, dir, self.skipped_by_tag);
                    ReportFile::new(body, out).normalized()
                }))
                .discard_stats_writes()
                .discard_arbitrary_writes(),
            )
    }
}

#[cfg(test)]
mod tests {
    use clap::FromArgMatches as _;

    use super::*;

    fn options(args: &[&str]) -> RunOptions {
        let command = <RunOptions as clap::Args>::augment_args(clap::Command::new("run"));
        let matches = command
            .try_get_matches_from(std::iter::once("run").chain(args.iter().copied()))
            .expect("the options parse");
        RunOptions::from_arg_matches(&matches).expect("the options read")
    }

    #[test]
    fn an_unwritable_report_path_is_one_message_naming_the_report_and_the_path() {
        let error = Reports::open(
            &options(&["--junit", "/no/such/folder/run.xml"]),
            SkippedScenarios::default(),
            "run test".to_owned(),
        )
        .err()
        .expect("the folder does not exist");
        assert!(
            error.starts_with("cannot write the JUnit report to /no/such/folder/run.xml: "),
            "{error}"
        );
    }

    #[test]
    fn reports_are_created_only_when_asked_for() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let json = dir.path().join("run.json");
        let reports = Reports::open(
            &options(&["--cucumber-json", &json.display().to_string()]),
            SkippedScenarios::default(),
            "run test".to_owned(),
        )
        .expect("the report opens");
        assert!(reports.junit.is_none());
        assert!(reports.cucumber_json.is_some());
        assert!(json.is_file());
    }
}
