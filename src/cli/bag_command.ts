// `dx-perception bag info <bag>`: a bag summary in the layout of `ros2 bag info`.
import type { Command } from 'commander';
import { openBag, type BagInfo } from '../io/bag_reader';
import { NS_PER_SEC, type Nanos } from '../msgs/time';

const LABEL_WIDTH = 19; // "Topic information: ", as ros2 bag info pads every label

const label = (name: string): string => `${name}:`.padEnd(LABEL_WIDTH);

/** `ros2 bag info`'s size format: B without decimals, then KiB..TiB with one. */
export function formatBagSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = bytes;
  let i = 0;
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024;
    i++;
  }
  return `${size.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** `<sec>.<9-digit ns>`: exact, from the integer nanoseconds. */
function secondsText(ns: Nanos): string {
  return `${ns / NS_PER_SEC}.${(ns % NS_PER_SEC).toString().padStart(9, '0')}`;
}

/** `Mon dd yyyy HH:MM:SS.nnnnnnnnn (sec.nnnnnnnnn)` in local time, like ros2 bag info. */
function timePoint(ns: Nanos): string {
  const d = new Date(Number(ns / NS_PER_SEC) * 1000);
  const month = d.toLocaleString('en-US', { month: 'short' });
  const two = (n: number): string => String(n).padStart(2, '0');
  const frac = (ns % NS_PER_SEC).toString().padStart(9, '0');
  return `${month} ${String(d.getDate()).padStart(2, ' ')} ${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${frac} (${secondsText(ns)})`;
}

/** The lines `ros2 bag info` prints for a bag (without its leading blank line). */
export function formatBagInfo(info: BagInfo): string[] {
  const indent = ' '.repeat(LABEL_WIDTH);
  const files = info.files.map((f, i) => (i === 0 ? label('Files') : indent) + f);
  const topics = info.topics.map(
    (t, i) =>
      `${i === 0 ? label('Topic information') : indent}Topic: ${t.name} | Type: ${t.type} | Count: ${t.count} | Serialization Format: ${t.serializationFormat}`,
  );
  return [
    ...(files.length > 0 ? files : [label('Files')]),
    label('Bag size') + formatBagSize(info.bagSize),
    label('Storage id') + info.storage,
    label('ROS Distro') + (info.rosDistro ?? 'unknown'),
    label('Duration') + `${secondsText(info.duration)}s`,
    label('Start') + timePoint(info.startTime),
    label('End') + timePoint(info.endTime),
    label('Messages') + String(info.messageCount),
    ...(topics.length > 0 ? topics : [label('Topic information')]),
  ];
}

/** Adds `bag info <bag>` to the program; output goes through `print` (stdout by default). */
export function registerBagCommand(program: Command, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  const bag = program.command('bag').description('inspect rosbag2 bags (MCAP or sqlite3)');
  bag
    .command('info')
    .description('print files, size, duration, message counts and topics of a bag, like `ros2 bag info`')
    .argument('<bag>', 'bag directory, or a single .mcap or .db3 file')
    .action(async (bagPath: string) => {
      const reader = await openBag(bagPath, { onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
      try {
        print('');
        for (const line of formatBagInfo(reader.info)) print(line);
      } finally {
        await reader.close();
      }
    });
}
