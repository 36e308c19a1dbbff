import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The *What Liftoff understood* page (`/connection`), the writing switch's form, and the form that
/// sets a technician's zone and hours by hand.
struct ConnectionPages: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        routes.get("connection", use: page)
        routes.post("connection", "technicians", ":technicianId", use: saveTechnician)
        // Registered under the dispatchers' guard (PageRoutes); the writing switch is for admins.
        routes.grouped(RequireRole(.admin)).post("settings", "writing", use: saveWriting)
        routes.post("settings", "activity-rules", use: saveActivityRules)
    }

    @Sendable func saveActivityRules(_ request: Request) async throws -> Response {
        do {
            let form = try request.decodeBody([String: String].self)
            let rules = try ActivityRules(json: ActivityRulesForm.json(from: form))
            try await rules.save(on: request.db)
            await runtime.changed()
            request.flash(ok: "Next Activity lengths saved; they apply to activities made from now on.")
        } catch let invalid as ActivityRules.Invalid {
            request.flash(error: invalid.description)
        }
        return request.redirect(to: "/settings#activity-rules", redirectType: .normal)
    }

    struct DayHours: Encodable {
        var key: String
        var name: String
        var value: String
    }

    struct Row: Encodable {
        var report: ConnectionReport.Technician
        var days: [DayHours]
        var zoneValue: String
        var appointments: String
        var importedCalls: String
        var holidays: String
    }

    struct Context: Encodable {
        var page: Chrome
        var report: ConnectionReport
        var rows: [Row]
        var attentionCount: Int
        var generatedAt: String
        var lastImport: String
    }

    @Sendable func page(_ request: Request) async throws -> View {
        let database = request.db
        let report = try await ConnectionReport.make(on: database, now: runtime.clock.now())
        let records = Dictionary(
            try await TechnicianRecord.query(on: database).filter(\.$isActive == true).all().map { ($0.resourceID, $0) }
        ) { first, _ in first }
        let rows = report.technicians.map { technician -> Row in
            let record = records[technician.id]
            let hand = record?.hoursOverride.flatMap { try? JSONParser.parse(Array($0.utf8)) }.flatMap {
                try? WeeklyHours(json: $0, field: "weekly")
            }
            let shown = hand ?? record?.weeklyHours
            return Row(
                report: technician,
                days: WeeklyHours.days.map {
                    DayHours(key: $0, name: WeeklyHours.dayNames[$0]!, value: shown?.line($0) ?? "")
                },
                zoneValue: technician.zoneOverride ?? "",
                appointments: "\(technician.appointments.last14Days) / \(technician.appointments.next14Days)",
                importedCalls:
                    "\(technician.importedServiceCalls.last14Days) / \(technician.importedServiceCalls.next14Days)",
                holidays: technician.holidaysAhead.isEmpty ? "none" : technician.holidaysAhead.joined(separator: ", "))
        }
        let context = Context(
            page: try Chrome(request, title: "What Liftoff understood", nav: "settings"), report: report, rows: rows,
            attentionCount: report.technicians.filter { $0.needsAttention != nil }.count,
            generatedAt: AutotaskDateText.instant(report.generatedAt),
            lastImport: report.lastImport.map(AutotaskDateText.instant) ?? "never — run a reflow first")
        return try await request.view.render("connection", context)
    }

    struct TechnicianForm: Decodable {
        var timeZone: String?
        var mon: String?
        var tue: String?
        var wed: String?
        var thu: String?
        var fri: String?
        var sat: String?
        var sun: String?
        /// `save` or `clear` (back to what Autotask gives).
        var action: String?
    }

    @Sendable func saveTechnician(_ request: Request) async throws -> Response {
        let account = try request.account()
        let id = request.parameters.get("technicianId", as: Int.self)
        let back = "/connection" + (id.map { "#technician-\($0)" } ?? "")
        do {
            guard let id else { throw TechnicianZoneEdit.Invalid(description: "choose a technician") }
            let input = try request.decodeBody(TechnicianForm.self)
            var edit = TechnicianZoneEdit()
            if input.action == "clear" {
                edit.timeZone = .clear
                edit.weeklyHours = .clear
            } else {
                let zone = input.timeZone?.trimmingCharacters(in: .whitespaces) ?? ""
                edit.timeZone =
                    zone.isEmpty ? .clear : .set(try TechnicianZoneEdit.zone(from: zone, field: "Time zone"))
                let lines = [
                    "mon": input.mon, "tue": input.tue, "wed": input.wed, "thu": input.thu, "fri": input.fri,
                    "sat": input.sat, "sun": input.sun,
                ].compactMapValues { $0 }
                let hours = try WeeklyHours(form: lines)
                edit.weeklyHours = hours.hasHours ? .set(hours) : .clear
            }
            let record = try await edit.apply(to: id, by: account.username, at: runtime.clock.now(), on: request.db)
            await runtime.changed()
            request.flash(
                ok: record.attention == nil
                    ? "\(record.name) is planned in \(record.timeZone) now; service calls follow with the next reflow."
                    : "\(record.name) saved, but still needs attention: \(record.attention ?? "")")
        } catch let invalid as TechnicianZoneEdit.Invalid {
            request.flash(error: invalid.description)
        } catch let invalid as WeeklyHours.Invalid {
            request.flash(error: invalid.description)
        }
        return request.redirect(to: back, redirectType: .normal)
    }

    struct WritingForm: Decodable {
        var writing: String
    }

    @Sendable func saveWriting(_ request: Request) async throws -> Response {
        let account = try request.account()
        do {
            let mode = try WritingMode(parsing: try request.decodeBody(WritingForm.self).writing, source: "writing")
            try await WritingSwitch.set(mode, by: account.username, at: runtime.clock.now(), on: request.db)
            await runtime.changed()
            request.flash(
                ok: mode == .on
                    ? "Writing is on: the next reflow, starting shortly, writes the service calls shown in the preview."
                    : "Writing is off: Liftoff keeps planning and shows here what it would write.")
        } catch let error as WritingModeError {
            request.flash(error: error.description)
        }
        return request.redirect(to: "/settings#writing", redirectType: .normal)
    }
}
