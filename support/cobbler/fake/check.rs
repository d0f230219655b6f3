//! `check(token)`: cobblerd's advice before a first `sync` (`actions/check.py`). The advice
//! about the machine (services, boot loaders, packages) is recorded from a server set up by
//! `scripts/real-cobbler.sh`; the advice about settings follows the fake's own settings.

use super::recorded;
use super::settings::Settings;
use crate::cobbler::protocol::Value;

/// The advice `check.py` gives about a setting: (setting, the value that draws it, its text).
const SETTING_ADVICE: [(&str, &str, &str); 4] = [
    (
        "server",
        "127.0.0.1",
        "The 'server' field in /etc/cobbler/settings.yaml must be set to something other than localhost, \
         or automatic installation features will not work.  This should be a resolvable hostname or \
         IP for the boot server as reachable by all machines that will use it.",
    ),
    (
        "next_server_v4",
        "127.0.0.1",
        "For PXE to be functional, the 'next_server_v4' field in /etc/cobbler/settings.yaml must be set to \
         something other than 127.0.0.1, and should match the IP of the boot server on the PXE \
         network.",
    ),
    (
        "next_server_v6",
        "::1",
        "For PXE to be functional, the 'next_server_v6' field in /etc/cobbler/settings.yaml must be set to \
         something other than ::1, and should match the IP of the boot server on the PXE network.",
    ),
    (
        "default_password_crypted",
        "$1$mF86/UHC$WvcIcX2t6crBz2onWxyac.",
        "The default password used by the sample templates for newly installed machines (\
         default_password_crypted in /etc/cobbler/settings.yaml) is still set to 'cobbler' and should be \
         changed, try: \"openssl passwd -1 -salt 'random-phrase-here' 'your-password-here'\" to \
         generate new one",
    ),
];

/// The recorded advice, without the advice about a setting that `settings` no longer draws.
pub fn check(settings: &Settings) -> Value {
    let recorded = match recorded::check() {
        Value::Array(lines) => lines.as_slice(),
        _ => &[],
    };
    let drawn = |line: &Value| {
        SETTING_ADVICE
            .iter()
            .find(|(_, _, text)| matches!(line, Value::String(l) if l == text))
            .is_none_or(|(setting, value, _)| settings.text(setting) == *value)
    };
    Value::Array(recorded.iter().filter(|l| drawn(l)).cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cobbler::protocol::ValueExt;

    #[test]
    fn every_advice_about_a_setting_is_recorded_with_the_stock_settings() {
        let Value::Array(lines) = check(&Settings::default()) else {
            panic!("check answers a list");
        };
        for (setting, _, text) in SETTING_ADVICE {
            assert!(
                lines.contains(&Value::String(text.to_owned())),
                "the recorded check lacks the advice about {setting}"
            );
        }
    }

    #[test]
    fn a_changed_setting_draws_no_advice() {
        let settings = Settings::default().with([
            ("server".to_owned(), Value::String("192.0.2.10".into())),
            (
                "next_server_v4".to_owned(),
                Value::String("192.0.2.11".into()),
            ),
        ]);
        let (Value::Array(stock), Value::Array(changed)) =
            (check(&Settings::default()), check(&settings))
        else {
            panic!("check answers a list");
        };
        assert_eq!(changed.len(), stock.len() - 2);
        assert!(
            changed
                .iter()
                .all(|l| !l.render().contains("'server' field"))
        );
    }
}
