// Runs the Postman collection with newman against a freshly started API on its embedded defaults.
//
// Starts a copy of ../api/target/civic-points-api.jar with CIVIC_ENV=dev on 127.0.0.1 and free
// ports, in a temporary DATA_DIR; reads the port from its "listening on HOST:PORT" log line; waits
// for /health/ready; runs the collection with --env-var baseUrl=http://HOST:PORT; stops the API
// with SIGTERM (SIGKILL after 20 s); removes the temporary folder; exits 1 on any failed
// assertion or request error. Ends with "N passed, M failed" for the assertions.
//
// Usage: node run-newman.mjs [--jar <api jar>] [--base-url <url of a running API: start nothing>]
// The API's log goes to target/newman/api.log; newman's JUnit report to target/newman/junit.xml.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import newman from 'newman';
import { startDevServer, tail, waitUntilReady } from '../api/tools/dev-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const COLLECTION = join(here, 'civic-points.postman_collection.json');
const ENVIRONMENT = join(here, 'local.postman_environment.json');
const REPORT_DIR = join(here, 'target', 'newman');
const RUN_TIMEOUT_MS = 15 * 60_000;

function parseArgs(argv) {
  const options = { jar: resolve(here, '..', 'api', 'target', 'civic-points-api.jar'), baseUrl: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--jar') options.jar = resolve(argv[++i]);
    else if (argv[i] === '--base-url') options.baseUrl = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (use --jar <file> or --base-url <url>)`);
  }
  return options;
}

function runCollection(baseUrl) {
  return new Promise((resolveRun, rejectRun) => {
    newman.run({
      collection: JSON.parse(readFileSync(COLLECTION, 'utf8')),
      environment: JSON.parse(readFileSync(ENVIRONMENT, 'utf8')),
      envVar: [{ key: 'baseUrl', value: baseUrl }],
      // File bodies (the evidence photo under fixtures/) are found from here, whatever the cwd.
      workingDir: here,
      reporters: ['cli', 'junit'],
      reporter: { junit: { export: join(REPORT_DIR, 'junit.xml') } },
      timeoutRequest: 60_000,
      timeout: RUN_TIMEOUT_MS,
      color: 'off',
    }, (error, summary) => (error ? rejectRun(error) : resolveRun(summary)));
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(REPORT_DIR, { recursive: true });
  const apiLog = join(REPORT_DIR, 'api.log');
  let api;
  let stopping;
  const cleanUp = async () => {
    if (!stopping) {
      stopping = (async () => {
        if (api) console.log(`newman: API ${await api.stop()}`);
      })();
    }
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => { cleanUp().finally(() => process.exit(130)); });
  }

  try {
    let baseUrl = options.baseUrl;
    const started = Date.now();
    if (!baseUrl) {
      api = await startDevServer({ jar: options.jar, logFile: apiLog, name: 'newman' });
      baseUrl = api.baseUrl;
      console.log(`newman: API listening at ${baseUrl} (data in ${api.dataDir}, log in ${apiLog})`);
    } else {
      await waitUntilReady(baseUrl);
    }
    console.log(`newman: API ready after ${((Date.now() - started) / 1000).toFixed(1)} s; running the collection`);
    const runStarted = Date.now();
    const summary = await runCollection(baseUrl);
    const stats = summary.run.stats;
    const failures = summary.run.failures ?? [];
    const assertionsFailed = stats.assertions.failed;
    const assertionsPassed = stats.assertions.total - assertionsFailed;
    console.log(`newman: ${stats.requests.total} requests (${stats.requests.failed} failed), `
      + `${stats.assertions.total} assertions, ${stats.testScripts.failed} failing test scripts, `
      + `${((Date.now() - runStarted) / 1000).toFixed(1)} s`);
    const requestErrors = stats.requests.failed + stats.testScripts.failed + stats.prerequestScripts.failed;
    if (summary.run.error || requestErrors > 0 || assertionsFailed > 0 || failures.length > 0) {
      for (const failure of failures) {
        console.error(`newman: FAILED ${failure.source?.name ?? '?'}: ${failure.error?.test ?? ''} ${failure.error?.message ?? ''}`);
      }
      if (api) console.error(`newman: last API log lines:\n${tail(apiLog, 15)}`);
      process.exitCode = 1;
    }
    await cleanUp();
    console.log(`${assertionsPassed} passed, ${assertionsFailed} failed`);
  } catch (error) {
    console.error(`newman: ${error.message}`);
    if (api) console.error(`newman: last API log lines:\n${tail(apiLog, 15)}`);
    await cleanUp();
    process.exitCode = 1;
  }
}

await main();
