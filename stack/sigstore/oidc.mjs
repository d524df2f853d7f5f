// OIDC tokens for the local Sigstore stack: ES256 key pairs as JWKs, GitHub
// Actions-shaped claims, minting and verification. Node's built-in crypto
// only, so the Rust, shell and JS tests share one small, dependency-free
// definition of what a token is.

import crypto from 'node:crypto';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const AUDIENCE = 'sigstore';

const B64URL = /^[A-Za-z0-9_-]*$/;

export function b64url(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

// Node's base64url decoder skips characters it does not know; a token is
// refused instead.
function b64urlDecode(text, what) {
  if (typeof text !== 'string' || !B64URL.test(text)) {
    throw new TokenError(`${what} is not base64url`);
  }
  return Buffer.from(text, 'base64url');
}

export class TokenError extends Error {}

// RFC 7638 thumbprint: the key's id, stable for the same key.
export function thumbprint(jwk) {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return b64url(crypto.createHash('sha256').update(canonical).digest());
}

// A fresh P-256 key pair: `publicJwk` goes into a JWKS, `privateJwk`
// (which holds `d`) signs tokens and stays in its own file.
export function generateKeyPair() {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = thumbprint(jwk);
  const publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' };
  return { publicJwk, privateJwk: { ...publicJwk, d: jwk.d } };
}

export function mintToken(privateJwk, claims) {
  const header = { alg: 'ES256', typ: 'JWT', kid: privateJwk.kid ?? thumbprint(privateJwk) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const key = crypto.createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, d: privateJwk.d },
    format: 'jwk',
  });
  const signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

// The claims GitHub Actions puts in an ID token requested with audience
// `sigstore`. Every field can be overridden; an override of `null` drops
// the claim.
export function githubClaims(options = {}, now = Math.floor(Date.now() / 1000)) {
  const repository = options.repository ?? 'acme/web';
  const owner = repository.split('/')[0];
  const ref = options.ref ?? 'refs/heads/main';
  const sha = options.sha ?? 'a'.repeat(40);
  const workflow = options.workflow ?? '.github/workflows/release.yml';
  const workflowRef = `${repository}/${workflow}@${ref}`;
  const ttl = options.ttl ?? 600;
  const sub = options.environment
    ? `repo:${repository}:environment:${options.environment}`
    : `repo:${repository}:ref:${ref}`;
  const claims = {
    jti: options.jti ?? crypto.randomUUID(),
    sub,
    aud: AUDIENCE,
    ref,
    sha,
    repository,
    repository_owner: owner,
    repository_owner_id: '1',
    repository_visibility: 'public',
    repository_id: '2',
    actor_id: '3',
    actor: 'octocat',
    workflow: options.workflowName ?? 'release',
    head_ref: '',
    base_ref: '',
    event_name: options.eventName ?? 'push',
    ref_protected: 'true',
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: options.jobWorkflowRef ?? workflowRef,
    job_workflow_sha: sha,
    runner_environment: options.runnerEnvironment ?? 'github-hosted',
    run_id: String(options.runId ?? '1'),
    run_number: '1',
    run_attempt: String(options.runAttempt ?? '1'),
    iss: options.issuer ?? GITHUB_ISSUER,
    nbf: now - 5,
    exp: now + ttl,
    iat: now - 5,
  };
  if (options.environment) claims.environment = options.environment;
  for (const [key, value] of Object.entries(options.claims ?? {})) {
    if (value === null) delete claims[key];
    else claims[key] = value;
  }
  return claims;
}

// Checks an ES256 JWT the way Fulcio does through go-oidc: the signature
// against a key of the issuer's JWKS, the issuer, the audience, expiry.
// Returns the claims or throws a TokenError.
export function verifyToken(token, { jwks, issuer, audience = AUDIENCE, now = Date.now() / 1000 }) {
  if (typeof token !== 'string' || token.length === 0) throw new TokenError('no identity token');
  if (token.length > 16384) throw new TokenError('identity token too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('identity token is not a JWS compact serialization');
  const header = parseJsonObject(b64urlDecode(parts[0], 'token header'), 'token header');
  if (header.alg !== 'ES256') throw new TokenError(`token algorithm ${JSON.stringify(header.alg)} is not ES256`);
  if (header.crit !== undefined) throw new TokenError('token has critical header parameters');
  const signature = b64urlDecode(parts[2], 'token signature');
  if (signature.length !== 64) throw new TokenError('token signature is not an ES256 signature');
  const keys = (Array.isArray(jwks?.keys) ? jwks.keys : []).filter(
    (k) =>
      k && k.kty === 'EC' && k.crv === 'P-256' &&
      (header.kid === undefined || k.kid === header.kid) &&
      (k.alg === undefined || k.alg === 'ES256') &&
      (k.use === undefined || k.use === 'sig'),
  );
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const verified = keys.some((k) => {
    try {
      const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: k.x, y: k.y }, format: 'jwk' });
      return crypto.verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  });
  if (!verified) throw new TokenError('token signature does not verify with any key of the issuer');
  const claims = parseJsonObject(b64urlDecode(parts[1], 'token claims'), 'token claims');
  if (claims.iss !== issuer) throw new TokenError(`token issuer ${JSON.stringify(claims.iss)} is not ${issuer}`);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(audience)) throw new TokenError(`token audience is not ${audience}`);
  if (typeof claims.exp !== 'number') throw new TokenError('token has no expiry');
  if (now >= claims.exp) throw new TokenError('token has expired');
  if (typeof claims.nbf === 'number' && now + 60 < claims.nbf) throw new TokenError('token is not valid yet');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new TokenError('token has no subject');
  return claims;
}

function parseJsonObject(bytes, what) {
  let value;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new TokenError(`${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenError(`${what} is not a JSON object`);
  }
  return value;
}
