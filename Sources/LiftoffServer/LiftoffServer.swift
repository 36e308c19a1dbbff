// LiftoffServer is the application around the planner: the Store (Fluent, on SQLite or
// PostgreSQL), the sync jobs that import from Autotask, plan with LiftoffCore and write service calls
// back through an outbox (Calendar Reflow), and the HTTP API.
//
// It never re-implements planning (LiftoffCore decides), never writes to Autotask except through the
// outbox, and never writes a service call it does not own.
