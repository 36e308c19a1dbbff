import Foundation
import Testing

@testable import AutotaskAPI

/// The client reads Autotask's date-times with LiftoffCore's strict reader (the sandbox uses the same):
/// a date that does not exist is refused, never rolled into the next month.
@Suite struct AutotaskDateTests {
    @Test(arguments: ["2026-02-31T10:00:00Z", "2026-02-30T00:00:00", "2026-04-31T08:00:00.000", "2026-09-08T24:00:00Z"])
    func datesThatDoNotExistAreRefused(_ text: String) throws {
        #expect(AutotaskDate.parse(text) == nil)
        let body = Data(#"{"when": "\#(text)"}"#.utf8)
        #expect(throws: DecodingError.self) { try AutotaskDate.decoder.decode([String: Date].self, from: body) }
    }

    @Test func autotasksFormsAreRead() {
        let expected = Date(timeIntervalSince1970: 1_772_805_600)
        for text in [
            "2026-03-06T14:00:00Z", "2026-03-06T14:00:00", "2026-03-06T14:00:00.000", "2026-03-06T14:00:00.00Z",
        ] {
            #expect(AutotaskDate.parse(text) == expected, "\(text)")
        }
        #expect(AutotaskDate.format(expected.addingTimeInterval(0.9)) == "2026-03-06T14:00:00Z")
    }
}
