import Fluent
import Foundation

/// The Autotask ticket queues with the technicians who work them (`ResourceRoleQueues`), so an
/// appointment type can book a queue's team (docs/booking.md, *Appointment types*). Imported with the
/// technicians on every full import and kept as one setting: a few queues with a few hundred ids.
struct QueueTeam: Codable, Sendable, Equatable {
    var id: Int
    /// The queue's label in the Tickets `queueID` picklist; `Queue <id>` when the picklist lacks it.
    var name: String
    /// Resource ids of the active members, ascending.
    var members: [Int]
}

enum QueueTeams {
    static let settingKey = "autotask:queue-teams"

    /// The queues as last imported, by name; empty before the first import (or when the API user may
    /// not read `ResourceRoleQueues`).
    static func load(on database: Database) async throws -> [QueueTeam] {
        guard let text = try await SettingsStore.get(settingKey, on: database),
            let teams = try? JSONDecoder().decode([QueueTeam].self, from: Data(text.utf8))
        else { return [] }
        return teams
    }

    static func save(_ teams: [QueueTeam], on database: Database) async throws {
        let text = String(decoding: try JSONEncoder().encode(teams), as: UTF8.self)
        try await SettingsStore.set(settingKey, text, on: database)
    }

    /// Teams from the rows Autotask returned: rows with `isActive` false, or missing a queue or a
    /// resource, are not memberships; only `technicians` (active, imported) count; a queue with no
    /// member left is still listed (a type may name it, and then books nobody until someone joins).
    static func teams(
        from rows: [(queueID: Int?, resourceID: Int?, isActive: Bool?)], labels: [String: String],
        technicians: Set<Int>
    ) -> [QueueTeam] {
        var members: [Int: Set<Int>] = [:]
        for row in rows {
            guard let queue = row.queueID, let resource = row.resourceID else { continue }
            if members[queue] == nil { members[queue] = [] }
            if row.isActive ?? true, technicians.contains(resource) { members[queue]?.insert(resource) }
        }
        return members.map { queue, ids in
            QueueTeam(id: queue, name: labels[String(queue)] ?? "Queue \(queue)", members: ids.sorted())
        }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }
}
