/// What a customer can book: a kind of appointment with its length and the rules a slot must keep
/// (docs/scheduling.md, *Availability*). The Fixed Appointment Scheduler offers slots of one type.
public struct AppointmentType: Hashable, Sendable {
    /// Where the appointment happens; it decides nothing in planning, but the PSA call and the
    /// customer's confirmation say it.
    public enum Location: String, CaseIterable, Sendable {
        case remote, onsite, phone
    }

    /// How much room a slot needs from the technician's calendar.
    public enum Mode: String, CaseIterable, Sendable {
        /// The slot and its buffers lie in free time: no Next Activity block has to make room.
        case gapsOnly
        /// The slot may take time from Next Activity blocks, which then move; offered only where that
        /// makes no activity late that was not late before.
        case flexible
    }

    /// How long before a slot it must be booked.
    public enum Notice: Hashable, Sendable {
        /// Plain minutes from now.
        case minutes(Int)
        /// Minutes of the technician's working time from now: nights, weekends and holidays do not count.
        case businessMinutes(Int)
        /// Whole working days: the slot lies on the `n`-th working day after today (the technician's
        /// local today) or later. A working day has working time that time off does not cover.
        case businessDays(Int)
    }

    public var id: String
    public var name: String
    public var lengthMinutes: Int
    public var location: Location
    /// Slots start on the local wall-clock minutes divisible by this (15: :00, :15, :30, :45).
    public var startIncrementMinutes: Int
    /// Free time the slot needs before and after it (travel, notes); it may reach outside working
    /// hours but never into anything that blocks.
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    public var notice: Notice
    /// How far ahead a slot may start: before `now + bookingWindowDays × 24 h`.
    public var bookingWindowDays: Int
    /// At most this many bookings of the type per technician and local day (nil: no cap).
    public var maximumPerDay: Int?
    public var mode: Mode

    public init(
        id: String, name: String, lengthMinutes: Int, location: Location = .remote, startIncrementMinutes: Int = 15,
        bufferBeforeMinutes: Int = 0, bufferAfterMinutes: Int = 0, notice: Notice = .minutes(0),
        bookingWindowDays: Int = 14, maximumPerDay: Int? = nil, mode: Mode = .gapsOnly
    ) {
        self.id = id
        self.name = name
        self.lengthMinutes = lengthMinutes
        self.location = location
        self.startIncrementMinutes = startIncrementMinutes
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.notice = notice
        self.bookingWindowDays = bookingWindowDays
        self.maximumPerDay = maximumPerDay
        self.mode = mode
    }
}

/// One bookable time of one technician.
public struct BookingSlot: Hashable, Sendable {
    public var technicianId: String
    public var start: Instant
    public var end: Instant

    public init(technicianId: String, start: Instant, end: Instant) {
        self.technicianId = technicianId
        self.start = start
        self.end = end
    }
}
