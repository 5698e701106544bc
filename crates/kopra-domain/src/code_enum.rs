//! A small macro for the closed lists of this crate that have a stable code (the serde
//! value, the database value and the message-key suffix) and a label in Indonesian and
//! English. Each variant is written once with its code and labels:
//!
//! ```ignore
//! code_enum! {
//!     /// A loan channel.
//!     pub enum Channel {
//!         Lpdb => "lpdb", "LPDB-KUMKM", "LPDB-KUMKM";
//!     }
//! }
//! ```
//!
//! It derives `Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize,
//! Deserialize, ToSchema` (ordering follows the declaration order) and adds `ALL`,
//! `as_str`, `from_code`, `label_id`, `label_en` and `label(lang)`.

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $id:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            serde::Deserialize,
            utoipa::ToSchema,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The stable code (serde value, database value, message-key suffix).
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The value with this exact code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }

            /// The Indonesian label.
            pub fn label_id(self) -> &'static str {
                match self { $( $name::$variant => $id, )+ }
            }

            /// The English label.
            pub fn label_en(self) -> &'static str {
                match self { $( $name::$variant => $en, )+ }
            }

            /// The label in `lang` ("en" for English; anything else gives Indonesian).
            pub fn label(self, lang: &str) -> &'static str {
                if lang == "en" { self.label_en() } else { self.label_id() }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use code_enum;
