import AutotaskAPI
import Foundation
import LiftoffCore
import Testing

@testable import AutotaskSandbox

/// Whatever form the sandbox's `timeZoneID` labels take, the demo offices' zones come back through
/// ``AutotaskZoneResolver`` as the IANA zones their calendars use, over the wire as Liftoff reads them.
@Suite struct SandboxZoneLabelTests {
    static let now = Date(timeIntervalSince1970: 1_773_238_997)

    @Test(arguments: ZoneLabelForm.allCases)
    func demoOfficeLabelsResolveToTheOfficeZones(form: ZoneLabelForm) async throws {
        let harness = try await SandboxHarness.start(
            records: DemoMSP.records(now: Self.now), configuration: SandboxConfiguration(zoneLabels: form))
        let fields = try await harness.client.fields(InternalLocationWithBusinessHours.self)
        let picklist = try #require(fields.first { $0.name == "timeZoneID" }?.picklistValues)
        let labels = Dictionary(uniqueKeysWithValues: picklist.map { ($0.value, $0.label) })
        let locations = try await harness.client.query(InternalLocationWithBusinessHours.self, filter: [.exist("id")])
        #expect(locations.count == DemoMSP.officeZones.count)
        for office in DemoMSP.officeZones {
            let location = try #require(locations.first { $0.name == office.name })
            let label = try #require(labels[String(location.timeZoneID ?? -1)])
            let resolved = try #require(AutotaskZoneResolver.resolve(label: label), "\(form): \(label)")
            #expect(resolved.identifier == office.zoneIdentifier, "\(form): \(label)")
            #expect(resolved.windowsID == office.windowsZone)
        }
        await harness.stop()
    }

    /// Every label of the picklist, in every form, reads as the Windows zone its value stands for.
    @Test(arguments: ZoneLabelForm.allCases)
    func everyPicklistLabelResolves(form: ZoneLabelForm) throws {
        for choice in SandboxCatalog.timeZoneChoices {
            let label = form.label(windowsID: choice.windowsID)
            let resolved = try #require(AutotaskZoneResolver.resolve(label: label), "\(form): \(label)")
            #expect(resolved.windowsID == choice.windowsID, "\(form): \(label)")
        }
    }

    @Test func labelsOfEachForm() {
        #expect(ZoneLabelForm.windowsID.label(windowsID: "Eastern Standard Time") == "Eastern Standard Time")
        #expect(
            ZoneLabelForm.display.label(windowsID: "Eastern Standard Time") == "(UTC-05:00) Eastern Time (US & Canada)")
        #expect(
            ZoneLabelForm.gmtDisplay.label(windowsID: "Eastern Standard Time")
                == "(GMT-05:00) Eastern Time (US & Canada)")
        #expect(
            ZoneLabelForm.gmtDisplay.label(windowsID: "GMT Standard Time")
                == "(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London")
        #expect(ZoneLabelForm.gmtDisplay.label(windowsID: "UTC") == "(GMT) Coordinated Universal Time")
        #expect(ZoneLabelForm.index.label(windowsID: "Eastern Standard Time") == "35")
        #expect(ZoneLabelForm.index.label(windowsID: "India Standard Time") == "190")
        #expect(ZoneLabelForm.index.label(windowsID: "Lord Howe Standard Time") == "(UTC+10:30) Lord Howe Island")
    }

    /// `InternalLocations.timeZone` carries the Microsoft index value, as Autotask's does.
    @Test func internalLocationsCarryTheMicrosoftIndex() throws {
        let locations = DemoMSP.records(now: Self.now)["InternalLocations"] ?? []
        var indexes: [String] = []
        for office in DemoMSP.officeZones {
            let location = try #require(locations.first { $0["name"] == .string(office.name) })
            guard case .string(let index)? = location["timeZone"] else {
                Issue.record("\(office.name) has no timeZone text")
                continue
            }
            indexes.append(index)
            #expect(AutotaskZoneResolver.resolve(microsoftIndex: index)?.identifier == office.zoneIdentifier)
        }
        #expect(indexes == ["35", "85", "190"])
    }
}
