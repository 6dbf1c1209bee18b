// fmlab's bridge to the independent IAM evaluator (@cloud-copilot/iam-simulate).
//
// Run by tests/iam/peer/__init__.py as `node driver.cjs PEER_DIR`, where PEER_DIR holds
// the pinned install made by scripts/iam_peer.py. Reads one scenario per line on stdin
// (already in the peer's vocabulary) and writes one answer per line on stdout:
// {"id": ..., "result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied"} or
// {"id": ..., "error": "..."}.
//
// It calls the peer's core `authorize` rather than `runSimulation`: only the core takes
// a session policy, and runSimulation would reject the fictional actions and keys the
// generator may use. What runSimulation does besides (adding the always-attached
// RCPFullAWSAccess, shaping values of multivalued keys as arrays) is done here or by the
// caller, so that both evaluators see the same scenario.
"use strict";

const path = require("node:path");
const readline = require("node:readline");
const { createRequire } = require("node:module");

const peerDir = process.argv[2];
const fromPeer = createRequire(path.join(peerDir, "package.json"));
const policyLib = fromPeer("@cloud-copilot/iam-policy");
const simulateEntry = fromPeer.resolve("@cloud-copilot/iam-simulate");
const distDir = path.dirname(simulateEntry);
const internal = (name) => require(path.join(distDir, name));
const { authorize } = internal("core_engine/CoreSimulatorEngine.js");
const { AwsRequestImpl } = internal("request/request.js");
const { RequestContextImpl } = internal("requestContext.js");
const { DiscoveryContextKeyConstraints } = internal(
  "context_keys/discoveryContextKeyConstraints.js"
);
const simulate = fromPeer("@cloud-copilot/iam-simulate");

const load = (policy, name) => policyLib.loadPolicy(policy, { name });
const named = (list, prefix) => list.map((policy, i) => load(policy, `${prefix}${i}`));

async function shapeContext(context) {
  // Multivalued keys (ArrayOf... types) hold arrays; single-valued keys hold a string.
  const shaped = {};
  for (const [key, values] of Object.entries(context)) {
    let multivalued = values.length !== 1;
    try {
      const type = await simulate.typeForContextKey(key.toLowerCase());
      multivalued = multivalued || simulate.isConditionKeyArray(type);
    } catch (_error) {
      // A key the peer's data does not know: keep the shape the values have.
    }
    shaped[key] = multivalued ? values : values[0];
  }
  return shaped;
}

async function decide(scenario) {
  const request = scenario.request;
  const aws = new AwsRequestImpl(
    request.principal,
    { resource: request.resource, accountId: request.accountId },
    request.action,
    new RequestContextImpl(await shapeContext(request.context)),
    // As runSimulation does: an action on no particular resource is asked about "*".
    request.resource === "*"
  );
  const layers = (list, prefix) =>
    list.map((policies, i) => ({ orgIdentifier: `${prefix}${i}`, policies: named(policies, prefix) }));
  const analysis = authorize({
    request: aws,
    sessionPolicy: scenario.session ? load(scenario.session, "session") : undefined,
    identityPolicies: named(scenario.identity, "identity"),
    serviceControlPolicies: layers(scenario.scps, "scp"),
    resourceControlPolicies: layers(scenario.rcps, "rcp"),
    resourcePolicy: scenario.resource ? load(scenario.resource, "resource") : undefined,
    permissionBoundaries: scenario.boundary ? named(scenario.boundary, "boundary") : undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: {
      simulationMode: "Strict",
      discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]),
    },
    serviceSettings: { s3: {} },
  });
  return analysis.result;
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let id = null;
    try {
      const scenario = JSON.parse(line);
      id = scenario.id;
      const result = await decide(scenario);
      process.stdout.write(JSON.stringify({ id, result }) + "\n");
    } catch (error) {
      process.stdout.write(JSON.stringify({ id, error: String(error && error.stack || error) }) + "\n");
    }
  }
}

main();
