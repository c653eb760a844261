// dx_perception's own interfaces, read from the package's `msg/` folder at run time, so the
// colcon-generated ROS types and the TypeScript codec are built from the same files.
import * as fs from 'fs';
import * as path from 'path';

export const PACKAGE_NAME = 'dx_perception';

/**
 * The package's `msg/` folder: the first ancestor of this module's folder that holds one with
 * .msg files (works from src/, dist/ and a colcon install's share/dx_perception/).
 */
export function packageMsgDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'msg');
    if (fs.existsSync(candidate) && fs.readdirSync(candidate).some((f) => f.endsWith('.msg'))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`${PACKAGE_NAME}: no msg/ folder with .msg files above ${__dirname}; the package's interfaces cannot be loaded`);
    }
  }
}

/** Every `msg/*.msg` of the package as `{ type: 'dx_perception/Name', text }`, sorted by name. */
export function readPackageMessages(dir: string = packageMsgDir()): { type: string; text: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.msg'))
    .sort()
    .map((f) => ({ type: `${PACKAGE_NAME}/${path.basename(f, '.msg')}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}
