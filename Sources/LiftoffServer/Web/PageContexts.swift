import Foundation
import Vapor

/// What every page's layout shows: the title, the navigation and the signed-in user.
struct Chrome: Encodable {
    var title: String
    /// `workboard`, `calendar` or `settings`: the current navigation entry.
    var nav: String
    var csrf: String
    var userName: String
    var role: String
    var canSettings: Bool
    var isAdmin: Bool
    var flashOK: String?
    var flashError: String?
    /// After a Workboard action: where its Undo posts, and the undo id (``ActivityWorkflow/undo``).
    var flashUndoURL: String?
    var flashUndoID: String?

    init(_ request: Request, title: String, nav: String) throws {
        let account = try request.account()
        self.title = title
        self.nav = nav
        csrf = CSRF.token(for: request)
        userName = account.displayName
        role = account.role.rawValue
        canSettings = account.canEditScheduling
        isAdmin = account.isAdmin
        flashOK = request.session.data["flash-ok"]
        flashError = request.session.data["flash-error"]
        flashUndoURL = request.session.data["flash-undo-url"]
        flashUndoID = request.session.data["flash-undo-id"]
        for key in ["flash-ok", "flash-error", "flash-undo-url", "flash-undo-id"] { request.session.data[key] = nil }
    }
}

extension Request {
    /// A message for the next page this session sees.
    func flash(ok message: String) { session.data["flash-ok"] = message }
    func flash(error message: String) { session.data["flash-error"] = message }
    /// An Undo button beside the next page's message.
    func flash(undo url: String, id: UUID) {
        session.data["flash-undo-url"] = url
        session.data["flash-undo-id"] = id.uuidString
    }
}

/// The Workboard's lanes, as the page and the live-update fragment render them.
struct LanesContext: Encodable {
    struct Button: Encodable {
        var action: String
        var label: String
        var needsReason: Bool
    }

    struct Card: Encodable {
        var activity: WorkboardView.Activity
        var buttons: [Button]
    }

    /// An appointment type a card's *Booking link…* can use.
    struct TypeOption: Encodable {
        var id: String
        var name: String
    }

    var csrf: String
    var technicianId: Int
    var planVersion: String
    var appointmentTypes: [TypeOption]
    var hasAppointmentTypes: Bool
    var pendingAcceptEnabled: Bool
    var started: [Card]
    var pending: [Card]
    var next: [Card]
    var fixed: [WorkboardView.Item]
    var external: [WorkboardView.Item]
    /// Leaf counts an empty list as true, so the template asks these.
    var hasStarted: Bool
    var hasPending: Bool
    var hasNext: Bool
    var hasFixed: Bool
    var hasExternal: Bool

    init(board: WorkboardView, csrf: String, appointmentTypes: [TypeOption] = []) {
        func card(_ activity: WorkboardView.Activity) -> Card {
            let actions: [ActivityAction]
            switch activity.state {
            case "pending": actions = [.accept, .decline]
            case "started": actions = [.complete, .cancel]
            default: actions = [.start, .complete, .cancel]
            }
            return Card(
                activity: activity,
                buttons: actions.map { Button(action: $0.rawValue, label: $0.label, needsReason: $0.needsReason) })
        }
        self.csrf = csrf
        self.appointmentTypes = appointmentTypes
        hasAppointmentTypes = !appointmentTypes.isEmpty
        technicianId = board.technician.id
        planVersion = board.planVersion
        pendingAcceptEnabled = board.pendingAcceptEnabled
        started = board.started.map(card)
        pending = board.pending.map(card)
        // Started work is shown once, under Working now, with its position; the list goes on after it.
        next = board.nextActivities.filter { $0.state != "started" }.map(card)
        fixed = board.fixed
        external = board.external
        hasStarted = !started.isEmpty
        hasPending = !pending.isEmpty
        hasNext = !next.isEmpty
        hasFixed = !fixed.isEmpty
        hasExternal = !external.isEmpty
    }
}
