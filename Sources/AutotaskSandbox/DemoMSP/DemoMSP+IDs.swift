extension DemoMSP {
    /// Ids in the ranges a real tenant hands out, so demo payloads look like production ones and the
    /// ranges of different entities never overlap by accident.
    enum IDs {
        static let firstLocation: Int64 = 90_682
        static let firstHolidaySet: Int64 = 101
        static let firstHoliday: Int64 = 1_001
        static let firstCompany: Int64 = 174
        static let firstResource: Int64 = 29_682_885
        static let firstTicket: Int64 = 7_000
        static let firstServiceCall: Int64 = 3_000
        static let firstServiceCallTicket: Int64 = 3_500
        static let firstServiceCallTicketResource: Int64 = 4_000
        static let firstAppointment: Int64 = 20_000
        static let firstTimeOffRequest: Int64 = 600
        static let firstResourceRoleQueue: Int64 = 900_000
        /// The "Service Desk Technician" role every technician works tickets under.
        static let serviceDeskRole: Int64 = 29_683_401
        static let serviceLevelAgreement: Int64 = 1
    }

    /// Ticket queues; the raw values are the tenant's picklist values.
    enum Queue: Int64 {
        case serviceDesk = 29_683_354
        case monitoringAlerts = 29_683_355
        case projectsIntake = 29_683_356
    }

    /// Ticket statuses used by the demo (Autotask's default picklist values).
    enum TicketStatus {
        static let new: Int64 = 1
        static let complete: Int64 = 5
        static let waitingCustomer: Int64 = 7
        static let inProgress: Int64 = 8
    }

    /// Default ticket priorities; values are not ranks (4 is the most urgent), which is exactly the trap
    /// the demo should exercise.
    enum Priority {
        static let high: Int64 = 1
        static let medium: Int64 = 2
        static let low: Int64 = 3
        static let critical: Int64 = 4

        /// Resolution SLA: how long after creation a ticket of this priority is due.
        static func resolutionSeconds(_ priority: Int64) -> Int64 {
            switch priority {
            case critical: return 4 * 3_600
            case high: return 86_400
            case medium: return 3 * 86_400
            default: return 7 * 86_400
            }
        }
    }
}
