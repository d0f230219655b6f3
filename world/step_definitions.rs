//! Steps registered explicitly: each steps file lists its functions with their cucumber
//! expressions (`steps.given("a/an {kind} {string}( with:)", given_an_item)`), and the runner
//! hands cucumber the list. Nothing goes through `inventory`, whose registrations the linker
//! may drop from a library, so a crate that depends on provspec gets every built-in step and
//! adds its own the same way ([`Steps::built_in`], then [`Steps::given`] and the rest).
//!
//! A step function is an `async fn` taking `&mut ProvWorld`, then one argument per parameter
//! of its expression (any `FromStr` type: `{string}` as [`crate::steps::parameters::Text`],
//! `{int}` as `i64`, a custom `{kind}` as the type registered for it with
//! [`Steps::parameter`]), then optionally `step: &Step` (its table or doc string) last. It
//! returns `()` or `Result<(), E>` with `E` a [`WorldError`] or anything that becomes one (an
//! [`crate::assertions::AssertionFailed`] from a `should` check, a backend's error): a step
//! fails in one way, by returning the error.

use std::collections::HashMap;
use std::fmt::Display;
use std::panic::Location;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use cucumber::gherkin::{Step, StepType};
use cucumber::step::Context;
use futures::future::LocalBoxFuture;
use regex::Regex;

use super::ProvWorld;
use super::error::{StepResult, WorldError};

/// A registered step's function, as the runner calls it: its captures parsed, then run.
pub type StepFunction =
    Arc<dyn for<'w> Fn(&'w mut ProvWorld, Context) -> LocalBoxFuture<'w, StepResult> + Send + Sync>;

/// One registered step.
#[derive(Clone)]
pub struct StepDefinition {
    /// Given, When or Then.
    pub ty: StepType,
    /// The cucumber expression it was registered with.
    pub expression: String,
    /// The regex the expression compiles to (anchored).
    pub regex: Regex,
    /// The step function's path (`provspec::steps::lifecycle::given_an_item`), for the
    /// catalogue.
    pub function_path: &'static str,
    /// Where the step was registered (the steps file's `register`).
    pub location: &'static Location<'static>,
    /// True when the function takes the gherkin step (its table or doc string).
    pub takes_step: bool,
    /// The function.
    pub function: StepFunction,
}

impl std::fmt::Debug for StepDefinition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepDefinition")
            .field("ty", &self.ty)
            .field("expression", &self.expression)
            .field("function_path", &self.function_path)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// The steps of a run: the built-in ones and any a crate of its own adds.
#[derive(Clone, Debug, Default)]
pub struct Steps {
    definitions: Vec<StepDefinition>,
    /// Custom parameter types by name (`kind` → its regex).
    parameters: HashMap<&'static str, &'static str>,
    /// The Rust type of each custom parameter, by name (`kind` → `…::KindWord`).
    parameter_types: HashMap<&'static str, &'static str>,
}

impl Steps {
    /// No steps and no custom parameter types.
    pub fn new() -> Self {
        Self::default()
    }

    /// provspec's built-in steps (every file of `steps/`) and parameter types.
    pub fn built_in() -> Self {
        let mut steps = Self::new();
        crate::steps::register(&mut steps);
        steps
    }

    /// Makes the custom parameter `{P::NAME}` usable in the expressions registered after it
    /// (a type deriving `cucumber::Parameter`, and `FromStr` for the step's argument).
    pub fn parameter<P: cucumber::Parameter>(&mut self) -> &mut Self {
        self.parameters.insert(P::NAME, P::REGEX);
        self.parameter_types
            .insert(P::NAME, std::any::type_name::<P>());
        self
    }

    /// Registers a `Given` step.
    #[track_caller]
    pub fn given<Args>(&mut self, expression: &str, function: impl Handler<Args>) -> &mut Self {
        self.add(StepType::Given, expression, function, Location::caller())
    }

    /// Registers a `When` step.
    #[track_caller]
    pub fn when<Args>(&mut self, expression: &str, function: impl Handler<Args>) -> &mut Self {
        self.add(StepType::When, expression, function, Location::caller())
    }

    /// Registers a `Then` step.
    #[track_caller]
    pub fn then<Args>(&mut self, expression: &str, function: impl Handler<Args>) -> &mut Self {
        self.add(StepType::Then, expression, function, Location::caller())
    }

    /// Every registered step, in registration order.
    pub fn definitions(&self) -> &[StepDefinition] {
        &self.definitions
    }

