import Foundation
import LiftoffCore
import Vapor

/// One technician's Workboard: what the page renders and `GET /api/v1/technicians/{id}/workboard`
/// answers. Times are RFC 3339 in UTC, with display text in the technician's own time zone.
struct WorkboardView: Content {
    struct Technician: Content {
        var id: Int
        var name: String
        var timeZone: String
        /// Why this technician's work has no times and no service calls, or nil.
        var attention: String? = nil
    }

    struct Activity: Content {
        var activityId: String
        var ticketId: Int
        var ticketNumber: String
        var ticketTitle: String
        /// Priority rank: 1 is the most urgent.
        var priority: Int
        /// 1-based Workboard position; nil while pending accept.
        var position: Int?
        var durationMinutes: Int
        var estimatedStart: String?
        var estimatedFinish: String?
        var dueDateTime: String?
        var atRisk: Bool
        /// `on-time`, `late` or `not-within-horizon` (``DueDateRisk``); nil without a due date.
        var risk: String?
        /// "due Tue 17:00", or when at risk by how much: "due Tue 17:00; the work finishes Wed 10:15,
        /// 17 h 15 min late". The work plan's estimate appears here only, where it matters.
        var dueText: String?
        /// The activity's blocks on the calendar (what Autotask and Outlook show), in order.
        var calendarBlocks: [Span]
        /// The same blocks as the technician reads them: "Tue 08:00 – 09:45", parts joined by commas.
        var calendarText: String
        /// `pending`, `open` or `started`.
        var state: String
        var startedAt: String?
        var unscheduledReason: String?
        /// The work plan's estimate (continuous work, no gaps) as text; the page shows ``calendarText``.
        var estimateText: String
        /// "started Tue 1 Dec 22:10": always with its date.
        var startedText: String?
    }

    struct Span: Content {
        var start: String
        var end: String
    }

    struct Item: Content {
        var id: String
        /// `fixed`, `imported` or `external`.
        var kind: String
        var title: String
        var start: String
        var end: String
        var timeText: String
        var imported: Bool
    }

    var technician: Technician
    var now: String
    var planVersion: String
    var pendingAcceptEnabled: Bool
    var pending: [Activity]
    var started: [Activity]
    var nextActivities: [Activity]
    var fixed: [Item]
    var external: [Item]

    /// The Workboard of `resourceID`, or nil when no active technician has it.
    static func make(snapshot: PlanSnapshot, resourceID: Int, pendingAcceptEnabled: Bool) -> WorkboardView? {
        guard let index = snapshot.indexByResource[resourceID] else { return nil }
        let record = snapshot.technicians[index]
        let plan = snapshot.answer.technicians[index]
        let zone = TimeZone(identifier: record.timeZone) ?? .gmt
        let horizonEnd = snapshot.madeAt.addingTimeInterval(Double(snapshot.problem.settings.horizonDays) * 86_400)
        let format = DisplayTime(timeZone: zone, now: snapshot.madeAt, from: snapshot.madeAt, to: horizonEnd)
        let unscheduled = Dictionary(
            plan.unscheduled.map { ($0.activityId, $0.reason.description) }, uniquingKeysWith: { first, _ in first })
        let blocksByActivity = Dictionary(grouping: plan.calendar, by: \.activityId)
        func activity(_ value: PlanSnapshot.ActivityValue, entry: WorkboardEntry?) -> Activity {
            let ticket = snapshot.tickets[value.ticketID]
            let start = entry?.estimatedStart.map(\.date)
            let finish = entry?.estimatedFinish.map(\.date)
            let risk = entry.flatMap(DueDateRisk.init)
            let blocks = (blocksByActivity[value.activityID] ?? []).sorted { $0.start < $1.start }
            let calendarText =
                value.state == "pending"
                ? "waiting to be accepted"
                : blocks.isEmpty
                    ? "not on the calendar"
                    : blocks.map { format.range($0.start.date, $0.end.date) }.joined(separator: ", ")
            // The snapshot holds pending and open activities only.
            let state = value.state == "open" && value.startedAt != nil ? "started" : value.state
            return Activity(
                activityId: value.activityID, ticketId: value.ticketID,
                ticketNumber: ticket?.number ?? "#\(value.ticketID)",
                ticketTitle: ticket?.title ?? "", priority: ticket?.priorityRank ?? 0, position: entry?.position,
                durationMinutes: value.durationMinutes, estimatedStart: start.map(AutotaskDateText.instant),
                estimatedFinish: finish.map(AutotaskDateText.instant),
                dueDateTime: entry?.dueDateTime.map { AutotaskDateText.instant($0.date) },
                atRisk: entry?.atRisk ?? false, risk: risk?.kind,
                dueText: risk?.sentence { format.reader.dayAndClock($0) },
                calendarBlocks: blocks.map {
                    Span(start: AutotaskDateText.instant($0.start.date), end: AutotaskDateText.instant($0.end.date))
                },
                calendarText: calendarText,
                state: state, startedAt: value.startedAt.map(AutotaskDateText.instant),
                unscheduledReason: unscheduled[value.activityID],
                estimateText: state == "pending"
                    ? "waiting to be accepted"
                    : (start.flatMap { s in finish.map { format.range(s, $0) } } ?? "not within the horizon"),
                startedText: value.startedAt.map {
                    "started \(format.reader.dayAndClock(CalendarReflowJob.instant($0)))"
                })
        }
        let next = plan.workboard.compactMap { entry in
            snapshot.activities[entry.activityId].map { activity($0, entry: entry) }
        }
        let pending = snapshot.activities.values.filter { $0.resourceID == resourceID && $0.state == "pending" }
            .sorted { $0.activityID < $1.activityID }.map { activity($0, entry: nil) }
        let (dayStart, dayEnd) = format.todaySpan
        var fixed: [Item] = []
        var external: [Item] = []
        for item in snapshot.busy[resourceID] ?? [] where item.end > snapshot.madeAt {
            let view = Item(
                id: item.source, kind: item.kind,
                title: item.title ?? (item.kind == "imported" ? "Service call" : "Appointment"),
                start: AutotaskDateText.instant(item.start), end: AutotaskDateText.instant(item.end),
                timeText: format.range(item.start, item.end), imported: item.kind == "imported")
            switch item.kind {
            case "fixed" where item.start < horizonEnd, "imported" where item.start < horizonEnd: fixed.append(view)
            case "external" where item.start < dayEnd && item.end > dayStart: external.append(view)
            default: break
            }
        }
        return WorkboardView(
            technician: Technician(
                id: record.resourceID, name: record.name, timeZone: record.timeZone, attention: record.attention),
            now: AutotaskDateText.instant(snapshot.madeAt), planVersion: snapshot.version,
            pendingAcceptEnabled: pendingAcceptEnabled, pending: pending,
            started: next.filter { $0.state == "started" },
            nextActivities: next, fixed: fixed, external: external)
    }
}
