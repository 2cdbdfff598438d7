import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * One definition of how we talk to PostgreSQL, shared by the app, the migration runner and the tests.
 * Entities are registered by the modules that own them (TypeOrmModule.forFeature), not listed here.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5000, application_name: 'reconnect' },
  };
}
