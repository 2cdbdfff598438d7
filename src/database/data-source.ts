import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './database-options.js';

/** For the TypeORM CLI (`npx typeorm -d dist/src/database/data-source.js migration:show`). */
export default new DataSource(dataSourceOptions(loadConfig().databaseUrl));
