/** Saves key text through the browser's download: `.pem`, or `.asc` for armored PGP keys. */
export function downloadPem(fileName: string, pem: string): void {
  const pgp = fileName.endsWith('.asc');
  const url = URL.createObjectURL(
    new Blob([pem], { type: pgp ? 'application/pgp-keys' : 'application/x-pem-file' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = /\.(pem|asc)$/.test(fileName) ? fileName : `${fileName}.pem`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
