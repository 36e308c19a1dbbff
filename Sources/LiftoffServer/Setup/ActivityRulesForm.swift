import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The Settings page's *Next Activity lengths* form: the default, one field per priority rank the
/// tenant has (at least four), and one `queue id = minutes` line per queue.
struct ActivityRulesForm: Encodable {
    struct Rank: Encodable {
        var key: String
        var label: String
        var value: String
    }

    var defaultMinutes: Int
    var ranks: [Rank]
    var byQueue: String

    init(_ rules: ActivityRules) {
        defaultMinutes = rules.defaultMinutes
        let known: [Int] = rules.byPriorityRank.keys.compactMap { Int($0) }
        let highest: Int = max(4, known.max() ?? 0)
        ranks = (1...highest).map { (rank: Int) -> Rank in
            let key = String(rank)
            let minutes: Int? = rules.byPriorityRank[key]
            return Rank(
                key: key, label: rank == 1 ? "1 (most urgent)" : key, value: minutes.map { String($0) } ?? "")
        }
        byQueue = rules.byQueue.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
    }

    /// The posted form as the API's JSON, so both are checked by the same reader with the same
    /// field-named errors.
    static func json(from form: [String: String]) throws(ActivityRules.Invalid) -> JSONValue {
        func number(_ text: String, _ field: String) throws(ActivityRules.Invalid) -> JSONValue {
            guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw ActivityRules.Invalid(description: "\(field): \"\(text)\" is not a whole number of minutes")
            }
            return .integer(value)
        }
        var object = JSONObject()
        object["defaultMinutes"] = try number(form["defaultMinutes"] ?? "", "defaultMinutes")
        var ranks = JSONObject()
        for (key, value) in form.sorted(by: { $0.key < $1.key }) where key.hasPrefix("rank") {
            let text = value.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let rank = String(key.dropFirst(4))
            ranks[rank] = try number(text, "byPriorityRank.\(rank)")
        }
        object["byPriorityRank"] = .object(ranks)
        var queues = JSONObject()
        for line in (form["byQueue"] ?? "").split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw ActivityRules.Invalid(description: "byQueue: \"\(text)\" is not a line like 29683355 = 30")
            }
            queues[parts[0]] = try number(parts[1], "byQueue.\(parts[0])")
        }
        object["byQueue"] = .object(queues)
        return .object(object)
    }
}
