/**
 * Saving a CSV the server produced (UTF-8 with BOM). H5: a download through a Blob link. Weapp:
 * a file under the user data path, opened with openDocument where the platform can; otherwise
 * (or when opening fails) a text summary is copied to the clipboard instead.
 */
import Taro from '@tarojs/taro';

export type SaveOutcome = 'downloaded' | 'opened' | 'copied';

function downloadInBrowser(fileName: string, csv: string): void {
  // The server's text already starts with the BOM, so Excel reads the Chinese correctly.
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
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

async function saveInWeapp(fileName: string, csv: string): Promise<string> {
  const filePath = `${Taro.env.USER_DATA_PATH}/${fileName}`;
  await new Promise<void>((resolve, reject) =>
    Taro.getFileSystemManager().writeFile({
      filePath,
      data: csv,
      encoding: 'utf8',
      success: () => resolve(),
      fail: (err) => reject(new Error(err.errMsg)),
    }),
  );
  return filePath;
}

export async function saveCsv(fileName: string, csv: string, summary: string): Promise<SaveOutcome> {
  if (process.env.TARO_ENV === 'h5') {
    downloadInBrowser(fileName, csv);
    return 'downloaded';
  }
  try {
    const filePath = await saveInWeapp(fileName, csv);
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
