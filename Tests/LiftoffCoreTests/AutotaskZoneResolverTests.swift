import Foundation
import Testing

@testable import LiftoffCore

/// Every form a Windows zone can take in an Autotask label, for every zone of the generated CLDR table,
/// resolves to that zone's IANA id; index values resolve to zones Foundation knows; anything unclear is nil.
@Suite struct AutotaskZoneResolverTests {
    /// The labels one Windows zone may wear: its display name with `UTC` and `GMT` prefixes, `&` and
    /// "and" swapped, spaces and case disturbed.
    static func displayVariants(_ zone: WindowsZone) -> [String] {
        let name = zone.displayName
        let gmt = name.replacingOccurrences(of: "(UTC", with: "(GMT")
        var swapped: String?
        if name.contains("&") {
            swapped = name.replacingOccurrences(of: "&", with: "and")
        } else if name.contains(" and ") {
            swapped = name.replacingOccurrences(of: " and ", with: " & ")
        }
        let spaced =
            "  "
            + name.lowercased().replacingOccurrences(of: " ", with: "   ").replacingOccurrences(
                of: "(", with: "( ") + " "
        return [name, gmt, gmt.uppercased(), spaced]
            + (swapped.map { [$0, $0.replacingOccurrences(of: "(UTC", with: "(GMT")] } ?? [])
    }

    @Test(arguments: WindowsZoneTable.zones)
    func everyZoneHasAnIdentifierFoundationKnows(zone: WindowsZone) throws {
        let identifier = try #require(zone.identifier, "no IANA id of \(zone.windowsID) is known to Foundation")
        #expect(TimeZone(identifier: identifier) != nil)
        #expect(zone.ianaIDs.contains(zone.cldrPrimaryID))
    }

    @Test(arguments: WindowsZoneTable.zones)
    func windowsIDResolves(zone: WindowsZone) throws {
        for label in [zone.windowsID, zone.windowsID.uppercased(), " \(zone.windowsID.lowercased()) "] {
            let resolved = try #require(AutotaskZoneResolver.resolve(label: label), "\(label)")
            #expect(resolved.identifier == zone.identifier)
            #expect(resolved.windowsID == zone.windowsID)
            #expect(resolved.form == .windowsID)
        }
    }

    @Test(arguments: WindowsZoneTable.zones)
    func displayNameResolvesInEveryWording(zone: WindowsZone) throws {
        for label in Self.displayVariants(zone) {
            let resolved = try #require(AutotaskZoneResolver.resolve(label: label), "\(label)")
            #expect(resolved.identifier == zone.identifier, "\(label)")
            #expect(resolved.windowsID == zone.windowsID, "\(label)")
            #expect(resolved.form == .displayName, "\(label)")
        }
    }

    /// Two Windows zones with the same display words would make a display label ambiguous (the resolver
    /// would answer nil for both). No two share one in this CLDR table; a regenerated one that changes
    /// that fails here.
    @Test func noTwoZonesShareADisplayName() {
        let keys = WindowsZoneTable.zones.map { ZoneLabelText.key($0.displayName) }
        #expect(Set(keys).count == keys.count)
        let ids = WindowsZoneTable.zones.map { ZoneLabelText.key($0.windowsID) }
        #expect(Set(ids).count == ids.count)
    }

    @Test(arguments: WindowsZoneTable.zones)
    func displayNameOffsetIsTheStandardOffset(zone: WindowsZone) throws {
        #expect(ZoneLabelText.offsetPrefix(zone.displayName)?.minutes == zone.standardOffsetMinutes)
    }

