/** `npm run reset`: wipe the local data folder (database, session secret, uploads). */
import fs from 'node:fs';
import path from 'node:path';

const dataDir = process.env.DATA_DIR ?? path.resolve(__dirname, '../../data');
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`已清空本地数据：${dataDir}（下次启动会重新生成演示数据）`);
