import Foundation
import LiftoffCore
import Vapor

/// Turns a body that cannot be read into a 400 that names the field in plain words — never the
/// decoder's debug text, which means nothing to a dispatcher and tells an attacker about the code.
enum BadInput {
    /// Reads request bodies: date-times strictly as RFC 3339 with a zone, within ``Instants/supported``.
    static let jsonDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Instants.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: Instants.expected(text))
            }
            return date
        }
        return decoder
    }()

    /// The reason for a 400, naming the field: `durationMinutes must be a whole number`.
    static func describe(_ error: DecodingError, body: ByteBuffer?) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is missing"
        case .valueNotFound(let type, let context):
            guard !context.codingPath.isEmpty else { return "the body is empty: send \(words(type))" }
            return "\(field(context.codingPath)) must be \(words(type)), not null"
        case .typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else { return "the body must be \(words(type))" }
            return "\(field(context.codingPath)) must be \(words(type))"
        case .dataCorrupted(let context):
            if !context.codingPath.isEmpty {
                return "\(field(context.codingPath)) \(context.debugDescription)"
            }
            return describeUnreadable(body)
        @unknown default:
            return "the body cannot be read"
        }
    }

    /// A body Foundation refused as a whole: not JSON at all, or a number no field type can hold
    /// (`1e30`, `2^63`, `1.5` where a whole number belongs) — which Foundation reports without a field.
    private static func describeUnreadable(_ body: ByteBuffer?) -> String {
        guard let body, body.readableBytes > 0 else { return "the body is empty" }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(body.readableBytesView))
        } catch {
            return "the body is \(error.description)"
        }
        if let (path, number) = firstUnholdableNumber(in: value, path: "") {
            return
                "\(path.isEmpty ? "the body" : path) must be a whole number from \(Int.min) to \(Int.max), got \(number)"
        }
        return "the body cannot be read as the fields this route expects"
    }

    /// The first number that is not a whole number in 64 bits, and where it is.
    private static func firstUnholdableNumber(in value: JSONValue, path: String) -> (String, String)? {
        switch value {
        case .number(let number):
            return (path, number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : "\(number)")
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstUnholdableNumber(in: item, path: "\(path)[\(index)]") { return found }
            }
        case .object(let object):
            for member in object.members {
                let inner = path.isEmpty ? member.key : "\(path).\(member.key)"
                if let found = firstUnholdableNumber(in: member.value, path: inner) { return found }
            }
        default: break
        }
        return nil
    }

    /// `activities[2].sleepUntil`
    static func field(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "the body" : text
    }

    /// A Swift type in the words of the API documentation.
    static func words(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "text (a JSON string)"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "a date-time such as 2026-09-08T14:00:00Z"
        case is UUID.Type: return "an id"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            return "an object"
        }
    }
}

/// Date-times Liftoff accepts from clients: RFC 3339 with a zone (LiftoffCore's strict reader, so
/// `2026-02-31` and hour 25 are refused, not rolled over), between the years 1900 and 9000 — what
/// the planner supports; year 0000 or 99999 is a typo, not a plan.
enum Instants {
    static let supported = PlanDocumentReader.supportedNow

    static func date(_ text: String) -> Date? {
        guard let instant = RFC3339.parse(text), supported.contains(instant) else { return nil }
        return Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
    }

    static func expected(_ text: String) -> String {
        "must be a date-time such as 2026-09-08T14:00:00Z (RFC 3339 with a zone, a real date, years 1900–8999), got \"\(text.prefix(40))\""
    }
}

extension Request {
    /// The body (JSON or a form) as `T`, or a 400 naming the field that is wrong in plain words.
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            if headers.contentType == .json || headers.contentType == nil {
                guard let buffer = body.data, buffer.readableBytes > 0 else {
                    throw Abort(.badRequest, reason: "the body is empty: send a JSON object")
                }
                return try BadInput.jsonDecoder.decode(T.self, from: Data(buffer.readableBytesView))
            }
            return try content.decode(T.self)
        } catch let error as DecodingError {
            throw Abort(.badRequest, reason: BadInput.describe(error, body: body.data))
        }
    }
}
