//! `groups.toml`: the working groups.

use super::*;

impl Reader {
    pub(super) fn groups(
        &mut self,
        src: &Source,
        f: raw::GroupsFile,
        ds: &Dataset,
    ) -> Vec<WorkingGroup> {
        self.duplicates(
            src,
            f.group.iter().map(|g| (g.get_ref().code.as_str(), g)),
            "working group code",
            "code",
        );
        let orgs = org_set(ds);
        let mut out = Vec::new();
        for entry in &f.group {
            let at = At { src, entry };
            let g = entry.get_ref();
            let code = self.code(at, "code", &g.code, ItemId::parse);
            let status =
                self.vocab::<GroupStatus, _>(at, "status", g.status.as_deref().unwrap_or("active"));
            if status == Some(GroupStatus::Renamed) && g.renamed_to.is_none() {
                self.error(at.error("renamed_to", "a renamed group needs the name it was given"));
            }
            let co_chairs = self.org_list(at, "co_chairs", &g.co_chairs, &orgs);
            let secretariat = self.org_list(at, "secretariat", &g.secretariat, &orgs);
            let members = self.org_list(at, "members", &g.members, &orgs);
            for t in self.markup(at, "description", &g.description) {
                if let Token::Pledge(id) = &t
                    && ds.pledge(id).is_none()
                {
                    self.error(at.error("description", format!("unknown pledge `{id}`")));
                }
                if matches!(t, Token::Number(_) | Token::Footnote(_)) {
                    self.error(at.error("description", "a working group's description belongs to no period, so it cannot quote figures or footnotes"));
                }
            }
            if let (Some(code), Some(status)) = (code, status) {
                out.push(WorkingGroup {
                    code,
                    name: g.name.clone(),
                    established: g.established.clone(),
                    status,
                    renamed_to: g.renamed_to.clone(),
                    renamed_in: g.renamed_in.clone(),
                    co_chairs,
                    secretariat,
                    members,
                    members_note: g.members_note.clone(),
                    description: g.description.clone(),
                });
            }
        }
        out
    }
}
