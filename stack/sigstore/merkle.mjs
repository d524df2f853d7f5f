// The Rekor log's Merkle tree (RFC 6962), kept in memory.

import crypto from 'node:crypto';

const sha256 = (...parts) => {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

// An RFC 6962 Merkle tree of every logged body. DEVIATION: the mock proves
// each entry as the only leaf of a one-leaf tree, whose proof has index 0,
// no hashes and a tree size of 1 — zero values that protobuf JSON omits and
// clients reject. This log starts with a fixed genesis leaf, so the first
// real entry already sits at index 1 of a two-leaf tree, and every entry
// gets a real proof against the current tree with a freshly signed
// checkpoint.
export class MerkleLog {
  constructor() {
    this.leaves = [this.leafHash(Buffer.from('{"genesis":"tenure local sigstore stack"}'))];
    this.byLeaf = new Map();
  }

  leafHash(body) {
    return sha256(Buffer.from([0]), body);
  }

  append(body) {
    const leaf = this.leafHash(body);
    this.leaves.push(leaf);
    const index = this.leaves.length - 1;
    this.byLeaf.set(leaf.toString('hex'), index);
    return { index, leaf };
  }

  root(lo = 0, hi = this.leaves.length) {
    if (hi - lo === 1) return this.leaves[lo];
    const k = splitPoint(hi - lo);
    return sha256(Buffer.from([1]), this.root(lo, lo + k), this.root(lo + k, hi));
  }

  // RFC 6962 section 2.1.1 PATH(m, D[lo:hi]), leaf to root.
  proof(m, lo = 0, hi = this.leaves.length) {
    if (hi - lo === 1) return [];
    const k = splitPoint(hi - lo);
    return m < k
      ? [...this.proof(m, lo, lo + k), this.root(lo + k, hi)]
      : [...this.proof(m - k, lo + k, hi), this.root(lo, lo + k)];
  }
}

function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
