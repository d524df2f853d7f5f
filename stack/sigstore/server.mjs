#!/usr/bin/env node
// A local Sigstore stack for tests: Fulcio, Rekor v1 and a timestamp
// authority on one 127.0.0.1 port, built on the handlers of @sigstore/mock.
// See README.md for the command line, the files it writes and the endpoints.
//
// The mock's handlers were written to be driven by sigstore-js through nock.
// Real clients (sigstore-python, cosign, tenure) talk to real services, and
// each place where the mock differs from those services breaks one of them.
// Every such fix below is marked "DEVIATION".

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MerkleLog } from './merkle.mjs';
import { AUDIENCE, GITHUB_ISSUER, TokenError, generateKeyPair, verifyToken } from './oidc.mjs';

const require = createRequire(import.meta.url);
const sigstoreMock = require('@sigstore/mock');
const x509 = require('@peculiar/x509');
const asn1js = require('asn1js');
const pkijs = require('pkijs');

const HOST = '127.0.0.1';
const OPERATOR = 'tenure-local-sigstore-stack';
const GITHUB_URL = 'https://github.com';
// The claim name under which the normalised claims hand the mock the SAN
// (the mock's `subjectClaim` option).
const SAN_CLAIM = 'x-stack-san';
const MAX_LOGGED_REQUESTS = 1000;

// ---------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = {
    port: Number(process.env.SIGSTORE_STACK_PORT ?? 0),
    out: process.env.SIGSTORE_STACK_OUT ?? null,
    jwks: process.env.SIGSTORE_STACK_JWKS ?? null,
    issuer: process.env.SIGSTORE_STACK_ISSUER ?? GITHUB_ISSUER,
    maxBodyBytes: Number(process.env.SIGSTORE_STACK_MAX_BODY_BYTES ?? 4 * 1024 * 1024),
  };
  const names = { '--port': 'port', '--out': 'out', '--jwks': 'jwks', '--issuer': 'issuer', '--max-body-bytes': 'maxBodyBytes' };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write('usage: node server.mjs [--port N] [--out DIR] [--jwks FILE] [--issuer URL] [--max-body-bytes N]\n');
      process.exit(0);
    }
    const name = Object.hasOwn(names, argv[i]) ? names[argv[i]] : undefined;
    if (!name || i + 1 >= argv.length) die(`unknown option or missing value: ${argv[i]}`);
    options[name] = argv[(i += 1)];
  }
  options.port = Number(options.port);
  options.maxBodyBytes = Number(options.maxBodyBytes);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) die('--port must be 0..65535');
  if (!Number.isInteger(options.maxBodyBytes) || options.maxBodyBytes < 1024) die('--max-body-bytes must be an integer >= 1024');
  return options;
}

function die(message) {
  process.stderr.write(`sigstore-stack: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------
// Small helpers

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const sha256 = (...parts) => {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const wholeSeconds = (ms = Date.now()) => Math.floor(ms / 1000);
const rfc3339 = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

// Go's pem.Encode: 64-column lines, trailing newline. Real Fulcio and Rekor
// emit this form, and Rekor compares keys in it.
function pemEncode(type, der) {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

function pemBlocks(text) {
  const blocks = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ type: m[1], der: Buffer.from(m[2].replace(/\s+/g, ''), 'base64') });
  }
  return blocks;
}

const STD_B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value, what) {
  if (typeof value !== 'string' || value.length === 0 || !STD_B64.test(value)) {
    throw new HttpError(400, `${what} is not base64`);
  }
  return Buffer.from(value, 'base64');
}

function parseJsonObject(bytes, what = 'request body') {
  let value;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(400, `${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `${what} is not a JSON object`);
  }
  return value;
}

