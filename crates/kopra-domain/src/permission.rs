//! Roles and what each may do. Handlers never check roles by hand: they ask
//! [`Role::allows`] for a [`Permission`]; scope (own cooperative, own kecamatan) is
//! checked by [`Scope`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Head of division: everything, users, settings.
    Admin,
    /// Office staff, optionally limited to some kecamatan.
    Petugas,
    /// A cooperative's manager: their own cooperative only.
    Pengurus,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Petugas, Role::Pengurus];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Petugas => "petugas",
            Role::Pengurus => "pengurus",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim().to_lowercase())
    }

    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            // The head of division edits directly; proposing is for a cooperative's pengurus.
            Role::Admin => p != ProposeChange,
            Role::Petugas => matches!(
                p,
                ViewDashboard
                    | ViewRegister
                    | ExportRegister
                    | EditCooperative
                    | ArchiveCooperative
                    | ViewCooperative
                    | ReviewProposals
                    | EditReports
                    | ImportData
                    | ViewPersonalData
                    | ManageOwnTokens
                    | ViewUmkm
                    | EditUmkm
                    | ViewCoalitions
                    | ManageCoalitions
                    | ViewCoaching
                    | ManageCoaching
                    | ViewLoans
                    | ManageLoans
                    | ViewAwards
                    | ScoreAwards
            ),
            Role::Pengurus => matches!(
                p,
                ViewCooperative | ProposeChange | ManageOwnTokens | ViewCoalitions | ViewCoaching | ViewLoans
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// The beranda with counts.
    ViewDashboard,
    /// The whole list of cooperatives (within the user's kecamatan, if limited).
    ViewRegister,
    ExportRegister,
    /// One cooperative's detail and history (pengurus: their own only).
    ViewCooperative,
    /// Create and edit cooperatives.
    EditCooperative,
    ArchiveCooperative,
    /// A pengurus proposes a change to their own cooperative.
    ProposeChange,
    /// Office staff apply or reject what pengurus proposed.
    ReviewProposals,
    ViewAudit,
    ManageUsers,
    /// Office settings: the activation plan, status rules.
    ManageSettings,
    /// Enter and correct annual reports.
    EditReports,
    /// Import spreadsheets into the register and undo imports.
    ImportData,
    /// See the board (pengurus/pengawas names, the chair's phone) of any cooperative in
    /// scope. A pengurus lacks it but always sees their own cooperative's board: ask
    /// [`may_see_board`].
    ViewPersonalData,
    ManageOwnTokens,
    /// The UMKM register (list, detail, history, export), owners' data included.
    ViewUmkm,
    /// Register and edit UMKM, and their memberships of cooperatives.
    EditUmkm,
    /// Coalitions and their outcomes (pengurus: their own cooperative's).
    ViewCoalitions,
    /// Open coalitions, bring members in, record transactions, accept or dismiss matches.
    ManageCoalitions,
    /// Coaching visits and trainings, and officers' agendas (pengurus: their own cooperative's).
    ViewCoaching,
    /// Plan and record visits and trainings, and their follow-up actions.
    ManageCoaching,
    /// Soft-loan applications and their pipeline (pengurus: their own cooperative's).
    ViewLoans,
    /// Record applications and move them through the stages.
    ManageLoans,
    /// Award programmes, nominations and rankings.
    ViewAwards,
    /// Score nominations as a juror of a programme the user is a juror of.
    ScoreAwards,
    /// Open award programmes, set their criteria and jurors, nominate upward.
    ManageAwards,
}

/// May a user with this role and scope see (and, where they may change the cooperative,
/// change) the board of cooperative `cooperative_id`? Those with
/// [`Permission::ViewPersonalData`], and a pengurus for their own cooperative.
pub fn may_see_board(role: Role, scope: &Scope, cooperative_id: i64) -> bool {
    role.allows(Permission::ViewPersonalData) || matches!(scope, Scope::Cooperative(own) if *own == cooperative_id)
}

/// Which cooperatives a user may see: all, those in some kecamatan, or one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Kecamatan(Vec<String>),
    Cooperative(i64),
    Nothing,
}

impl Scope {
    pub fn of(role: Role, kecamatan: &[String], cooperative_id: Option<i64>) -> Self {
        match role {
            Role::Admin => Scope::All,
            Role::Petugas if kecamatan.is_empty() => Scope::All,
            Role::Petugas => Scope::Kecamatan(kecamatan.to_vec()),
            Role::Pengurus => cooperative_id.map_or(Scope::Nothing, Scope::Cooperative),
        }
    }

    /// May a user with this scope see the cooperative with this id and kecamatan?
    pub fn covers(&self, id: i64, kecamatan_code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Kecamatan(list) => list.iter().any(|k| k == kecamatan_code),
            Scope::Cooperative(own) => *own == id,
            Scope::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pengurus_sees_only_their_own_cooperative() {
        let s = Scope::of(Role::Pengurus, &[], Some(7));
        assert!(s.covers(7, "32.75.01"));
        assert!(!s.covers(8, "32.75.01"));
        assert!(!Role::Pengurus.allows(Permission::ViewRegister));
        assert!(!Role::Pengurus.allows(Permission::EditCooperative));
        assert!(Role::Pengurus.allows(Permission::ProposeChange));
        assert!(!Role::Pengurus.allows(Permission::ReviewProposals));
        assert!(Role::Petugas.allows(Permission::ReviewProposals));
        assert_eq!(Scope::of(Role::Pengurus, &[], None), Scope::Nothing);
    }

    #[test]
    fn the_board_is_seen_by_the_office_and_by_a_pengurus_for_their_own_cooperative_only() {
        assert!(Role::Admin.allows(Permission::ViewPersonalData));
        assert!(Role::Petugas.allows(Permission::ViewPersonalData));
        assert!(!Role::Pengurus.allows(Permission::ViewPersonalData));
        let own = Scope::of(Role::Pengurus, &[], Some(7));
        assert!(may_see_board(Role::Pengurus, &own, 7));
        assert!(!may_see_board(Role::Pengurus, &own, 8));
        assert!(!may_see_board(Role::Pengurus, &Scope::Nothing, 7));
        assert!(may_see_board(Role::Petugas, &Scope::All, 8));
    }

    #[test]
    fn petugas_may_be_limited_to_kecamatan_and_never_manages_users() {
        let s = Scope::of(Role::Petugas, &["32.75.04".into()], None);
        assert!(s.covers(1, "32.75.04"));
        assert!(!s.covers(1, "32.75.05"));
        assert_eq!(Scope::of(Role::Petugas, &[], None), Scope::All);
        assert!(!Role::Petugas.allows(Permission::ManageUsers));
        assert!(!Role::Petugas.allows(Permission::ViewAudit));
        assert!(Role::Admin.allows(Permission::ViewAudit));
    }
}
