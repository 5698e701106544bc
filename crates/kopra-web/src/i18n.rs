//! Interface texts, kept in message files (`messages/id.txt`, `messages/en.txt`), never in
//! code. Bahasa Indonesia first; English through the language switch.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

pub const ID_TXT: &str = include_str!("../messages/id.txt");
pub const EN_TXT: &str = include_str!("../messages/en.txt");

/// Parses `key = text` lines; `#` starts a comment line.
pub fn parse_messages(src: &str) -> HashMap<String, String> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(" = ")
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

struct Catalog {
    id: HashMap<String, String>,
    en: HashMap<String, String>,
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog {
        id: parse_messages(ID_TXT),
        en: parse_messages(EN_TXT),
    })
}

/// The texts of one language, as templates and handlers use them.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    /// The text for `key`; the Indonesian text when a translation is missing, and the key
    /// itself when there is none (a tidy test keeps that from happening).
    pub fn get<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        let c = catalog();
        let primary = match self.lang {
            Lang::Id => &c.id,
            Lang::En => &c.en,
        };
        primary
            .get(key)
            .or_else(|| c.id.get(key))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// `get` with `{name}` placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get_owned(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    fn get_owned(&self, key: &str) -> String {
        let c = catalog();
        let primary = match self.lang {
            Lang::Id => &c.id,
            Lang::En => &c.en,
        };
        primary
            .get(key)
            .or_else(|| c.id.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// "Field label: message", for one field error.
    pub fn field_error(&self, field: &str, code: &str) -> String {
        format!(
            "{} {}",
            self.get_owned(&format!("field.{field}")),
            self.get_owned(&format!("error.{code}"))
        )
    }

    /// Every field error as a sentence, in the errors' order.
    pub fn field_errors(&self, errors: &kopra_domain::FieldErrors) -> Vec<String> {
        errors.iter().map(|(f, e)| self.field_error(f, e.code())).collect()
    }

    /// A translated text by dynamic key (for templates).
    pub fn key(&self, key: &str) -> String {
        self.get_owned(key)
    }
}

/// Shared handle, for state that wants to hold a catalogue.
pub type SharedTr = Arc<Tr>;

#[cfg(test)]
mod tests {
    use super::*;
    use kopra_domain::FieldError;

    #[test]
    fn every_key_is_translated_in_both_languages() {
        let id = parse_messages(ID_TXT);
        let en = parse_messages(EN_TXT);
        let mut missing: Vec<_> = id.keys().filter(|k| !en.contains_key(*k)).collect();
        missing.extend(en.keys().filter(|k| !id.contains_key(*k)));
        assert!(missing.is_empty(), "keys missing in one language: {missing:?}");
    }

    #[test]
    fn every_field_error_code_has_a_message() {
        let id = parse_messages(ID_TXT);
        for e in FieldError::ALL {
            assert!(
                id.contains_key(&format!("error.{}", e.code())),
                "no message for {}",
                e.code()
            );
        }
    }

    #[test]
    fn texts_come_in_the_chosen_language() {
        assert_eq!(Tr::new(Lang::Id).get("nav.cooperatives"), "Daftar Koperasi");
        assert_eq!(Tr::new(Lang::En).get("nav.cooperatives"), "Cooperatives");
        assert_eq!(
            Tr::new(Lang::En).fill("list.total", &[("n", "3")]),
            "3 cooperatives found"
        );
    }
}
