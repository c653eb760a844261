// Prepares a fresh `npm ci` for tests, the demo and benchmarks. Idempotent and quick once done.
//
// Why this exists: .npmrc sets ignore-scripts=true because rclnodejs's install scripts need a
// sourced ROS 2, and npm cannot skip scripts for one package only. So the one native module we
// need without ROS, better-sqlite3 (rosbag2 .db3 storage), is compiled here on first use, and
// rclnodejs's ROS-generated message typings are put in place from ../shared/ros when they are
// missing, so `tsc` checks src/ros against rclnodejs's real declarations.
import { existsSync, copyFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteBinding = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
if (!existsSync(sqliteBinding)) {
  console.error('[ensure-env] compiling better-sqlite3 (first run only, about a minute)...');
  execSync('npm rebuild better-sqlite3 --ignore-scripts=false', { cwd: root, stdio: 'inherit' });
}

const rclTypes = join(root, 'node_modules/rclnodejs/types');
const interfaces = join(rclTypes, 'interfaces.d.ts');
const jazzyTypings = join(root, '../shared/ros/rclnodejs-2.2.0-interfaces-jazzy.d.ts');
if (existsSync(rclTypes) && !existsSync(interfaces)) {
  if (existsSync(jazzyTypings)) {
    copyFileSync(jazzyTypings, interfaces);
    console.error('[ensure-env] installed rclnodejs Jazzy message typings from ../shared/ros');
  } else {
    console.error(
      '[ensure-env] warning: rclnodejs/types/interfaces.d.ts is missing and ../shared/ros has no ' +
        'generated copy; source ROS 2 and run `npm rebuild rclnodejs --ignore-scripts=false`.',
    );
  }
}
