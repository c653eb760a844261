// How the node hears that it should stop. Ctrl-C on `ros2 launch` delivers SIGINT to the node
// twice: the terminal signals the whole foreground process group, and launch forwards its own
// SIGINT to each process it started. A one-shot handler lets the second SIGINT kill the node
// with Node's default action while it is still finishing its frame sets, before the drop
// summary (seen live: "process has died ... exit code -2"). So the handlers stay installed and
// later signals are ignored; main.ts's exit grace timer and launch's own SIGTERM/SIGKILL
// escalation still bound a shutdown that hangs.

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Calls `stop` with the signal's name on the first SIGINT or SIGTERM and ignores any after it.
 * Returns a function that removes the handlers.
 */
export function onShutdownSignals(stop: (reason: string) => void, target: NodeJS.EventEmitter = process): () => void {
  let stopping = false;
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    };
    target.on(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) target.off(signal, handler);
  };
}
