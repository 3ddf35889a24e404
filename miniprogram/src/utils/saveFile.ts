/**
 * Saving a file the user asked for. H5: a download through a Blob link. Weapp: a file under the
 * user data path, then handed on (opened or shared); where that is not available or fails, a text
 * is copied to the clipboard instead.
 *
 * - saveCsv: a CSV the server produced (UTF-8 with BOM), opened with openDocument; the fallback
 *   copies a short summary.
 * - saveJson: the volunteer's own data (exportMyData), offered with shareFileMessage (send it to a
 *   chat or "文件传输助手"); the fallback copies the JSON itself.
 */
import Taro from '@tarojs/taro';

function downloadInBrowser(fileName: string, text: string, type: string): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function writeInWeapp(fileName: string, text: string): Promise<string> {
  const filePath = `${Taro.env.USER_DATA_PATH}/${fileName}`;
  await new Promise<void>((resolve, reject) =>
    Taro.getFileSystemManager().writeFile({
      filePath,
      data: text,
      encoding: 'utf8',
      success: () => resolve(),
      fail: (err) => reject(new Error(err.errMsg)),
    }),
  );
  return filePath;
}

export type CsvOutcome = 'downloaded' | 'opened' | 'copied';

export async function saveCsv(fileName: string, csv: string, summary: string): Promise<CsvOutcome> {
  if (process.env.TARO_ENV === 'h5') {
    // The server's text already starts with the BOM, so Excel reads the Chinese correctly.
    downloadInBrowser(fileName, csv, 'text/csv;charset=utf-8');
    return 'downloaded';
  }
  try {
    const filePath = await writeInWeapp(fileName, csv);
    if (typeof Taro.openDocument === 'function') {
      await Taro.openDocument({ filePath, showMenu: true });
      return 'opened';
    }
  } catch {
    // Writing or opening is not supported here: fall back to the summary.
  }
  await Taro.setClipboardData({ data: summary });
  return 'copied';
}

export type JsonOutcome = 'downloaded' | 'shared' | 'copied' | 'cancelled';

export async function saveJson(fileName: string, data: unknown): Promise<JsonOutcome> {
  const json = JSON.stringify(data, null, 2);
  if (process.env.TARO_ENV === 'h5') {
    downloadInBrowser(fileName, json, 'application/json;charset=utf-8');
    return 'downloaded';
  }
  try {
    const filePath = await writeInWeapp(fileName, json);
    if (typeof Taro.shareFileMessage === 'function') {
      await Taro.shareFileMessage({ filePath, fileName });
      return 'shared';
    }
  } catch (err) {
    // The user closed the share sheet: nothing more to do.
    const e = err as { errMsg?: string; message?: string } | undefined;
    if (/cancel/i.test(String(e?.errMsg ?? e?.message))) return 'cancelled';
    // Writing or sharing is not possible here: copy instead.
  }
  await Taro.setClipboardData({ data: json });
  return 'copied';
}
