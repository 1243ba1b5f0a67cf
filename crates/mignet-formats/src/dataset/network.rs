//! `network.toml`: the network, its organisations and who coordinates it.

use super::*;

impl Reader {
    pub(super) fn network(
        &mut self,
        src: &Source,
        f: raw::NetworkFile,
    ) -> (Network, Vec<Organisation>, Vec<Role>) {
        let n = f.network.get_ref();
        let small_count_threshold = self.threshold(
            At {
                src,
                entry: &f.network,
            },
            "small_count_threshold",
            n.small_count_threshold,
        );
        let at = At {
            src,
            entry: &f.network,
        };
        let (field, countries) = match (&n.country, &n.countries) {
            (Some(one), None) => ("country", one.0.clone()),
            (None, Some(many)) => ("countries", many.0.clone()),
            (None, None) => ("country", Vec::new()),
            (Some(one), Some(_)) => {
                self.error(at.error(
                    "countries",
                    "write the network's country as `country` or its countries as `countries`, not both",
                ));
                ("country", one.0.clone())
            }
        };
        let network = Network {
            code: n.code.clone(),
            name: n.name.clone(),
            short_name: n.short_name.clone().unwrap_or_else(|| n.name.clone()),
            tagline: n.tagline.clone(),
            countries,
            small_count_threshold: small_count_threshold
                .unwrap_or(mignet_core::disclosure::DEFAULT_THRESHOLD),
            separation_of_duties: n.separation_of_duties.unwrap_or(false),
            agency_approval: n.agency_approval.unwrap_or(false),
            time_zone: n.time_zone.clone(),
        };
        for b in rules::network(&network, field) {
            self.error(at.error(b.field, b.message));
        }
        self.duplicates(
            src,
            f.organisation
                .iter()
                .map(|o| (o.get_ref().code.as_str(), o)),
            "organisation code",
            "code",
        );
        let codes: BTreeSet<String> = f
            .organisation
            .iter()
            .map(|o| o.get_ref().code.clone())
            .collect();
        let mut orgs = Vec::new();
        for entry in &f.organisation {
            let at = At { src, entry };
            let o = entry.get_ref();
            let code = self.code(at, "code", &o.code, OrgCode::parse);
            let kind = self.vocab::<OrgKind, _>(at, "kind", &o.kind);
            let parent = o.parent.as_deref().and_then(|p| OrgCode::parse(p).ok());
            if let (Some(code), Some(kind)) = (code, kind) {
                orgs.push(Organisation {
                    short_name: o.short_name.clone().unwrap_or_else(|| code.to_string()),
                    code,
                    name: o.name.clone(),
                    kind,
                    member: o.member.unwrap_or(true),
                    parent,
                });
            }
        }
        self.note_refused(
            f.organisation.iter().map(|o| o.get_ref().code.as_str()),
            orgs.iter().map(|o: &Organisation| o.code.as_str()),
        );
        let mut roles = Vec::new();
        for entry in &f.role {
            let at = At { src, entry };
            let r = entry.get_ref();
            let role = self.vocab::<RoleKind, _>(at, "role", &r.role);
            let org = self.org_ref(at, "organisation", &r.organisation, &codes);
            if let (Some(role), Some(organisation)) = (role, org) {
                roles.push(Role {
                    role,
                    organisation,
                    note: r.note.clone(),
                });
            }
        }
        (network, orgs, roles)
    }
}
