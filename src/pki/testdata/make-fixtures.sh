#!/usr/bin/env bash
# Makes the committed key and certificate fixtures with OpenSSL: every format contract section 8
# names. Certificates here are valid for 100 years so the committed files stay stable; the
# time-relative ones (expired, not yet valid, expiring soon) are made at test time instead.
# Run from anywhere: bash src/pki/testdata/make-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")"
rm -f *.pem *.der *.p12 *.jks *.jceks *.key *.crt *.txt
O=openssl
D=36500
subj() { echo "/O=JS7/OU=JOC/CN=$1"; }

# ECDSA P-256: PKCS#8, SEC1, SEC1 with EC PARAMETERS, DER, certificate
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec256.pkcs8.pem
$O ec -in ec256.pkcs8.pem -out ec256.sec1.pem 2>/dev/null
$O ecparam -name prime256v1 > ec256.sec1-params.pem
cat ec256.sec1.pem >> ec256.sec1-params.pem
# The curve spelled out (ECParameters) instead of named: refused with the command that names it
$O ecparam -name prime256v1 -param_enc explicit -genkey -out ec256.explicit.pem
$O ec -in ec256.pkcs8.pem -param_enc named_curve -no_public -out ec256.sec1-nopub.pem 2>/dev/null
$O pkcs8 -topk8 -nocrypt -in ec256.pkcs8.pem -outform DER -out ec256.pkcs8.der
$O req -x509 -new -key ec256.pkcs8.pem -subj "$(subj ec256)" -days $D -out ec256.crt.pem
$O x509 -in ec256.crt.pem -outform DER -out ec256.crt.der
$O pkey -in ec256.pkcs8.pem -pubout -out ec256.pub.pem
$O req -new -key ec256.pkcs8.pem -subj "$(subj ec256)" -out ec256.csr.pem
cat ec256.pkcs8.pem ec256.crt.pem > ec256.bundle.pem

# RSA 2048: PKCS#8, PKCS#1, certificate; RSA 1024 too small
$O genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -quiet -out rsa2048.pkcs8.pem
$O rsa -in rsa2048.pkcs8.pem -traditional -out rsa2048.pkcs1.pem 2>/dev/null
$O req -x509 -new -key rsa2048.pkcs8.pem -subj "$(subj rsa2048)" -days $D -out rsa2048.crt.pem
$O rsa -in rsa2048.pkcs8.pem -RSAPublicKey_out -out rsa2048.pkcs1pub.pem 2>/dev/null
$O genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -quiet -out rsa1024.pkcs8.pem

# P-384, P-521, secp256k1
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec384.pkcs8.pem
$O req -x509 -new -key ec384.pkcs8.pem -subj "$(subj ec384)" -days $D -out ec384.crt.pem
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out ec521.pkcs8.pem
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.pkcs8.pem

# Unsupported algorithms
$O genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
$O genpkey -algorithm ED448 -out ed448.pkcs8.pem
$O genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsaparam.tmp 2>/dev/null
$O genpkey -paramfile dsaparam.tmp -out dsa.pkcs8.pem
rm -f dsaparam.tmp

# Encrypted keys (passphrase "secret"): PKCS#8 AES-256 and legacy PEM
$O pkcs8 -topk8 -in ec256.pkcs8.pem -v2 aes-256-cbc -passout pass:secret -out ec256.encrypted.pem
$O pkcs8 -topk8 -in rsa2048.pkcs8.pem -v2 aes-256-cbc -passout pass:secret -out rsa2048.encrypted.pem
$O rsa -in rsa2048.pkcs8.pem -traditional -aes256 -passout pass:secret -out rsa2048.legacy-encrypted.pem 2>/dev/null
$O ec -in ec256.pkcs8.pem -aes128 -passout pass:secret -out ec256.legacy-encrypted.pem 2>/dev/null
$O rsa -in rsa2048.pkcs8.pem -traditional -des3 -passout pass:secret -out rsa2048.legacy-3des.pem 2>/dev/null
# scrypt instead of PBKDF2: refused with the command that re-encrypts it
$O pkcs8 -topk8 -in ec256.pkcs8.pem -scrypt -passout pass:secret -out ec256.scrypt.pem

# PKCS#12 (password "secret"): modern AES and legacy 3DES/RC2
$O pkcs12 -export -inkey ec256.pkcs8.pem -in ec256.crt.pem -passout pass:secret -out ec256.p12
$O pkcs12 -export -inkey rsa2048.pkcs8.pem -in rsa2048.crt.pem -passout pass:secret -out rsa2048.p12
$O pkcs12 -export -legacy -inkey rsa2048.pkcs8.pem -in rsa2048.crt.pem -passout pass:secret -out rsa2048.legacy.p12 2>/dev/null \
  || $O pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -inkey rsa2048.pkcs8.pem -in rsa2048.crt.pem -passout pass:secret -out rsa2048.legacy.p12
$O pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -inkey ec256.pkcs8.pem -in ec256.crt.pem -passout pass:secret -out ec256.legacy.p12
# Exported without a password (openssl pkcs12 -passout pass:): opens with the empty one
$O pkcs12 -export -inkey ec256.pkcs8.pem -in ec256.crt.pem -passout pass: -out ec256.nopass.p12
# Not protected at all (no encryption, no MAC): no key derivation, opens with any password
$O pkcs12 -export -inkey ec256.pkcs8.pem -in ec256.crt.pem -passout pass: -keypbe NONE -certpbe NONE -nomac -out ec256.unprotected.p12

