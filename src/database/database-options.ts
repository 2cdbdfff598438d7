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

/**
 * The name of a few more connections whose sessions always run a prepared statement's generic plan
 * (plan_cache_mode), for statements written so that one plan is right for every value. PostgreSQL would
 * otherwise plan such a statement for its values on every run whenever its generic plan is costed above
 * the custom ones, as the text search's and a district's first pages of devices and tickets are: their
 * planning took about as long as their run. Statements whose plan must follow their values stay on the
 * main connections.
 */
export const GENERIC_PLANS = 'generic-plans';

export function genericPlanOptions(databaseUrl: string): DataSourceOptions {
  return {
    ...dataSourceOptions(databaseUrl),
    migrations: [],
    extra: {
      max: 4,
      connectionTimeoutMillis: 5000,
      application_name: 'reconnect-generic-plans',
      options: '-c plan_cache_mode=force_generic_plan',
    },
  };
}
