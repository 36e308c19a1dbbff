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

    static func load(on database: Database) async throws -> WorkflowSettings {
        guard let text = try await SettingsStore.get(settingKey, on: database) else { return WorkflowSettings() }
        return (try? JSONDecoder().decode(WorkflowSettings.self, from: Data(text.utf8))) ?? WorkflowSettings()
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