# A CA and a certificate it issued, for chains
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.pkcs8.pem
$O req -x509 -new -key ca.pkcs8.pem -subj "/O=JS7/CN=Fixture CA" -days $D -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt.pem
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.pkcs8.pem
$O req -new -key leaf.pkcs8.pem -subj "$(subj leaf)" -out leaf.csr.tmp
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' > leaf.ext.tmp
$O x509 -req -in leaf.csr.tmp -CA ca.crt.pem -CAkey ca.pkcs8.pem -CAcreateserial -days $D -extfile leaf.ext.tmp -out leaf.crt.pem 2>/dev/null
cat leaf.crt.pem ca.crt.pem > leaf.chain.pem
# The leaf key's own self-signed certificate, as keytool's placeholder beside the CA's reply
$O req -x509 -new -key leaf.pkcs8.pem -subj "$(subj leaf)" -days $D -out leaf.self.crt.pem
rm -f leaf.csr.tmp leaf.ext.tmp ca.crt.srl .srl

# Java keystores holding the CA certificate (store password "changeit"): a PKCS#12 truststore
# without MAC or certificate encryption (settings Java offers), and the JKS and JCEKS formats
KT="keytool -importcert -alias ca -file ca.crt.pem -storepass changeit -noprompt"
$KT -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE -storetype PKCS12 -keystore ca.truststore.p12 >/dev/null
$KT -storetype JKS -keystore ca.jks >/dev/null 2>&1
$KT -storetype JCEKS -keystore ca.jceks >/dev/null 2>&1

# A keystore of two key entries, as keytool makes them (store password "changeit"): an old ECDSA
# signing key and a renewed RSA one, each with its self-signed certificate
KG="keytool -genkeypair -storetype PKCS12 -keystore two-keys.p12 -storepass changeit -validity $D"
$KG -alias signer-2025 -keyalg EC -groupname secp256r1 -dname "CN=signer 2025,OU=JOC,O=JS7" >/dev/null 2>&1
$KG -alias signer-2026 -keyalg RSA -keysize 2048 -dname "CN=signer 2026,OU=JOC,O=JS7" >/dev/null 2>&1

# The P-256 key with its public point compressed, and a certificate that keeps that point
# (Java cannot read such a certificate)
$O ec -in ec256.pkcs8.pem -conv_form compressed -out ec256.sec1-compressed.pem 2>/dev/null
$O req -x509 -new -key ec256.sec1-compressed.pem -subj "$(subj compressed)" -days $D -out ec256.compressed.crt.pem

# The chain as a PKCS#7 bundle, PEM and DER
$O crl2pkcs7 -nocrl -certfile leaf.chain.pem -out leaf.chain.p7b.pem
$O crl2pkcs7 -nocrl -certfile leaf.chain.pem -outform DER -out leaf.chain.p7b.der

# RFC 5280 (4.1.2.5)'s "no well-defined expiration date": a self-signed certificate ending
# 99991231235959Z. openssl ca is OpenSSL 3.0's one command that takes an end date.
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out noexpiry.pkcs8.pem
mkdir -p ca.tmp/new && : > ca.tmp/index.txt && echo 01 > ca.tmp/serial
printf '%s\n' '[ca]' 'default_ca = x' '[x]' 'dir = ca.tmp' 'database = $dir/index.txt' \
  'new_certs_dir = $dir/new' 'serial = $dir/serial' 'default_md = sha256' 'policy = p' \
  'unique_subject = no' '[p]' 'organizationName = supplied' 'organizationalUnitName = supplied' \
  'commonName = supplied' '[ext]' 'basicConstraints = critical,CA:false' \
  'keyUsage = critical,digitalSignature' > ca.tmp/ca.cnf
$O req -new -key noexpiry.pkcs8.pem -subj "$(subj noexpiry)" -out ca.tmp/noexpiry.csr
$O ca -batch -config ca.tmp/ca.cnf -selfsign -keyfile noexpiry.pkcs8.pem -in ca.tmp/noexpiry.csr \
  -startdate 20260101000000Z -enddate 99991231235959Z -extensions ext -notext \
  -out noexpiry.crt.pem 2>/dev/null
rm -rf ca.tmp
echo "fixtures made in $(pwd)"

# The same files as a TypeScript module, so tests in Node and in Chromium read identical bytes.
node -e '
const fs = require("fs");
const names = fs.readdirSync(".").filter((f) => /\.(pem|der|p12|jks|jceks)$/.test(f)).sort();
const lines = names.map((f) => `  ${JSON.stringify(f)}: ${JSON.stringify(fs.readFileSync(f).toString("base64"))},`);
fs.writeFileSync("fixtures.ts", `// Generated by make-fixtures.sh from the files beside it: do not edit.\n/** Fixture file name → its bytes in base64. */\nexport const FIXTURES: Readonly<Record<string, string>> = {\n${lines.join("\n")}\n};\n`);
'
echo "fixtures.ts written"
