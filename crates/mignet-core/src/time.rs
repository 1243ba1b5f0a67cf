//! Times as a network's people read them: in the network's own time zone (`time_zone` in
//! network.toml, an IANA name such as `Asia/Bangkok`), UTC where it has none. The zone database
//! is bundled (jiff's `tzdb-bundle-always`), so nothing is read from the machine.

/// Whether `name` is a time zone the bundled database knows.
pub fn known_zone(name: &str) -> bool {
    jiff::tz::TimeZone::get(name).is_ok()
}

/// `at` (RFC 3339, as the store writes times) in `zone`: its date (`YYYY-MM-DD`), its time
/// (`HH:MM`) and the zone's abbreviation there (`+07`, `CET`); `None` for text that is no time.
pub fn local(at: &str, zone: Option<&str>) -> Option<(String, String, String)> {
    let ts: jiff::Timestamp = at.parse().ok()?;
    let tz = match zone {
        Some(z) => jiff::tz::TimeZone::get(z).ok()?,
        None => jiff::tz::TimeZone::UTC,
    };
    let zoned = ts.to_zoned(tz);
    let abbreviation = zoned
        .time_zone()
        .to_offset_info(ts)
        .abbreviation()
        .to_owned();
    Some((
        zoned.strftime("%Y-%m-%d").to_string(),
        zoned.strftime("%H:%M").to_string(),
        if zone.is_none() {
            "UTC".to_owned()
        } else {
            abbreviation
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_reads_in_the_network_s_zone() {
        assert_eq!(
            local("2026-12-02T20:05:09Z", Some("Asia/Bangkok")),
            Some(("2026-12-03".into(), "03:05".into(), "+07".into()))
        );
        assert_eq!(
            local("2026-12-02T20:05:09Z", None),
            Some(("2026-12-02".into(), "20:05".into(), "UTC".into()))
        );
        assert!(known_zone("Asia/Yangon") && !known_zone("Mars/Olympus"));
        assert_eq!(local("yesterday", None), None);
    }
}
