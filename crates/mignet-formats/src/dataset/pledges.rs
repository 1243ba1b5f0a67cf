//! `pledges.toml`: the government's pledges and their follow-up.

use super::*;

impl Reader {
    pub(super) fn pledges(
        &mut self,
        src: &Source,
        f: raw::PledgesFile,
        ds: &Dataset,
    ) -> Vec<Pledge> {
        self.duplicates(
            src,
            f.pledge.iter().map(|p| (p.get_ref().id.as_str(), p)),
            "pledge id",
            "id",
        );
        let orgs = org_set(ds);
        let mut out = Vec::new();
        for entry in &f.pledge {
            let at = At { src, entry };
            let p = entry.get_ref();
            let id = self.code(at, "id", &p.id, ItemId::parse);
            let made_by = p
                .made_by
                .as_deref()
                .and_then(|m| self.org_ref(at, "made_by", m, &orgs));
            let wording =
                self.vocab::<Wording, _>(at, "wording", p.wording.as_deref().unwrap_or("verbatim"));
            let mut priorities = Vec::new();
            for pr in &p.priorities {
                if ds
                    .framework
                    .priorities
                    .iter()
                    .any(|x| x.code.as_str() == pr)
                {
                    priorities.extend(FrameworkCode::parse(pr).ok());
                } else {
                    self.error(at.error("priorities", format!("unknown priority `{pr}`")));
                }
            }
            self.limit(at, "text", limits::Text::Narrative, Some(&p.text));
            if let (Some(id), Some(wording)) = (id, wording) {
                out.push(Pledge {
                    id,
                    forum: p.forum.clone(),
                    made_by,
                    text: p.text.clone(),
                    wording,
                    priorities,
                    source: p.source.clone(),
                });
            }
        }
        out
    }
}
