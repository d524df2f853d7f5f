// Unit tests of the stack's own logic: the Merkle proofs it hands out and
// the token checks Fulcio makes. `npm test` (node --test).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import test from 'node:test';
import { MerkleLog } from '../merkle.mjs';
import { TokenError, generateKeyPair, githubClaims, mintToken, verifyToken } from '../oidc.mjs';

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), crypto.createHash('sha256')).digest();

// RFC 9162 section 2.1.3.2, written independently of merkle.mjs.
function verifyInclusion(leaf, index, size, proof, root) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
      }
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

test('every entry of every tree size up to 40 has a valid inclusion proof', () => {
  const log = new MerkleLog();
  for (let n = 0; n < 40; n += 1) {
    const { index } = log.append(Buffer.from(`entry ${n}`));
    assert.equal(index, n + 1, 'the genesis leaf takes index 0');
    const size = log.leaves.length;
    const root = log.root();
    for (let i = 0; i < size; i += 1) {
      assert.ok(verifyInclusion(log.leaves[i], i, size, log.proof(i), root), `index ${i} of ${size}`);
    }
  }
});

test('the first entry is proven in a two-leaf tree with one hash', () => {
  const log = new MerkleLog();
  const { index } = log.append(Buffer.from('first'));
  assert.equal(index, 1);
  assert.equal(log.leaves.length, 2);
  assert.equal(log.proof(index).length, 1);
});

test('tokens: a good one passes, each kind of bad one is refused', () => {
  const { publicJwk, privateJwk } = generateKeyPair();
  const other = generateKeyPair();
  const jwks = { keys: [publicJwk] };
  const issuer = 'https://token.actions.githubusercontent.com';
  const check = (token) => verifyToken(token, { jwks, issuer });
  assert.equal(check(mintToken(privateJwk, githubClaims())).repository, 'acme/web');
  const refused = {
    forged: mintToken(other.privateJwk, githubClaims()),
    forgedWithOurKid: mintToken({ ...other.privateJwk, kid: publicJwk.kid }, githubClaims()),
    expired: mintToken(privateJwk, githubClaims({ claims: { exp: 1 } })),
    audience: mintToken(privateJwk, githubClaims({ claims: { aud: 'other' } })),
    issuer: mintToken(privateJwk, githubClaims({ issuer: 'https://gitlab.com' })),
    noSubject: mintToken(privateJwk, githubClaims({ claims: { sub: null } })),
    notYetValid: mintToken(privateJwk, githubClaims({ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } })),
    algNone: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(githubClaims())).toString('base64url')}.`,
    garbage: 'a.b.c',
    empty: '',
    notAString: 42,
  };
  for (const [name, token] of Object.entries(refused)) {
    assert.throws(() => check(token), TokenError, name);
  }
  // A tampered payload breaks the signature.
  const [h, , s] = mintToken(privateJwk, githubClaims()).split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify(githubClaims({ repository: 'evil/repo' }))).toString('base64url')}.${s}`;
  assert.throws(() => check(tampered), TokenError);
});
