// CSV made in the browser, guarded like the API's CsvExportStream: a cell that a spreadsheet
// would read as a formula (= + - @, tab, carriage return) gets a leading apostrophe. A BOM lets Excel read UTF-8.
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value) {
  let text = value === undefined || value === null ? '' : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function downloadCsv(fileName, rows) {
  const text = rows.map((row) => row.map(csvCell).join(',')).join('\r\n');
  downloadBlob(fileName, new Blob(['\uFEFF', text, '\r\n'], { type: 'text/csv;charset=utf-8' }));
}

/** Saves a blob as a file through a temporary object URL. */
export function downloadBlob(fileName, blob) {
  const address = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = address;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(address), 0);
}
