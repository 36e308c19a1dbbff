// AutotaskAPI is Liftoff's client for Autotask PSA's REST API (v1.0).
//
// It owns everything about talking to Autotask: zone discovery, the three authentication headers,
// typed query filters, paging through `nextPageUrl`, reads and writes of the entities a scheduler
// needs, and stewardship of the API budget that every integration of a tenant shares (10,000 requests
// per rolling hour, three concurrent requests per endpoint). It knows nothing about planning or the
// Store; it never retries a create blindly, because a duplicate service call is worse than a late one.