// A PEM certificate or public key, as Rekor's x509.PublicKey reads it:
// returns the Node key and Rekor's canonical PEM (the first certificate, or
// the SubjectPublicKeyInfo).
function readPublicKeyPem(text, what) {
  const [block] = pemBlocks(text);
  if (!block) throw new HttpError(400, `${what} is not PEM`);
  try {
    if (block.type === 'CERTIFICATE') {
      const cert = new crypto.X509Certificate(block.der);
      return { key: cert.publicKey, pem: pemEncode('CERTIFICATE', cert.raw) };
    }
    if (block.type === 'PUBLIC KEY') {
      const key = crypto.createPublicKey({ key: block.der, format: 'der', type: 'spki' });
      return { key, pem: pemEncode('PUBLIC KEY', key.export({ format: 'der', type: 'spki' })) };
    }
  } catch (error) {
    throw new HttpError(400, `${what} cannot be parsed: ${error.message}`);
  }
  throw new HttpError(400, `${what} is a PEM ${block.type}, not a certificate or public key`);
}

const isP256 = (key) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';

// ---------------------------------------------------------------------------
// Fulcio

// The claims the mock turns into Fulcio's certificate extensions, as
// Fulcio's GitHub Actions provider does: `iss` into 1.1 and 1.8,
// `event_name` into 1.2 and 1.20, `sha` into 1.3 and 1.13, `workflow` into
// 1.4, `repository` into 1.5 and 1.12, `ref` into 1.6 and 1.14,
// `job_workflow_ref` into 1.9, `job_workflow_sha` into 1.10,
// `runner_environment` into 1.11, `repository_id` into 1.15,
// `repository_owner` into 1.16, `repository_owner_id` into 1.17,
// `workflow_ref` into 1.18, `workflow_sha` into 1.19,
// `repository_visibility` into 1.22, and repository, run_id and run_attempt
// into 1.21. A claim the token lacks gives no extension. The mock emits them
// in this list's order (Fulcio's order differs; no verifier depends on it).
// Only these claims reach the mock.
const EXTENSION_CLAIMS = [
  'iss', 'event_name', 'sha', 'workflow', 'repository', 'ref', 'job_workflow_ref',
  'job_workflow_sha', 'runner_environment', 'repository_id', 'repository_owner',
  'repository_owner_id', 'workflow_ref', 'workflow_sha', 'repository_visibility',
  'run_id', 'run_attempt',
];

function fulcioClaims(claims) {
  if (typeof claims.job_workflow_ref !== 'string' || claims.job_workflow_ref === '') {
    throw new HttpError(400, 'token has no job_workflow_ref claim: this Fulcio issues GitHub Actions certificates only');
  }
  const out = {};
  for (const name of EXTENSION_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) out[name] = String(value);
  }
  // GitHub always sends run_attempt; the mock writes the run invocation URI
  // (1.21) only when it has one. Tests may leave it out.
  if (out.run_id !== undefined && out.run_attempt === undefined) out.run_attempt = '1';
  // DEVIATION: the mock puts the `sub` claim in the SAN. Fulcio's GitHub
  // Actions principal uses the URI https://github.com/<job_workflow_ref>.
  out[SAN_CLAIM] = `${GITHUB_URL}/${claims.job_workflow_ref}`;
  return out;
}

// An unsigned JWT for the mock, which only decodes the token: the real one
// has been verified already, and the mock sees the normalised claims.
const unsignedJwt = (claims) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

