import Fluent
import Foundation
import Vapor

/// What each Workboard action does besides changing the activity: whether new activities wait to be
/// accepted, and which ticket status each action sets in Autotask (by picklist label, nil = none).
struct WorkflowSettings: Content, Equatable {
    var requireAcceptance = false
    var statusOnAccept: String?
    var statusOnDecline: String?
    var statusOnStart: String? = "In Progress"
    var statusOnComplete: String? = "Complete"
    var statusOnCancel: String?

    static let settingKey = "workflow"

    /// The workflow in force: the stored one, or the defaults when none is stored — or when the stored
    /// one cannot be read, which the log says at error level each time and Settings shows at the top
    /// (``UnreadableSetting``); Workboard actions keep working meanwhile.
    static func load(on database: Database) async throws -> WorkflowSettings {
        do {
            return try await stored(on: database) ?? WorkflowSettings()
        } catch let problem as UnreadableSetting {
            database.logger.error("\(problem.description); the default workflow applies meanwhile")
            return WorkflowSettings()
        }
    }

    /// The stored workflow, nil when none is stored; throws ``UnreadableSetting`` when it cannot be read.
    static func stored(on database: Database) async throws -> WorkflowSettings? {
        try await UnreadableSetting.read(
            WorkflowSettings.self, key: settingKey, route: "/api/v1/settings/workflow", on: database)
    }

    /// Saves the workflow. Turning pending accept off releases the activities still waiting: they
    /// become open and are planned, rather than stranded in a lane that is no longer shown.
    func save(on database: Database) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(self), as: UTF8.self)
        let release = !requireAcceptance
        try await database.transactionStartingOverWhenBusy { transaction in
            try await SettingsStore.set(Self.settingKey, text, on: transaction)
            if release {
                try await NextActivityRecord.query(on: transaction).filter(\.$state == "pending")
                    .set(\.$state, to: "open").update()
            }
        }
    }

    func status(for action: ActivityAction) -> String? {
        switch action {
        case .accept: return statusOnAccept
        case .decline: return statusOnDecline
        case .start: return statusOnStart
        case .complete: return statusOnComplete
        case .cancel: return statusOnCancel
        }
    }
}

/// One value of Autotask's ticket status picklist, as the last import saw it.
struct TicketStatusChoice: Codable, Sendable, Equatable {
    var value: Int
    var label: String

    static let settingKey = "picklist:ticket-status"

    /// The imported picklist, or Autotask's default statuses before the first import.
    static func load(on database: Database) async throws -> [TicketStatusChoice] {
        if let text = try await SettingsStore.get(settingKey, on: database),
            let choices = try? JSONDecoder().decode([TicketStatusChoice].self, from: Data(text.utf8)), !choices.isEmpty
        {
            return choices
        }
        return [
            .init(value: 1, label: "New"), .init(value: 5, label: "Complete"),
            .init(value: 7, label: "Waiting Customer"), .init(value: 8, label: "In Progress"),
        ]
    }
}
