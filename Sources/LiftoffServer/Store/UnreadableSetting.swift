import Fluent
import Foundation
import Vapor

/// A stored setting whose text no longer reads as what it should be (edited by hand in the database,
/// or written by another version). It is never replaced by defaults in silence: the log says so at
/// error level each time it is read, and Settings names it with the way to fix it.
struct UnreadableSetting: AbortError, CustomStringConvertible, Sendable {
    /// The setting's key: `workflow`, `activityRules`.
    let key: String
    /// Where it is set again.
    let route: String
    let detail: String

    /// Through the API (`GET /api/v1/settings/activity-rules`): the server's data is at fault, and the
    /// answer says which and how to fix it.
    var status: HTTPResponseStatus { .internalServerError }
    var reason: String { description }

    var description: String {
        "the stored \(key) setting cannot be read (\(detail)); set it again on the Settings page or with PUT \(route)"
    }

    /// Reads the setting `key` as `T`: nil when none is stored, ``UnreadableSetting`` when it cannot be read.
    static func read<T: Decodable>(_ type: T.Type, key: String, route: String, on database: Database) async throws -> T?
    {
        guard let text = try await SettingsStore.get(key, on: database) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw UnreadableSetting(key: key, route: route, detail: BadInput.describe(error, body: nil))
        }
    }

    /// What Settings shows at the top: every stored setting that cannot be read.
    static func problems(on database: Database) async throws -> [String] {
        var problems: [String] = []
        do { _ = try await WorkflowSettings.stored(on: database) } catch let problem as UnreadableSetting {
            problems.append(problem.description)
        }
        do { _ = try await ActivityRules.load(on: database) } catch let problem as UnreadableSetting {
            problems.append(problem.description)
        }
        return problems
    }
}