// The signing key from a CSR or from a public key with its proof of
// possession, as Fulcio's v2 API takes them. Returns SPKI DER.
function requestedPublicKey(body, subject) {
  if (body.certificateSigningRequest !== undefined) {
    // DEVIATION: the API field is bytes, so clients send the PEM CSR
    // base64-encoded (sigstore-python does); the mock expects bare PEM.
    const raw = body.certificateSigningRequest;
    if (typeof raw !== 'string') throw new HttpError(400, 'certificateSigningRequest is not a string');
    const text = raw.trimStart().startsWith('-----BEGIN') ? raw.trimStart() : decodeBase64(raw, 'certificateSigningRequest').toString('latin1');
    const der = text.startsWith('-----BEGIN') ? pemBlocks(text).find((b) => b.type === 'CERTIFICATE REQUEST')?.der : Buffer.from(text, 'latin1');
    if (!der) throw new HttpError(400, 'certificateSigningRequest holds no CERTIFICATE REQUEST');
    let csr;
    try {
      csr = new x509.Pkcs10CertificateRequest(der);
    } catch (error) {
      throw new HttpError(400, `certificateSigningRequest cannot be parsed: ${error.message}`);
    }
    const spki = Buffer.from(csr.publicKey.rawData);
    const key = checkedKey(spki);
    // Fulcio checks the CSR's self-signature as the proof of possession.
    const hash = new Map([['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']]).get(csr.signatureAlgorithm?.hash?.name);
    if (!hash || !safeVerify(hash, Buffer.from(csr.tbs), key, Buffer.from(csr.signature))) {
      throw new HttpError(400, 'the certificate signing request is not signed by its key');
    }
    return spki;
  }
  const request = body.publicKeyRequest;
  if (request && typeof request === 'object') {
    const content = request.publicKey?.content;
    if (typeof content !== 'string') throw new HttpError(400, 'publicKeyRequest.publicKey.content is not a string');
    // DEVIATION: clients send the key as PEM or as base64 of the PEM; the
    // mock reads PEM only.
    const pem = content.trimStart().startsWith('-----BEGIN') ? content : decodeBase64(content, 'publicKey.content').toString('latin1');
    const block = pemBlocks(pem).find((b) => b.type === 'PUBLIC KEY');
    if (!block) throw new HttpError(400, 'publicKeyRequest.publicKey.content holds no PUBLIC KEY');
    const key = checkedKey(block.der);
    // Fulcio's challenge: the token's subject signed with the key.
    const proof = decodeBase64(request.proofOfPossession, 'publicKeyRequest.proofOfPossession');
    if (!safeVerify('sha256', Buffer.from(subject), key, proof)) {
      throw new HttpError(400, 'proofOfPossession is not a signature of the token subject by the key');
    }
    return key.export({ format: 'der', type: 'spki' });
  }
  throw new HttpError(400, 'the request has neither certificateSigningRequest nor publicKeyRequest');
}

function checkedKey(spki) {
  let key;
  try {
    key = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (error) {
    throw new HttpError(400, `the public key cannot be parsed: ${error.message}`);
  }
  // The mock's CA imports ECDSA P-256 keys only.
  if (!isP256(key)) throw new HttpError(400, 'this Fulcio signs ECDSA P-256 keys only');
  return key;
}

function safeVerify(hash, data, key, signature) {
  try {
    return crypto.verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

function bearerToken(header) {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

// ---------------------------------------------------------------------------
// Rekor v1: the entry types real clients write, normalised as Rekor does.

const HASH_HEX_LENGTH = new Map([['sha256', 64], ['sha384', 96], ['sha512', 128]]);

function canonicalEntry(entry) {
  const { kind, apiVersion, spec } = entry;
  if (!spec || typeof spec !== 'object') throw new HttpError(400, 'the entry has no spec');
  if (kind === 'hashedrekord' && apiVersion === '0.0.1') return canonicalHashedRekord(spec);
  if (kind === 'dsse' && apiVersion === '0.0.1') return canonicalDsse(spec);
  throw new HttpError(400, `entry kind ${JSON.stringify(kind)} version ${JSON.stringify(apiVersion)} is not supported (hashedrekord 0.0.1, dsse 0.0.1)`);
}

// DEVIATION: the mock logs whatever was proposed. Rekor rebuilds a
// hashedrekord from its fields, with the key or certificate in Go's PEM
// form; clients compare the logged body with that form.
// Not checked here, unlike Rekor: that the signature verifies over the
// digest (Node has no prehashed ECDSA verification).
function canonicalHashedRekord(spec) {
  const signature = spec.signature;
  const hash = spec.data?.hash;
  if (!signature || typeof signature !== 'object') throw new HttpError(400, 'hashedrekord has no signature');
  decodeBase64(signature.content, 'signature.content');
  const { pem } = readPublicKeyPem(decodeBase64(signature.publicKey?.content, 'signature.publicKey.content').toString('latin1'), 'signature.publicKey.content');
  const length = HASH_HEX_LENGTH.get(hash?.algorithm);
  if (!length) throw new HttpError(400, 'data.hash.algorithm must be sha256, sha384 or sha512');
  if (typeof hash.value !== 'string' || !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hash.value)) {
    throw new HttpError(400, `data.hash.value is not a ${hash.algorithm} digest in hex`);
  }
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: hash.algorithm, value: hash.value } },
      signature: { content: signature.content, publicKey: { content: Buffer.from(pem).toString('base64') } },
    },
  };
}

