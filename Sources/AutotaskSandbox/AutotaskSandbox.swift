// AutotaskSandbox is a local emulator of the Autotask REST API subset Liftoff uses.
//
// It answers the same URLs, headers, JSON shapes, paging, query semantics, validation errors and
// status codes as Autotask (as far as docs/autotask.md knows them), including zone discovery,
// ThresholdInformation, the hourly request threshold and the three-threads-per-endpoint limit, so
// that Liftoff's production client only needs another discovery URL to use it. It can inject faults
// (latency, server errors, timeouts, thread-limit and budget answers, a connection dropped after a
// write was applied) for tests, and seeds a realistic demo MSP. It must never be mistaken for
// Autotask: it keeps everything in memory (optionally in a JSON file) and trusts any caller that
// knows its configured credentials.
