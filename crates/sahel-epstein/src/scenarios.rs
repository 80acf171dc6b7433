//! The built-in Epstein scenarios, embedded as the TOML files they are
//! (`crates/sahel-epstein/scenarios/`), so `sahel show NAME` prints exactly what
//! `sahel check` and `sahel run FILE` accept.

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        /// `(name, TOML text)` of every built-in Epstein scenario.
        pub const BUILTIN: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../scenarios/", $name, ".toml")))),*
        ];
    };
}

builtin!(
    "epstein-run1",
    "epstein-run2",
    "epstein-run3",
    "epstein-run4",
    "epstein-run5",
    "epstein-run6",
    "epstein-run7",
    "epstein-run8",
    "epstein-mesa",
    "epstein-netlogo",
);

pub fn get(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
