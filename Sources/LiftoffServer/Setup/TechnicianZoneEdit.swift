import Fluent
import Foundation
import LiftoffCore

/// Sets or clears a technician's hand-set zone and weekly hours, as the connection page and
/// `PUT /api/v1/settings/technicians/{id}/zone` do. The hand-set values win over every later
/// import until cleared; clearing one brings back what Autotask gives.
struct TechnicianZoneEdit {
    /// nil leaves the value alone; `.clear` goes back to the import.
    enum Change<Value: Equatable>: Equatable {
        case set(Value)
        case clear
    }

    var timeZone: Change<String>?
    var weeklyHours: Change<WeeklyHours>?

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// An IANA name, or any form Autotask writes a zone in (a Windows id or display name), read the
    /// way the import reads it; the Store keeps the IANA name.
    static func zone(from text: String, field: String) throws(Invalid) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let resolved = AutotaskZoneResolver.resolve(label: trimmed) { return resolved.identifier }
        if trimmed.contains("/"), TimeZone(identifier: trimmed) != nil { return trimmed }
        throw Invalid(
            description:
                "\(field) \"\(text)\" is not a time zone Liftoff knows: give an IANA name such as America/New_York or Europe/London"
        )
    }

    /// Applies the edit to technician `id`, or throws when there is no such technician.
    func apply(to id: Int, by who: String, at now: Date, on database: Database) async throws -> TechnicianRecord {
        guard let record = try await TechnicianRecord.query(on: database).filter(\.$resourceID == id).first() else {
            throw Invalid(description: "there is no technician \(id)")
        }
        var changes: [String] = []
        switch timeZone {
        case .set(let zone)?:
            record.zoneOverride = zone
            changes.append("zone set to \(zone)")
        case .clear?:
            record.zoneOverride = nil
            changes.append("zone from Autotask")
        case nil: break
        }
        switch weeklyHours {
        case .set(let hours)?:
            record.hoursOverride = String(decoding: hours.json.serialized, as: UTF8.self)
            changes.append("weekly hours set")
        case .clear?:
            record.hoursOverride = nil
            changes.append("weekly hours from Autotask")
        case nil: break
        }
        record.settle()
        try await record.save(on: database)
        let audit = AuditRecord()
        audit.at = now
        audit.action = "technician zone"
        audit.entity = "Resources"
        audit.entityID = id
        audit.detail = "\(changes.joined(separator: ", ")) by \(who)"
        try await audit.save(on: database)
        try await PlanVersion.bump(on: database)
        return record
    }
}