const pae = (type, payload) =>
  Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);

// DEVIATION: Rekor never logs a proposed dsse entry as sent: it verifies
// every signature with the given verifiers and logs the envelope's hash, the
// payload's hash and the (signature, verifier) pairs sorted by signature.
function canonicalDsse(spec) {
  const proposed = spec.proposedContent;
  if (!proposed || typeof proposed.envelope !== 'string') throw new HttpError(400, 'dsse has no proposedContent.envelope');
  if (!Array.isArray(proposed.verifiers) || proposed.verifiers.length === 0 || proposed.verifiers.length > 16) {
    throw new HttpError(400, 'dsse proposedContent.verifiers must list 1 to 16 keys');
  }
  const envelope = parseJsonObject(Buffer.from(proposed.envelope), 'the DSSE envelope');
  if (typeof envelope.payloadType !== 'string') throw new HttpError(400, 'the DSSE envelope has no payloadType');
  const payload = decodeBase64(envelope.payload, 'the DSSE payload');
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0 || envelope.signatures.length > 16) {
    throw new HttpError(400, 'the DSSE envelope must hold 1 to 16 signatures');
  }
  const verifiers = proposed.verifiers.map((v, i) => readPublicKeyPem(decodeBase64(v, `verifier ${i}`).toString('latin1'), `verifier ${i}`));
  const message = pae(envelope.payloadType, payload);
  const bySignature = new Map();
  for (const entry of envelope.signatures) {
    const sig = decodeBase64(entry?.sig, 'a DSSE signature');
    const verifier = verifiers.find(({ key }) => safeVerify('sha256', message, key, sig));
    if (!verifier) throw new HttpError(400, 'all signatures must have a key that verifies it');
    bySignature.set(entry.sig, verifier.pem);
  }
  const signatures = [...bySignature.keys()].sort().map((sig) => ({
    signature: sig,
    verifier: Buffer.from(bySignature.get(sig)).toString('base64'),
  }));
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(proposed.envelope).toString('hex') },
      payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
      signatures,
    },
  };
}

// ---------------------------------------------------------------------------
// Timestamp authority

const HASH_OIDS = new Map([
  ['2.16.840.1.101.3.4.2.1', { name: 'sha256', length: 32 }],
  ['2.16.840.1.101.3.4.2.2', { name: 'sha384', length: 48 }],
  ['2.16.840.1.101.3.4.2.3', { name: 'sha512', length: 64 }],
]);

