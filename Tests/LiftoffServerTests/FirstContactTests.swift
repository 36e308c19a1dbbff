import Fluent
import Foundation
import LiftoffCore
import Testing
import VaporTesting
import WallClock

@testable import AutotaskAPI
@testable import AutotaskSandbox
@testable import LiftoffServer

/// First contact with a real Autotask (issue 10): zones from every label form, never a silent UTC,
/// and a preview before anything is written.
@Suite(.serialized) struct FirstContactTests {
    /// Every call Liftoff owns, with its technician's zone as the Store has it.
    static func ownedCalls(_ harness: ServerHarness) async throws -> [(resource: Int, start: Date, end: Date)] {
        let links = try await ServiceCallLinkRecord.query(on: harness.database).all()
        let resourceOfCall = Dictionary(links.compactMap { link in link.serviceCallID.map { ($0, link.resourceID) } }) {
            first, _ in first
        }
        return await harness.serviceCalls().compactMap { record in
            guard let id = record.int("id"), let resource = resourceOfCall[id],
                let start = record.date("startDateTime"),
                let end = record.date("endDateTime")
            else { return nil }
            return (resource, start, end)
        }
    }

    /// Whether `start…end` lies in the demo's business hours (Mon–Fri 08:00–17:00) in `zone`.
    static func insideBusinessHours(_ start: Date, _ end: Date, zone: String) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let from = calendar.dateComponents([.weekday, .hour, .minute], from: start)
        let to = calendar.dateComponents([.weekday, .hour, .minute], from: end)
        let startMinute = from.hour! * 60 + from.minute!
        let endMinute = to.hour! * 60 + to.minute!
        return (2...6).contains(from.weekday!) && from.weekday == to.weekday && startMinute >= 8 * 60
            && endMinute <= 17 * 60
    }

    @Test(arguments: ZoneLabelForm.allCases)
    func everyLabelFormPlansEachTechnicianInTheirOfficesZone(_ form: ZoneLabelForm) async throws {
        try await ServerHarness.run("sqlite", sandboxConfiguration: SandboxConfiguration(zoneLabels: form)) {
            harness in
            let summary = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(summary.mode == "writing")
            let technicians = try await TechnicianRecord.query(on: harness.database).filter(\.$isActive == true).all()
            let expected = Dictionary(
                DemoMSP.officeZones.enumerated().map { index, office in (index, office.zoneIdentifier) }
            ) { first, _ in first }
            let zonesSeen = Set(technicians.map(\.timeZone))
            #expect(zonesSeen == Set(expected.values), "zones: \(zonesSeen)")
            for technician in technicians {
                #expect(technician.attention == nil, "\(technician.name): \(technician.attention ?? "")")
                #expect(technician.zoneSource?.isEmpty == false)
            }
            let calls = try await Self.ownedCalls(harness)
            #expect(calls.count > 0)
            let zoneOf = Dictionary(technicians.map { ($0.resourceID, $0.timeZone) }) { first, _ in first }
            let outside = calls.filter { !Self.insideBusinessHours($0.start, $0.end, zone: zoneOf[$0.resource]!) }
            #expect(outside.isEmpty, "\(outside.count) of \(calls.count) calls outside business hours")
        }
    }

    /// A location whose label and index value stop meaning anything: its technicians need
    /// attention, their calls are left exactly as they are and nothing new is written for them,
    /// until a dispatcher sets their zone by hand.
    @Test func anUnresolvableZoneNeedsAttentionAndItsCallsAreLeftAloneUntilSetByHand() async throws {
        let harness = try await ServerHarness.start("sqlite")
        do {
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let london = DemoMSP.officeZones.firstIndex { $0.zoneIdentifier == "Europe/London" }!
            var records = await harness.sandbox.records()
            var locations = records["InternalLocationWithBusinessHours"]!
            let londonID = locations[london].int("id")!
            locations[london]["timeZoneID"] = JSONValue.integer(987_654)  // not in the picklist: no label
            records["InternalLocationWithBusinessHours"] = locations
            records["InternalLocations"] = records["InternalLocations"]!.map { location in
                var location = location
                if location.int("id") == londonID { location["timeZone"] = "Mars Standard Time" }
                return location
            }
            await harness.sandbox.load(records)
            let stranded = try await TechnicianRecord.query(on: harness.database).filter(\.$locationID == londonID)
                .all()
            let strandedIDs = Set(stranded.map(\.resourceID))
            #expect(!strandedIDs.isEmpty)
            let before = try await Self.ownedCalls(harness)
            let theirsBefore = before.filter { strandedIDs.contains($0.resource) }
            #expect(!theirsBefore.isEmpty)

            harness.clock.advance(by: 3600)
            let run = try await harness.job.run(trigger: "test", fullImport: true)
            for technician in try await TechnicianRecord.query(on: harness.database).filter(
                \.$locationID == londonID
            ).all() {
                #expect(technician.attention?.contains("time zone unknown") == true)
                #expect(technician.attention?.contains("Mars Standard Time") == true, "\(technician.attention ?? "")")
                #expect(technician.importedTimeZone == nil)
            }
            // Their calls are untouched; what the plan would do to them is held and shown.
            let after = try await Self.ownedCalls(harness)
            let theirsAfter = after.filter { strandedIDs.contains($0.resource) }
            #expect(theirsAfter.map(\.start) == theirsBefore.map(\.start))
            #expect(theirsAfter.map(\.end) == theirsBefore.map(\.end))
            #expect(run.heldForAttention > 0)
            let held = try #require(await ReflowPreview.load(on: harness.database))
            #expect(held.mode == "held")
            #expect(held.changes.allSatisfy { strandedIDs.contains($0.technicianID) })
            // The planner gives them no times: their work stays on the Workboard, unscheduled.
            let plan = try await harness.plan()
            for technician in plan.technicians where strandedIDs.contains(Int(technician.id) ?? 0) {
                #expect(technician.calendar.isEmpty)
            }

            let first = stranded[0]
            var edit = TechnicianZoneEdit()
            edit.timeZone = .set(try TechnicianZoneEdit.zone(from: "Europe/London", field: "timeZone"))
            let fixed = try await edit.apply(to: first.resourceID, by: "test", at: harness.now, on: harness.database)
            #expect(fixed.attention == nil)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            // The full import keeps the hand-set zone.
            let record = try #require(
                await TechnicianRecord.query(on: harness.database).filter(\.$resourceID == first.resourceID).first())
            #expect(record.timeZone == "Europe/London")
            #expect(record.zoneOverride == "Europe/London")
            #expect(record.attention == nil)
            let calls = try await Self.ownedCalls(harness)
            let theirs = calls.filter { $0.resource == first.resourceID }
            #expect(!theirs.isEmpty)
            #expect(theirs.allSatisfy { Self.insideBusinessHours($0.start, $0.end, zone: "Europe/London") })
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// A new Store writes nothing — no call, no ticket status — until writing is switched on, and
    /// then writes what the preview showed.
    @Test func aNewStorePreviewsAndWritesOnlyOnceSwitchedOn() async throws {
        let harness = try await ServerHarness.start("sqlite", writing: nil)
        do {
            let requestsBefore = await harness.sandbox.records()["ServiceCalls"]?.count ?? 0
            let preview = try await harness.job.run(trigger: "test")
            #expect(preview.mode == "preview")
            #expect(preview.outcome == "preview")
            #expect(preview.created > 0)
            #expect(await harness.serviceCalls().count == requestsBefore)
            #expect(try await ServiceCallLinkRecord.query(on: harness.database).count() == 0)
            #expect(try await OutboxRecord.query(on: harness.database).count() == 0)
            let stored = try #require(await ReflowPreview.load(on: harness.database))
            #expect(stored.mode == "preview")
            #expect(stored.changes.filter { $0.kind == "create" }.count == preview.created)
            // Lines name the ticket and read in the technician's own zone, in the order of their day.
            #expect(preview.changes.allSatisfy { $0.contains("create ") })
            let shown = try #require(await PreviewView.load(on: harness.database))
            for group in shown.byTechnician {
                let starts = shown.changes.filter { $0.technicianId == group.technicianId }.compactMap(\.start)
                #expect(starts == starts.sorted(), "\(group.technicianName)'s preview is out of order")
                #expect(group.lines.count == starts.count)
            }

            // A Workboard ticket status waits too.
            let update = TicketUpdateRecord()
            update.ticketID = try #require(try await TicketRecord.query(on: harness.database).first()).ticketID
            update.status = 8
            update.state = "pending"
            update.attempts = 0
            update.reason = "test"
            update.createdAt = harness.now
            try await update.save(on: harness.database)
            let drained = try await TicketOutboxWorker(
                client: harness.client, database: harness.database, logger: harness.app.logger,
                clock: harness.clock.clock
            ).drain()
            #expect(drained.pending == 1)
            #expect(drained.done == 0)

            // A dry run writes nothing even with writing on.
            try await harness.app.setWriting(.on, by: "test", at: harness.now)
            let dry = try await harness.job.run(trigger: "test", dryRun: true)
            #expect(dry.mode == "dry-run")
            #expect(dry.created == preview.created)
            #expect(await harness.serviceCalls().count == requestsBefore)

            let written = try await harness.job.run(trigger: "test")
            #expect(written.mode == "writing")
            #expect(written.created == preview.created)
            #expect(await harness.serviceCalls().count == requestsBefore + preview.created)
            #expect(try await TicketUpdateRecord.query(on: harness.database).filter(\.$state == "pending").count() == 0)
            #expect(try await ReflowPreview.load(on: harness.database) == nil)

            // Switched off again: the next changes stay in the preview.
            try await harness.app.setWriting(.off, by: "test", at: harness.now)
            harness.clock.advance(by: 3 * 3600)
            let later = try await harness.job.run(trigger: "test")
            #expect(later.mode == "preview")
            #expect(await harness.serviceCalls().count == requestsBefore + preview.created)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func aStoreThatAlreadyWroteCallsKeepsWritingAfterTheUpgrade() async throws {
        let harness = try await ServerHarness.start("sqlite")
        do {
            _ = try await harness.job.run(trigger: "test")
            try await SettingRecord.query(on: harness.database).filter(\.$key == WritingSwitch.settingKey).delete()
            #expect(try await WritingSwitch.mode(on: harness.database) == .on)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test(
        arguments: [
            (#"{"mon": [["08:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "18:00"]]}"#, nil),
            (#"{"mon": [["17:00", "08:00"]]}"#, "weeklyHours.mon[0]: the end must be after the start"),
            (#"{"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}"#, "weeklyHours.mon[1]: shifts must be in order"),
            (#"{"mon": [["25:00", "26:00"]]}"#, "weeklyHours.mon[0]: start \"25:00\""),
            (#"{"mon": [["8:00", "12:00"]]}"#, "weeklyHours.mon[0]: start \"8:00\""),
            (#"{"monday": []}"#, "weeklyHours.monday is not a day"),
            (#"{"mon": "08:00-17:00"}"#, "weeklyHours.mon must be a list"),
            (#"{"sun": [["00:00", "24:00"]]}"#, nil),
        ] as [(String, String?)])
    func weeklyHoursFromTheAPINameTheWrongField(_ json: String, _ expected: String?) throws {
        let value = try JSONParser.parse(Array(json.utf8))
        do {
            _ = try WeeklyHours(json: value, field: "weeklyHours")
            #expect(expected == nil, "accepted \(json)")
        } catch {
            let message = try #require(expected, "refused \(json): \(error.description)")
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func weeklyHoursFromTheFormReadOneLinePerDay() throws {
        let hours = try WeeklyHours(form: ["mon": "08:00-12:00, 13:00–17:00", "tue": " ", "fri": "07:30-15:30"])
        #expect(hours.line("mon") == "08:00-12:00, 13:00-17:00")
        #expect(hours.line("tue") == "")
        #expect(hours.line("fri") == "07:30-15:30")
        #expect(throws: WeeklyHours.Invalid.self) { try WeeklyHours(form: ["wed": "nine to five"]) }
        do {
            _ = try WeeklyHours(form: ["wed": "09:00-08:00"])
            Issue.record("an end before the start was accepted")
        } catch {
            #expect(error.description == "Wednesday 09:00-08:00: the end must be after the start")
        }
    }

    @Test func aLabelAndAnIndexThatDisagreeNeedAttention() throws {
        let location = InternalLocationWithBusinessHours(id: 1, name: "HQ")
        let now = TestClock.start
        let agree = LocationZone.resolve(
            location: location, label: "(UTC-05:00) Eastern Time (US & Canada)", index: "35", at: now)
        #expect(agree.identifier == "America/New_York")
        #expect(agree.explanation.contains("agrees"))
        let disagree = LocationZone.resolve(
            location: location, label: "(UTC-05:00) Eastern Time (US & Canada)", index: "85", at: now)
        #expect(disagree.identifier == nil)
        #expect(disagree.explanation.contains("set the zone by hand"))
        let indexOnly = LocationZone.resolve(location: location, label: "Something odd", index: "190", at: now)
        #expect(indexOnly.identifier == "Asia/Kolkata")
        let neither = LocationZone.resolve(location: location, label: "Something odd", index: nil, at: now)
        #expect(neither.identifier == nil)
        #expect(neither.explanation.contains("\"Something odd\""))
        // Two names for one clock are no disagreement.
        #expect(LocationZone.sameClock("Europe/Berlin", "Europe/Paris", around: now))
        #expect(!LocationZone.sameClock("America/New_York", "America/Bogota", around: now))
    }
}
