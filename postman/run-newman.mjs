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
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import newman from 'newman';

const here = dirname(fileURLToPath(import.meta.url));
const COLLECTION = join(here, 'civic-points.postman_collection.json');
const ENVIRONMENT = join(here, 'local.postman_environment.json');
const REPORT_DIR = join(here, 'target', 'newman');
const START_TIMEOUT_MS = 240_000;
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;
const RUN_TIMEOUT_MS = 15 * 60_000;
// Settings that would make the API leave its embedded defaults (a developer's shell may have them).
const NOT_INHERITED = [
  'MONGO_URI', 'MONGO_DB', 'FABRIC_PEER_ENDPOINT', 'FABRIC_MSP_ID', 'FABRIC_CERT', 'FABRIC_KEY',
  'FABRIC_TLS_CA', 'FIREBASE_PROJECT_ID', 'FIREBASE_AUTH_EMULATOR_HOST', 'GOOGLE_APPLICATION_CREDENTIALS',
  'JWT_KEY_FILE', 'JWT_ISSUER', 'JWT_AUDIENCE', 'HTTP_HOST', 'HTTP_PORT', 'DATA_DIR', 'CIVIC_ENV',
  'FABRIC_DEVNET_PORT', 'AUTH_RATE_LIMIT_PER_IP', 'AUTH_RATE_LIMIT_PER_PHONE', 'BOOTSTRAP_ADMIN_PHONE',
  // The collection's dates are Beijing dates: the API's default CIVIC_TIME_ZONE.
  'CIVIC_TIME_ZONE',
];

function parseArgs(argv) {
  const options = { jar: resolve(here, '..', 'api', 'target', 'civic-points-api.jar'), baseUrl: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--jar') options.jar = resolve(argv[++i]);
    else if (argv[i] === '--base-url') options.baseUrl = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (use --jar <file> or --base-url <url>)`);
  }
  return options;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts the API and resolves with {process, baseUrl} once its log names the port it listens on. */
function startApi(jar, dataDir, logFile) {
  const env = { ...process.env };
  for (const name of NOT_INHERITED) delete env[name];
  Object.assign(env, {
    CIVIC_ENV: 'dev', HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', FABRIC_DEVNET_PORT: '0', DATA_DIR: dataDir,
  });
  const child = spawn('java', ['-jar', jar], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  return new Promise((resolveStart, rejectStart) => {
    let buffered = '';
    const timer = setTimeout(() => rejectStart(new Error(`the API did not log "listening on" within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      const match = /listening on ([0-9A-Za-z.:[\]-]+):(\d+)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        buffered = '';
        child.stdout.off('data', onData);
        child.stdout.on('data', (more) => log.write(more));
        resolveStart({ child, baseUrl: `http://${match[1]}:${match[2]}`, log });
      } else if (buffered.length > 1_000_000) {
        buffered = buffered.slice(-10_000);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => log.write(chunk));
    child.on('error', (error) => { clearTimeout(timer); rejectStart(new Error(`could not start java: ${error.message}`)); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`the API exited before listening (code ${code}, signal ${signal})`));
    });
  }).catch((error) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  });
}

async function waitUntilReady(baseUrl) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = error.message;
    }
    await sleep(500);
  }
  throw new Error(`${baseUrl}/health/ready did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${last})`);
}

/** SIGTERM, then SIGKILL if the API is still running after the grace period. Resolves with how it ended. */
function stopApi(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(`already exited (${child.exitCode ?? child.signalCode})`);
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
    }, STOP_GRACE_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolveStop(signal === 'SIGKILL' ? `killed after ${STOP_GRACE_MS / 1000} s` : `stopped (exit ${code ?? signal})`);
    });
    child.kill('SIGTERM');
  });
}

function runCollection(baseUrl) {
  return new Promise((resolveRun, rejectRun) => {
    newman.run({
      collection: JSON.parse(readFileSync(COLLECTION, 'utf8')),
      environment: JSON.parse(readFileSync(ENVIRONMENT, 'utf8')),
      envVar: [{ key: 'baseUrl', value: baseUrl }],
      reporters: ['cli', 'junit'],
      reporter: { junit: { export: join(REPORT_DIR, 'junit.xml') } },
      timeoutRequest: 60_000,
      timeout: RUN_TIMEOUT_MS,
      color: 'off',
    }, (error, summary) => (error ? rejectRun(error) : resolveRun(summary)));
  });
}

function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(REPORT_DIR, { recursive: true });
  const apiLog = join(REPORT_DIR, 'api.log');
  let api;
  let runDir;
  let dataDir;
  let stopping;
  const cleanUp = async () => {
    if (!stopping) {
      stopping = (async () => {
        if (api) console.log(`newman: API ${await stopApi(api.child)}`);
        api?.log.end();
        if (runDir) rmSync(runDir, { recursive: true, force: true });
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
      if (!existsSync(options.jar)) {
        throw new Error(`${options.jar} does not exist: build it first (mvn -B -q -pl api -am install -DskipTests)`);
      }
      runDir = mkdtempSync(join(tmpdir(), 'civic-points-newman-'));
      dataDir = join(runDir, 'data');
      mkdirSync(dataDir);
      // Run a copy: a rebuild of the api module during the run must not pull the jar from under the JVM.
      const jar = join(runDir, 'civic-points-api.jar');
      copyFileSync(options.jar, jar);
      api = await startApi(jar, dataDir, apiLog);
      baseUrl = api.baseUrl;
      console.log(`newman: API listening at ${baseUrl} (data in ${dataDir}, log in ${apiLog})`);
    }
    await waitUntilReady(baseUrl);
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
