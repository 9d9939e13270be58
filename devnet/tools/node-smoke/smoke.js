// Drives a devnet with the Node fabric-gateway client and checks what it answers: the calls the
// api makes through the Java client (PutRule, RecordAwards, GetAccount, errors, checkpointed and
// new-only chaincode events) and the contract metadata (org.hyperledger.fabric:GetMetadata).
//   node smoke.js --jar ../../target/fabric-devnet.jar   starts the jar on a free port in a
//                                                       temporary folder, checks, stops it (the build)
//   node smoke.js DIR 127.0.0.1:PORT                     checks a devnet that is already running
// Exits 1 on the first failed check.
const grpc = require('@grpc/grpc-js');
const { connect, signers, hash, checkpointers } = require('@hyperledger/fabric-gateway');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const POINTS_TRANSACTIONS = [
  'Expire', 'GetAccount', 'GetAccountHistory', 'GetEntry', 'GetRule', 'ListAccounts', 'ListEntries', 'PutRule', 'RecordAwards', 'Redeem',
  'RefundRedemption', 'Reverse',
];
const utf8 = new TextDecoder();
const deadline = () => ({ deadline: Date.now() + 10_000 });

function gateway(org, user, client) {
  return connect({
    client,
    identity: { mspId: 'CivicMSP', credentials: fs.readFileSync(`${org}/users/${user}/msp/signcerts/cert.pem`) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(`${org}/users/${user}/msp/keystore/key.pem`))),
    hash: hash.sha256,
    evaluateOptions: deadline, endorseOptions: deadline, submitOptions: deadline, commitStatusOptions: deadline,
    chaincodeEventsOptions: deadline,
  });
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

async function nextEvent(events) {
  const { value, done } = await events[Symbol.asyncIterator]().next();
  assert.equal(done, false, 'the event stream ended');
  return value;
}

async function smoke(dir, endpoint) {
  const org = `${dir}/organizations/CivicMSP`;
  const client = new grpc.Client(endpoint, grpc.credentials.createSsl(fs.readFileSync(`${org}/tlscacerts/tlsca.pem`)), {
    // The peer's certificate names localhost too; Node's TLS warns when the server name is an IP.
    'grpc.ssl_target_name_override': 'localhost',
  });
  const admin = gateway(org, 'admin', client), relay = gateway(org, 'relay', client), reader = gateway(org, 'reader', client);
  const network = (g) => g.getNetwork('civic');
  const points = (g) => network(g).getContract('points');
  try {
    const metadata = JSON.parse(utf8.decode(await network(reader).getContract('points', 'org.hyperledger.fabric').evaluateTransaction('GetMetadata')));
    const contract = metadata.contracts.points;
    assert.ok(contract, `GetMetadata describes no points contract: ${JSON.stringify(metadata.contracts)}`);
    assert.deepEqual(contract.transactions.map((tx) => tx.name).sort(), POINTS_TRANSACTIONS);
    assert.ok(contract.transactions.find((tx) => tx.name === 'RecordAwards').tags.includes('SUBMIT'));
    assert.ok(contract.transactions.find((tx) => tx.name === 'GetAccount').tags.includes('EVALUATE'));
    for (const schema of ['Account', 'Entry', 'Rule']) assert.ok(metadata.components.schemas[schema], `no ${schema} schema`);
    console.log('GetMetadata: points with', contract.transactions.length, 'transactions');

    const rule = JSON.stringify({ ruleId: 'node-rule', version: 1, category: 'VOLUNTEER', points: 10, dailyCap: 0, yearlyCap: 0, active: true });
    assert.match(utf8.decode(await points(admin).submitTransaction('PutRule', rule)), /"ruleId":"node-rule"/);

    const today = new Date().toISOString().slice(0, 10);
    const award = (id) => JSON.stringify([{ entryId: id, memberId: 'node-member', ruleId: 'node-rule', units: 1, occurredOn: today, orgUnitId: 'c1', actor: 'staff' }]);
    const first = await points(relay).submitAsync('RecordAwards', { arguments: [award('node-1')] });
    const status = await first.getStatus();
    assert.equal(status.successful, true);
    assert.equal(status.code, 0);
    assert.match(utf8.decode(first.getResult()), /RECORDED/);
    assert.match(utf8.decode(await points(reader).evaluateTransaction('GetAccount', 'node-member')), /"balance":10/);
    console.log('RecordAwards: VALID in block', status.blockNumber.toString());

    const forbidden = await rejection(points(reader).submitTransaction('RecordAwards', award('node-2')));
    assert.equal(forbidden.constructor.name, 'EndorseError');
    assert.equal(forbidden.code, grpc.status.ABORTED);
    assert.match(forbidden.details[0].message, /^chaincode response 500, FORBIDDEN: /);
    const missing = await rejection(points(reader).evaluateTransaction('GetAccount', 'nobody'));
    assert.equal(missing.constructor.name, 'GatewayError');
    assert.equal(missing.code, grpc.status.UNKNOWN);
    assert.match(missing.message, /evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: /);
    console.log('errors: EndorseError ABORTED, GatewayError UNKNOWN, with the chaincode codes');

    const checkpointer = checkpointers.inMemory();
    const second = await points(relay).submitAsync('RecordAwards', { arguments: [award('node-2')] });
    await second.getStatus();
    const events = await network(relay).getChaincodeEvents('points', { startBlock: status.blockNumber, checkpoint: checkpointer });
    for (const expected of [first, second]) {
      const event = await nextEvent(events);
      assert.equal(event.transactionId, expected.getTransactionId());
      assert.equal(event.eventName, 'PointsMoved');
      await checkpointer.checkpointChaincodeEvent(event);
    }
    events.close();
    const third = await points(relay).submitAsync('RecordAwards', { arguments: [award('node-3')] });
    await third.getStatus();
    const resumed = await network(relay).getChaincodeEvents('points', { checkpoint: checkpointer });
    assert.equal((await nextEvent(resumed)).transactionId, third.getTransactionId());
    resumed.close();
    console.log('events: from a block, resumed from a checkpoint without repeats');

    const fresh = await network(relay).getChaincodeEvents('points');
    const fourth = await points(relay).submitAsync('RecordAwards', { arguments: [award('node-4')] });
    assert.equal((await nextEvent(fresh)).transactionId, fourth.getTransactionId());
    fresh.close();
    console.log('events: new blocks only when no start block is given');
  } finally {
    admin.close();
    relay.close();
    reader.close();
    client.close();
  }
}

/** Starts the devnet jar on a free port and resolves with the endpoint from its ready line. */
function startDevnet(jar, dir) {
  const child = spawn('java', ['-jar', jar, '--data', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(dir, 'devnet.log'));
  child.stderr.pipe(log);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^devnet ready (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the devnet exited before it was ready (code ${code}, signal ${signal}); see ${dir}/devnet.log`));
    });
  });
  return { child, ready };
}

function stopDevnet(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(args) {
  if (args[0] !== '--jar') {
    await smoke(args[0], args[1]);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-node-smoke-'));
  const { child, ready } = startDevnet(path.resolve(args[1]), dir);
  try {
    await smoke(dir, await ready);
  } catch (e) {
    console.error(`devnet log: ${dir}/devnet.log`);
    throw e;
  } finally {
    await stopDevnet(child);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main(process.argv.slice(2)).then(
  () => console.log('node smoke passed'),
  (e) => {
    console.error('node smoke FAILED:', e);
    process.exit(1);
  },
);
