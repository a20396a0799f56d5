// A @grpc/grpc-js client (schema loaded at run time with @grpc/proto-loader) checking
// unary, server streaming and non-ASCII error statuses against a server of the interop
// TestService. Usage: node interop_client.js HOST:PORT
// Prints `PASS <case>` per case and exits 0 when all passed; exits 1 otherwise.
'use strict';

const path = require('node:path');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.resolve(__dirname, '..', '..', 'EventLog.Interop.Tests', 'Protos');
// Every call has a deadline so a hang fails instead of stalling the test run.
const DEADLINE_MS = 15000;

const definition = protoLoader.loadSync('interop/test.proto', {
  includeDirs: [PROTO_ROOT],
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
});
const testing = grpc.loadPackageDefinition(definition).grpc.testing;

const deadline = () => new Date(Date.now() + DEADLINE_MS);
const zeros = (size) => ({ type: 'COMPRESSABLE', body: Buffer.alloc(size) });

function unary(client, request, metadata = new grpc.Metadata()) {
  return new Promise((resolve, reject) => {
    client.UnaryCall(request, metadata, { deadline: deadline() }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function assertZeros(payload, size) {
  assert.equal(payload.body.length, size, 'payload size');
  assert.ok(payload.body.equals(Buffer.alloc(size)), 'payload body is not all zeros');
}

const cases = {
  async unary(client) {
    const response = await unary(client, { response_type: 'COMPRESSABLE', response_size: 314159, payload: zeros(271828) });
    assertZeros(response.payload, 314159);
  },

  async server_streaming(client) {
    const sizes = [31415, 9, 2653, 58979];
    const call = client.StreamingOutputCall(
      { response_type: 'COMPRESSABLE', response_parameters: sizes.map((size) => ({ size })) },
      { deadline: deadline() });
    const received = [];
    await new Promise((resolve, reject) => {
      call.on('data', (response) => received.push(response.payload.body.length));
      call.on('error', reject);
      call.on('status', (status) => (status.code === grpc.status.OK ? resolve() : reject(status)));
    });
    assert.deepEqual(received, sizes);
  },

  async non_ascii_status(client) {
    // grpc-js decodes grpc-message with decodeURIComponent: a server that percent-encodes
    // more or less than the spec says shows up here as a garbled or rejected message.
    const messages = [
      'Ungültige Eingabe: “café” ☺ 😈 100% sure',
      '\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n',
    ];
    for (const message of messages) {
      const error = await unary(client, { response_size: 1, response_status: { code: 3, message } }).then(
        () => assert.fail('expected INVALID_ARGUMENT'),
        (e) => e);
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT, `status ${error.code}: ${error.details}`);
      assert.equal(error.details, message);
    }
  },
};

async function main() {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node interop_client.js HOST:PORT');
    return 2;
  }
  // Loopback only: never route through a proxy from the environment.
  const client = new testing.TestService(target, grpc.credentials.createInsecure(), { 'grpc.enable_http_proxy': 0 });
  let failed = 0;
  for (const [name, run] of Object.entries(cases)) {
    try {
      await run(client);
      console.log(`PASS ${name}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name}: ${error && error.stack ? error.stack : JSON.stringify(error)}`);
    }
  }
  client.close();
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
