// LiftoffCore owns Liftoff's domain and its planner.
//
// It decides, for every technician, the Workboard order of their Next Activities, when each one is
// expected to start and finish (the work plan) and where its blocks go on the PSA calendar (the calendar
// plan), following `docs/scheduling.md`. It also reads and writes the `liftoff plan` documents of
// `docs/plan-format.md`, because the command line and the server's `POST /api/v1/plan` share them.
//
// What it must never do: perform I/O, read the clock or a random source, or keep global state. `now`
// is an input, so the same problem always yields byte-identical answers.
