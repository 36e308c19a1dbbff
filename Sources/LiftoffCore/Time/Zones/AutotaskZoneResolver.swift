import Foundation

/// How a label or index value was understood.
public struct ResolvedTimeZone: Sendable, Equatable {
    /// Which kind of text the label turned out to be.
    public enum Form: String, Sendable, Codable {
        case windowsID, displayName, ianaName, microsoftIndex
    }

    /// IANA id, e.g. "America/New_York"; always one Foundation's `TimeZone(identifier:)` knows.
    public var identifier: String
    /// The Windows zone, e.g. "Eastern Standard Time"; nil for an IANA name CLDR does not list.
    public var windowsID: String?
    public var form: Form
    /// One sentence for the admin, e.g. `label "(GMT-05:00) Eastern Time (US & Canada)" read as the Windows
    /// display name of Eastern Standard Time → America/New_York`
    public var explanation: String

    public init(identifier: String, windowsID: String?, form: Form, explanation: String) {
        self.identifier = identifier
        self.windowsID = windowsID
        self.form = form
        self.explanation = explanation
    }
}

/// Reads the time zone labels and index values Autotask returns, into IANA zones.
///
/// Autotask does not document the label form of `InternalLocationWithBusinessHours.timeZoneID`; tenants
/// have shown Windows ids, Windows display names old and new, and IANA names. `InternalLocations.timeZone`
/// is a Microsoft Time Zone Index value. The resolver accepts all of these, leniently in spelling but
/// never guessing: a label that could mean two zones, or none, is nil, and only labels that mean UTC
/// resolve to UTC. The data is CLDR's and Microsoft's, generated into ``WindowsZoneTable``.
public enum AutotaskZoneResolver {
    /// Any picklist label form; a label that is only a number ("35", "0x80000040") is read as a
    /// Microsoft index value.
    public static func resolve(label: String) -> ResolvedTimeZone? {
        let text = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        let quoted = "label \"\(label)\""
        if let entry = indexEntry(text) {
            return resolved(entry, as: quoted + " read as Microsoft time zone index")
        }
        // Windows ids never start with "(": "(UTC)" is an offset without a place, not the id "UTC".
        let windowsKey = text.hasPrefix("(") ? "" : ZoneLabelText.key(text)
        if let zone = zoneByWindowsKey[windowsKey] {
            return resolved(zone, form: .windowsID) { identifier in
                "\(quoted) read as the Windows zone id \(zone.windowsID) → \(identifier)"
            }
        }
        if let (alias, current) = aliasByKey[windowsKey], let zone = zone(windowsID: current) {
            return resolved(zone, form: .windowsID) { identifier in
                "\(quoted) read as the former Windows zone id \(alias), now \(current) → \(identifier)"
            }
        }
        if let iana = ianaName(text, quoted: quoted) { return iana }
        switch DisplayNameMatcher.match(text) {
        case .exact(let zone):
            return resolved(zone, form: .displayName) { identifier in
                "\(quoted) read as the Windows display name of \(zone.windowsID) → \(identifier)"
            }
        case .olderWording(let zone):
            return resolved(zone, form: .displayName) { identifier in
                "\(quoted) read as an older wording of the Windows display name of \(zone.windowsID),"
                    + " \(zone.displayName) → \(identifier)"
            }
        case nil:
            return nil
        }
    }

    /// A Microsoft Time Zone Index value: "35", " 035 ", "0x80000040" or "2147483712".
    public static func resolve(microsoftIndex: String) -> ResolvedTimeZone? {
        let text = microsoftIndex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let entry = indexEntry(text) else { return nil }
        return resolved(entry, as: "Microsoft time zone index")
    }

    /// The Windows zone with id `windowsID` (a current id or a former one), in any letter case.
    public static func zone(windowsID: String) -> WindowsZone? {
        let key = ZoneLabelText.key(windowsID)
        return zoneByWindowsKey[key] ?? aliasByKey[key].flatMap { zoneByWindowsKey[ZoneLabelText.key($0.current)] }
    }

