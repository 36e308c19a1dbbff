/// Something fixed on a technician's calendar that Next Activities are planned around.
public struct BusyItem: Hashable, Sendable {
    /// Where the item comes from; it decides whether and how the item blocks work.
    public enum Kind: String, CaseIterable, Sendable {
        /// An Exchange/Outlook event seen through Autotask Appointments (Calendly, FindTime, meetings).
        case external
        /// A service call that Liftoff did not create, such as a TimeZest booking.
        case imported
        /// An appointment Liftoff itself booked.
        case fixed
        /// Holidays, approved time off, away periods.
        case timeOff
    }

    /// An external event's free/busy flag.
    public enum ShowAs: String, CaseIterable, Sendable {
        case busy, free, tentative, oof
    }

    /// A fixed appointment's state; only `open` ones block.
    public enum Status: String, CaseIterable, Sendable {
        case open, closed, canceled
    }

    public var id: String?
    public var kind: Kind
    public var start: Instant
    public var end: Instant
    public var showAs: ShowAs?
    public var status: Status?
    public var title: String?

    public init(
        id: String? = nil, kind: Kind, start: Instant, end: Instant, showAs: ShowAs? = nil,
        status: Status? = nil, title: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.start = start
        self.end = end
        self.showAs = showAs
        self.status = status
        self.title = title
    }

    /// Whether the item keeps Next Activities out of its time.
    ///
    /// External events marked *free* block only when `blockOnFreeExternalAppointments` is on (the
    /// default, because Autotask drops the free/busy flag); fixed appointments stop blocking once
    /// `closed` or `canceled`; everything else always blocks.
    public func blocks(blockOnFreeExternalAppointments: Bool) -> Bool {
        switch kind {
        case .external: return showAs != .free || blockOnFreeExternalAppointments
        case .fixed: return status == nil || status == .open
        case .imported, .timeOff: return true
        }
    }
}