    fn add<Args, H: Handler<Args>>(
        &mut self,
        ty: StepType,
        expression: &str,
        function: H,
        location: &'static Location<'static>,
    ) -> &mut Self {
        let regex = cucumber::codegen::Expression::regex_with_parameters(
            expression,
            &self.parameters,
        )
        .unwrap_or_else(|e| {
            let mut known: Vec<&str> = self.parameters.keys().copied().collect();
            known.sort_unstable();
            panic!(
                "{location}: the step expression {expression:?} does not compile: {e} (custom parameters registered so far: {}; built in: int, float, word, string)",
                known.join(", ")
            )
        });
        let names = parameter_names(expression);
        let arguments = H::argument_types();
        assert!(
            names.len() == arguments.len(),
            "{location}: the step expression {expression:?} has {} parameter(s), but {} takes {} argument(s) after the World{}",
            names.len(),
            std::any::type_name::<H>(),
            arguments.len(),
            if H::TAKES_STEP { " (and the step)" } else { "" }
        );
        for (name, argument) in names.iter().zip(arguments) {
            if let Some(expected) = self.parameter_types.get(name.as_str()) {
                assert!(
                    *expected == argument,
                    "{location}: the step expression {expression:?} has {{{name}}} where {} takes {argument}; {{{name}}} is read as {expected}",
                    std::any::type_name::<H>(),
                );
            }
        }
        if let Some(earlier) = self
            .definitions
            .iter()
            .find(|d| d.ty == ty && d.expression == expression)
        {
            panic!(
                "{location}: the step expression {expression:?} is registered already, at {}",
                earlier.location
            );
        }
        self.definitions.push(StepDefinition {
            ty,
            expression: expression.to_owned(),
            regex,
            function_path: std::any::type_name::<H>(),
            location,
            takes_step: H::TAKES_STEP,
            function: function.into_step_function(),
        });
        self
    }
}

impl StepDefinition {
    /// The function's own name (`given_an_item`).
    pub fn function_name(&self) -> &'static str {
        last_segment(self.function_path)
    }

    /// The file the step was registered in, `..` folded away (`support/../steps/x.rs`, as
    /// compiling the steps into the library names it, is `steps/x.rs`).
    pub fn registered_in(&self) -> String {
        clean_path(self.location.file())
    }

    /// For a built-in step, its file below the crate root (`steps/cobbler/session.rs`).
    pub fn built_in_file(&self) -> Option<String> {
        let module = self.function_path.strip_prefix("provspec::steps::")?;
        let (module, _) = module.rsplit_once("::").unwrap_or(("", module));
        let module = if module.is_empty() { "mod" } else { module };
        Some(format!("steps/{}.rs", module.replace("::", "/")))
    }
}

/// `tests/../steps/x.rs` as `steps/x.rs`.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in Path::new(path).iter().filter_map(|p| p.to_str()) {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The steps of this run: those the runner was given, or the built-in ones.
pub fn installed() -> &'static [StepDefinition] {
    INSTALLED
        .get_or_init(|| Steps::built_in().definitions)
        .as_slice()
}

static INSTALLED: OnceLock<Vec<StepDefinition>> = OnceLock::new();

/// Makes `steps` the run's steps (once per process; false when another set came first).
pub fn install(steps: Steps) -> bool {
    INSTALLED.set(steps.definitions).is_ok()
}

/// A function that can be registered as a step; `Args` tells the argument shapes apart
/// (implemented for `async fn`s of up to six parsed arguments, with or without `&Step` last).
pub trait Handler<Args>: Send + Sync + 'static {
    /// True when the function takes the gherkin step.
    const TAKES_STEP: bool;
    /// The Rust types of the arguments it parses from the step's text, in order.
    fn argument_types() -> Vec<&'static str>;
    /// The function as the runner calls it.
    fn into_step_function(self) -> StepFunction;
}

/// An argument parsed from the step's text with `FromStr`.
pub struct Parsed<T>(std::marker::PhantomData<T>);

/// The gherkin step, as the function's last argument.
pub struct WithStep;

/// What a step function returns: `()` or `Result<(), E>` with `E` into a [`WorldError`].
pub trait StepReturn {
    /// The failure, if it failed.
    fn into_result(self) -> StepResult;
}

impl StepReturn for () {
    fn into_result(self) -> StepResult {
        Ok(())
    }
}

impl<E: Into<WorldError>> StepReturn for Result<(), E> {
    fn into_result(self) -> StepResult {
        self.map_err(Into::into)
    }
}

/// The values the step's text gives its parameters, in order.
pub struct Captures<'c> {
    groups: std::iter::Peekable<std::slice::Iter<'c, (Option<String>, String)>>,
}

impl<'c> Captures<'c> {
    /// The captures of `context` (the whole match is skipped).
    pub fn new(context: &'c Context) -> Self {
        let mut groups = context.matches.iter().peekable();
        groups.next();
        Self { groups }
    }

    /// The next parameter's value parsed as `T`. A parameter whose regex has several groups
    /// (`{string}`: double or single quotes) names them `__N_M`; the one that matched wins.
    pub fn next<T>(&mut self, function: &str) -> StepResult<T>
    where
        T: FromStr,
        T::Err: Display,
    {
        let (name, first) = self.groups.next().ok_or_else(|| {
            crate::authoring!(
                "{function}: the step's expression has fewer parameters than the function"
            )
        })?;
        let prefix =
            name.as_deref()
                .filter(|n| n.starts_with("__"))
                .map(|n| match n[2..].find('_') {
                    Some(end) => &n[..end + 3],
                    None => n,
                });
        let mut value = (!first.is_empty()).then_some(first.as_str());
        while let Some((Some(next), text)) = self.groups.peek() {
            if !prefix.is_some_and(|p| next.starts_with(p)) {
                break;
            }
            if value.is_none() && !text.is_empty() {
                value = Some(text.as_str());
            }
            self.groups.next();
        }
        let text = value.unwrap_or_default();
        text.parse::<T>().map_err(|e| {
            crate::authoring!(
                "{function}: {text:?} is not a {}: {e}",
                last_segment(std::any::type_name::<T>())
            )
        })
    }
}

