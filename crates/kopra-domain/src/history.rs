//! What changed between two versions of a record, field by field.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Compares two lists of `(field, display value)` in the same order and returns the
/// fields whose value differs. A field present on one side only counts as changed.
pub fn field_changes(
    before: &[(&'static str, Option<String>)],
    after: &[(&'static str, Option<String>)],
) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (field, to) in after {
        let from = before.iter().find(|(f, _)| f == field).and_then(|(_, v)| v.clone());
        if &from != to {
            changes.push(FieldChange {
                field: field.to_string(),
                from,
                to: to.clone(),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_listed_with_old_and_new_values() {
        let before = vec![
            ("name", Some("Kop A".to_string())),
            ("phone", None),
            ("email", Some("a@b.id".into())),
        ];
        let after = vec![("name", Some("Kop B".to_string())), ("phone", None), ("email", None)];
        let c = field_changes(&before, &after);
        assert_eq!(
            c,
            vec![
                FieldChange {
                    field: "name".into(),
                    from: Some("Kop A".into()),
                    to: Some("Kop B".into())
                },
                FieldChange {
                    field: "email".into(),
                    from: Some("a@b.id".into()),
                    to: None
                },
            ]
        );
        assert!(field_changes(&after, &after).is_empty());
    }
}
