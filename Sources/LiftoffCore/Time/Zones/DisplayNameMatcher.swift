/// Finds the Windows zone a display-name label means, or none when that is not certain.
///
/// Windows has reworded its display names over the years ("(GMT) Greenwich Mean Time : Dublin, Edinburgh,
/// Lisbon, London" became "(UTC+00:00) Dublin, Edinburgh, Lisbon, London"), and Autotask tenants carry
/// whichever wording they were created with. Old wordings mostly add words, so a label matches a zone
/// whose every word it contains; the offset prefix narrows the candidates to one standard offset first.
enum DisplayNameMatcher {
    /// How the label matched.
    enum Match: Equatable {
        /// The label's words are exactly the zone's display name's words.
        case exact(WindowsZone)
        /// The label contains every word of the zone's display name, and no other candidate as many.
        case olderWording(WindowsZone)
    }

    private struct Entry: Sendable {
        let zone: WindowsZone
        let words: [String]
        let wordSet: Set<String>
    }

    /// Display names by standard offset, read once.
    private static let entriesByOffset: [Int: [Entry]] = Dictionary(
        grouping: WindowsZoneTable.zones.map { zone in
            let words = ZoneLabelText.words(ZoneLabelText.offsetPrefix(zone.displayName)?.rest ?? "")
            return Entry(zone: zone, words: words, wordSet: Set(words))
        },
        by: \.zone.standardOffsetMinutes)

    /// The zone `label` names, when it starts with an offset prefix and exactly one zone of that standard
    /// offset fits; nil when none does or several do equally well.
    static func match(_ label: String) -> Match? {
        guard let (offset, rest) = ZoneLabelText.offsetPrefix(label) else { return nil }
        let words = ZoneLabelText.words(rest)
        guard !words.isEmpty, let candidates = entriesByOffset[offset] else { return nil }
        let exact = candidates.filter { $0.words == words }
        if exact.count == 1 { return .exact(exact[0].zone) }
        guard exact.isEmpty else { return nil }
        let labelWords = Set(words)
        let covered = candidates.filter { $0.wordSet.isSubset(of: labelWords) }
        guard let most = covered.map(\.wordSet.count).max() else { return nil }
        let best = covered.filter { $0.wordSet.count == most }
        guard best.count == 1 else { return nil }
        // The words left over must not name another zone of the offset: "(GMT+11:00) Magadan, Solomon
        // Islands, New Caledonia" contains all of Magadan's words but names Central Pacific's places too.
        let leftover = labelWords.subtracting(best[0].wordSet).subtracting(commonWords)
        let namesAnother = candidates.contains { $0.zone != best[0].zone && !$0.wordSet.isDisjoint(with: leftover) }
        return namesAnother ? nil : .olderWording(best[0].zone)
    }

    /// Words of display names that name no place.
    private static let commonWords: Set<String> = [
        "time", "standard", "mean", "coordinated", "universal", "and", "of", "the", "is", "island", "islands",
    ]
}
