// Hand-made JWTs for the security tests: expired, wrong audience, or signed with a foreign key.
import { createSign, generateKeyPairSync, createPrivateKey } from 'node:crypto';

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` with RS256 under `jwk` (a private JWK) and key id `kid`. */
export function signJwt(claims, jwk, kid = jwk.kid) {
  const header = { alg: 'RS256', typ: 'at+jwt', kid };
  const body = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(createPrivateKey({ key: jwk, format: 'jwk' }));
  return `${body}.${signature.toString('base64url')}`;
}

/** A key nobody trusts, under the realm's key id: a forgery. */
export function foreignKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid };
}
