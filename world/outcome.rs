//! The result of the last "I try to …" step, for "Then it should …".

/// What a tried action did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The action, in the feature's words (aliases).
    pub action: String,
    /// `Ok`, or the error text with real names turned back into aliases.
    pub result: Result<(), String>,
}
