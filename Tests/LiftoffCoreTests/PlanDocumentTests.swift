import Foundation
import LiftoffCore
import Testing

/// The `liftoff plan` documents: every rule of docs/plan-format.md is checked and named.
@Suite struct PlanDocumentTests {
    /// A valid one-technician problem; `edit` changes it before it is serialised.
    static func document(_ edit: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        var technician: [String: Any] = [
            "id": "29682885",
            "timeZone": "America/New_York",
            "workSchedule": [
                "weekly": ["mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [["08:00", "17:00"]]],
                "exceptions": [["date": "2026-03-10", "shifts": []]],
            ],
            "busy": [
                [
                    "id": "A-17", "kind": "external", "start": "2026-03-09T15:00:00Z", "end": "2026-03-09T15:30:00Z",
                    "showAs": "busy",
                ]
            ],
            "nextActivities": [
                [
                    "id": "NA-1", "priority": 1, "durationMinutes": 120, "ticketCreated": "2026-03-01T10:12:00Z",
                    "sleepUntil": NSNull(),
                ]
            ],
        ]
        var root: [String: Any] = ["now": "2026-03-09T12:00:00Z", "technicians": [technician]]
        edit(&technician)
        root["technicians"] = [technician]
        edit(&root)
        return Array(try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]))
    }

    static func problems(_ bytes: [UInt8]) -> [String] {
        do {
            _ = try PlanDocumentReader.problem(from: bytes)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theBaseDocumentOfTheseTestsIsValid() throws {
        let problem = try PlanDocumentReader.problem(from: Self.document())
        #expect(problem.technicians.count == 1)
        #expect(problem.technicians[0].nextActivities.first?.durationMinutes == 120)
    }

    struct Breakage: Sendable, CustomTestStringConvertible {
        let name: String
        let expected: String
        let edit: @Sendable (inout [String: Any]) -> Void
        var testDescription: String { name }
    }

    static func technicianEdit(_ change: @escaping @Sendable (inout [String: Any]) -> Void)
        -> @Sendable (inout [String: Any]) -> Void
    {
        { object in if object["timeZone"] != nil { change(&object) } }
    }

    static func activityEdit(_ key: String, _ value: Any) -> @Sendable (inout [String: Any]) -> Void {
        nonisolated(unsafe) let value = value
        return technicianEdit { technician in
            var activities = technician["nextActivities"] as! [[String: Any]]
            activities[0][key] = value
            technician["nextActivities"] = activities
        }
    }

    static let breakages: [Breakage] = [
        Breakage(name: "now missing", expected: "now is missing") { root in
            if root["technicians"] != nil { root["now"] = nil }
        },
        Breakage(name: "now without zone", expected: "now must be an RFC 3339 instant with a zone designator") { root in
            if root["technicians"] != nil { root["now"] = "2026-03-09T12:00:00" }
        },
        Breakage(name: "technicians not a list", expected: "technicians must be a list, got an object") { root in
            if root["now"] != nil { root["technicians"] = [String: Any]() }
        },
        Breakage(
            name: "empty id", expected: "technicians[0]: id must be a non-empty string",
            edit: technicianEdit { $0["id"] = "" }),
        Breakage(
            name: "numeric id", expected: "technicians[0]: id must be a string, got a number",
            edit: technicianEdit { $0["id"] = 7 }),
        Breakage(
            name: "unknown zone", expected: "technician 29682885: timeZone must be an IANA time zone",
            edit: technicianEdit { $0["timeZone"] = "Mars/Olympus" }),
        Breakage(
            name: "offset zone", expected: "technician 29682885: timeZone must be an IANA time zone",
            edit: technicianEdit { $0["timeZone"] = "GMT+5" }),
        Breakage(
            name: "zone abbreviation", expected: "technician 29682885: timeZone must be an IANA time zone",
            edit: technicianEdit { $0["timeZone"] = "PST" }),
        Breakage(name: "now too late", expected: "now must be between 1900 and 9000") { root in
            if root["technicians"] != nil { root["now"] = "9999-12-31T12:00:00Z" }
        },
        Breakage(
            name: "schedule missing", expected: "technician 29682885: workSchedule is missing",
            edit: technicianEdit { $0["workSchedule"] = nil }),
        Breakage(
            name: "unknown weekday", expected: "technician 29682885: workSchedule.weekly: monday is not a weekday",
            edit: technicianEdit { $0["workSchedule"] = ["weekly": ["monday": [["08:00", "17:00"]]]] }),
        Breakage(
            name: "shift backwards",
            expected: "technician 29682885: workSchedule.weekly.mon[1]: shift ends before it starts",
            edit: technicianEdit {
                $0["workSchedule"] = ["weekly": ["mon": [["08:00", "12:00"], ["17:00", "13:00"]]]]
            }),
        Breakage(
            name: "shifts overlap",
            expected: "technician 29682885: workSchedule.weekly.tue[1]: shift 11:00–13:00 overlaps shift 08:00–12:00",
            edit: technicianEdit {
                $0["workSchedule"] = ["weekly": ["tue": [["08:00", "12:00"], ["11:00", "13:00"]]]]
            }),
        Breakage(
            name: "shift not a pair",
            expected: "technician 29682885: workSchedule.weekly.mon[0]: a shift must be a pair of times",
            edit: technicianEdit { $0["workSchedule"] = ["weekly": ["mon": [["08:00"]]]] }),
        Breakage(
            name: "bad time",
            expected:
                "technician 29682885: workSchedule.weekly.mon[0]: end must be a time from 00:00 to 24:00, got \"25:00\"",
            edit: technicianEdit { $0["workSchedule"] = ["weekly": ["mon": [["08:00", "25:00"]]]] }),
        Breakage(
            name: "bad exception date",
            expected: "technician 29682885: workSchedule.exceptions[0]: date must be a date YYYY-MM-DD",
            edit: technicianEdit { $0["workSchedule"] = ["exceptions": [["date": "2026-02-30", "shifts": []]]] }),
        Breakage(
            name: "duplicate exception",
            expected: "technician 29682885: workSchedule.exceptions[1]: date 2026-03-10 has an earlier exception",
            edit: technicianEdit {
                $0["workSchedule"] = [
                    "exceptions": [["date": "2026-03-10", "shifts": []], ["date": "2026-03-10", "shifts": []]]
                ]
            }),
        Breakage(
            name: "busy not a list", expected: "technician 29682885: busy must be a list, got a string",
            edit: technicianEdit { $0["busy"] = "none" }),
        Breakage(
            name: "unknown busy kind",
            expected:
                "technician 29682885: busy[0] (X): kind must be one of external, imported, fixed, timeOff, got \"meeting\"",
            edit: technicianEdit {
                $0["busy"] = [
                    ["id": "X", "kind": "meeting", "start": "2026-03-09T15:00:00Z", "end": "2026-03-09T16:00:00Z"]
                ]
            }),
        Breakage(
            name: "busy ends before start",
            expected: "technician 29682885: busy[0] (X): end 2026-03-09T14:00:00Z is before start 2026-03-09T15:00:00Z",
            edit: technicianEdit {
                $0["busy"] = [
                    ["id": "X", "kind": "imported", "start": "2026-03-09T15:00:00Z", "end": "2026-03-09T14:00:00Z"]
                ]
            }),
        Breakage(
            name: "unknown showAs",
            expected: "technician 29682885: busy[0]: showAs must be one of busy, free, tentative, oof",
            edit: technicianEdit {
                $0["busy"] = [
                    [
                        "kind": "external", "showAs": "away", "start": "2026-03-09T15:00:00Z",
                        "end": "2026-03-09T16:00:00Z",
                    ]
                ]
            }),
        Breakage(
            name: "unknown status",
            expected: "technician 29682885: busy[0]: status must be one of open, closed, canceled",
            edit: technicianEdit {
                $0["busy"] = [
                    ["kind": "fixed", "status": "done", "start": "2026-03-09T15:00:00Z", "end": "2026-03-09T16:00:00Z"]
                ]
            }),
        Breakage(
            name: "priority zero",
            expected: "technician 29682885: nextActivities[0] (NA-1): priority must be an integer from 1",
            edit: activityEdit("priority", 0)),
        Breakage(
            name: "duration as string",
            expected: "technician 29682885: nextActivities[0] (NA-1): durationMinutes must be an integer, got a string",
            edit: activityEdit("durationMinutes", "60")),
        Breakage(
            name: "fractional duration",
            expected: "technician 29682885: nextActivities[0] (NA-1): durationMinutes must be an integer, got 1.5",
            edit: activityEdit("durationMinutes", 1.5)),
        Breakage(
            name: "ticketCreated missing",
            expected: "technician 29682885: nextActivities[0] (NA-1): ticketCreated is missing",
            edit: activityEdit("ticketCreated", NSNull())),
        Breakage(
            name: "sleepUntil local",
            expected: "technician 29682885: nextActivities[0] (NA-1): sleepUntil must be an RFC 3339 instant",
            edit: activityEdit("sleepUntil", "2026-03-09 12:00")),
        Breakage(
            name: "startedAt number",
            expected:
                "technician 29682885: nextActivities[0] (NA-1): startedAt must be an RFC 3339 instant string, got a number",
            edit: activityEdit("startedAt", 1_772_805_600)),
        Breakage(
            name: "activity id empty",
            expected: "technician 29682885: nextActivities[0]: id must be a non-empty string",
            edit: activityEdit("id", "")),
        Breakage(
            name: "duplicate activity",
            expected: "technician 29682885: nextActivities[1]: id \"NA-1\" is used by an earlier activity",
            edit: technicianEdit { technician in
                let activities = technician["nextActivities"] as! [[String: Any]]
                technician["nextActivities"] = activities + activities
            }),
        Breakage(
            name: "alignment 7", expected: "settings: alignmentMinutes must be one of 1, 5, 10, 15, 20, 30, 60, got 7",
            edit: { root in if root["now"] != nil { root["settings"] = ["alignmentMinutes": 7] } }),
        Breakage(
            name: "negative free time", expected: "settings: minMinutesFreeBetweenActivities must be an integer from 0",
            edit: { root in if root["now"] != nil { root["settings"] = ["minMinutesFreeBetweenActivities": -1] } }),
        Breakage(
            name: "horizon zero", expected: "settings: horizonDays must be an integer from 1 to 366, got 0",
            edit: { root in if root["now"] != nil { root["settings"] = ["horizonDays": 0] } }),
        Breakage(
            name: "block on free as string",
            expected: "settings: blockOnFreeExternalAppointments must be true or false",
            edit: { root in if root["now"] != nil { root["settings"] = ["blockOnFreeExternalAppointments": "yes"] } }),
        Breakage(
            name: "increment 7",
            expected: "settings.bookingProfile: startIncrementMinutes must divide 60 or be a multiple of 60, got 7",
            edit: { root in
                if root["now"] != nil {
                    root["settings"] = ["bookingProfile": ["meetingMinutes": 30, "startIncrementMinutes": 7]]
                }
            }),
        Breakage(
            name: "technician settings",
            expected: "technician 29682885: settings: maxBlockMinutes must be an integer from 1",
            edit: technicianEdit { $0["settings"] = ["maxBlockMinutes": 0] }),
    ]

    @Test(arguments: breakages)
    func eachBrokenRuleIsNamed(_ breakage: Breakage) {
        let problems = Self.problems(Self.document(breakage.edit))
        #expect(problems.contains { $0.hasPrefix(breakage.expected) }, "got \(problems)")
    }

    @Test func duplicateTechniciansAreRefused() {
        let document = Self.document { root in
            if let technicians = root["technicians"] as? [Any] { root["technicians"] = technicians + technicians }
        }
        #expect(Self.problems(document) == ["technicians[1]: id \"29682885\" is used by an earlier technician"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let document = Self.document(
            Self.technicianEdit { technician in
                technician["timeZone"] = "Nowhere"
                technician["nextActivities"] = [["id": "NA-9", "priority": -1, "durationMinutes": 0]]
            })
        #expect(Self.problems(document).count == 4)
    }

    @Test(arguments: [
        ("", "not valid JSON: the document is empty at line 1, column 1"),
        ("   \n", "not valid JSON: the document is empty at line 2, column 1"),
        ("hello", "not valid JSON: unexpected character 'h' at line 1, column 1"),
        ("{\"now\": 1,}", "not valid JSON: expected a quoted key at line 1, column 11"),
        ("[1, 2", "not valid JSON: the document ends inside a list at line 1, column 6"),
        ("{\"a\": 1, \"a\": 2}", "not valid JSON: the key \"a\" appears twice in one object at line 1, column 10"),
        ("{} {}", "not valid JSON: unexpected text after the document at line 1, column 4"),
        ("\"\\ud800\"", "not valid JSON: an unpaired surrogate in a \\u escape at line 1, column 8"),
        ("[]", "the document must be a JSON object with now and technicians, got a list"),
    ])
    func malformedDocumentsSayWhereTheyBreak(text: String, expected: String) {
        #expect(Self.problems(Array(text.utf8)) == [expected])
    }

    @Test func invalidUTF8IsRefused() {
        #expect(Self.problems([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]).first?.contains("not valid UTF-8") == true)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        #expect(Self.problems(deep).first?.contains("nesting deeper than 64 levels") == true)
    }

    @Test func unknownFieldsAreIgnored() throws {
        let problem = try PlanDocumentReader.problem(
            from: Self.document { object in
                object["color"] = "blue"
                if object["timeZone"] != nil {
                    object["workSchedule"] = ["weekly": ["fri": [["09:00", "10:00"]]], "note": 1]
                }
            })
        #expect(problem.technicians[0].workSchedule.shifts(on: LocalDate("2026-03-06")!).count == 1)
    }

    /// Random bytes and random damage to a valid document never crash the reader.
    @Test func arbitraryBytesNeverCrashTheReader() {
        var generator = SplitMix64(seed: 42)
        let valid = Self.document()
        for round in 0..<3_000 {
            var bytes = valid
            if round % 3 == 0 {
                bytes = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                for _ in 0..<(1 + Int(generator.next() % 4)) where !bytes.isEmpty {
                    let position = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(Array("{}[],:\"0-.eZ".utf8)[Int(generator.next() % 12)], at: position)
                    }
                }
            }
            if let problem = try? PlanDocumentReader.problem(from: bytes) {
                _ = PlanDocumentWriter.bytes(for: Planner.plan(problem))
            }
        }
    }

    @Test func theAnswerDocumentMatchesThePlanFormatExample() throws {
        let example = try String(
            contentsOf: URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().appendingPathComponent("../../examples/problem.json"), encoding: .utf8)
        let answer = Planner.plan(try PlanDocumentReader.problem(from: Array(example.utf8)))
        let text = String(decoding: PlanDocumentWriter.bytes(for: answer), as: UTF8.self)
        #expect(
            text == """
                {
                  "technicians": [
                    {
                      "id": "29682885",
                      "workboard": [
                        {"activityId": "NA-1", "position": 1, "estimatedStart": "2026-03-06T14:00:00Z", "estimatedFinish": "2026-03-06T16:30:00Z", "dueDateTime": "2026-03-07T17:00:00Z", "atRisk": false}
                      ],
                      "calendar": [
                        {"activityId": "NA-1", "start": "2026-03-06T15:30:00Z", "end": "2026-03-06T17:30:00Z", "part": 1, "parts": 1}
                      ],
                      "unscheduled": []
                    }
                  ]
                }

                """)
    }

    @Test func stringsAreEscapedInTheAnswer() throws {
        let answer = PlanAnswer(technicians: [
            TechnicianPlan(id: "a\"b\\c\n\u{1}é", workboard: [], calendar: [], unscheduled: [])
        ])
        let text = String(decoding: PlanDocumentWriter.bytes(for: answer), as: UTF8.self)
        #expect(text.contains(#""id": "a\"b\\c\n\u0001é""#))
        let reparsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(reparsed != nil)
    }
}

/// A tiny deterministic generator, so random tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
