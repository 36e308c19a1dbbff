import Fluent
import Foundation
import LiftoffCore

/// How long a Next Activity made by the rule is: by the ticket's queue, else its priority rank
/// (1 is the most urgent), else the default. Stored as the `activityRules` setting:
/// `{"defaultMinutes": 60, "byPriorityRank": {"1": 120}, "byQueue": {"29683355": 30}}`.
struct ActivityRules: Codable, Sendable, Equatable {
    static let settingKey = "activityRules"
    /// The longest activity a rule may make: a working day and a half would be split into blocks
    /// anyway; longer is almost surely a typo (minutes for hours).
    static let maximumMinutes = 1440

    var defaultMinutes = 60
    var byPriorityRank: [String: Int] = ["1": 120, "2": 90, "3": 60, "4": 45]
    var byQueue: [String: Int] = [:]

    func minutes(priorityRank: Int, queueID: Int?) -> Int {
        queueID.flatMap { byQueue[String($0)] } ?? byPriorityRank[String(priorityRank)] ?? defaultMinutes
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// From the API's JSON: every member checked, every error naming its field.
    init(json value: JSONValue) throws(Invalid) {
        guard case .object(let object) = value else {
            throw Invalid(description: "expected an object {defaultMinutes, byPriorityRank, byQueue}")
        }
        for key in object.keys where !["defaultMinutes", "byPriorityRank", "byQueue"].contains(key) {
            throw Invalid(description: "\(key) is not a field: use defaultMinutes, byPriorityRank and byQueue")
        }
        func minutes(_ value: JSONValue, _ field: String) throws(Invalid) -> Int {
            guard case .integer(let number) = value else {
                throw Invalid(description: "\(field) must be a whole number of minutes, got \(value.serializedText)")
            }
            guard (1...Int64(Self.maximumMinutes)).contains(number) else {
                throw Invalid(description: "\(field) must be 1 to \(Self.maximumMinutes) minutes, got \(number)")
            }
            return Int(number)
        }
        func table(_ field: String, key: String) throws(Invalid) -> [String: Int]? {
            guard let entry = object[field] else { return nil }
            guard case .object(let members) = entry else {
                throw Invalid(description: "\(field) must be an object of \(key) → minutes")
            }
            var result: [String: Int] = [:]
            for member in members.members {
                guard let number = Int(member.key), number > 0, String(number) == member.key else {
                    throw Invalid(description: "\(field).\(member.key): the key must be a positive \(key)")
                }
                result[member.key] = try minutes(member.value, "\(field).\(member.key)")
            }
            return result
        }
        if let value = object["defaultMinutes"] { defaultMinutes = try minutes(value, "defaultMinutes") }
        if let ranks = try table("byPriorityRank", key: "priority rank") { byPriorityRank = ranks }
        if let queues = try table("byQueue", key: "queue id") { byQueue = queues }
    }

    init() {}

    /// The stored rules, or the defaults when none are stored. A stored value that cannot be read
    /// throws ``UnreadableSetting`` — loud, not a silent fall-back to defaults, which would give every
    /// new activity a wrong length: the reflow stops with that message, and Settings shows it.
    static func load(on database: Database) async throws -> ActivityRules {
        try await UnreadableSetting.read(
            ActivityRules.self, key: settingKey, route: "/api/v1/settings/activity-rules", on: database)
            ?? ActivityRules()
    }

    func save(on database: Database) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await SettingsStore.set(
            Self.settingKey, String(decoding: try encoder.encode(self), as: UTF8.self), on: database)
    }
}

extension JSONValue {
    fileprivate var serializedText: String { String(decoding: serialized, as: UTF8.self) }
}
