// Runs before any test module loads: keep test output to the test runner's own.
process.env['LOG_LEVEL'] = process.env['TEST_LOG_LEVEL'] ?? 'silent';
