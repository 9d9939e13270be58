import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevServer, tail } from '../../../api/tools/dev-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const target = resolve(here, '..', '..', 'target');

/** Starts the API jar (which serves the console) once for the run; tests read API_BASE_URL. */
export default async function globalSetup() {
  mkdirSync(target, { recursive: true });
  const logFile = join(target, 'api.log');
  const jar = process.env.API_JAR || resolve(here, '..', '..', '..', 'api', 'target', 'civic-points-api.jar');
  let server;
  try {
    server = await startDevServer({ jar, logFile, name: 'console-e2e' });
  } catch (error) {
    console.error(`console e2e: ${error.message}\n${tail(logFile, 20)}`);
    throw error;
  }
  process.env.API_BASE_URL = server.baseUrl;
  console.log(`console e2e: API at ${server.baseUrl} (log in ${logFile})`);
  return async () => console.log(`console e2e: API ${await server.stop()}`);
}
