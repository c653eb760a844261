// Finds the Python interpreter that can import cv2, for the tests and benchmarks that use OpenCV
// as their independent reference. Debian's python3-opencv lives in the system interpreter, which
// a pyenv or venv `python3` earlier on PATH may shadow, so /usr/bin/python3 is tried before it.
import { spawnSync } from 'node:child_process';

// undefined: not searched yet; null: searched, none found.
let found: string | null | undefined;

function candidates(): string[] {
  return [process.env.DX_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
}

/** The first of $DX_PYTHON, /usr/bin/python3, python3 that imports cv2, or undefined (searched once). */
export function findOpenCvPython(): string | undefined {
  if (found === undefined) {
    found = candidates().find((py) => spawnSync(py, ['-c', 'import cv2'], { stdio: 'ignore' }).status === 0) ?? null;
  }
  return found ?? undefined;
}

/** Like findOpenCvPython, but throws a message saying how to install OpenCV when none is found. */
export function requireOpenCvPython(): string {
  const python = findOpenCvPython();
  if (python !== undefined) return python;
  throw new Error(
    `OpenCV reference: none of ${candidates().join(', ')} can import cv2. ` +
      'Install Debian python3-opencv (apt-get install python3-opencv) or set DX_PYTHON to a python3 that has it.',
  );
}
