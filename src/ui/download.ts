/** Saves files the engine produced as downloads (one per file; the browser may ask once to allow several). */
export interface DownloadFile {
  name: string;
  data: Uint8Array | string;
  mime: string;
}

export function downloadFiles(files: DownloadFile[]): void {
  for (const file of files) {
    const blob = new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)], { type: file.mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // revoke later: some browsers start reading the blob after click() returns
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