// DEVIATION: the mock reads a JSON request (sigstore-js's form). RFC 3161
// clients, sigstore-python among them, POST a DER TimeStampReq as
// application/timestamp-query. This turns one into the mock's JSON form.
function timestampRequestToJson(der) {
  let request;
  try {
    const asn = asn1js.fromBER(new Uint8Array(der));
    if (asn.offset === -1 || asn.offset !== der.length) throw new Error('not one DER value');
    request = new pkijs.TimeStampReq({ schema: asn.result });
  } catch (error) {
    throw new HttpError(400, `not an RFC 3161 TimeStampReq: ${error.message}`);
  }
  if (request.version !== 1) throw new HttpError(400, 'TimeStampReq version must be 1');
  const algorithm = HASH_OIDS.get(request.messageImprint.hashAlgorithm.algorithmId);
  if (!algorithm) throw new HttpError(400, 'the message imprint hash must be SHA-256, SHA-384 or SHA-512');
  const hashed = Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (hashed.length !== algorithm.length) throw new HttpError(400, `the message imprint is not a ${algorithm.name} digest`);
  // DEVIATION: the mock writes the nonce from a JS number, which loses the
  // low bits of the 64-bit nonces clients send, and makes one up when the
  // request had none; the client then rejects the mismatch. The nonce's
  // exact bytes go through as a string that the patched tstInfo reads.
  const nonce = request.nonce ? `hex:${Buffer.from(request.nonce.valueBlock.valueHexView).toString('hex')}` : 'none';
  return { artifactHash: hashed.toString('base64'), hashAlgorithm: algorithm.name, nonce, certificates: request.certReq === true };
}

function patchTimestampNonce(tsa) {
  const tstInfo = tsa.tstInfo.bind(tsa);
  tsa.tstInfo = (req) => {
    const info = tstInfo({ ...req, nonce: 0 });
    const nonce = req.nonce;
    if (nonce === 'none') info.nonce = undefined;
    else if (typeof nonce === 'string' && nonce.startsWith('hex:')) {
      info.nonce = new asn1js.Integer({ valueHex: new Uint8Array(Buffer.from(nonce.slice(4), 'hex')) });
    } else info.nonce = new asn1js.Integer({ value: Number(nonce) });
    return info;
  };
}

