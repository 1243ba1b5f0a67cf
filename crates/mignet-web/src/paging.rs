//! Long lists a page at a time: a network of many figures gives pages of a bounded size, each with
//! links to the previous and the next page.

use crate::WebError;
use serde::Serialize;
use std::ops::Range;

/// How many figures a page lists by default (see [`crate::AppState::with_figures_per_page`]).
pub const FIGURES_PER_PAGE: usize = 200;

/// Where one page is in a list: shown above and below the list as "Page 2 of 5" with links.
#[derive(Debug, Serialize)]
pub struct Pager {
    /// This page, counted from 1.
    pub number: usize,
    pub pages: usize,
    /// Items in the whole list.
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// Page `asked` (1 when `None`) of a list of `total` items, `per_page` to a page: the items it
/// holds and its pager, whose links `link(n)` makes. A page past the last is not found; an empty
/// list has one, empty, page.
pub fn page(
    total: usize,
    asked: Option<usize>,
    per_page: usize,
    link: impl Fn(usize) -> String,
) -> Result<(Range<usize>, Pager), WebError> {
    let per_page = per_page.max(1);
    let pages = total.div_ceil(per_page).max(1);
    let number = asked.unwrap_or(1);
    if number == 0 || number > pages {
        return Err(WebError::NotFound(format!(
            "page {number}: this list has {pages} page{}",
            if pages == 1 { "" } else { "s" }
        )));
    }
    let start = (number - 1) * per_page;
    let range = start..(start + per_page).min(total);
    let pager = Pager {
        number,
        pages,
        total,
        prev: (number > 1).then(|| link(number - 1)),
        next: (number < pages).then(|| link(number + 1)),
    };
    Ok((range, pager))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_cover_the_list_once_in_order() {
        let link = |n| format!("?page={n}");
        let mut seen = Vec::new();
        let mut next = Some(1);
        while let Some(n) = next {
            let (range, pager) = page(23, Some(n), 10, link).unwrap();
            assert_eq!(pager.pages, 3);
            assert_eq!(pager.prev.is_some(), n > 1);
            seen.extend(range);
            next = pager.next.map(|l| l["?page=".len()..].parse().unwrap());
        }
        assert_eq!(seen, (0..23).collect::<Vec<_>>());
        assert!(page(23, Some(4), 10, link).is_err());
        assert!(page(23, Some(0), 10, link).is_err());
        let (empty, pager) = page(0, None, 10, link).unwrap();
        assert!(empty.is_empty() && pager.next.is_none() && pager.pages == 1);
    }
}
