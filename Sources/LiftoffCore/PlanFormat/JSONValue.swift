/// A parsed JSON document, kept close to the text so validation can tell `1` from `1.0` and name
/// exactly what is wrong.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type's name, as error messages say it ("expected an integer, got a string").
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON object's members in document order.
///
/// Plan documents hold tens of thousands of small objects; a list of pairs searched in order is
/// cheaper for them than a hashed dictionary, and keeps the order for messages.
public struct JSONObject: Hashable, Sendable {
    /// One `"key": value` pair. A struct rather than a tuple: tuple types' metadata is built at run
    /// time, which showed up when reading large documents.
    public struct Member: Hashable, Sendable {
        public let key: String
        public let value: JSONValue
    }

    public private(set) var members: [Member] = []

    public init() {}

    /// The value of `key`, or `nil` when the object has no such member.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var keys: [String] { members.map(\.key) }

    mutating func append(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
    }
}