// ---------------------------------------------------------------------------
// The stack

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const outDir = path.resolve(options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sigstore-stack-')));
  fs.mkdirSync(outDir, { recursive: true });

  // OIDC: the JWKS given, or a fresh key written next to the other files.
  let jwksPath = options.jwks ? path.resolve(options.jwks) : null;
  let privateKeyPath = null;
  if (!jwksPath) {
    const { publicJwk, privateJwk } = generateKeyPair();
    jwksPath = path.join(outDir, 'jwks.json');
    privateKeyPath = path.join(outDir, 'oidc_key.jwk.json');
    fs.writeFileSync(jwksPath, `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
    fs.writeFileSync(privateKeyPath, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  }
  // The JWKS is read again for every Fulcio request, so a test may add or
  // rotate keys while the stack runs.
  const loadJwks = () => {
    try {
      return JSON.parse(fs.readFileSync(jwksPath, 'utf8'));
    } catch (error) {
      throw new HttpError(500, `cannot read the JWKS ${jwksPath}: ${error.message}`);
    }
  };
  loadJwks();

  const bootSeconds = wholeSeconds();
  const keyPair = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caKeys = keyPair();
  const ctKeys = keyPair();
  const rekorKeys = keyPair();
  const tsaKeys = keyPair();

  const ctlog = await sigstoreMock.initializeCTLog(ctKeys);
  const ca = await sigstoreMock.initializeCA(caKeys, ctlog);
  const fulcio = sigstoreMock.fulcioHandler(ca, { subjectClaim: SAN_CLAIM });
  // The mock's own checkpoints (which name this host) are replaced below.
  const tlog = await sigstoreMock.initializeTLog(`http://${HOST}`, rekorKeys);
  const rekor = sigstoreMock.rekorHandler(tlog);
  // DEVIATION: the mock stamps genTime with milliseconds, and drops the
  // fraction's trailing zeros; clients read such a GeneralizedTime wrongly
  // or not at all. Its clock is this Date, set to a whole second before
  // each request.
  const tsaClock = new Date(bootSeconds * 1000);
  const tsa = await sigstoreMock.initializeTSA(tsaKeys, tsaClock);
  patchTimestampNonce(tsa);
  const timestamp = sigstoreMock.tsaHandler(tsa);

  const rekorPublicDer = rekorKeys.publicKey.export({ format: 'der', type: 'spki' });
  const rekorLogId = sha256(rekorPublicDer);
  const ctPublicDer = ctKeys.publicKey.export({ format: 'der', type: 'spki' });
  const treeId = rekorLogId.readBigUInt64BE(0) >> 1n;
  const log = new MerkleLog();

  // Requests seen per service, for tests that assert the stack was (not) used.
  let requests = [];
  let counts = { fulcio: 0, rekor: 0, tsa: 0, other: 0 };
  const serviceOf = (p) =>
    p.startsWith('/__stack/') ? null
      : p.startsWith('/api/v2/') ? 'fulcio'
        : p.startsWith('/api/v1/log') ? 'rekor'
          : p.startsWith('/api/v1/timestamp') ? 'tsa'
            : 'other';

  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, resolve);
  });
  const port = server.address().port;
  const url = `http://${HOST}:${port}`;
  const origin = `${HOST}:${port}`;
  const tsaUrl = `${url}/api/v1/timestamp`;

  const signCheckpoint = (size, root) => {
    // Rekor v1's checkpoint: origin "<host> - <tree id>", size, root, then
    // the signature line with the key hint (first 4 bytes of the log ID).
    const note = `${origin} - ${treeId}\n${size}\n${root.toString('base64')}\n`;
    const signature = crypto.sign('sha256', Buffer.from(note), rekorKeys.privateKey);
    return `${note}\n\u2014 ${origin} ${Buffer.concat([rekorLogId.subarray(0, 4), signature]).toString('base64')}\n`;
  };

  const handlers = {
    'POST /api/v2/signingCert': async (req, body) => {
      const request = parseJsonObject(body);
      // DEVIATION: the mock reads the token from credentials.oidcIdentityToken
      // only; clients send it as a Bearer header (Fulcio takes either).
      const token = bearerToken(req.headers.authorization) ?? request.credentials?.oidcIdentityToken;
      let claims;
      try {
        claims = verifyToken(token, { jwks: loadJwks(), issuer: options.issuer });
      } catch (error) {
        if (error instanceof TokenError) throw new HttpError(401, `invalid identity token: ${error.message}`);
        throw error;
      }
      const spki = requestedPublicKey(request, claims.sub);
      const result = await fulcio.fn(JSON.stringify({
        credentials: { oidcIdentityToken: unsignedJwt(fulcioClaims(claims)) },
        publicKeyRequest: { publicKey: { content: pemEncode('PUBLIC KEY', spki) } },
      }));
      // The mock fails only on what it was given (a claim it cannot encode).
      if (result.statusCode !== 201) throw new HttpError(400, `the CA refused the request: ${result.response}`);
      const response = JSON.parse(result.response);
      // The mock writes each certificate's base64 on one line; Fulcio wraps.
      const chain = response.signedCertificateEmbeddedSct.chain;
      chain.certificates = chain.certificates.map((pem) => pemEncode('CERTIFICATE', pemBlocks(pem)[0].der));
      return json(201, response);
    },
    'GET /api/v2/trustBundle': async () =>
      json(200, { chains: [{ certificates: [pemEncode('CERTIFICATE', ca.rootCertificate)] }] }),

    'POST /api/v1/log/entries': async (req, body) => {
      const canonical = canonicalEntry(parseJsonObject(body));
      const result = await rekor.fn(JSON.stringify(canonical));
      if (result.statusCode !== 201) throw new HttpError(400, `the log failed: ${result.response}`);
      const [mockEntry] = Object.values(JSON.parse(result.response));
      const entryBody = Buffer.from(mockEntry.body, 'base64');
      const existing = log.byLeaf.get(log.leafHash(entryBody).toString('hex'));
      if (existing !== undefined) {
        throw new HttpError(409, `an equivalent entry already exists in the transparency log at index ${existing}`);
      }
      // From here to the response nothing awaits, so the index, the tree
      // size and the checkpoint belong together.
      const { index, leaf } = log.append(entryBody);
      const size = log.leaves.length;
      const root = log.root();
      const integratedTime = mockEntry.integratedTime;
      // The SET signs the entry's real index, not the mock's random one.
      const set = crypto.sign('sha256', Buffer.from(JSON.stringify({
        body: mockEntry.body, integratedTime, logID: rekorLogId.toString('hex'), logIndex: index,
      })), rekorKeys.privateKey);
      const uuid = treeId.toString(16).padStart(16, '0') + leaf.toString('hex');
      return json(201, {
        [uuid]: {
          body: mockEntry.body,
          integratedTime,
          logID: rekorLogId.toString('hex'),
          logIndex: index,
          verification: {
            inclusionProof: {
              checkpoint: signCheckpoint(size, root),
              hashes: log.proof(index).map((h) => h.toString('hex')),
              logIndex: index,
              rootHash: root.toString('hex'),
              treeSize: size,
            },
            signedEntryTimestamp: set.toString('base64'),
          },
        },
      }, { Location: `/api/v1/log/entries/${uuid}` });
    },
    'GET /api/v1/log': async () => json(200, {
      rootHash: log.root().toString('hex'),
      treeSize: log.leaves.length,
      signedTreeHead: signCheckpoint(log.leaves.length, log.root()),
      treeID: String(treeId),
      inactiveShards: [],
    }),
    'GET /api/v1/log/publicKey': async () => text(200, pemEncode('PUBLIC KEY', rekorPublicDer), 'application/x-pem-file'),

    'POST /api/v1/timestamp': async (req, body) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const request = type === 'application/json' ? parseJsonObject(body) : timestampRequestToJson(body);
      tsaClock.setTime(wholeSeconds() * 1000);
      const result = await timestamp.fn(JSON.stringify(request));
      if (result.statusCode !== 201) throw new HttpError(400, `the timestamp authority failed: ${result.response}`);
      return { status: 201, body: result.response, headers: { 'Content-Type': 'application/timestamp-reply' } };
    },
    'GET /api/v1/timestamp/certchain': async () =>
      text(200, pemEncode('CERTIFICATE', tsa.intCertificate) + pemEncode('CERTIFICATE', tsa.rootCertificate), 'application/pem-certificate-chain'),

    'GET /__stack/requests': async () => json(200, requestReport()),
    'POST /__stack/reset': async () => {
      requests = [];
      counts = { fulcio: 0, rekor: 0, tsa: 0, other: 0 };
      return json(200, requestReport());
    },
    'GET /__stack/info': async () => json(200, info),
  };

  function requestReport() {
    const services = {};
    for (const [name, count] of Object.entries(counts)) {
      services[name] = { count, requests: requests.filter((r) => r.service === name).map(({ service, ...r }) => r) };
    }
    return { total: Object.values(counts).reduce((a, b) => a + b, 0), services };
  }

  server.on('request', (req, res) => {
    handle(req, res).catch((error) => sendError(res, error));
  });

  async function handle(req, res) {
    const pathname = (req.url ?? '/').split('?')[0];
    const service = serviceOf(pathname);
    if (service) {
      counts[service] += 1;
      const record = { service, method: req.method, path: pathname, status: null };
      requests.push(record);
      if (requests.length > MAX_LOGGED_REQUESTS) requests.shift();
      res.on('finish', () => { record.status = res.statusCode; });
    }
    const route = `${req.method} ${pathname}`;
    const handler = handlers[route];
    if (!handler) {
      const known = Object.keys(handlers).some((r) => r.endsWith(` ${pathname}`));
      drain(req);
      throw new HttpError(known ? 405 : 404, known ? `${req.method} is not allowed on ${pathname}` : `no such endpoint: ${pathname}`);
    }
    const body = req.method === 'POST' ? await readBody(req, options.maxBodyBytes) : (drain(req), Buffer.alloc(0));
    const reply = await handler(req, body);
    res.writeHead(reply.status, { 'Content-Length': Buffer.byteLength(reply.body), ...reply.headers });
    res.end(reply.body);
  }

  const files = writeTrustFiles({
    outDir, url, tsaUrl, bootSeconds, ca, tsa, rekorPublicDer, rekorLogId, ctPublicDer, ctLogId: ctlog.logID,
  });
  const info = {
    ready: true,
    url,
    pid: process.pid,
    fulcio_url: url,
    rekor_url: url,
    tsa_url: tsaUrl,
    issuer: options.issuer,
    audience: AUDIENCE,
    out_dir: outDir,
    ...files,
    jwks: jwksPath,
    oidc_private_key: privateKeyPath,
  };
  fs.writeFileSync(path.join(outDir, 'stack.json'), `${JSON.stringify(info, null, 2)}\n`);

  // Nothing is kept across runs, so stopping is closing the sockets.
  const stop = () => {
    server.close();
    server.closeAllConnections();
    setImmediate(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

const json = (status, value, headers = {}) => ({
  status, body: JSON.stringify(value), headers: { 'Content-Type': 'application/json', ...headers },
});
const text = (status, body, type) => ({ status, body, headers: { 'Content-Type': type } });

function drain(req) {
  req.resume();
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      drain(req);
      reject(new HttpError(413, `the request body is larger than ${limit} bytes`));
      return;
    }
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `the request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (error) => {
      if (!done) {
        done = true;
        reject(new HttpError(400, `cannot read the request: ${error.message}`));
      }
    });
  });
}

// Errors answer as Fulcio and Rekor do: {"code": N, "message": "..."}.
function sendError(res, error) {
  const status = error instanceof HttpError ? error.status : 500;
  const message = error instanceof HttpError ? error.message : `internal error: ${error?.message ?? error}`;
  if (status >= 500) process.stderr.write(`sigstore-stack: ${error?.stack ?? error}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: status, message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

function writeTrustFiles({ outDir, url, tsaUrl, bootSeconds, ca, tsa, rekorPublicDer, rekorLogId, ctPublicDer, ctLogId }) {
  const validFor = { start: rfc3339(bootSeconds) };
  const b64 = (bytes) => Buffer.from(bytes).toString('base64');
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{
      baseUrl: url,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: b64(rekorPublicDer), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
      logId: { keyId: b64(rekorLogId) },
    }],
    certificateAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
      uri: url,
      certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
      validFor,
    }],
    ctlogs: [{
      baseUrl: url,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: b64(ctPublicDer), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
      logId: { keyId: b64(ctLogId) },
    }],
    timestampAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'tsa' },
      uri: tsaUrl,
      certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
      validFor,
    }],
  };
  const service = (serviceUrl) => ({ url: serviceUrl, majorApiVersion: 1, validFor, operator: OPERATOR });
  const signingConfig = (withTsa) => ({
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service(url)],
    oidcUrls: [],
    rekorTlogUrls: [service(url)],
    tsaUrls: withTsa ? [service(tsaUrl)] : [],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
  });
  const trustConfig = (withTsa) => ({
    mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
    trustedRoot,
    signingConfig: signingConfig(withTsa),
  });
  const files = {
    trusted_root: ['trusted_root.json', trustedRoot],
    signing_config: ['signing_config.json', signingConfig(true)],
    trust_config: ['trust_config.json', trustConfig(true)],
    signing_config_no_tsa: ['signing_config_no_tsa.json', signingConfig(false)],
    trust_config_no_tsa: ['trust_config_no_tsa.json', trustConfig(false)],
  };
  const paths = {};
  for (const [key, [name, value]] of Object.entries(files)) {
    const file = path.join(outDir, name);
    const temp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(temp, file);
    paths[key] = file;
  }
  return paths;
}

// A test server outlives a bad request: log anything that escaped and go on.
process.on('uncaughtException', (error) => process.stderr.write(`sigstore-stack: uncaught: ${error?.stack ?? error}\n`));
process.on('unhandledRejection', (error) => process.stderr.write(`sigstore-stack: unhandled: ${error?.stack ?? error}\n`));

main().catch((error) => {
  process.stderr.write(`sigstore-stack: cannot start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