    @Test(arguments: WindowsZoneTable.windowsIDByIANA.keys.sorted())
    func everyIANANameResolves(name: String) throws {
        let windowsID = try #require(WindowsZoneTable.windowsIDByIANA[name])
        let zone = try #require(AutotaskZoneResolver.zone(windowsID: windowsID))
        // "UTC" is a Windows id as well as an IANA name; the Windows reading comes first.
        let isWindowsID = WindowsZoneTable.zones.contains { $0.windowsID.lowercased() == name.lowercased() }
        for label in [name, name.lowercased()] {
            let resolved = try #require(AutotaskZoneResolver.resolve(label: label), "\(label)")
            #expect(resolved.form == (isWindowsID ? .windowsID : .ianaName))
            #expect(resolved.windowsID == windowsID)
            #expect(TimeZone(identifier: resolved.identifier) != nil)
            let known = TimeZone(identifier: name) != nil && !isWindowsID
            #expect(resolved.identifier == (known ? name : zone.identifier))
        }
    }

    @Test(arguments: WindowsZoneTable.microsoftIndexes)
    func everyIndexValueResolves(entry: MicrosoftIndexEntry) throws {
        let zone = try #require(AutotaskZoneResolver.zone(windowsID: entry.windowsID))
        var texts = [entry.text, "\(entry.value)", " \(entry.text) "]
        if entry.value < 1000 {
            texts += [String(format: "%03d", entry.value), String(format: "%05d", entry.value)]
        } else {
            texts += [String(format: "0x%X", entry.value), String(format: "0x%x", entry.value)]
        }
        for text in texts {
            let resolved = try #require(AutotaskZoneResolver.resolve(microsoftIndex: text), "\(text)")
            #expect(resolved.identifier == zone.identifier, "\(text)")
            #expect(resolved.windowsID == zone.windowsID)
            #expect(resolved.form == .microsoftIndex)
            #expect(TimeZone(identifier: resolved.identifier) != nil)
            #expect(AutotaskZoneResolver.resolve(label: text) == resolved.relabelled(text))
        }
    }

    /// Microsoft's own display names of the index table are old wordings: each reads as its own zone or,
    /// where Windows has since split or moved the zone, as nothing — never as another zone.
    /// Most of those old wordings still read (so the test above checks something); the rest are the
    /// zones Windows split or moved since.
    @Test func mostIndexDisplayNamesStillRead() {
        let read = WindowsZoneTable.microsoftIndexes.filter {
            AutotaskZoneResolver.resolve(label: $0.listedDisplayName) != nil
        }
        #expect(read.count * 4 >= WindowsZoneTable.microsoftIndexes.count * 3, "\(read.count) read")
    }

    @Test(arguments: WindowsZoneTable.microsoftIndexes)
    func indexDisplayNamesNeverMisread(entry: MicrosoftIndexEntry) {
        if let resolved = AutotaskZoneResolver.resolve(label: entry.listedDisplayName) {
            #expect(resolved.windowsID == entry.windowsID, "\(entry.listedDisplayName)")
        }
    }

    @Test(arguments: WindowsZoneTable.microsoftIndexes)
    func listedWindowsIDsResolve(entry: MicrosoftIndexEntry) throws {
        let resolved = try #require(AutotaskZoneResolver.resolve(label: entry.listedWindowsID))
        #expect(resolved.windowsID == entry.windowsID)
        #expect(resolved.form == .windowsID)
    }

    @Test(arguments: [
        ("35", "America/New_York"), ("20", "America/Chicago"), ("10", "America/Denver"),
        ("4", "America/Los_Angeles"), ("85", "Europe/London"), ("190", "Asia/Kolkata"),
        ("193", "Asia/Kathmandu"), ("0x80000050", "Etc/UTC"), ("2147483728", "Etc/UTC"),
        ("175", "Asia/Kabul"), ("013", "America/Mazatlan"), ("0x8000004A", "Asia/Yerevan"),
    ])
    func autotaskIndexExamples(text: String, identifier: String) {
        #expect(AutotaskZoneResolver.resolve(microsoftIndex: text)?.identifier == identifier)
    }
}

extension ResolvedTimeZone {
    /// The same resolution as `resolve(label:)` explains it.
    fileprivate func relabelled(_ label: String) -> ResolvedTimeZone {
        var copy = self
        copy.explanation = "label \"\(label)\" read as " + explanation
        return copy
    }
}
