// Prepares a fresh `npm ci` for tests, the demo and benchmarks (`npm run setup` runs it alone).
// Idempotent and quick once done.
//
// Why this exists: .npmrc sets ignore-scripts=true because rclnodejs's install scripts need a
// sourced ROS 2, and npm cannot skip scripts for one package only. So the one native module we
// need without ROS, better-sqlite3 (rosbag2 .db3 storage), is compiled here on first use, and
// rclnodejs's message typings, which its install script would generate from a ROS installation,
// are generated from the project's own message definitions (scripts/rclnodejs_typings.ts), so
// `tsc` checks src/ros with neither ROS nor any folder outside the project.
import { existsSync } from 'node:fs';
import { execFileSync, execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteBinding = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
if (!existsSync(sqliteBinding)) {
  console.error('[ensure-env] compiling better-sqlite3 for .db3 bags (once, about 2-3 minutes)...');
  execSync('npm rebuild better-sqlite3 --ignore-scripts=false', { cwd: root, stdio: 'inherit' });
}

const rclTypes = join(root, 'node_modules/rclnodejs/types');
const interfaces = join(rclTypes, 'interfaces.d.ts');
if (existsSync(rclTypes) && !existsSync(interfaces)) {
  const tsx = join(root, 'node_modules/.bin/tsx');
  execFileSync(tsx, [join(root, 'scripts/rclnodejs_typings.ts'), interfaces], { cwd: root, stdio: 'inherit' });
  console.error('[ensure-env] generated rclnodejs message typings from src/msgs (msg/ and Jazzy common interfaces)');
}
