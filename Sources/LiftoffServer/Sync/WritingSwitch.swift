import Fluent
import Foundation

/// Whether Liftoff writes to Autotask at all: service calls and ticket statuses.
///
/// A new Store starts in **preview**: Calendar Reflow imports and plans but sends nothing, and the
/// Settings page shows what it would do, so an MSP can check every technician's zone and hours
/// against its production Autotask before the first service call appears in Outlook. An admin
/// switches writing on after reviewing it (Settings, `PUT /api/v1/settings/writing`, or
/// `--writing on` for scripted set-ups).
public enum WritingMode: String, Codable, Sendable, CaseIterable {
    case on
    case off

    /// Reads `on`/`off` (and the usual spellings of yes and no), naming the source in the error.
    public init(parsing text: String, source: String) throws(WritingModeError) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "on", "true", "yes", "1": self = .on
        case "off", "false", "no", "0", "preview": self = .off
        default: throw WritingModeError(source: source, value: text)
        }
    }
}

/// A `--writing` or `LIFTOFF_WRITING` value that is neither on nor off.
public struct WritingModeError: Error, CustomStringConvertible {
    public let source: String
    public let value: String
    public var description: String { "\(source) must be on or off, not \"\(value)\"" }
}

enum WritingSwitch {
    static let settingKey = "writing"

    /// The Store's switch. A Store from before the switch existed that already owns service calls
    /// was writing, and keeps writing: only a new Store starts in preview.
    static func mode(on database: Database) async throws -> WritingMode {
        if let text = try await SettingsStore.get(settingKey, on: database) {
            return WritingMode(rawValue: text) ?? .off
        }
        let owned = try await ServiceCallLinkRecord.query(on: database).count()
        return owned > 0 ? .on : .off
    }

    /// Sets the switch and records who did it; a change of mode is an audit entry of its own.
    static func set(_ mode: WritingMode, by who: String, at now: Date, on database: Database) async throws {
        let before = try await SettingsStore.get(settingKey, on: database)
        try await SettingsStore.set(settingKey, mode.rawValue, on: database)
        guard before != mode.rawValue else { return }
        let audit = AuditRecord()
        audit.at = now
        audit.action = mode == .on ? "writing on" : "writing off"
        audit.entity = "site"
        audit.detail = "by \(who)"
        try await audit.save(on: database)
    }
}
