// The X.509 library (@peculiar/x509) on Node's WebCrypto, and the one algorithm the test
// authority uses everywhere: RSA-2048 with SHA-256 in PKCS#1 v1.5, as JPKI's certificates do.
// Every module of src/card imports the library from here, so it is set up once.
import "reflect-metadata"; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };

export const RSA_SHA256 = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export async function generateRsaKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(RSA_SHA256, true, ["sign", "verify"])) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0]!;
  return (await webcrypto.subtle.importKey("pkcs8", der, RSA_SHA256, false, ["sign"])) as CryptoKey;
}

/** A random positive serial number: 16 bytes, hex, high bit clear (DER INTEGERs are signed). */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return Buffer.from(bytes).toString("hex");
}
