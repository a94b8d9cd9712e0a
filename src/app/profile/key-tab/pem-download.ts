/** Saves PEM text as a `.pem` file through the browser's download. */
export function downloadPem(fileName: string, pem: string): void {
  const url = URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName.endsWith('.pem') ? fileName : `${fileName}.pem`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
