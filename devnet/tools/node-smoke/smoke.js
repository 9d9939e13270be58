// Drives a running devnet with the Node fabric-gateway client: the same calls the api makes
// through the Java client (PutRule, RecordAwards, GetAccount, errors, checkpointed events).
//   java -jar devnet/target/fabric-devnet.jar --data DIR --port 0      (prints the endpoint)
//   npm install && node smoke.js DIR 127.0.0.1:PORT
const grpc = require('@grpc/grpc-js');
const { connect, signers, hash, checkpointers } = require('@hyperledger/fabric-gateway');
const crypto = require('crypto');
const fs = require('fs');
const [dir, endpoint] = process.argv.slice(2);
const org = dir + '/organizations/CivicMSP';
const utf8 = new TextDecoder();
const deadline = () => ({ deadline: Date.now() + 5000 });
function gateway(user, client) {
  return connect({
    client,
    identity: { mspId: 'CivicMSP', credentials: fs.readFileSync(`${org}/users/${user}/msp/signcerts/cert.pem`) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(`${org}/users/${user}/msp/keystore/key.pem`))),
    hash: hash.sha256,
    evaluateOptions: deadline, endorseOptions: deadline, submitOptions: deadline, commitStatusOptions: deadline,
    chaincodeEventsOptions: deadline,
  });
}
(async () => {
  const client = new grpc.Client(endpoint, grpc.credentials.createSsl(fs.readFileSync(`${org}/tlscacerts/tlsca.pem`)));
  const admin = gateway('admin', client), relay = gateway('relay', client), reader = gateway('reader', client);
  const points = (g) => g.getNetwork('civic').getContract('points');
  const rule = JSON.stringify({ ruleId: 'node-rule', version: 1, category: 'VOLUNTEER', points: 10, dailyCap: 0, yearlyCap: 0, active: true });
  console.log('PutRule:', utf8.decode(await points(admin).submitTransaction('PutRule', rule)));
  const today = new Date().toISOString().slice(0, 10);
  const award = (id) => JSON.stringify([{ entryId: id, memberId: 'node-member', ruleId: 'node-rule', units: 1, occurredOn: today, orgUnitId: 'c1', actor: 'staff' }]);
  const commit = await points(relay).submitAsync('RecordAwards', { arguments: [award('node-1')] });
  const status = await commit.getStatus();
  console.log('RecordAwards status:', status.code, 'block', status.blockNumber.toString(), 'successful', status.successful);
  console.log('GetAccount:', utf8.decode(await points(reader).evaluateTransaction('GetAccount', 'node-member')));
  try {
    await points(reader).submitTransaction('RecordAwards', award('node-2'));
    console.log('UNEXPECTED: reader could record');
  } catch (e) {
    console.log('reader RecordAwards:', e.constructor.name, e.code, e.details.map((d) => d.message));
  }
  try {
    await points(reader).evaluateTransaction('GetAccount', 'nobody');
  } catch (e) {
    console.log('evaluate error:', e.constructor.name, e.code, e.message);
  }
  const checkpointer = checkpointers.inMemory();
  const events = await relay.getNetwork('civic').getChaincodeEvents('points', { startBlock: 1n, checkpoint: checkpointer });
  let n = 0;
  for await (const event of events) {
    console.log('event', event.blockNumber.toString(), event.eventName, event.transactionId.slice(0, 8));
    await checkpointer.checkpointChaincodeEvent(event);
    if (++n === 2) break;
  }
  events.close();
  await points(relay).submitTransaction('RecordAwards', award('node-3'));
  const resumed = await relay.getNetwork('civic').getChaincodeEvents('points', { checkpoint: checkpointer });
  for await (const event of resumed) {
    console.log('resumed event', event.blockNumber.toString(), event.eventName, event.transactionId.slice(0, 8));
    break;
  }
  resumed.close();
  const fresh = await relay.getNetwork('civic').getChaincodeEvents('points');
  setTimeout(() => points(relay).submitTransaction('RecordAwards', award('node-4')), 300);
  for await (const event of fresh) {
    console.log('new-only event', event.blockNumber.toString(), event.eventName, event.transactionId.slice(0, 8));
    break;
  }
  fresh.close();
  client.close();
})().catch((e) => { console.error('FAILED', e); process.exit(1); });
