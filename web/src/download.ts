// Saves bytes the worker sent (a policy file) as a download named `name`.
export function downloadBytes(bytes: ArrayBuffer, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
