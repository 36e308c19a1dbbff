/// Writes a ``PlanAnswer`` as the answer document of `docs/plan-format.md`.
///
/// Keys come in a fixed order and every list in the planner's order, so the same problem gives
/// byte-identical output; one entry per line keeps answers readable and diffs small.
public enum PlanDocumentWriter {
    /// `answer` as UTF-8 JSON, ending in a newline.
    public static func bytes(for answer: PlanAnswer) -> [UInt8] {
        var out = JSONOutput()
        out.raw("{\n  \"technicians\": [")
        for (index, technician) in answer.technicians.enumerated() {
            out.raw(index == 0 ? "\n    {\n      \"id\": " : ",\n    {\n      \"id\": ")
            out.string(technician.id)
            out.raw(",\n      \"workboard\": [")
            out.entries(technician.workboard) { out, entry in
                out.raw("{\"activityId\": ")
                out.string(entry.activityId)
                out.raw(", \"position\": ")
                out.integer(entry.position)
                out.raw(", \"estimatedStart\": ")
                out.instant(entry.estimatedStart)
                out.raw(", \"estimatedFinish\": ")
                out.instant(entry.estimatedFinish)
                out.raw(", \"dueDateTime\": ")
                out.instant(entry.dueDateTime)
                out.raw(entry.atRisk ? ", \"atRisk\": true}" : ", \"atRisk\": false}")
            }
            out.raw(",\n      \"calendar\": [")
            out.entries(technician.calendar) { out, block in
                out.raw("{\"activityId\": ")
                out.string(block.activityId)
                out.raw(", \"start\": ")
                out.instant(block.start)
                out.raw(", \"end\": ")
                out.instant(block.end)
                out.raw(", \"part\": ")
                out.integer(block.part)
                out.raw(", \"parts\": ")
                out.integer(block.parts)
                out.raw("}")
            }
            out.raw(",\n      \"unscheduled\": [")
            out.entries(technician.unscheduled) { out, item in
                out.raw("{\"activityId\": ")
                out.string(item.activityId)
                out.raw(", \"reason\": ")
                out.string(item.reason.description)
                out.raw("}")
            }
            out.raw("\n    }")
        }
        out.raw(answer.technicians.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        return out.bytes
    }
}

/// A growing UTF-8 buffer with the few JSON pieces the writer needs, appended byte by byte: the
/// answer for a thousand technicians holds a quarter of a million instants, so none of them may cost
/// an allocation.
struct JSONOutput {
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1 << 16)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int) {
        // Small integers are small strings: no allocation.
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func instant(_ instant: Instant?) {
        guard let instant else { return raw("null") }
        bytes.append(UInt8(ascii: "\""))
        RFC3339.append(instant, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string, escaping what RFC 8259 requires.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(UInt8(ascii: byte < 0x10 ? "0" : "1"))
                let low = byte & 0x0F
                bytes.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A list body: each element on its own line, or nothing for an empty list; closes the bracket.
    mutating func entries<Element>(_ elements: [Element], _ write: (inout JSONOutput, Element) -> Void) {
        for (index, element) in elements.enumerated() {
            raw(index == 0 ? "\n        " : ",\n        ")
            write(&self, element)
        }
        raw(elements.isEmpty ? "]" : "\n      ]")
    }
}
