// The Firebase Auth emulator for the console's Firebase sign-in test: firebase-tools from
// api/node_modules (the api module's build installs it for its own tests), every listener on
// 127.0.0.1 and a free port, as api/.../firebase/FirebaseAuthEmulator.java starts it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ID = 'demo-civic-points';
const FIREBASE = resolve(fileURLToPath(import.meta.url), '../../../../api/node_modules/.bin/firebase');
const READY_WITHIN_MS = 90_000;

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    }).on('error', fail);
  });
}

/** Resolves with {host, stop} once the emulator answers ready. */
export async function startAuthEmulator() {
  if (!existsSync(FIREBASE)) throw new Error(`${FIREBASE} is missing: run npm ci in api/ (the api module's tests do)`);
  const directory = mkdtempSync(join(tmpdir(), 'console-auth-emulator-'));
  const listener = async () => ({ host: '127.0.0.1', port: await freePort() });
  const authPort = await freePort();
  writeFileSync(join(directory, 'firebase.json'), JSON.stringify({
    emulators: {
      auth: { host: '127.0.0.1', port: authPort }, hub: await listener(), logging: await listener(),
      ui: { enabled: false }, singleProjectMode: true,
    },
  }));
  const log = join(directory, 'emulator.log');
  const child = spawn(FIREBASE, ['emulators:start', '--only', 'auth', '--project', PROJECT_ID, '--config', join(directory, 'firebase.json')], {
    cwd: directory, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')], detached: true,
  });
  const host = `127.0.0.1:${authPort}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid, 'SIGTERM'); // the whole group: firebase-tools forks its emulator
      await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(directory, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!(await ready(host))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
      await stop();
      throw new Error(`the Auth emulator did not start:\n${tail}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return { host, stop };
}

async function ready(host) {
  try {
    const response = await fetch(`http://${host}/`);
    return response.ok && (await response.text()).includes('"ready": true');
  } catch {
    return false;
  }
}

/** The SMS code the emulator "sent" to the phone (its REST API; the newest one). */
export async function smsCode(host, phone) {
  const response = await fetch(`http://${host}/emulator/v1/projects/${PROJECT_ID}/verificationCodes`);
  const { verificationCodes = [] } = await response.json();
  return verificationCodes.filter((sent) => sent.phoneNumber === phone).at(-1)?.code;
}
