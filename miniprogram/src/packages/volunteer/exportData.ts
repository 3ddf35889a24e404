/**
 * Saving the volunteer's own data (exportMyData) as a JSON file. H5: a download through a Blob
 * link. Weapp: a file under the user data path, offered with shareFileMessage (send it to a chat
 * or "文件传输助手"); where that is not available or fails, the JSON is copied to the clipboard.
 */
import Taro from '@tarojs/taro';

export type SaveOutcome = 'downloaded' | 'shared' | 'copied' | 'cancelled';

function downloadInBrowser(fileName: string, json: string): void {
  const blob = new Blob([json], { type: 'application/json;charset=utf-8' });
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

async function writeInWeapp(fileName: string, json: string): Promise<string> {
  const filePath = `${Taro.env.USER_DATA_PATH}/${fileName}`;
  await new Promise<void>((resolve, reject) =>
    Taro.getFileSystemManager().writeFile({
      filePath,
      data: json,
      encoding: 'utf8',
      success: () => resolve(),
      fail: (err) => reject(new Error(err.errMsg)),
    }),
  );
  return filePath;
}

export async function saveJson(fileName: string, data: unknown): Promise<SaveOutcome> {
  const json = JSON.stringify(data, null, 2);
  if (process.env.TARO_ENV === 'h5') {
    downloadInBrowser(fileName, json);
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
    if (
      /cancel/i.test(
        String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message),
      )
    )
      return 'cancelled';
    // Writing or sharing is not possible here: copy instead.
  }
  await Taro.setClipboardData({ data: json });
  return 'copied';
}
