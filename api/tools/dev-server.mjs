// Starts the API jar as a development server on its embedded defaults, for the tools that test
// it from outside (postman/run-newman.mjs, the console's browser tests).
//
// A copy of the jar runs with CIVIC_ENV=dev on 127.0.0.1 and free ports, in a temporary DATA_DIR;
// the port comes from its "listening on HOST:PORT" log line; it is ready when /health/ready
// answers 200. stop() sends SIGTERM (SIGKILL after 20 s) and removes the temporary folder.
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 240_000;
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;
// Settings that would make the API leave its embedded defaults (a developer's shell may have them).
const NOT_INHERITED = [
  'MONGO_URI', 'MONGO_DB', 'FABRIC_PEER_ENDPOINT', 'FABRIC_MSP_ID', 'FABRIC_CERT', 'FABRIC_KEY',
  'FABRIC_TLS_CA', 'FIREBASE_PROJECT_ID', 'FIREBASE_AUTH_EMULATOR_HOST', 'GOOGLE_APPLICATION_CREDENTIALS',
  'JWT_KEY_FILE', 'JWT_ISSUER', 'JWT_AUDIENCE', 'HTTP_HOST', 'HTTP_PORT', 'DATA_DIR', 'CIVIC_ENV',
  'FABRIC_DEVNET_PORT', 'AUTH_RATE_LIMIT_PER_IP', 'AUTH_RATE_LIMIT_PER_PHONE', 'BOOTSTRAP_ADMIN_PHONE',
  // The collection's and the browser tests' dates are Beijing dates: the API's default CIVIC_TIME_ZONE.
  'CIVIC_TIME_ZONE',
];

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts the API and resolves with {process, baseUrl} once its log names the port it listens on. */
function startApi(jar, dataDir, logFile, settings) {
  const env = { ...process.env };
  for (const name of NOT_INHERITED) delete env[name];
  Object.assign(env, {
    CIVIC_ENV: 'dev', HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', FABRIC_DEVNET_PORT: '0', DATA_DIR: dataDir,
  }, settings);
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

export async function waitUntilReady(baseUrl) {
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


/**
 * Starts a dev server from {@code jar}; resolves with {baseUrl, stop} once it is ready. {@code settings}
 * adds environment variables (e.g. FIREBASE_PROJECT_ID and FIREBASE_AUTH_EMULATOR_HOST).
 */
export async function startDevServer({ jar, logFile, name, settings = {} }) {
  if (!existsSync(jar)) {
    throw new Error(`${jar} does not exist: build it first (mvn -B -q -pl api -am install -DskipTests)`);
  }
  const runDir = mkdtempSync(join(tmpdir(), `civic-points-${name}-`));
  const dataDir = join(runDir, 'data');
  mkdirSync(dataDir);
  // Run a copy: a rebuild of the api module during the run must not pull the jar from under the JVM.
  const copy = join(runDir, 'civic-points-api.jar');
  copyFileSync(jar, copy);
  let api;
  const stop = async () => {
    const how = api ? await stopApi(api.child) : 'not started';
    api?.log.end();
    rmSync(runDir, { recursive: true, force: true });
    return how;
  };
  try {
    api = await startApi(copy, dataDir, logFile, settings);
    await waitUntilReady(api.baseUrl);
    return { baseUrl: api.baseUrl, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The last lines of a log file, for a failure message. */
export function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
