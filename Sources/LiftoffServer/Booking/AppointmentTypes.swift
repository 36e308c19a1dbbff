import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The Store's appointment types: read, checked and written in one place, for the API and the
/// Settings page alike.
enum AppointmentTypes {
    /// One stored type with its definition read back.
    struct Stored: Sendable {
        var id: UUID
        var definition: AppointmentTypeDefinition
        var archived: Bool
        var updatedAt: Date
        /// The members of the type's queue as last imported (empty when it names none, or the queue
        /// is gone).
        var queueMembers: [Int] = []

        /// The technicians the type books: its list, or its queue's team; nil means every active
        /// technician. A queue with nobody in it books nobody, never everyone.
        var technicians: [Int]? {
            if definition.queueId != nil { return queueMembers }
            return definition.technicianIds.isEmpty ? nil : definition.technicianIds
        }
    }

    /// Every type by name; archived ones only when asked.
    static func all(includingArchived: Bool = false, on database: Database) async throws -> [Stored] {
        var query = AppointmentTypeRecord.query(on: database).sort(\.$name)
        if !includingArchived { query = query.filter(\.$archived == false) }
        let queues = try await QueueTeams.load(on: database)
        return try await query.all().compactMap { Self.stored($0, queues: queues) }
    }

    /// The type with `id`, archived or not; nil when there is none.
    static func find(_ id: UUID, on database: Database) async throws -> Stored? {
        guard let record = try await AppointmentTypeRecord.find(id, on: database) else { return nil }
        return Self.stored(record, queues: try await QueueTeams.load(on: database))
    }

    /// Checks `definition` against the Store (known technicians, the ticket status picklist) and saves
    /// it as a new type (`id` nil) or over the type `id`. Throws 404 for an unknown id, 400 for a bad
    /// definition, with nothing written.
    static func save(
        _ definition: AppointmentTypeDefinition, id: UUID?, now: Date, on database: Database
    ) async throws -> Stored {
        let known = Set(
            try await TechnicianRecord.query(on: database).filter(\.$isActive == true).all().map(\.resourceID))
        let queues = try await QueueTeams.load(on: database)
        let checked = try definition.checked(
            technicians: known, statuses: try await TicketStatusChoice.load(on: database), queues: queues)
        let record: AppointmentTypeRecord
        if let id {
            guard let found = try await AppointmentTypeRecord.find(id, on: database) else {
                throw Abort(.notFound, reason: "no appointment type has id \(id)")
            }
            record = found
        } else {
            record = AppointmentTypeRecord()
            record.createdAt = now
            record.archived = false
        }
        record.name = checked.name
        record.definition = String(decoding: try Self.encoder.encode(checked), as: UTF8.self)
        record.updatedAt = now
        try await record.save(on: database)
        return Stored(
            id: try record.requireID(), definition: checked, archived: record.archived, updatedAt: now,
            queueMembers: Self.members(of: checked, in: queues))
    }

    /// Archives the type: no new bookings or links; what was booked with it keeps its name.
    static func archive(_ id: UUID, now: Date, on database: Database) async throws {
        guard let record = try await AppointmentTypeRecord.find(id, on: database) else {
            throw Abort(.notFound, reason: "no appointment type has id \(id)")
        }
        record.archived = true
        record.updatedAt = now
        try await record.save(on: database)
    }

    /// A stored row read back; a row whose JSON no longer reads is left out and logged, never a 500.
    private static func stored(_ record: AppointmentTypeRecord, queues: [QueueTeam]) -> Stored? {
        guard let id = record.id,
            let definition = try? JSONDecoder().decode(
                AppointmentTypeDefinition.self, from: Data(record.definition.utf8))
        else { return nil }
        return Stored(
            id: id, definition: definition, archived: record.archived, updatedAt: record.updatedAt,
            queueMembers: members(of: definition, in: queues))
    }

    private static func members(of definition: AppointmentTypeDefinition, in queues: [QueueTeam]) -> [Int] {
        guard let queue = definition.queueId else { return [] }
        return queues.first { $0.id == queue }?.members ?? []
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

/// The bookable slots of one type from the plan the pages show (docs/booking.md, *Availability*):
/// the technicians the type names (all active ones when it names none), each with their working
/// hours, what blocks them and their calendar plan, through ``Availability/slots(of:for:settings:now:from:to:)``.
enum BookableSlots {
    struct Answer: Sendable {
        var technicians: [PlanSnapshot.TechnicianRecordValue]
        var slots: [BookingSlot]
    }

    /// `only` narrows to one technician (who must be among the type's).
    static func find(
        _ stored: AppointmentTypes.Stored, in snapshot: PlanSnapshot, now: Date, from: Date, to: Date, only: Int?
    ) -> Answer {
        var chosen = stored.technicians ?? snapshot.technicians.map(\.resourceID)
        if let only { chosen = chosen.filter { $0 == only } }
        var calendars: [Availability.Calendar] = []
        var technicians: [PlanSnapshot.TechnicianRecordValue] = []
        for resourceID in chosen {
            guard let index = snapshot.indexByResource[resourceID], snapshot.technicians[index].attention == nil
            else { continue }
            technicians.append(snapshot.technicians[index])
            calendars.append(
                Availability.Calendar(
                    technician: snapshot.problem.technicians[index], plan: snapshot.answer.technicians[index]))
        }
        let slots = Availability.slots(
            of: stored.definition.appointmentType(id: stored.id.uuidString), for: calendars,
            settings: snapshot.problem.settings, now: CalendarReflowJob.instant(now),
            from: CalendarReflowJob.instant(from), to: CalendarReflowJob.instant(to))
        return Answer(technicians: technicians, slots: slots)
    }
}