macro_rules! handlers {
    ($($arg:ident),*) => {
        impl<F, R, $($arg,)*> Handler<($(Parsed<$arg>,)*)> for F
        where
            F: for<'w> AsyncFn(&'w mut ProvWorld $(, $arg)*) -> R + Send + Sync + 'static,
            R: StepReturn,
            $($arg: FromStr + 'static, $arg::Err: Display,)*
        {
            const TAKES_STEP: bool = false;
            fn argument_types() -> Vec<&'static str> {
                vec![$(std::any::type_name::<$arg>()),*]
            }

            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn into_step_function(self) -> StepFunction {
                let function = Arc::new(self);
                let name = last_segment(std::any::type_name::<F>());
                Arc::new(move |world, context| {
                    let function = function.clone();
                    Box::pin(async move {
                        let mut captures = Captures::new(&context);
                        $(let $arg: $arg = captures.next(name)?;)*
                        function(world $(, $arg)*).await.into_result()
                    })
                })
            }
        }

        impl<F, R, $($arg,)*> Handler<($(Parsed<$arg>,)* WithStep,)> for F
        where
            F: for<'w, 's> AsyncFn(&'w mut ProvWorld $(, $arg)*, &'s Step) -> R
                + Send + Sync + 'static,
            R: StepReturn,
            $($arg: FromStr + 'static, $arg::Err: Display,)*
        {
            const TAKES_STEP: bool = true;
            fn argument_types() -> Vec<&'static str> {
                vec![$(std::any::type_name::<$arg>()),*]
            }

            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn into_step_function(self) -> StepFunction {
                let function = Arc::new(self);
                let name = last_segment(std::any::type_name::<F>());
                Arc::new(move |world, context| {
                    let function = function.clone();
                    Box::pin(async move {
                        let mut captures = Captures::new(&context);
                        $(let $arg: $arg = captures.next(name)?;)*
                        function(world $(, $arg)*, &context.step).await.into_result()
                    })
                })
            }
        }
    };
}

handlers!();
handlers!(A1);
handlers!(A1, A2);
handlers!(A1, A2, A3);
handlers!(A1, A2, A3, A4);
handlers!(A1, A2, A3, A4, A5);
handlers!(A1, A2, A3, A4, A5, A6);

/// The parameters (`{kind}`, `{string}`, …) of a cucumber expression, in order; `\{` is a
/// brace, not one.
fn parameter_names(expression: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = expression.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => names.push(chars.by_ref().take_while(|&c| c != '}').collect()),
            _ => {}
        }
    }
    names
}

/// The last segment of a type's or function's path (`given_an_item`, `KindWord`).
fn last_segment(path: &'static str) -> &'static str {
    path.rsplit("::").next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::parameters::{KindWord, Text};

    async fn two(_: &mut ProvWorld, _: KindWord, _: Text) -> StepResult {
        Ok(())
    }

    fn kinds() -> Steps {
        let mut steps = Steps::new();
        steps.parameter::<KindWord>();
        steps
    }

    #[test]
    fn parameters_are_named_in_order_without_escaped_braces() {
        assert_eq!(
            parameter_names("a/an {kind} {string}( with:)"),
            ["kind", "string"]
        );
        assert_eq!(parameter_names("a literal \\{brace} and {int}"), ["int"]);
    }

    #[test]
    #[should_panic(expected = "has {kind} where")]
    fn arguments_in_the_wrong_order_are_refused() {
        async fn swapped(_: &mut ProvWorld, _: Text, _: KindWord) -> StepResult {
            Ok(())
        }
        kinds().given("the {kind} {string}", swapped);
    }

    #[test]
    #[should_panic(expected = "has 1 parameter(s), but")]
    fn a_function_with_more_arguments_than_parameters_is_refused() {
        kinds().given("the {kind} thing", two);
    }

    #[test]
    #[should_panic(expected = "is registered already, at")]
    fn an_expression_registered_twice_is_refused() {
        let mut steps = kinds();
        steps.given("the {kind} {string}", two);
        steps.given("the {kind} {string}", two);
    }

    #[test]
    #[should_panic(expected = "does not compile")]
    fn an_unknown_parameter_type_is_refused() {
        Steps::new().given("the {kind} {string}", two);
    }

    #[test]
    fn every_built_in_step_registers() {
        assert!(Steps::built_in().definitions().len() > 50);
    }

    #[test]
    fn a_built_in_step_is_registered_in_its_steps_file_without_dot_dot() {
        for definition in Steps::built_in().definitions() {
            let file = definition.registered_in();
            assert!(
                file.starts_with("steps/") && !file.contains(".."),
                "{file} (from {})",
                definition.location.file()
            );
        }
        assert_eq!(clean_path("tests/../steps/./x.rs"), "steps/x.rs");
    }
}
