#!/usr/bin/env node
// Test OIDC tokens for the local Sigstore stack.
//
//   node mint-token.mjs keygen --jwks JWKS.json --private KEY.jwk.json
//       A fresh ES256 key: its public JWK is added to JWKS.json (created if
//       missing), the private JWK is written to KEY.jwk.json (mode 0600).
//       Prints the key id.
//
//   node mint-token.mjs mint --private KEY.jwk.json [--issuer URL]
//       [--repository OWNER/NAME] [--ref REF] [--sha HEX] [--workflow PATH]
//       [--job-workflow-ref REF] [--event NAME] [--runner ENV]
//       [--environment NAME] [--run-id N] [--run-attempt N] [--ttl SECONDS]
//       [--claims JSON]
//       Prints a GitHub Actions-shaped ID token with audience `sigstore`.
//       --claims is merged last: `{"exp": 1}` overrides, `{"sha": null}`
//       drops a claim.

import fs from 'node:fs';
import { generateKeyPair, githubClaims, mintToken } from './oidc.mjs';

const OPTIONS = {
  '--jwks': 'jwks',
  '--private': 'private',
  '--issuer': 'issuer',
  '--repository': 'repository',
  '--ref': 'ref',
  '--sha': 'sha',
  '--workflow': 'workflow',
  '--job-workflow-ref': 'jobWorkflowRef',
  '--event': 'eventName',
  '--runner': 'runnerEnvironment',
  '--environment': 'environment',
  '--run-id': 'runId',
  '--run-attempt': 'runAttempt',
  '--ttl': 'ttl',
  '--claims': 'claims',
};

function usage(message) {
  process.stderr.write(`mint-token: ${message}\nusage: mint-token.mjs keygen --jwks FILE --private FILE | mint --private FILE [options]\n`);
  process.exit(2);
}

function parse(argv) {
  const [command, ...rest] = argv;
  const options = {};
  for (let i = 0; i < rest.length; i += 2) {
    const name = Object.hasOwn(OPTIONS, rest[i]) ? OPTIONS[rest[i]] : undefined;
    if (!name) usage(`unknown option ${rest[i]}`);
    if (i + 1 >= rest.length) usage(`${rest[i]} needs a value`);
    options[name] = rest[i + 1];
  }
  return { command, options };
}

function readJson(path) {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (error) {
    usage(`cannot read ${path}: ${error.message}`);
  }
}

const { command, options } = parse(process.argv.slice(2));
if (command === 'keygen') {
  if (!options.jwks || !options.private) usage('keygen needs --jwks and --private');
  const { publicJwk, privateJwk } = generateKeyPair();
  const jwks = fs.existsSync(options.jwks) ? readJson(options.jwks) : { keys: [] };
  if (!Array.isArray(jwks.keys)) usage(`${options.jwks} has no "keys" array`);
  jwks.keys.push(publicJwk);
  fs.writeFileSync(options.jwks, `${JSON.stringify(jwks, null, 2)}\n`);
  fs.writeFileSync(options.private, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(`${publicJwk.kid}\n`);
} else if (command === 'mint') {
  if (!options.private) usage('mint needs --private');
  const privateJwk = readJson(options.private);
  if (options.ttl !== undefined) options.ttl = Number(options.ttl);
  if (options.claims !== undefined) {
    try {
      options.claims = JSON.parse(options.claims);
    } catch {
      usage('--claims is not JSON');
    }
  }
  process.stdout.write(`${mintToken(privateJwk, githubClaims(options))}\n`);
} else {
  usage(command ? `unknown command ${command}` : 'no command');
}
