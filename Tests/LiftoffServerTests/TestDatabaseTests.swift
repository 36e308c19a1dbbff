import Testing

/// Shows up as a skipped test, with the reason, in every `swift test` without PostgreSQL.
@Suite struct TestDatabaseTests {
    @Test(.enabled(if: TestDatabases.isPostgreSQLConfigured, Comment(rawValue: TestDatabases.missingPostgreSQL)))
    func theStoreTestsRunOnPostgreSQLToo() {
        #expect(TestDatabases.all.contains("postgres"))
    }
}
