// A @grpc/grpc-js client of the real EventLog host, its schema loaded at run time from the contract's
// protos with @grpc/proto-loader.
//
// Usage: node eventlog_client.js --server HOST:PORT --token TOKEN --reader-token TOKEN --project NAME
// Steps: write (CreateMessage), list (ListMessages), watch (WatchMessages: a stored message, then one
// created while the stream is open), error_details (page_size -1 is INVALID_ARGUMENT with a
// google.rpc.Status in grpc-status-details-bin), unauthenticated, permission_denied. Prints
// `PASS <step>` after each and `PASS` at the end, exit code 0; on the first failure prints
// `FAIL <step>` and the error, exit code 1.
'use strict';

const path = require('node:path');
const crypto = require('node:crypto');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
// proto-loader's own protobuf runtime: it decodes the google.rpc messages that travel as bytes in a trailer.
const protobuf = require('protobufjs');

const PROTO_ROOT = path.resolve(__dirname, '..', '..', '..', 'protos');
// Every call has a deadline, so a hang fails here instead of stalling the C# test that runs this.
const DEADLINE_MS = 15000;

const definition = protoLoader.loadSync('eventlog/v1/messages_service.proto', {
  includeDirs: [PROTO_ROOT],
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});
const eventlog = grpc.loadPackageDefinition(definition).eventlog.v1;

const rpcTypes = new protobuf.Root();
rpcTypes.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
rpcTypes.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
const Status = rpcTypes.lookupType('google.rpc.Status');
const ErrorInfo = rpcTypes.lookupType('google.rpc.ErrorInfo');
const BadRequest = rpcTypes.lookupType('google.rpc.BadRequest');

const deadline = () => new Date(Date.now() + DEADLINE_MS);

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`unexpected argument ${argv[i]}`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ['server', 'token', 'reader-token', 'project']) {
    if (!args[name]) {
      throw new Error(`--${name} is required`);
    }
  }
  return args;
}

function bearer(token) {
  const metadata = new grpc.Metadata();
  if (token) {
    metadata.set('authorization', `Bearer ${token}`);
  }
  return metadata;
}

function unary(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: deadline() }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

async function expectError(code, promise) {
  const error = await promise.then(
    (response) => assert.fail(`expected status ${code}, got ${JSON.stringify(response)}`),
    (e) => e);
  assert.equal(error.code, code, `status ${error.code}: ${error.details}`);
  return error;
}

// The google.rpc.Status of grpc-status-details-bin, with its ErrorInfo and BadRequest decoded.
function statusDetails(error) {
  const values = error.metadata.get('grpc-status-details-bin');
  assert.equal(values.length, 1, 'grpc-status-details-bin trailers');
  const status = Status.decode(values[0]);
  const find = (type) => {
    const any = status.details.find((d) => d.type_url === `type.googleapis.com/${type.fullName.slice(1)}`);
    return any ? type.decode(any.value) : null;
  };
  return { status, info: find(ErrorInfo), badRequest: find(BadRequest) };
}

function newMessage(project, requestId, resource) {
  return {
    project, request_id: requestId, action_code: '001', detail_code: '003', level: 'MESSAGE_LEVEL_ERROR',
    resource_type: 'volume', resource_uuid: resource, host: 'node-host',
  };
}

// The next response of a watch that carries a message (heartbeats only say the stream is alive).
async function nextMessage(responses) {
  for (;;) {
    const { value, done } = await responses.next();
    assert.ok(!done, 'the watch ended');
    if (value.update === 'message') {
      return value;
    }
  }
}

async function run(args, report) {
  // Loopback only: a proxy from the environment must not get in the way.
  const client = new eventlog.MessagesService(args.server, grpc.credentials.createInsecure(), { 'grpc.enable_http_proxy': 0 });
  try {
    const admin = bearer(args.token);
    const resource = crypto.randomUUID();
    const requestId = `req-node-${crypto.randomUUID()}`;

    report.step = 'write';
    const created = (await unary(client, 'CreateMessage', newMessage(args.project, requestId, resource), admin)).message;
    assert.ok(created.id && created.project === args.project, `created ${JSON.stringify(created)}`);
    assert.notEqual(created.user_message, '', 'no user_message rendered');
    assert.ok(created.sequence > 0, `sequence ${created.sequence}`);
    const age = Date.now() - created.created_at.seconds * 1000;
    assert.ok(Math.abs(age) < 300000, `created_at ${JSON.stringify(created.created_at)}`);
    report.passed();

    report.step = 'list';
    const page = await unary(client, 'ListMessages', { project: args.project, resource_uuid: resource }, admin);
    assert.deepEqual(page.messages.map((m) => m.id), [created.id]);
    assert.equal(page.messages[0].user_message, created.user_message);
    report.passed();

    report.step = 'watch';
    const watch = client.WatchMessages({ project: args.project, after_sequence: created.sequence - 1 }, admin, { deadline: deadline() });
    // The cancel below ends the stream with CANCELLED; that is expected, not an unhandled error.
    watch.on('error', () => {});
    try {
      const responses = watch[Symbol.asyncIterator]();
      const first = await nextMessage(responses);
      assert.equal(first.message.id, created.id);
      assert.equal(first.sequence, created.sequence);
      // Created while the stream is open: the server must push it, not only replay what was stored.
      const live = (await unary(client, 'CreateMessage', newMessage(args.project, `${requestId}-live`, resource), admin)).message;
      const second = await nextMessage(responses);
      assert.equal(second.message.id, live.id);
      assert.equal(second.sequence, live.sequence);
    } finally {
      watch.cancel();
    }
    report.passed();

    report.step = 'error_details';
    const invalid = await expectError(grpc.status.INVALID_ARGUMENT, unary(client, 'ListMessages', { project: args.project, page_size: -1 }, admin));
    const { status, info, badRequest } = statusDetails(invalid);
    assert.equal(status.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(status.message, invalid.details);
    assert.ok(info && info.reason === 'INVALID_ARGUMENT' && info.domain === 'eventlog.v1', `ErrorInfo ${JSON.stringify(info)}`);
    assert.deepEqual(badRequest ? badRequest.field_violations.map((v) => v.field) : [], ['page_size']);
    report.passed();

    report.step = 'unauthenticated';
    const anonymous = await expectError(grpc.status.UNAUTHENTICATED, unary(client, 'ListMessages', {}, bearer(null)));
    assert.equal(statusDetails(anonymous).info?.reason, 'UNAUTHENTICATED');
    report.passed();

    report.step = 'permission_denied';
    const denied = await expectError(grpc.status.PERMISSION_DENIED,
      unary(client, 'CreateMessage', newMessage('', `${requestId}-reader`, resource), bearer(args['reader-token'])));
    assert.equal(statusDetails(denied).info?.reason, 'PERMISSION_DENIED');
    report.passed();
  } finally {
    client.close();
  }
}

async function main() {
  const report = {
    step: 'setup',
    passed() {
      console.log(`PASS ${this.step}`);
    },
  };
  try {
    await run(parseArgs(process.argv.slice(2)), report);
  } catch (error) {
    console.log(`FAIL ${report.step}: ${error && error.stack ? error.stack : JSON.stringify(error)}`);
    return 1;
  }
  console.log('PASS');
  return 0;
}

main().then((code) => process.exit(code));
