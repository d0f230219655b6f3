use std::fmt;

/// An XML-RPC fault exactly as the server sent it: the code and the verbatim string.
///
/// Real Cobbler always sends code `1` and a string shaped like
/// `<class 'cobbler.cexceptions.CX'>:'invalid token: …'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// `faultCode`.
    pub code: i32,
    /// `faultString`, verbatim.
    pub string: String,
}

impl Fault {
    /// A fault with the given code and string.
    pub fn new(code: i32, string: impl Into<String>) -> Self {
        Self {
            code,
            string: string.into(),
        }
    }

    /// True when the server says the token is unknown or expired.
    ///
    /// Matched by containment: Cobbler wraps the text in the exception class and quotes.
    pub fn is_invalid_token(&self) -> bool {
        self.string.contains("invalid token: ")
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault {}: {}", self.code, self.string)
    }
}

impl From<dxr::Fault> for Fault {
    fn from(fault: dxr::Fault) -> Self {
        Self::new(fault.code(), fault.string())
    }
}

impl From<&Fault> for dxr::Fault {
    fn from(fault: &Fault) -> Self {
        dxr::Fault::new(fault.code, fault.string.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_token_is_recognised_inside_cobblers_wrapping() {
        let real = Fault::new(1, "<class 'cobbler.cexceptions.CX'>:'invalid token: abc'");
        assert!(real.is_invalid_token());
        let malformed = Fault::new(
            1,
            "<class 'ValueError'>:\"token\" did not have the correct format or type!",
        );
        assert!(!malformed.is_invalid_token());
    }
}