    /// The index value Microsoft lists first for the Windows zone `windowsID`; nil for zones newer than
    /// Microsoft's table (Lord Howe, Chatham Islands and many more).
    public static func microsoftIndex(windowsID: String) -> MicrosoftIndexEntry? {
        guard let zone = zone(windowsID: windowsID) else { return nil }
        return WindowsZoneTable.microsoftIndexes.first { $0.windowsID == zone.windowsID }
    }

    /// The index value written in decimal (leading zeros allowed) or in hex after `0x`.
    static func indexValue(_ text: String) -> UInt32? {
        if text.lowercased().hasPrefix("0x") {
            let digits = text.dropFirst(2)
            return digits.allSatisfy(\.isHexDigit) ? UInt32(digits, radix: 16) : nil
        }
        return text.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt32(text) : nil
    }

    private static func indexEntry(_ text: String) -> MicrosoftIndexEntry? {
        indexValue(text).flatMap { indexByValue[$0] }
    }

    private static let indexByValue: [UInt32: MicrosoftIndexEntry] = Dictionary(
        uniqueKeysWithValues: WindowsZoneTable.microsoftIndexes.map { ($0.value, $0) })

    private static let zoneByWindowsKey: [String: WindowsZone] = Dictionary(
        uniqueKeysWithValues: WindowsZoneTable.zones.map { (ZoneLabelText.key($0.windowsID), $0) })

    private static let aliasByKey: [String: (alias: String, current: String)] = Dictionary(
        uniqueKeysWithValues: WindowsZoneTable.windowsIDAliases.map { (ZoneLabelText.key($0.key), ($0.key, $0.value)) })

    private static let ianaByLowercase: [String: String] = Dictionary(
        WindowsZoneTable.windowsIDByIANA.keys.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// An IANA name: one CLDR lists (in any letter case), or any `Area/Location` name Foundation knows.
    private static func ianaName(_ text: String, quoted: String) -> ResolvedTimeZone? {
        if let name = ianaByLowercase[text.lowercased()], let windowsID = WindowsZoneTable.windowsIDByIANA[name],
            let zone = zone(windowsID: windowsID)
        {
            if TimeZone(identifier: name) != nil {
                return ResolvedTimeZone(
                    identifier: name, windowsID: windowsID, form: .ianaName,
                    explanation: "\(quoted) read as the IANA zone name \(name) (Windows zone \(windowsID))")
            }
            return resolved(zone, form: .ianaName) { identifier in
                "\(quoted) read as the IANA zone name \(name) of the Windows zone \(windowsID), which this system"
                    + " knows as \(identifier)"
            }
        }
        let isAreaLocation =
            text.contains("/")
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }
        guard isAreaLocation, TimeZone(identifier: text) != nil else { return nil }
        return ResolvedTimeZone(
            identifier: text, windowsID: nil, form: .ianaName,
            explanation: "\(quoted) read as the IANA zone name \(text), which CLDR's Windows table does not list")
    }

    private static func resolved(_ entry: MicrosoftIndexEntry, as subject: String) -> ResolvedTimeZone? {
        guard let zone = zone(windowsID: entry.windowsID) else { return nil }
        let listed = entry.listedWindowsID == zone.windowsID ? "" : " (listed as \(entry.listedWindowsID))"
        return resolved(zone, form: .microsoftIndex) { identifier in
            "\(subject) \(entry.text)\(listed): \(zone.windowsID) → \(identifier)"
        }
    }

    /// `zone` resolved to its first IANA id Foundation knows, saying so when that is not the preferred one.
    private static func resolved(
        _ zone: WindowsZone, form: ResolvedTimeZone.Form, explanation: (String) -> String
    ) -> ResolvedTimeZone? {
        guard let identifier = zone.identifier else { return nil }
        var sentence = explanation(identifier)
        if identifier != zone.ianaIDs[0] {
            sentence += " (this system's time zone data lacks \(zone.ianaIDs[0]))"
        }
        return ResolvedTimeZone(identifier: identifier, windowsID: zone.windowsID, form: form, explanation: sentence)
    }
}
