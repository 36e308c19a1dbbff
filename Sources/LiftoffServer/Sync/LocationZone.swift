import AutotaskAPI
import Foundation
import LiftoffCore

/// A location's time zone from the two things Autotask may give for it: the `timeZoneID` picklist
/// label of `InternalLocationWithBusinessHours` (form undocumented) and the Microsoft Time Zone
/// Index value of `InternalLocations.timeZone` (documented, coarse).
///
/// Either one alone is enough. When both are understood but disagree on the clock — now or half a
/// year from now, so a DST difference counts — Liftoff does not pick one: the technician needs
/// attention and the admin sees both readings. Two names for the same clock (Berlin and Paris)
/// are not a disagreement.
struct LocationZone: Equatable {
    /// The IANA zone, or nil when it could not be resolved.
    var identifier: String?
    /// In words for the admin: what Autotask gave and how it was read, or why it could not be.
    var explanation: String

    static func resolve(location: InternalLocationWithBusinessHours, label: String?, index: String?, at now: Date)
        -> LocationZone
    {
        let place = "location \"\(location.name ?? "#\(location.id ?? 0)")\""
        let fromLabel = label.flatMap { AutotaskZoneResolver.resolve(label: $0) }
        let fromIndex = index.flatMap { AutotaskZoneResolver.resolve(microsoftIndex: $0) }
        switch (fromLabel, fromIndex) {
        case (nil, nil):
            var given: [String] = []
            if let label { given.append("time zone label \"\(label)\"") }
            if let index, !index.trimmingCharacters(in: .whitespaces).isEmpty {
                given.append("Microsoft index value \"\(index)\"")
            }
            if given.isEmpty {
                return LocationZone(identifier: nil, explanation: "Autotask gives \(place) no time zone")
            }
            return LocationZone(
                identifier: nil,
                explanation: "\(place): \(given.joined(separator: " and ")) not understood; set the zone by hand")
        case (let zone?, nil), (nil, let zone?):
            return LocationZone(identifier: zone.identifier, explanation: "\(place): \(zone.explanation)")
        case (let byLabel?, let byIndex?):
            guard sameClock(byLabel.identifier, byIndex.identifier, around: now) else {
                return LocationZone(
                    identifier: nil,
                    explanation:
                        "\(place): the label says \(byLabel.identifier) (\(byLabel.explanation)) but InternalLocations.timeZone says \(byIndex.identifier) (\(byIndex.explanation)); set the zone by hand"
                )
            }
            return LocationZone(
                identifier: byLabel.identifier,
                explanation: "\(place): \(byLabel.explanation); the Microsoft index value agrees")
        }
    }

    /// Whether two zones show the same wall-clock time now and half a year on.
    static func sameClock(_ first: String, _ second: String, around now: Date) -> Bool {
        guard first != second else { return true }
        guard let a = TimeZone(identifier: first), let b = TimeZone(identifier: second) else { return false }
        return [now, now.addingTimeInterval(182 * 86_400)].allSatisfy {
            a.secondsFromGMT(for: $0) == b.secondsFromGMT(for: $0)
        }
    }
}
